//! What both wire formats share: errors in each format's own shape, reading a body up to the
//! size limit, and the `x-switchyard-*` facts of an answer.
use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use serde_json::{json, Value};

/// The wire format a request came in, and so the one it is answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OpenAi,
    Anthropic,
}

/// What went wrong, in terms both formats can say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    BadRequest,
    Unauthorized,
    NotFound,
    TooLarge,
    /// A budget refused the request: retrying now will not help.
    Budget,
    /// Every model failed or none could be called.
    Upstream,
    Internal,
}

impl Problem {
    fn status(self) -> StatusCode {
        match self {
            Problem::BadRequest => StatusCode::BAD_REQUEST,
            Problem::Unauthorized => StatusCode::UNAUTHORIZED,
            Problem::NotFound => StatusCode::NOT_FOUND,
            Problem::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Problem::Budget => StatusCode::TOO_MANY_REQUESTS,
            Problem::Upstream => StatusCode::BAD_GATEWAY,
            Problem::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answer: a status and a message, shaped by the format.
#[derive(Debug)]
pub struct ApiError {
    pub format: Format,
    pub problem: Problem,
    pub message: String,
    /// The OpenAI `param` the error is about.
    pub param: Option<&'static str>,
}

impl ApiError {
    pub fn new(format: Format, problem: Problem, message: impl Into<String>) -> Self {
        Self {
            format,
            problem,
            message: message.into(),
            param: None,
        }
    }

    pub fn param(mut self, param: &'static str) -> Self {
        self.param = Some(param);
        self
    }

    /// The error as the format's JSON object.
    pub fn body(&self) -> Value {
        match self.format {
            Format::OpenAi => {
                let (kind, code) = match self.problem {
                    Problem::BadRequest => ("invalid_request_error", Value::Null),
                    Problem::Unauthorized => ("authentication_error", json!("invalid_api_key")),
                    Problem::NotFound => ("invalid_request_error", json!("model_not_found")),
                    Problem::TooLarge => ("invalid_request_error", json!("request_too_large")),
                    Problem::Budget => ("insufficient_quota", json!("budget_exceeded")),
                    Problem::Upstream => ("api_error", json!("upstream_failed")),
                    Problem::Internal => ("server_error", Value::Null),
                };
                json!({"error": {"message": self.message, "type": kind, "param": self.param, "code": code}})
            }
            Format::Anthropic => {
                let kind = match self.problem {
                    Problem::BadRequest => "invalid_request_error",
                    Problem::Unauthorized => "authentication_error",
                    Problem::NotFound => "not_found_error",
                    Problem::TooLarge => "request_too_large",
                    Problem::Budget => "rate_limit_error",
                    Problem::Upstream | Problem::Internal => "api_error",
                };
                json!({"type": "error", "error": {"type": kind, "message": self.message}})
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.problem.status(), axum::Json(self.body())).into_response();
        if self.problem == Problem::Budget {
            // The official clients retry a 429 unless told not to; a budget does not reset in
            // the next second.
            response
                .headers_mut()
                .insert("x-should-retry", HeaderValue::from_static("false"));
        }
        if self.problem == Problem::TooLarge {
            // The rest of the body is never read, so this connection cannot carry another
            // request: say so, or a client's pool reuses it and its next request finds it shut.
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}

/// The body, read up to `limit` bytes: a longer one is refused with 413 before it is all read.
pub async fn read_body(
    format: Format,
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::new(
            format,
            Problem::TooLarge,
            format!(
                "The request body is larger than the endpoint's limit of {} bytes. Send less context, or start the endpoint with a higher limit.",
                limit
            ),
        )
    };
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())
}

/// Parses a JSON object, or says in the format's shape what is wrong with it.
pub fn parse_json(format: Format, body: &[u8]) -> Result<Value, ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            format,
            Problem::BadRequest,
            format!("The request body is not valid JSON ({e}). Send one JSON object."),
        )
    })?;
    if !value.is_object() {
        return Err(ApiError::new(
            format,
            Problem::BadRequest,
            "The request body must be a JSON object.",
        ));
    }
    Ok(value)
}

/// What happened to one request, as the headers, the body and the last SSE comment say it.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub model: String,
    pub provider: String,
    pub rule: String,
    /// Dollars, as a decimal string; None while a stream is still going.
    pub cost_usd: Option<String>,
    pub fallback: bool,
}

impl Facts {
    pub fn headers(&self, headers: &mut HeaderMap) {
        let mut put = |name: &'static str, value: &str| {
            headers.insert(HeaderName::from_static(name), header_value(value));
        };
        put("x-switchyard-model", &self.model);
        put("x-switchyard-provider", &self.provider);
        put("x-switchyard-rule", &self.rule);
        if let Some(cost) = &self.cost_usd {
            put("x-switchyard-cost-usd", cost);
        }
        put(
            "x-switchyard-fallback",
            if self.fallback { "true" } else { "false" },
        );
    }

    pub fn json(&self) -> Value {
        json!({
            "model": self.model,
            "provider": self.provider,
            "rule": self.rule,
            "cost_usd": self.cost_usd,
            "fallback": self.fallback,
        })
    }

    /// The SSE comment that ends a stream.
    pub fn comment(&self) -> String {
        format!(
            ": switchyard model={} provider={} rule={} cost_usd={} fallback={}\n\n",
            enc(&self.model),
            enc(&self.provider),
            enc(&self.rule),
            self.cost_usd.as_deref().unwrap_or("0"),
            self.fallback
        )
    }
}

/// Names may hold spaces and any letter; headers and the comment carry them percent-encoded
/// where they are not plain visible ASCII.
fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(&enc(s)).unwrap_or_else(|_| HeaderValue::from_static("?"))
}

/// Nano-dollars as a decimal dollar string: 47500 → "0.0000475".
pub fn usd(nano: u64) -> String {
    let whole = nano / 1_000_000_000;
    let frac = nano % 1_000_000_000;
    if frac == 0 {
        return whole.to_string();
    }
    let digits = format!("{frac:09}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

/// The bearer token a request carries: `Authorization: Bearer …` (OpenAI clients) or
/// `x-api-key` (Anthropic clients).
pub fn presented_token(headers: &HeaderMap) -> Option<&str> {
    if let Some(auth) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = auth.trim().split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then_some(token.trim());
    }
    headers.get("x-api-key").and_then(|v| v.to_str().ok())
}

/// An SSE body from a stream of frames.
pub fn sse(stream: impl futures_util::Stream<Item = String> + Send + 'static) -> Body {
    use futures_util::StreamExt;
    Body::from_stream(stream.map(|s| Ok::<_, std::convert::Infallible>(Bytes::from(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_read_as_decimals() {
        assert_eq!(usd(0), "0");
        assert_eq!(usd(47_500), "0.0000475");
        assert_eq!(usd(1_250_000_000), "1.25");
    }

    #[test]
    fn names_are_encoded_for_headers() {
        assert_eq!(enc("My Local"), "My%20Local");
        assert_eq!(enc("Café"), "Caf%C3%A9");
        assert_eq!(enc("gpt-4o"), "gpt-4o");
    }

    #[test]
    fn tokens_come_from_either_header() {
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Bearer sy-abc"));
        assert_eq!(presented_token(&h), Some("sy-abc"));
        let mut h = HeaderMap::new();
        h.insert("x-api-key", HeaderValue::from_static("sy-def"));
        assert_eq!(presented_token(&h), Some("sy-def"));
        let mut h = HeaderMap::new();
        h.insert("authorization", HeaderValue::from_static("Basic eA=="));
        assert_eq!(presented_token(&h), None);
    }
}
