//! What can go wrong talking to a provider, sorted into the kinds the executor acts on.
use std::time::Duration;

use serde_json::Value;
use thiserror::Error;

use super::limits::size;
use crate::error::{ErrorCode, ErrorInfo};
use crate::redact::Redactor;

/// The kind of a provider's error, read from its status and body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    RateLimited,
    Overloaded,
    Server,
    /// The key is missing, wrong, or not allowed to use this model.
    Auth,
    /// The prompt does not fit the model's context window.
    ContextLength,
    NotFound,
    BadRequest,
}

#[derive(Debug, Clone, Error)]
pub enum ProviderError {
    #[error("HTTP {status}: {message}")]
    Status {
        status: u16,
        kind: ErrorKind,
        message: String,
        retry_after: Option<Duration>,
    },
    /// A sentence from [`network_failure`]: the host and what to check.
    #[error("{0}")]
    Connect(String),
    /// A sentence from [`no_answer_in_time`]: the host, what was being waited for and the
    /// limit that ran out.
    #[error("{0}")]
    Timeout(String),
    #[error("the connection failed: {0}")]
    Transport(String),
    #[error("the provider sent something unreadable: {0}")]
    Malformed(String),
    /// An error the provider reported inside a stream that had started (Anthropic's `error` event).
    #[error("the provider reported an error mid-stream: {message}")]
    Stream { kind: ErrorKind, message: String },
    #[error("the stream ended before the provider finished the reply")]
    Truncated,
    /// The user or a signal stopped the call; not the provider's doing.
    #[error("stopped by you")]
    Stopped,
    /// The engine stopped reading: a limit was hit (`line_too_long`, `reply_too_large`) or
    /// the provider redirected off its host (`cross_origin_redirect`). The message names the
    /// limit and its value.
    #[error("{message}")]
    Refused { code: ErrorCode, message: String },
}

impl ProviderError {
    /// A stable code for hop records and the UI.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Status { kind, .. } | Self::Stream { kind, .. } => match kind {
                ErrorKind::RateLimited => ErrorCode::RateLimited,
                ErrorKind::Overloaded => ErrorCode::Overloaded,
                ErrorKind::Server => ErrorCode::ServerError,
                ErrorKind::Auth => ErrorCode::AuthFailed,
                ErrorKind::ContextLength => ErrorCode::ContextLength,
                ErrorKind::NotFound => ErrorCode::NotFound,
                ErrorKind::BadRequest => ErrorCode::BadRequest,
            },
            Self::Connect(_) => ErrorCode::ConnectFailed,
            Self::Timeout(_) => ErrorCode::Timeout,
            Self::Transport(_) => ErrorCode::ConnectionLost,
            Self::Malformed(_) => ErrorCode::Malformed,
            Self::Truncated => ErrorCode::Truncated,
            Self::Stopped => ErrorCode::Stopped,
            Self::Refused { code, .. } => *code,
        }
    }

    /// The code and the message, as hops and replies carry them.
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo::new(self.code(), self.to_string())
    }

    /// How long the provider asked us to wait before trying again.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn from_reqwest(e: &reqwest::Error) -> Self {
        // reqwest's Display names the URL but never a header, so no key reaches the message.
        if let Some(redirect) = crate::redirect::refused(e) {
            return Self::Refused {
                code: ErrorCode::CrossOriginRedirect,
                message: redirect.to_string(),
            };
        }
        if e.is_timeout() {
            Self::Timeout(network_failure(e))
        } else if e.is_connect() {
            Self::Connect(network_failure(e))
        } else {
            Self::Transport(short(&error_chain(e)))
        }
    }

    /// Reads a non-2xx answer. All three APIs put a readable message at `error.message`.
    pub fn from_status(status: u16, body: &str, retry_after: Option<Duration>) -> Self {
        let json: Value = serde_json::from_str(body).unwrap_or(Value::Null);
        let error = &json["error"];
        let message = error["message"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| {
                if body.trim().is_empty() {
                    "no details given".into()
                } else {
                    body.trim().to_string()
                }
            });
        let kind = classify(status, error, &message);
        Self::Status {
            status,
            kind,
            message: short(&message),
            retry_after,
        }
    }
}

