//! One try of one model: open the stream, forward its text, enforce the timeouts.
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Client;
use switchyard_router::Message;
use tokio::time::{timeout_at, Instant};
use tokio_util::sync::CancellationToken;

use super::plan::Target;
use super::Policy;
use super::ReplySink;
use crate::providers::error::{host_of_base, no_answer_in_time};
use crate::providers::limits::size;
use crate::providers::{self, ChatCall, FinishReason, ProviderError, StreamEvent, Tools};
use switchyard_router::{ToolCall, Usage};

/// How a try that reached the end of its stream ended.
pub struct Answer {
    pub usage: Option<Usage>,
    pub finish: Option<FinishReason>,
}

/// A try that failed; `after_text` says whether any text had been forwarded.
pub struct Failure {
    pub error: ProviderError,
    pub after_text: bool,
}

/// Runs one try. Text is appended to `out.0` and forwarded through the sink as it arrives,
/// whole tool calls to `out.1`; `first_token` is set when the first piece of either arrives.
/// Nothing runs past `deadline`, the end of the whole request. With `whole`, the model is asked
/// for its whole answer at once ([`providers::whole`]), which may take the first-token limit
/// plus the time to write the output limit at [`WHOLE_TOKENS_PER_SEC`].
#[allow(clippy::too_many_arguments)]
pub async fn attempt(
    client: &Client,
    policy: &Policy,
    target: &Target,
    messages: &[Message],
    max_output_tokens: Option<u32>,
    tools: Option<&Tools>,
    sink: &mut dyn ReplySink,
    cancel: &CancellationToken,
    out: (&mut String, &mut Vec<ToolCall>),
    first_token: &mut Option<Instant>,
    deadline: Instant,
    whole: bool,
) -> Result<Answer, Failure> {
    let (text, tool_calls) = out;
    let call = ChatCall {
        model: target.model.api_name(),
        messages,
        max_output_tokens,
        tools,
    };
    let first_token_limit = if target.model.reasoning.is_some() {
        policy.reasoning_first_token_timeout
    } else {
        policy.first_token_timeout
    };
    // Asked whole, the first piece is the whole answer.
    let first_token_limit = if whole {
        first_token_limit + writing_time(max_output_tokens)
    } else {
        first_token_limit
    };
    let first_token_deadline = (Instant::now() + first_token_limit).min(deadline);
    // Which limit ran out when a wait ended: the request's deadline, or the wait's own.
    let host = host_of_base(&target.endpoint.base_url);
    let timed_out = |waiting: &str, limit: Duration| {
        let what = if Instant::now() >= deadline {
            format!(
                "{waiting}, at the request deadline of {}: the whole request may take no longer",
                seconds(policy.request_deadline)
            )
        } else {
            format!("{waiting}, limit {}", seconds(limit))
        };
        ProviderError::Timeout(no_answer_in_time(&host, &what))
    };
    let fail = |error, after_text| Failure { error, after_text };
    let limits = policy.limits();
    let opened = tokio::select! {
        _ = cancel.cancelled() => return Err(fail(ProviderError::Stopped, false)),
        opened = timeout_at(first_token_deadline, async {
            if whole {
                providers::whole::whole_within(client, &target.endpoint, call, &limits).await
            } else {
                providers::stream_within(client, &target.endpoint, call, &limits).await
            }
        }) => opened,
    };
    let mut events = match opened {
        Ok(Ok(events)) => events,
        Ok(Err(e)) => return Err(fail(e, false)),
        Err(_) => {
            let waiting = if whole {
                "waiting for the whole answer"
            } else {
                "waiting for the first token"
            };
            return Err(fail(timed_out(waiting, first_token_limit), false));
        }
    };
    let mut answer = Answer {
        usage: None,
        finish: None,
    };
    let mut after_text = false;
    // Reply text from this try, against the reply size limit.
    let mut received = 0usize;
    loop {
        let wait_until = if after_text {
            (Instant::now() + policy.chunk_timeout).min(deadline)
        } else {
            first_token_deadline
        };
        let next = tokio::select! {
            _ = cancel.cancelled() => return Err(fail(ProviderError::Stopped, after_text)),
            next = timeout_at(wait_until, events.next()) => next,
        };
        let event = match next {
            Ok(Some(Ok(event))) => event,
            Ok(Some(Err(e))) => return Err(fail(e, after_text)),
            Ok(None) => return Ok(answer),
            Err(_) if after_text => {
                return Err(fail(
                    timed_out("waiting for the next chunk", policy.chunk_timeout),
                    true,
                ))
            }
            Err(_) => {
                return Err(fail(
                    timed_out("waiting for the first token", first_token_limit),
                    false,
                ))
            }
        };
        match event {
            StreamEvent::Text(mut delta) => {
                let room = policy.max_reply_bytes.saturating_sub(received);
                let too_large = delta.len() > room;
                if too_large {
                    delta.truncate(floor_char_boundary(&delta, room));
                }
                received += delta.len();
                if !delta.is_empty() {
                    if !after_text {
                        after_text = true;
                        *first_token = Some(Instant::now());
                        sink.started(&target.model.id, &target.provider.id);
                    }
                    text.push_str(&delta);
                    sink.text(&delta);
                }
                if too_large {
                    let error = ProviderError::Refused {
                        code: crate::error::ErrorCode::ReplyTooLarge,
                        message: format!(
                            "the reply passed the reply size limit ({})",
                            size(policy.max_reply_bytes)
                        ),
                    };
                    return Err(fail(error, after_text));
                }
            }
            StreamEvent::ToolCall(call) => {
                // A call is output like text: the answer has begun, and it counts against
                // the reply size limit.
                received += call.name.len() + call.arguments.len();
                if !after_text {
                    after_text = true;
                    *first_token = Some(Instant::now());
                    sink.started(&target.model.id, &target.provider.id);
                }
                tool_calls.push(call);
                if received > policy.max_reply_bytes {
                    let error = ProviderError::Refused {
                        code: crate::error::ErrorCode::ReplyTooLarge,
                        message: format!(
                            "the reply passed the reply size limit ({})",
                            size(policy.max_reply_bytes)
                        ),
                    };
                    return Err(fail(error, after_text));
                }
            }
            StreamEvent::Usage(u) => answer.usage = Some(u),
            StreamEvent::Finish(f) => answer.finish = Some(f),
        }
    }
}

/// The slowest writing speed a whole answer is waited for, in tokens a second.
pub const WHOLE_TOKENS_PER_SEC: u32 = 10;

/// The output limit assumed for a whole answer when the request sets none.
const WHOLE_DEFAULT_OUTPUT: u32 = 4_096;

/// How long a model may take to write its output limit at the slowest speed waited for.
fn writing_time(max_output_tokens: Option<u32>) -> Duration {
    let tokens = max_output_tokens.unwrap_or(WHOLE_DEFAULT_OUTPUT);
    Duration::from_secs(u64::from(tokens.div_ceil(WHOLE_TOKENS_PER_SEC)))
}

/// The largest index up to `at` that starts a character of `s`.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    (0..=at.min(s.len()))
        .rev()
        .find(|i| s.is_char_boundary(*i))
        .unwrap_or(0)
}

/// A duration as a limit is written: `600 ms`, `45 s`, `10 min`.
fn seconds(d: Duration) -> String {
    match d.as_millis() {
        ms if ms < 1_000 => format!("{ms} ms"),
        ms if ms % 60_000 == 0 => format!("{} min", ms / 60_000),
        ms => format!("{} s", (ms as f64 / 1000.0)),
    }
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
