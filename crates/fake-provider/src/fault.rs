//! What a test asks the fake server to do wrong (or differently) for one model.
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A behaviour for requests to one model ("*" matches any model without its own entry).
/// Every field is optional; an empty fault is a normal reply.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fault {
    pub model: String,
    /// Apply to this many requests, then forget the fault. Absent: every request.
    pub times: Option<u32>,
    /// Answer with this HTTP status and the provider's own error body for it.
    pub status: Option<u16>,
    /// `Retry-After` header value: seconds (a number) or an HTTP date (a string).
    pub retry_after: Option<Value>,
    /// Answer 400 with the provider's "context length exceeded" error.
    pub context_length: bool,
    /// Wait this long before sending response headers.
    pub delay_ms: u64,
    /// After the headers, wait this long before the first text chunk.
    pub first_chunk_delay_ms: u64,
    /// Wait this long before every text chunk after the first (a slow drip).
    pub chunk_delay_ms: u64,
    /// Deliver this many text chunks, then drop the connection mid-stream.
    pub cut_after: Option<usize>,
    /// After this many text chunks, send a frame whose JSON does not parse.
    pub malformed_after: Option<usize>,
    /// After this many text chunks, send the provider's in-stream error and end.
    pub error_after: Option<usize>,
    /// Reply with exactly this text instead of the echo.
    pub reply: Option<String>,
    /// Report no token usage at all.
    pub no_usage: bool,
    /// Report this many of the input tokens as served from cache.
    pub cached_tokens: u64,
    /// Report this many reasoning tokens (counted inside the output tokens).
    pub reasoning_tokens: u64,
    /// Answer every request (chat and model list) with `307 Temporary Redirect` to this URL,
    /// before the key is checked: a proxy or a hijacked DNS name sending the client elsewhere.
    /// Counts against `times`, so `times: 1` redirects once and then answers.
    pub redirect_to: Option<String>,
    /// Put every request header, the key headers first and verbatim, into the error body's
    /// message (a status fault, a refused key), the in-stream error frame (`error_after`) and
    /// the malformed frame (`malformed_after`): an upstream that echoes what it was sent.
    pub echo_headers: bool,
    /// Answer normally, the reply's text being every request header (as `echo_headers` writes
    /// them) streamed in pieces of 7 bytes, so that a key is split across frames: an upstream
    /// that echoes what it was sent into the answer itself.
    pub echo_headers_in_reply: bool,
    /// Send one SSE `data:` line that never ends, as fast as the client reads it.
    pub endless_line: bool,
    /// With `status` (500 when absent): an error body this many bytes long, generated as it is
    /// sent and never held whole by the server.
    pub huge_error_body_bytes: Option<u64>,
    /// Stream a reply of about this many bytes of text (words in normal-sized chunks), then
    /// finish normally; generated as it is sent.
    pub huge_reply_bytes: Option<u64>,
    /// Stream words forever, each in its own chunk (paced by `chunk_delay_ms`), never finishing.
    pub endless_stream: bool,
    /// Stream a tool call whose arguments never end (OpenAI and Anthropic formats, which send
    /// a call's arguments in pieces).
    pub endless_tool_call: bool,
    /// Report this many input and this many output tokens, whatever was sent.
    pub usage_tokens: Option<u64>,
    /// Answer with a call of this tool (`{name, arguments}`, both optional: the first tool
    /// offered, `{"query": <last user text>}`), even when the request offers no tools.
    pub tool_call: Option<crate::tools::ToolCallFault>,
}

impl Fault {
    /// The `Retry-After` header value, when one was asked for.
    pub fn retry_after_header(&self) -> Option<String> {
        match self.retry_after.as_ref()? {
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_accepts_seconds_or_a_date() {
        let f: Fault = serde_json::from_str(r#"{"retry_after": 2}"#).unwrap();
        assert_eq!(f.retry_after_header().as_deref(), Some("2"));
        let f: Fault =
            serde_json::from_str(r#"{"retry_after": "Wed, 21 Oct 2015 07:28:00 GMT"}"#).unwrap();
        assert_eq!(
            f.retry_after_header().as_deref(),
            Some("Wed, 21 Oct 2015 07:28:00 GMT")
        );
    }

    #[test]
    fn unknown_fields_are_rejected_so_typos_do_not_pass_silently() {
        assert!(serde_json::from_str::<Fault>(r#"{"cut_afterr": 2}"#).is_err());
    }
}