impl ProviderError {
    /// The same error with the call's secrets masked in every text it carries, and each text
    /// kept to one short line. Redacting comes first, so no cut can leave part of a key.
    pub fn redacted(self, redactor: &Redactor) -> Self {
        let clean = |text: String| short(&redactor.redact(&text));
        match self {
            Self::Status {
                status,
                kind,
                message,
                retry_after,
            } => Self::Status {
                status,
                kind,
                message: clean(message),
                retry_after,
            },
            Self::Connect(t) => Self::Connect(clean(t)),
            Self::Transport(t) => Self::Transport(clean(t)),
            Self::Malformed(t) => Self::Malformed(clean(t)),
            Self::Stream { kind, message } => Self::Stream {
                kind,
                message: clean(message),
            },
            Self::Refused { code, message } => Self::Refused {
                code,
                message: clean(message),
            },
            other @ (Self::Timeout(_) | Self::Truncated | Self::Stopped) => other,
        }
    }

    /// Notes on a status error that its body was cut at `cap` bytes.
    pub fn body_truncated(mut self, cap: usize) -> Self {
        if let Self::Status { message, .. } = &mut self {
            message.push_str(&format!(" … (truncated after {})", size(cap)));
        }
        self
    }
}

/// Sorts an error by status, refined by the body where the status alone misleads: a context
/// overflow is a 400, and Gemini answers a wrong key with 400 too.
pub fn classify(status: u16, error: &Value, message: &str) -> ErrorKind {
    let lower = message.to_lowercase();
    let code = error["code"].as_str().unwrap_or_default();
    let key_invalid = error["details"]
        .as_array()
        .is_some_and(|d| d.iter().any(|x| x["reason"] == "API_KEY_INVALID"))
        || lower.contains("api key not valid");
    let context = code == "context_length_exceeded"
        || [
            "context length",
            "context window",
            "prompt is too long",
            "maximum number of tokens",
            "too many tokens",
        ]
        .iter()
        .any(|p| lower.contains(p));
    match status {
        401 | 403 => ErrorKind::Auth,
        400 if key_invalid => ErrorKind::Auth,
        400 | 413 | 422 if context => ErrorKind::ContextLength,
        429 => ErrorKind::RateLimited,
        503 | 529 => ErrorKind::Overloaded,
        404 => ErrorKind::NotFound,
        408 | 500..=599 => ErrorKind::Server,
        _ => ErrorKind::BadRequest,
    }
}

/// The kind of an in-stream error, by the type names the three APIs use there.
pub fn stream_kind(kind: &str) -> ErrorKind {
    match kind {
        "overloaded_error" | "UNAVAILABLE" => ErrorKind::Overloaded,
        "rate_limit_error" | "RESOURCE_EXHAUSTED" => ErrorKind::RateLimited,
        "authentication_error" | "permission_error" | "PERMISSION_DENIED" | "UNAUTHENTICATED" => {
            ErrorKind::Auth
        }
        "invalid_request_error" | "INVALID_ARGUMENT" => ErrorKind::BadRequest,
        _ => ErrorKind::Server,
    }
}

/// `host:port` of a URL, as a person would type it.
pub fn host_of(url: &reqwest::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => url.to_string(),
    }
}

/// `host:port` of a base URL as typed in the provider form, or "the provider" when it is not one.
pub fn host_of_base(base_url: &str) -> String {
    reqwest::Url::parse(base_url).map_or_else(|_| "the provider".to_string(), |u| host_of(&u))
}

/// A host that did not answer in time, what was being waited for when a limit ran out (empty
/// when only the connection is known), and what to check: the one wording of every timeout.
pub fn no_answer_in_time(host: &str, waiting: &str) -> String {
    let waiting = if waiting.is_empty() {
        String::new()
    } else {
        format!(" ({waiting})")
    };
    format!("{host} did not answer in time{waiting} — check the address and your network")
}

