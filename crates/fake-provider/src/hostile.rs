//! Upstreams that attack the client rather than fail: redirects off the provider's host, bodies
//! that echo the key, and bodies too long to hold. Every long body is generated as it is sent,
//! so the server itself stays small however much it sends.
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::state::State;
use crate::stream::{Frame, Plan};

/// Header names that carry keys, echoed first so that they land in any excerpt of the body.
const KEY_HEADERS: [&str; 3] = ["authorization", "x-api-key", "x-goog-api-key"];

/// The filler of the long bodies: one static block, sent again and again without copying.
static FILL: [u8; 64 * 1024] = [b'x'; 64 * 1024];

/// `307 Temporary Redirect` to `url`: a client that follows it re-sends the request, headers
/// included, to whatever host `url` names.
pub fn redirect(state: &State, index: usize, url: &str) -> Response {
    state.set_status(index, 307);
    state.set_outcome(index, "redirected");
    Response::builder()
        .status(StatusCode::TEMPORARY_REDIRECT)
        .header(header::LOCATION, url)
        .body(Body::empty())
        .unwrap_or_else(|_| Response::new(Body::from("bad redirect_to URL")))
}

/// Every request header as `name: value`, key headers first, values verbatim.
pub fn echo_text(headers: &HeaderMap) -> String {
    let mut pairs: Vec<(&str, String)> = headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    pairs.sort_by_key(|(n, _)| !KEY_HEADERS.contains(n));
    let lines: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}: {v}")).collect();
    format!("request headers: {}", lines.join("; "))
}

/// `text` in pieces of `size` bytes (fewer where a character would be cut), in order.
pub fn pieces(text: &str, size: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = size.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (piece, tail) = rest.split_at(end);
        out.push(piece.to_string());
        rest = tail;
    }
    out
}

/// An error body whose `error.message` starts with the echoed headers.
pub fn echo_json(mut body: Value, echo: Option<&str>) -> Value {
    if let (Some(echo), Some(message)) = (echo, body["error"]["message"].as_str()) {
        body["error"]["message"] = Value::String(format!("{echo}; {message}"));
    }
    body
}

/// The in-stream error frame with the echo in its message (every `data:` line's JSON).
pub fn echo_frame(frame: &str, echo: &str) -> String {
    frame
        .split_inclusive('\n')
        .map(|line| {
            let Some(json) = line.strip_prefix("data: ") else {
                return line.to_string();
            };
            match serde_json::from_str::<Value>(json.trim_end()) {
                Ok(v) => format!("data: {}\n", echo_json(v, Some(echo))),
                Err(_) => line.to_string(),
            }
        })
        .collect()
}

/// The malformed frame with the echo as its first (still unparsable) field.
pub fn echo_malformed(frame: &str, echo: &str) -> String {
    let field = format!("data: {{\"headers\":{},", Value::String(echo.into()));
    frame.replacen("data: {", &field, 1)
}

/// An error answer whose body is `bytes` long: the start of a JSON error, then filler.
pub fn huge_error(state: &State, index: usize, status: StatusCode, bytes: u64) -> Response {
    state.set_status(index, status.as_u16());
    state.set_outcome(index, "huge_error_body");
    let head = Bytes::from_static(b"{\"error\":{\"message\":\"");
    let left = bytes.saturating_sub(head.len() as u64);
    let total = head.len() as u64 + left;
    let body = std::iter::once(head).chain(filler(left));
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, total)
        .body(Body::from_stream(tokio_stream::iter(
            body.map(Ok::<_, io::Error>),
        )))
        .expect("static response parts are valid")
}

/// `bytes` of filler in blocks of [`FILL`].
fn filler(bytes: u64) -> impl Iterator<Item = Bytes> + Send {
    let block = FILL.len() as u64;
    (0..bytes.div_ceil(block)).map(move |i| {
        let len = (bytes - i * block).min(block) as usize;
        Bytes::from_static(&FILL[..len])
    })
}

/// A 200 SSE stream that opens one `data:` line and never ends it.
pub fn endless_line(state: Arc<State>, index: usize) -> Response {
    let start = Bytes::from_static(b"data: {\"choices\":[{\"delta\":{\"content\":\"");
    let body = std::iter::once(start).chain(std::iter::repeat(Bytes::from_static(&FILL)));
    pump(state, index, body, 0)
}

