//! Carrying out a routing decision: the chain tried in order, with retries, fallback, circuit
//! breakers and timeouts, every hop recorded. Dropping the future (or the [`ReplyStream`])
//! cancels the HTTP request in flight.
mod attempt;
pub mod backoff;
mod breaker;
pub mod limits;
pub mod meter;
pub mod plan;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Client;
use switchyard_router::{Cost, Message, Usage};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use attempt::{attempt, millis, Failure};
use breaker::Breakers;
pub use meter::{Billed, CallEnd, CallStart, CallTicket, Meter, MeterFuture};
pub use plan::{Plan, Target, Unplanned};

use crate::error::{EngineError, ErrorCode, ErrorInfo};
use crate::providers::{ErrorKind, FinishReason, Limits, ProviderError, Tools};
use crate::reply::{Hop, HopOutcome, Reply, ReplyStatus};

/// Where the executor sends what happens while a reply is produced.
pub trait ReplySink: Send {
    /// A model started answering: text from it follows. Once per reply.
    fn started(&mut self, model: &str, provider: &str);
    /// The next piece of the reply, as the provider sent it.
    fn text(&mut self, delta: &str);
    /// A try failed or was skipped; more may follow.
    fn hop(&mut self, hop: &Hop);
}

/// The knobs of fault handling. The defaults suit a person waiting on a chat reply.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Tries per model, the first included, for failures worth retrying.
    pub attempts_per_model: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    /// A provider asking to wait longer than this (`Retry-After`) is left for the next model.
    pub max_retry_wait: Duration,
    pub connect_timeout: Duration,
    /// From sending the request to the first piece of text.
    pub first_token_timeout: Duration,
    /// The same for models that reason before answering (the catalog prices their reasoning
    /// tokens): they can think silently for minutes.
    pub reasoning_first_token_timeout: Duration,
    /// Between two events once text is flowing.
    pub chunk_timeout: Duration,
    /// Consecutive failures that open a circuit: a model's for its own failures (5xx,
    /// overload, rate limit), its provider's for failed connections and refused keys.
    pub breaker_threshold: u32,
    pub breaker_cooldown: Duration,
    /// Longest SSE line accepted; a longer one ends the hop as `line_too_long`.
    pub max_line_bytes: usize,
    /// How much of an error body is read; the message notes the cut.
    pub max_error_body_bytes: usize,
    /// Most reply text taken from one model; past it the hop ends as `reply_too_large` and
    /// the text so far is kept as a partial reply.
    pub max_reply_bytes: usize,
    /// From the start of a request to its end, whatever its chain, retries and streams do.
    pub request_deadline: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            attempts_per_model: 3,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(8),
            max_retry_wait: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            first_token_timeout: Duration::from_secs(45),
            reasoning_first_token_timeout: Duration::from_secs(300),
            chunk_timeout: Duration::from_secs(30),
            breaker_threshold: 5,
            breaker_cooldown: Duration::from_secs(30),
            max_line_bytes: Limits::default().max_line_bytes,
            max_error_body_bytes: Limits::default().max_error_body_bytes,
            max_reply_bytes: Limits::default().max_reply_bytes,
            request_deadline: Duration::from_secs(600),
        }
    }
}

/// What to do after a try that failed before any text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterFailure {
    /// Try the same model again after a backoff (then the next model).
    Retry,
    /// The key was refused: skip every model of this provider.
    SkipProvider,
    /// The prompt is too long: skip models whose window is no larger.
    LargerWindow,
    /// Not worth retrying here (a 400, an unknown model): the next model.
    NextModel,
}

impl AfterFailure {
    fn after(error: &ProviderError) -> Self {
        match error {
            ProviderError::Status { kind, .. } | ProviderError::Stream { kind, .. } => match kind {
                ErrorKind::RateLimited | ErrorKind::Overloaded | ErrorKind::Server => Self::Retry,
                ErrorKind::Auth => Self::SkipProvider,
                ErrorKind::ContextLength => Self::LargerWindow,
                ErrorKind::NotFound | ErrorKind::BadRequest => Self::NextModel,
            },
            ProviderError::Connect(_)
            | ProviderError::Timeout(_)
            | ProviderError::Transport(_)
            | ProviderError::Malformed(_)
            | ProviderError::Truncated => Self::Retry,
            ProviderError::Stopped => Self::NextModel,
            // The same upstream would send the same again.
            ProviderError::Refused { .. } => Self::NextModel,
        }
    }
}