/// What a failed connection means, in words that say what to check: the host, and whether it
/// refused, could not be found, failed the secure handshake or did not answer. The raw error
/// chain is kept only as a detail when none of these fits.
pub fn network_failure(e: &reqwest::Error) -> String {
    let host = e.url().map_or_else(|| "the provider".to_string(), host_of);
    let chain = error_chain(e);
    let lower = chain.to_lowercase();
    if e.is_timeout() {
        no_answer_in_time(&host, "")
    } else if [
        "dns error",
        "failed to lookup",
        "name or service not known",
        "no such host",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        format!("Could not find {host}: the name does not resolve (DNS) — check the base URL")
    } else if [
        "certificate",
        "tls",
        "ssl",
        "handshake",
        "corrupt message",
        "alert",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        format!(
            "A secure connection to {host} failed (TLS) — check that the base URL's scheme (https or http) is the one the server speaks"
        )
    } else if lower.contains("connection refused") {
        format!("Could not connect to {host} — is the server running?")
    } else {
        format!(
            "Could not connect to {host} ({}) — is the server running, and is the base URL right?",
            short(&chain)
        )
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Keeps messages to one readable line.
fn short(text: &str) -> String {
    const MAX: usize = 300;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(MAX) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}

#[cfg(test)]
mod network_tests {
    use super::*;

    async fn fail(url: &str) -> String {
        let e = reqwest::Client::new().get(url).send().await.unwrap_err();
        ProviderError::from_reqwest(&e).to_string()
    }

    #[tokio::test]
    async fn a_refused_connection_names_the_host_and_asks_if_the_server_runs() {
        // Port 1 on loopback: nothing listens there.
        assert_eq!(
            fail("http://127.0.0.1:1/v1").await,
            "Could not connect to 127.0.0.1:1 — is the server running?"
        );
    }

    #[tokio::test]
    async fn a_server_that_never_answers_is_named_with_its_port() {
        // Accepts connections and reads nothing back: the request's own timeout runs out.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = tokio::spawn(async move {
            let mut open = Vec::new();
            while let Ok((socket, _)) = listener.accept().await {
                open.push(socket);
            }
        });
        let e = reqwest::Client::new()
            .get(format!("http://127.0.0.1:{port}/v1/models"))
            .timeout(Duration::from_millis(300))
            .send()
            .await
            .unwrap_err();
        let error = ProviderError::from_reqwest(&e);
        assert_eq!(error.code(), ErrorCode::Timeout);
        assert_eq!(
            error.to_string(),
            format!("127.0.0.1:{port} did not answer in time — check the address and your network")
        );
        held.abort();
    }

    #[test]
    fn a_timeout_while_waiting_says_what_for_and_names_the_host() {
        assert_eq!(
            no_answer_in_time(
                &host_of_base("http://127.0.0.1:18080/v1"),
                "waiting for the first token, limit 30 s"
            ),
            "127.0.0.1:18080 did not answer in time (waiting for the first token, limit 30 s) — \
             check the address and your network"
        );
        assert_eq!(host_of_base("not a url"), "the provider");
    }

    #[tokio::test]
    async fn a_name_that_does_not_resolve_says_dns() {
        let m = fail("http://no-such-host.invalid/v1").await;
        assert!(m.starts_with("Could not find no-such-host.invalid"), "{m}");
        assert!(m.contains("DNS"), "{m}");
    }

    #[tokio::test]
    async fn https_to_a_plain_http_server_says_tls() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                use tokio::io::AsyncWriteExt;
                let _ = socket
                    .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                    .await;
            }
        });
        let m = fail(&format!("https://127.0.0.1:{port}/v1")).await;
        assert!(
            m.contains("TLS") && m.contains(&format!("127.0.0.1:{port}")),
            "{m}"
        );
        assert!(!m.contains("os error"), "{m}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(status: u16, body: &str) -> ErrorKind {
        match ProviderError::from_status(status, body, None) {
            ProviderError::Status { kind, .. } => kind,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn context_overflow_is_told_apart_from_other_400s_in_every_format() {
        assert_eq!(
            kind(
                400,
                r#"{"error":{"message":"This model's maximum context length is 128000 tokens.","code":"context_length_exceeded"}}"#
            ),
            ErrorKind::ContextLength
        );
        assert_eq!(
            kind(
                400,
                r#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}"#
            ),
            ErrorKind::ContextLength
        );
        assert_eq!(
            kind(
                400,
                r#"{"error":{"code":400,"message":"The input token count (1048577) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}}"#
            ),
            ErrorKind::ContextLength
        );
        assert_eq!(
            kind(
                400,
                r#"{"error":{"message":"Invalid value for 'temperature'"}}"#
            ),
            ErrorKind::BadRequest
        );
    }

    #[test]
    fn gemini_wrong_key_400_is_an_auth_failure() {
        let body = r#"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}"#;
        assert_eq!(kind(400, body), ErrorKind::Auth);
    }

    #[test]
    fn statuses_map_to_kinds_and_bodies_that_are_not_json_are_kept_short() {
        assert_eq!(kind(529, ""), ErrorKind::Overloaded);
        assert_eq!(kind(502, "<html>Bad gateway</html>"), ErrorKind::Server);
        assert_eq!(kind(429, ""), ErrorKind::RateLimited);
        let long = "x ".repeat(1000);
        let ProviderError::Status { message, .. } = ProviderError::from_status(500, &long, None)
        else {
            unreachable!()
        };
        assert!(message.chars().count() <= 301);
    }
}
