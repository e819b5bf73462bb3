//! Carrying out a routing decision: the chain tried in order, with retries, fallback, circuit
//! breakers and timeouts, every hop recorded. Dropping the future (or the [`ReplyStream`])
//! cancels the HTTP request in flight.
mod attempt;
pub mod backoff;
mod breaker;
pub mod limits;
pub mod plan;
pub mod reply;

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_util::Stream;
use reqwest::Client;
use switchyard_router::Message;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use attempt::{attempt, millis, Failure};
use breaker::Breakers;
pub use plan::{ExecError, Plan, Target};
pub use reply::{Hop, HopError, HopOutcome, Reply, ReplyError, ReplyEvent, ReplyStatus};

use crate::budget::HopGate;
use crate::providers::{ErrorKind, FinishReason, Limits, ProviderError};
use crate::usage::{Cost, Usage};

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
            // The same upstream would send the same again.
            ProviderError::Refused { .. } => Self::NextModel,
        }
    }
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
    started: Instant,
    hops: Vec<Hop>,
    text: String,
    first_token: Option<Instant>,
    failing_keys: Vec<String>,
}

impl Run<'_> {
    #[allow(clippy::too_many_arguments)]
    fn hop(
        &mut self,
        target: &Target,
        attempt: u32,
        outcome: HopOutcome,
        error: Option<HopError>,
        latency_ms: u64,
        retry_in: Option<Duration>,
        on_event: &mut impl FnMut(ReplyEvent),
    ) {
        let hop = Hop {
            model: target.model.id.clone(),
            provider: target.provider.id.clone(),
            attempt,
            outcome,
            error,
            latency_ms,
            retry_in_ms: retry_in.map(millis),
        };
        if matches!(outcome, HopOutcome::Failed | HopOutcome::Skipped) {
            on_event(ReplyEvent::Hop { hop: hop.clone() });
        }
        self.hops.push(hop);
    }

    fn reply(
        self,
        status: ReplyStatus,
        answered: Option<(&Target, Option<Usage>, Option<FinishReason>)>,
        error: Option<ReplyError>,
    ) -> Reply {
        let (model, provider, usage, cost, finish) = match answered {
            Some((target, usage, finish)) => {
                // A provider that reported nothing (or was cut off first) still billed the call.
                let usage = usage.unwrap_or_else(|| Usage::estimate(self.messages, &self.text));
                let cost = Cost::of(&target.model, &usage);
                (
                    Some(target.model.id.clone()),
                    Some(target.provider.id.clone()),
                    Some(usage),
                    Some(cost),
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
            latency_ms: millis(self.started.elapsed()),
            first_token_ms: self.first_token.map(|t| millis(t - self.started)),
            text: self.text,
            hops: self.hops,
            error,
            failing_keys: self.failing_keys,
        }
    }
}

fn hop_error(error: &ProviderError) -> HopError {
    HopError {
        code: error.code().into(),
        message: error.to_string(),
        status: error.status(),
    }
}

fn skipped(code: &str, message: String) -> Option<HopError> {
    Some(HopError {
        code: code.into(),
        message,
        status: None,
    })
}

impl Executor {
    pub fn new(policy: Policy) -> Result<Self, ExecError> {
        let client = Client::builder()
            .connect_timeout(policy.connect_timeout)
            // Chunks are small and latency-bound; Nagle would hold them back.
            .tcp_nodelay(true)
            // A redirect to another host would carry the key there.
            .redirect(crate::redirect::same_origin_only())
            .build()
            .map_err(|e| ExecError::Config(format!("could not start an HTTP client: {e}")))?;
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

    /// Tries the plan's models in order and streams the answer through `on_event`, ending with
    /// [`ReplyEvent::Done`]. The returned reply is the one in that last event.
    pub async fn run(
        &self,
        plan: &Plan,
        messages: &[Message],
        max_output_tokens: Option<u32>,
        on_event: impl FnMut(ReplyEvent) + Send,
    ) -> Reply {
        self.run_gated(plan, messages, max_output_tokens, None, on_event)
            .await
    }

    /// [`Executor::run`] with `gate` asked before every hop (the budgets): a hop it refuses is
    /// skipped with its error.
    pub async fn run_gated(
        &self,
        plan: &Plan,
        messages: &[Message],
        max_output_tokens: Option<u32>,
        gate: Option<&dyn HopGate>,
        mut on_event: impl FnMut(ReplyEvent) + Send,
    ) -> Reply {
        let reply = self
            .carry_out(plan, messages, max_output_tokens, gate, &mut on_event)
            .await;
        on_event(ReplyEvent::Done {
            reply: Box::new(reply.clone()),
        });
        reply
    }

    /// [`Executor::run`] as a stream of events; dropping the stream cancels the request.
    pub fn stream(
        &self,
        plan: Plan,
        messages: Vec<Message>,
        max_output_tokens: Option<u32>,
    ) -> ReplyStream {
        self.stream_gated(plan, messages, max_output_tokens, None)
    }

    /// [`Executor::run_gated`] as a stream of events.
    pub fn stream_gated(
        &self,
        plan: Plan,
        messages: Vec<Message>,
        max_output_tokens: Option<u32>,
        gate: Option<Arc<dyn HopGate>>,
    ) -> ReplyStream {
        // Unbounded so that a slow reader never holds up the provider's connection; the events
        // of one reply are small and end with the reply.
        let (tx, rx) = mpsc::unbounded_channel();
        let this = self.clone();
        let task = tokio::spawn(async move {
            this.run_gated(
                &plan,
                &messages,
                max_output_tokens,
                gate.as_deref(),
                |event| {
                    let _ = tx.send(event);
                },
            )
            .await;
        });
        ReplyStream { events: rx, task }
    }

    async fn carry_out(
        &self,
        plan: &Plan,
        messages: &[Message],
        max_output_tokens: Option<u32>,
        gate: Option<&dyn HopGate>,
        on_event: &mut (impl FnMut(ReplyEvent) + Send),
    ) -> Reply {
        let policy = &*self.policy;
        let mut run = Run {
            messages,
            started: Instant::now(),
            hops: Vec::new(),
            text: String::new(),
            first_token: None,
            failing_keys: Vec::new(),
        };
        if let Some(error) = self.all_cooling_down(plan) {
            return run.reply(ReplyStatus::Failed, None, Some(error));
        }
        let mut last_error: Option<(String, ProviderError)> = None;
        // A budget refusal outranks provider errors in the reply: it is what the user can act on.
        let mut refused: Option<HopError> = None;
        // After a context overflow, only models with a larger window than this are tried.
        let mut too_small: Option<u32> = None;
        'models: for target in &plan.targets {
            let provider = &target.provider.id;
            if run.failing_keys.contains(provider) {
                let why = format!(
                    "{} refused its key earlier in this request",
                    target.provider.name
                );
                run.hop(
                    target,
                    1,
                    HopOutcome::Skipped,
                    skipped("key_failing", why),
                    0,
                    None,
                    on_event,
                );
                continue;
            }
            if let Some(window) = too_small.filter(|w| target.model.context_window <= *w) {
                let why = format!("its context window ({}) is no larger than one the prompt overflowed ({window})", target.model.context_window);
                run.hop(
                    target,
                    1,
                    HopOutcome::Skipped,
                    skipped("context_too_small", why),
                    0,
                    None,
                    on_event,
                );
                continue;
            }
            for attempt_no in 1..=policy.attempts_per_model.max(1) {
                if let Some((open, who)) = self.breakers.open_for(target, Instant::now()) {
                    let why = format!(
                        "{who} failed repeatedly; skipped for another {} s",
                        open.as_secs() + 1
                    );
                    run.hop(
                        target,
                        attempt_no,
                        HopOutcome::Skipped,
                        skipped("circuit_open", why),
                        0,
                        None,
                        on_event,
                    );
                    continue 'models;
                }
                if let Some(gate) = gate {
                    if let Err(why) = gate.before_hop(target, messages).await {
                        run.hop(
                            target,
                            attempt_no,
                            HopOutcome::Skipped,
                            Some(why.clone()),
                            0,
                            None,
                            on_event,
                        );
                        refused = Some(why);
                        continue 'models;
                    }
                }
                let hop_started = Instant::now();
                let result = attempt(
                    &self.client,
                    policy,
                    target,
                    messages,
                    max_output_tokens,
                    on_event,
                    &mut run.text,
                    &mut run.first_token,
                    run.started + policy.request_deadline,
                )
                .await;
                let latency = millis(hop_started.elapsed());
                let error = match result {
                    Ok(answer) => {
                        self.breakers.success(target);
                        run.hop(
                            target,
                            attempt_no,
                            HopOutcome::Answered,
                            None,
                            latency,
                            None,
                            on_event,
                        );
                        return run.reply(
                            ReplyStatus::Complete,
                            Some((target, answer.usage, answer.finish)),
                            None,
                        );
                    }
                    Err(Failure {
                        error,
                        after_text: true,
                    }) => {
                        self.breakers.failure(target, &error, Instant::now());
                        run.hop(
                            target,
                            attempt_no,
                            HopOutcome::Partial,
                            Some(hop_error(&error)),
                            latency,
                            None,
                            on_event,
                        );
                        // Nothing is retried once text is out: a second answer would repeat it.
                        let message = format!(
                            "{} stopped mid-reply ({error}); the text so far is kept.",
                            target.model.id
                        );
                        let reply_error = ReplyError {
                            code: error.code().into(),
                            message,
                        };
                        return run.reply(
                            ReplyStatus::Partial,
                            Some((target, None, None)),
                            Some(reply_error),
                        );
                    }
                    Err(Failure {
                        error,
                        after_text: false,
                    }) => error,
                };
                let next = AfterFailure::after(&error);
                self.breakers.failure(target, &error, Instant::now());
                match next {
                    AfterFailure::SkipProvider => run.failing_keys.push(provider.clone()),
                    AfterFailure::LargerWindow => {
                        too_small = too_small.max(Some(target.model.context_window))
                    }
                    AfterFailure::Retry | AfterFailure::NextModel => {}
                }
                let retry_in = (next == AfterFailure::Retry
                    && attempt_no < policy.attempts_per_model)
                    .then(|| {
                        backoff::delay(
                            attempt_no,
                            policy.backoff_base,
                            policy.backoff_max,
                            error.retry_after(),
                            fastrand::f64(),
                        )
                    })
                    .filter(|wait| *wait <= policy.max_retry_wait);
                run.hop(
                    target,
                    attempt_no,
                    HopOutcome::Failed,
                    Some(hop_error(&error)),
                    latency,
                    retry_in,
                    on_event,
                );
                last_error = Some((target.model.id.clone(), error));
                match retry_in {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => continue 'models,
                }
            }
        }
        let error = match (refused, last_error) {
            (Some(why), _) => ReplyError {
                code: why.code,
                message: why.message,
            },
            (None, Some((model, e))) => ReplyError {
                code: e.code().into(),
                message: format!("No model could answer. The last error, from {model}: {e}"),
            },
            (None, None) => ReplyError {
                code: "no_usable_provider".into(),
                message: "No model in the chain could be tried: each was skipped (see the hops)."
                    .into(),
            },
        };
        run.reply(ReplyStatus::Failed, None, Some(error))
    }

    /// When every model in the plan has an open circuit (its own or its provider's), the
    /// request fails at once.
    fn all_cooling_down(&self, plan: &Plan) -> Option<ReplyError> {
        let now = Instant::now();
        let mut waits = Vec::new();
        for t in &plan.targets {
            let (open, who) = self.breakers.open_for(t, now)?;
            let line = format!("{who} (for {} s)", open.as_secs() + 1);
            if !waits.contains(&line) {
                waits.push(line);
            }
        }
        Some(ReplyError {
            code: "no_usable_provider".into(),
            message: format!(
                "Every model for this request is paused after repeated failures: {}. Try again then, or add another provider's key so the chain has somewhere to go.",
                waits.join(", ")
            ),
        })
    }
}

/// The events of one reply; dropping it aborts the request.
pub struct ReplyStream {
    events: mpsc::UnboundedReceiver<ReplyEvent>,
    task: JoinHandle<()>,
}

impl Stream for ReplyStream {
    type Item = ReplyEvent;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<ReplyEvent>> {
        self.events.poll_recv(cx)
    }
}

impl Drop for ReplyStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}
