//! One try of one model: open the stream, forward its text, enforce the timeouts.
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::Client;
use switchyard_router::Message;
use tokio::time::{timeout, timeout_at, Instant};
use tokio_util::sync::CancellationToken;

use super::plan::Target;
use super::Policy;
use super::ReplySink;
use crate::providers::{self, ChatCall, FinishReason, ProviderError, StreamEvent};
use switchyard_router::Usage;

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

/// Runs one try. Text is appended to `text` and forwarded through `on_event` as it arrives;
/// `first_token` is set when the first piece arrives.
#[allow(clippy::too_many_arguments)]
pub async fn attempt(
    client: &Client,
    policy: &Policy,
    target: &Target,
    messages: &[Message],
    max_output_tokens: Option<u32>,
    sink: &mut dyn ReplySink,
    cancel: &CancellationToken,
    text: &mut String,
    first_token: &mut Option<Instant>,
) -> Result<Answer, Failure> {
    let call = ChatCall {
        model: target.model.api_name(),
        messages,
        max_output_tokens,
    };
    let first_token_limit = if target.model.reasoning.is_some() {
        policy.reasoning_first_token_timeout
    } else {
        policy.first_token_timeout
    };
    let first_token_deadline = Instant::now() + first_token_limit;
    let fail = |error, after_text| Failure { error, after_text };
    let opened = tokio::select! {
        _ = cancel.cancelled() => return Err(fail(ProviderError::Stopped, false)),
        opened = timeout_at(first_token_deadline, providers::stream(client, &target.endpoint, call)) => opened,
    };
    let mut events = match opened {
        Ok(Ok(events)) => events,
        Ok(Err(e)) => return Err(fail(e, false)),
        Err(_) => {
            return Err(fail(
                ProviderError::Timeout("waiting for the first token"),
                false,
            ))
        }
    };
    let mut answer = Answer {
        usage: None,
        finish: None,
    };
    let mut after_text = false;
    loop {
        let next = tokio::select! {
            _ = cancel.cancelled() => return Err(fail(ProviderError::Stopped, after_text)),
            next = async {
                if after_text {
                    timeout(policy.chunk_timeout, events.next()).await
                } else {
                    timeout_at(first_token_deadline, events.next()).await
                }
            } => next,
        };
        let event = match next {
            Ok(Some(Ok(event))) => event,
            Ok(Some(Err(e))) => return Err(fail(e, after_text)),
            Ok(None) => return Ok(answer),
            Err(_) if after_text => {
                return Err(fail(
                    ProviderError::Timeout("waiting for the next chunk"),
                    true,
                ))
            }
            Err(_) => {
                return Err(fail(
                    ProviderError::Timeout("waiting for the first token"),
                    false,
                ))
            }
        };
        match event {
            StreamEvent::Text(delta) => {
                if !after_text {
                    after_text = true;
                    *first_token = Some(Instant::now());
                    sink.started(&target.model.id, &target.provider.id);
                }
                text.push_str(&delta);
                sink.text(&delta);
            }
            StreamEvent::Usage(u) => answer.usage = Some(u),
            StreamEvent::Finish(f) => answer.finish = Some(f),
        }
    }
}

pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