/// Whether reported usage can be true: no more prompt than the model's context window, and no
/// more prompt and output together than the window plus the output limit (the caller's, else
/// the window again, as some providers count output apart from the window).
fn plausible(model: &switchyard_router::Model, usage: &Usage, max_output: Option<u32>) -> bool {
    let window = u64::from(model.context_window);
    let output_limit = u64::from(max_output.unwrap_or(model.context_window));
    let input = u64::from(usage.input_tokens);
    let output = u64::from(usage.output_tokens);
    // A provider stops at the request's limit (hidden reasoning included), so more is a wrong
    // report, and billing it would overrun a budget that reserved the limit.
    let within_limit = max_output.is_none_or(|max| output <= u64::from(max));
    input <= window && input + output <= window + output_limit && within_limit
}

/// Carries out plans. Cheap to clone; clones share the HTTP connection pool and the breakers.
#[derive(Clone)]
pub struct Executor {
    client: Client,
    policy: Arc<Policy>,
    breakers: Arc<Breakers>,
}

/// The state of one request while its chain is tried.
struct Run<'a> {
    messages: &'a [Message],
    tools: Option<&'a Tools>,
    /// Provider id → name, for the hops' display names.
    names: std::collections::HashMap<String, String>,
    max_output_tokens: Option<u32>,
    sink: &'a mut dyn ReplySink,
    started: Instant,
    hops: Vec<Hop>,
    text: String,
    tool_calls: Vec<switchyard_router::ToolCall>,
    first_token: Option<Instant>,
    failing_keys: Vec<String>,
}

/// How a run ended, for [`Run::finish`], the one place a [`Reply`] is built.
enum Ending<'a> {
    /// The target answered to the end.
    Answered(&'a Target, Option<Usage>, Option<FinishReason>),
    /// The target's text stopped part way (a failure or a stop); the text so far is the reply.
    Cut(&'a Target, ErrorInfo),
    /// No text at all.
    Failed(ErrorInfo),
}

impl Run<'_> {
    fn millis_since_start(&self) -> u64 {
        millis(self.started.elapsed())
    }

    fn first_token_ms(&self) -> Option<u64> {
        self.first_token.map(|t| millis(t - self.started))
    }

    #[allow(clippy::too_many_arguments)]
    fn hop(
        &mut self,
        model: &str,
        provider: &str,
        attempt: u32,
        outcome: HopOutcome,
        error: Option<&ProviderError>,
        latency_ms: u64,
        retry_in: Option<Duration>,
    ) -> Hop {
        let hop = Hop {
            model: model.to_string(),
            provider: provider.to_string(),
            provider_name: String::new(),
            attempt,
            outcome,
            error: error.map(ProviderError::info),
            status: error.and_then(ProviderError::status),
            latency_ms,
            retry_in_ms: retry_in.map(millis),
        };
        self.push(hop.clone());
        hop
    }

    fn skip(&mut self, model: &str, provider: &str, attempt: u32, error: ErrorInfo) {
        self.push(Hop {
            model: model.to_string(),
            provider: provider.to_string(),
            provider_name: String::new(),
            attempt,
            outcome: HopOutcome::Skipped,
            error: Some(error),
            status: None,
            latency_ms: 0,
            retry_in_ms: None,
        });
    }

    fn push(&mut self, mut hop: Hop) {
        hop.provider_name = self
            .names
            .get(&hop.provider)
            .cloned()
            .unwrap_or_else(|| hop.provider.clone());
        if matches!(hop.outcome, HopOutcome::Failed | HopOutcome::Skipped) {
            self.sink.hop(&hop);
        }
        self.hops.push(hop);
    }

    /// What the call that produced `text` on `model` is billed: the provider's report when it
    /// is believable, else an estimate from the prompt and the text.
    fn billed(&self, model: &switchyard_router::Model, reported: Option<Usage>) -> Billed {
        // Tool calls are output too: their names and arguments count with the text.
        let estimate = || {
            let mut output = self.text.clone();
            for c in &self.tool_calls {
                output.push(' ');
                output.push_str(&c.name);
                output.push(' ');
                output.push_str(&c.arguments);
            }
            let mut usage = Usage::estimate(self.messages, &output);
            usage.input_tokens = usage
                .input_tokens
                .saturating_add(self.tools.map_or(0, Tools::prompt_tokens));
            usage
        };
        match reported {
            Some(r) if plausible(model, &r, self.max_output_tokens) => Billed {
                usage: r,
                reported: None,
            },
            Some(r) => Billed {
                usage: estimate(),
                reported: Some(r),
            },
            None => Billed {
                usage: estimate(),
                reported: None,
            },
        }
    }

    fn finish(self, ending: Ending<'_>) -> Reply {
        let latency_ms = self.millis_since_start();
        let first_token_ms = self.first_token_ms();
        let (status, answered, error) = match ending {
            Ending::Answered(target, usage, finish) => {
                (ReplyStatus::Complete, Some((target, usage, finish)), None)
            }
            Ending::Cut(target, error) => (
                ReplyStatus::Partial,
                Some((target, None, None)),
                Some(error),
            ),
            Ending::Failed(error) => (ReplyStatus::Failed, None, Some(error)),
        };
        let (model, provider, usage, cost, finish) = match answered {
            Some((target, usage, finish)) => {
                let usage = self.billed(&target.model, usage).usage;
                (
                    Some(target.model.id.clone()),
                    Some(target.provider.id.clone()),
                    Some(usage),
                    Some(Cost::of(&target.model, &usage)),
                    finish,
                )
            }
            None => (None, None, None, None, None),
        };
        Reply {
            status,
            model,
            provider,
            finish,
            usage,
            cost,
            latency_ms,
            first_token_ms,
            text: self.text,
            tool_calls: self.tool_calls,
            hops: self.hops,
            error,
            failing_keys: self.failing_keys,
        }
    }
}

