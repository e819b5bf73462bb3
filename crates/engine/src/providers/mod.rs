//! Provider adapters: each speaks one wire format and maps it onto [`StreamEvent`]s.
pub mod anthropic;
pub mod auth;
mod counts;
pub mod error;
pub mod event;
pub mod gemini;
pub mod limits;
mod masked;
pub mod openai;
mod sse;
#[cfg(test)]
mod tool_wire_tests;
pub mod tools;
pub mod whole;

use std::pin::Pin;
use std::time::{Duration, SystemTime};

use futures_util::{Stream, StreamExt};
use reqwest::header::HeaderMap;
use reqwest::{Client, Response};
use serde_json::Value;
use switchyard_router::Message;

pub use error::{ErrorKind, ProviderError};
pub use event::{FinishReason, StreamEvent};
pub use limits::Limits;
pub use tools::{Tool, ToolChoice, Tools};

use crate::error::EngineError;
use crate::provider::ProviderKind;
use crate::provider::ProviderRow;
use crate::redact::Redactor;
use crate::secrets::Secret;

/// The events of one streamed reply; dropping it closes the connection.
pub type EventStream = Pin<Box<dyn Stream<Item = Result<StreamEvent, ProviderError>> + Send>>;

/// Where and as whom to call a provider. The key sits in a header marked sensitive.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub kind: ProviderKind,
    pub base_url: String,
    pub headers: HeaderMap,
    /// Masks the key and the sensitive header values in every error made from this call.
    pub redactor: Redactor,
}

impl Endpoint {
    pub fn new(row: &ProviderRow, key: Option<&Secret>) -> Result<Self, EngineError> {
        let headers = auth::auth_headers(row, key)?;
        Ok(Self {
            kind: row.kind,
            base_url: row.base_url.trim_end_matches('/').to_string(),
            redactor: Redactor::new(key, &headers),
            headers,
        })
    }
}

/// What to ask a model.
#[derive(Debug, Clone, Copy)]
pub struct ChatCall<'a> {
    /// The name the provider's API knows the model by.
    pub model: &'a str,
    pub messages: &'a [Message],
    pub max_output_tokens: Option<u32>,
    /// The tools the model may call (the local endpoint's clients offer them).
    pub tools: Option<&'a Tools>,
}

/// Sends the request and returns once the provider has answered 200 and the stream has begun.
pub async fn stream(
    client: &Client,
    endpoint: &Endpoint,
    call: ChatCall<'_>,
) -> Result<EventStream, ProviderError> {
    stream_within(client, endpoint, call, &Limits::default()).await
}

/// [`stream`] within `limits`. Every error, before the stream or in it, has the endpoint's
/// secrets masked.
pub async fn stream_within(
    client: &Client,
    endpoint: &Endpoint,
    call: ChatCall<'_>,
    limits: &Limits,
) -> Result<EventStream, ProviderError> {
    let (url, body) = request(endpoint, call);
    let response = send(client, endpoint, &url, &body, limits).await?;
    Ok(events(endpoint, response, limits))
}

/// The streamed request for `call` in the endpoint's format: its URL and body.
fn request(endpoint: &Endpoint, call: ChatCall<'_>) -> (String, Value) {
    match endpoint.kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => openai::request(endpoint, call),
        ProviderKind::Anthropic => anthropic::request(endpoint, call),
        ProviderKind::Gemini => gemini::request(endpoint, call),
    }
}

/// The events of a streamed answer, read by the endpoint's adapter, secrets masked in errors
/// and in the answer.
fn events(endpoint: &Endpoint, response: Response, limits: &Limits) -> EventStream {
    let events: EventStream = match endpoint.kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => {
            Box::pin(openai::events(response, limits))
        }
        ProviderKind::Anthropic => Box::pin(anthropic::events(response, limits)),
        ProviderKind::Gemini => Box::pin(gemini::events(response, limits)),
    };
    let redactor = endpoint.redactor.clone();
    let errors_masked = Box::pin(events.map(move |item| item.map_err(|e| e.redacted(&redactor))));
    masked::masked(errors_masked, endpoint.redactor.clone())
}

/// Posts the request. A failure comes back with the endpoint's secrets masked; an error body
/// is read up to `limits.max_error_body_bytes` and masked before anything is made of it.
async fn send(
    client: &Client,
    endpoint: &Endpoint,
    url: &str,
    body: &Value,
    limits: &Limits,
) -> Result<Response, ProviderError> {
    let response = client
        .post(url)
        .headers(endpoint.headers.clone())
        .json(body)
        .send()
        .await
        .map_err(|e| ProviderError::from_reqwest(&e).redacted(&endpoint.redactor))?;
    if response.status().is_success() {
        return Ok(response);
    }
    let status = response.status().as_u16();
    let retry_after = retry_after(response.headers(), SystemTime::now());
    let cap = limits.max_error_body_bytes;
    let (bytes, cut) = limits::read_capped(response, cap).await;
    let text = endpoint.redactor.redact(&String::from_utf8_lossy(&bytes));
    let error = ProviderError::from_status(status, &text, retry_after);
    Err(if cut {
        error.body_truncated(cap)
    } else {
        error
    })
}

/// `Retry-After` as seconds or an HTTP date, or OpenAI's `retry-after-ms`.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let get = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(ms) = get("retry-after-ms").and_then(|v| v.parse::<f64>().ok()) {
        return duration_from_secs(ms / 1000.0);
    }
    let value = get("retry-after")?;
    if let Ok(secs) = value.parse::<f64>() {
        return duration_from_secs(secs);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn duration_from_secs(secs: f64) -> Option<Duration> {
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// System messages apart from the conversation, for the APIs that take them as a field.
fn split_system(messages: &[Message]) -> (Option<String>, impl Iterator<Item = &Message>) {
    let system: Vec<&str> = messages
        .iter()
        .filter(|m| m.role.eq_ignore_ascii_case("system"))
        .map(|m| m.content.as_str())
        .collect();
    let rest = messages
        .iter()
        .filter(|m| !m.role.eq_ignore_ascii_case("system"));
    ((!system.is_empty()).then(|| system.join("\n\n")), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_dates_and_milliseconds() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        let mut h = HeaderMap::new();
        h.insert("retry-after", "3".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(3)));
        h.insert(
            "retry-after",
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h, now), Some(Duration::from_secs(10)));
        h.insert("retry-after-ms", "250".parse().unwrap());
        assert_eq!(retry_after(&h, now), Some(Duration::from_millis(250)));
        h.clear();
        h.insert("retry-after", "soon".parse().unwrap());
        assert_eq!(retry_after(&h, now), None);
    }

    #[test]
    fn system_messages_are_joined_and_kept_out_of_the_turns() {
        let m = |role: &str, content: &str| Message {
            role: role.into(),
            content: content.into(),
            ..Default::default()
        };
        let messages = [m("system", "a"), m("user", "q"), m("system", "b")];
        let (system, rest) = split_system(&messages);
        assert_eq!(system.as_deref(), Some("a\n\nb"));
        assert_eq!(rest.count(), 1);
    }
}