/// A tool call whose arguments never end: its start, then the same piece of its arguments
/// (about 1 KiB) over and over, in the wire's own frames (`openai` or `anthropic`).
pub fn endless_tool_call(state: Arc<State>, index: usize, wire: &str) -> Response {
    let piece = "\\\"lorem ipsum dolor sit amet \\\" ".repeat(32);
    let (start, frame) = if wire == "anthropic" {
        (
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_x\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n\
             event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_x\",\"name\":\"lookup\",\"input\":{}}}\n\n".to_string(),
            format!("event: content_block_delta\ndata: {{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"input_json_delta\",\"partial_json\":\"{piece}\"}}}}\n\n"),
        )
    } else {
        (
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_x\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"\"}}]}}]}\n\n".to_string(),
            format!("data: {{\"choices\":[{{\"index\":0,\"delta\":{{\"tool_calls\":[{{\"index\":0,\"function\":{{\"arguments\":\"{piece}\"}}}}]}}}}]}}\n\n"),
        )
    };
    let frame = Bytes::from(frame);
    let body = std::iter::once(Bytes::from(start)).chain(std::iter::repeat(frame));
    pump(state, index, body, 0)
}

/// `plan`, built for a reply of one text chunk, with that chunk sent `times` times (forever
/// when None) between the head and the tail, `delay_ms` before each.
pub fn repeated(
    state: Arc<State>,
    index: usize,
    plan: Plan,
    times: Option<u64>,
    delay_ms: u64,
) -> Response {
    let (mut head, mut content, mut tail) = (Vec::new(), None, Vec::new());
    for frame in plan.frames {
        match frame {
            Frame::Head(t) => head.push(Bytes::from(t)),
            Frame::Content(t) => content = Some(Bytes::from(t)),
            Frame::Tail(t) => tail.push(Bytes::from(t)),
        }
    }
    let content = std::iter::repeat(content.unwrap_or_default());
    let body = head.into_iter().chain(match times {
        Some(n) => {
            Box::new(content.take(n as usize).chain(tail)) as Box<dyn Iterator<Item = Bytes> + Send>
        }
        None => Box::new(content),
    });
    pump(state, index, body, delay_ms)
}

/// Streams `body` as `text/event-stream` through a channel of one, so nothing is generated
/// ahead of what the client reads, and the generator stops when the client goes.
fn pump(
    state: Arc<State>,
    index: usize,
    body: impl Iterator<Item = Bytes> + Send + 'static,
    delay_ms: u64,
) -> Response {
    let (tx, rx) = mpsc::channel::<Result<Bytes, io::Error>>(1);
    state.set_status(index, 200);
    tokio::spawn(async move {
        let mut outcome = "completed";
        for (i, piece) in body.enumerate() {
            // The head goes out at once; the pacing applies to what follows.
            if delay_ms > 0 && i > 0 {
                tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            }
            if tx.send(Ok(piece)).await.is_err() {
                outcome = "client_disconnected";
                break;
            }
        }
        state.set_outcome(index, outcome);
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(ReceiverStream::new(rx)))
        .expect("static response parts are valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_echo_puts_key_headers_first_and_into_the_message() {
        let mut h = HeaderMap::new();
        h.insert("content-type", "application/json".parse().unwrap());
        h.insert("x-api-key", "sk-secret".parse().unwrap());
        let echo = echo_text(&h);
        assert!(echo.starts_with("request headers: x-api-key: sk-secret; content-type"));
        let body = echo_json(serde_json::json!({"error": {"message": "no"}}), Some(&echo));
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("sk-secret"));
        let frame = echo_frame(
            "event: error\ndata: {\"error\":{\"message\":\"x\"}}\n\n",
            &echo,
        );
        assert!(frame.starts_with("event: error\ndata: {") && frame.contains("sk-secret"));
        assert!(echo_malformed("data: {\"a\":\n\n", &echo).contains("sk-secret"));
    }

    #[test]
    fn filler_adds_up_to_the_size_asked_for() {
        let total: usize = filler(200_000).map(|b| b.len()).sum();
        assert_eq!(total, 200_000);
    }
}