impl Executor {
    pub fn new(policy: Policy) -> Result<Self, EngineError> {
        let client = Client::builder()
            .connect_timeout(policy.connect_timeout)
            // Chunks are small and latency-bound; Nagle would hold them back.
            .tcp_nodelay(true)
            // A redirect to another host would carry the key there.
            .redirect(crate::redirect::same_origin_only())
            .build()
            .map_err(|e| {
                EngineError::coded(
                    ErrorCode::InvalidConfig,
                    format!("could not start an HTTP client: {e}"),
                )
            })?;
        let breakers = Arc::new(Breakers::new(
            policy.breaker_threshold,
            policy.breaker_cooldown,
        ));
        Ok(Self {
            client,
            policy: Arc::new(policy),
            breakers,
        })
    }

    /// Tries the plan's models in order, streaming the answer into `sink`, and returns the
    /// reply: answered, cut short (the text so far kept) or failed. `meter` is asked before
    /// and told after every provider call (the budgets and the ledger). Cancelling `cancel`
    /// stops the call in flight; what arrived is kept and the call is settled as estimated.
    /// `tools` are offered to every model tried (the local endpoint's requests).
    #[allow(clippy::too_many_arguments)]
    pub async fn execute(
        &self,
        plan: &Plan,
        messages: &[Message],
        max_output_tokens: Option<u32>,
        tools: Option<&Tools>,
        meter: Option<&dyn Meter>,
        sink: &mut dyn ReplySink,
        cancel: &CancellationToken,
    ) -> Reply {
        let mut run = Run {
            messages,
            tools,
            names: plan
                .targets
                .iter()
                .map(|t| (t.provider.id.clone(), t.provider.name.clone()))
                .chain(
                    plan.unplanned
                        .iter()
                        .map(|u| (u.provider.clone(), u.provider_name.clone())),
                )
                .collect(),
            max_output_tokens,
            sink,
            started: Instant::now(),
            hops: Vec::new(),
            text: String::new(),
            tool_calls: Vec::new(),
            first_token: None,
            failing_keys: Vec::new(),
        };
        if plan.targets.is_empty() {
            for u in &plan.unplanned {
                run.skip(&u.model, &u.provider, 1, u.error.clone());
            }
            return run.finish(Ending::Failed(plan.nothing_callable()));
        }
        if let Some(error) = self.all_cooling_down(plan) {
            return run.finish(Ending::Failed(error));
        }
        let mut last_error: Option<(String, ProviderError)> = None;
        // A budget refusal outranks provider errors in the reply: it is what the user can act on.
        let mut refused: Option<ErrorInfo> = None;
        // After a context overflow, only models with a larger window than this are tried.
        let mut too_small: Option<u32> = None;
        // The whole request's deadline passed between tries.
        let mut deadline_passed = false;
        'models: for (hop_no, target) in plan.targets.iter().enumerate() {
            let provider = &target.provider.id;
            let model = &target.model.id;
            if run.failing_keys.contains(provider) {
                let why = format!(
                    "{} refused its key earlier in this request",
                    target.provider.name
                );
                run.skip(
                    model,
                    provider,
                    1,
                    ErrorInfo::new(ErrorCode::KeyFailing, why),
                );
                continue;
            }
            if let Some(window) = too_small.filter(|w| target.model.context_window <= *w) {
                let why = format!("its context window ({}) is no larger than one the prompt overflowed ({window})", target.model.context_window);
                run.skip(
                    model,
                    provider,
                    1,
                    ErrorInfo::new(ErrorCode::ContextTooSmall, why),
                );
                continue;
            }
            for attempt_no in 1..=self.policy.attempts_per_model.max(1) {
                if cancel.is_cancelled() {
                    break 'models;
                }
                if Instant::now() >= run.started + self.policy.request_deadline {
                    deadline_passed = true;
                    break 'models;
                }
                if let Some((open, who)) = self.breakers.open_for(target, Instant::now()) {
                    let why = format!(
                        "{who} failed repeatedly; skipped for another {} s",
                        open.as_secs() + 1
                    );
                    run.skip(
                        model,
                        provider,
                        attempt_no,
                        ErrorInfo::new(ErrorCode::CircuitOpen, why),
                    );
                    continue 'models;
                }
                let ticket = match meter {
                    None => None,
                    Some(meter) => {
                        let start = CallStart {
                            target,
                            messages,
                            tools,
                            max_output_tokens,
                            hop: hop_no as u32,
                            attempt: attempt_no,
                        };
                        match meter.open(start).await {
                            Ok(ticket) => Some(ticket),
                            Err(why) => {
                                run.skip(model, provider, attempt_no, why.clone());
                                refused = Some(why);
                                continue 'models;
                            }
                        }
                    }
                };
                let hop_started = Instant::now();
                let result = attempt(
                    &self.client,
                    &self.policy,
                    target,
                    messages,
                    max_output_tokens,
                    tools,
                    &mut *run.sink,
                    cancel,
                    (&mut run.text, &mut run.tool_calls),
                    &mut run.first_token,
                    run.started + self.policy.request_deadline,
                    plan.whole_answers,
                )
                .await;
                let latency = millis(hop_started.elapsed());
                let (hop, billed, ending) = match result {
                    Ok(answer) => {
                        self.breakers.success(target);
                        let hop = run.hop(
                            model,
                            provider,
                            attempt_no,
                            HopOutcome::Answered,
                            None,
                            latency,
                            None,
                        );
                        let usage = run.billed(&target.model, answer.usage);
                        (
                            hop,
                            Some(usage),
                            Some(Ending::Answered(target, answer.usage, answer.finish)),
                        )
                    }
                    Err(Failure {
                        error,
                        after_text: true,
                    }) => {
                        self.breakers.failure(target, &error, Instant::now());
                        let hop = run.hop(
                            model,
                            provider,
                            attempt_no,
                            HopOutcome::Partial,
                            Some(&error),
                            latency,
                            None,
                        );
                        // Nothing is retried once text is out: a second answer would repeat it.
                        let info = if matches!(error, ProviderError::Stopped) {
                            ErrorInfo::new(
                                ErrorCode::Stopped,
                                "Stopped by you; the text so far is kept.",
                            )
                        } else {
                            ErrorInfo::new(
                                error.code(),
                                format!(
                                    "{model} stopped mid-reply ({error}); the text so far is kept."
                                ),
                            )
                        };
                        let usage = run.billed(&target.model, None);
                        (hop, Some(usage), Some(Ending::Cut(target, info)))
                    }
                    Err(Failure {
                        error: ProviderError::Stopped,
                        after_text: false,
                    }) => {
                        let hop = run.hop(
                            model,
                            provider,
                            attempt_no,
                            HopOutcome::Failed,
                            Some(&ProviderError::Stopped),
                            latency,
                            None,
                        );
                        // The prompt reached the provider, which may bill it.
                        let usage = run.billed(&target.model, None);
                        let info = ErrorInfo::new(
                            ErrorCode::Stopped,
                            "Stopped by you before any text arrived.",
                        );
                        (hop, Some(usage), Some(Ending::Failed(info)))
                    }
                    Err(Failure {
                        error,
                        after_text: false,
                    }) => {
                        let next = AfterFailure::after(&error);
                        self.breakers.failure(target, &error, Instant::now());
                        match next {
                            AfterFailure::SkipProvider => run.failing_keys.push(provider.clone()),
                            AfterFailure::LargerWindow => {
                                too_small = too_small.max(Some(target.model.context_window))
                            }
                            AfterFailure::Retry | AfterFailure::NextModel => {}
                        }
                        let retry_in = self.retry_wait(next, attempt_no, &error);
                        let hop = run.hop(
                            model,
                            provider,
                            attempt_no,
                            HopOutcome::Failed,
                            Some(&error),
                            latency,
                            retry_in,
                        );
                        if let (Some(meter), Some(ticket)) = (meter, ticket) {
                            meter
                                .settle(
                                    ticket,
                                    CallEnd {
                                        hop: &hop,
                                        usage: None,
                                        first_token_ms: None,
                                    },
                                )
                                .await;
                        }
                        last_error = Some((model.clone(), error));
                        match retry_in {
                            Some(wait) => {
                                tokio::select! {
                                    _ = cancel.cancelled() => break 'models,
                                    _ = tokio::time::sleep(wait) => {}
                                }
                                continue;
                            }
                            None => continue 'models,
                        }
                    }
                };
                if let (Some(meter), Some(ticket)) = (meter, ticket) {
                    let end = CallEnd {
                        hop: &hop,
                        usage: billed,
                        first_token_ms: run.first_token_ms(),
                    };
                    meter.settle(ticket, end).await;
                }
                if let Some(ending) = ending {
                    return run.finish(ending);
                }
            }
        }
        if cancel.is_cancelled() {
            let info = ErrorInfo::new(
                ErrorCode::Stopped,
                "Stopped by you before any text arrived.",
            );
            return run.finish(Ending::Failed(info));
        }
        // The chain ran out: the models it could not call come last, each with why.
        for u in &plan.unplanned {
            run.skip(&u.model, &u.provider, 1, u.error.clone());
        }
        if deadline_passed {
            let info = ErrorInfo::new(
                ErrorCode::Timeout,
                format!(
                    "The request reached its deadline ({} s) before a model answered; the remaining models were not tried.",
                    self.policy.request_deadline.as_secs()
                ),
            );
            return run.finish(Ending::Failed(info));
        }
        let error = match (refused, last_error) {
            (Some(why), _) => why,
            (None, Some((model, e))) => ErrorInfo::new(
                e.code(),
                format!("No model could answer. The last error, from {model}: {e}"),
            ),
            (None, None) => ErrorInfo::new(
                ErrorCode::NoUsableProvider,
                "No model in the chain could be tried: each was skipped (see the hops).",
            ),
        };
        run.finish(Ending::Failed(error))
    }

    /// How long to wait before trying the same model again, or None to move on.
    fn retry_wait(
        &self,
        next: AfterFailure,
        attempt_no: u32,
        error: &ProviderError,
    ) -> Option<Duration> {
        let policy = &*self.policy;
        (next == AfterFailure::Retry && attempt_no < policy.attempts_per_model)
            .then(|| {
                backoff::delay(
                    attempt_no,
                    policy.backoff_base,
                    policy.backoff_max,
                    error.retry_after(),
                    fastrand::f64(),
                )
            })
            .filter(|wait| *wait <= policy.max_retry_wait)
    }

    /// When every model in the plan has an open circuit (its own or its provider's), the
    /// request fails at once.
    fn all_cooling_down(&self, plan: &Plan) -> Option<ErrorInfo> {
        let now = Instant::now();
        let mut waits = Vec::new();
        for t in &plan.targets {
            let (open, who) = self.breakers.open_for(t, now)?;
            let line = format!("{who} (for {} s)", open.as_secs() + 1);
            if !waits.contains(&line) {
                waits.push(line);
            }
        }
        Some(ErrorInfo::new(
            ErrorCode::NoUsableProvider,
            format!(
                "Every model for this request is paused after repeated failures: {}. Try again then, or add another provider's key so the chain has somewhere to go.",
                waits.join(", ")
            ),
        ))
    }
}
