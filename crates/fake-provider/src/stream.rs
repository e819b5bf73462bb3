//! Sends a response body piece by piece, applying the timing and breakage a fault asks for.
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::Value;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use crate::fault::Fault;
use crate::state::State;

/// One SSE frame, already framed (`event:`/`data:` lines and the blank line).
pub enum Frame {
    /// Sent before any text (message_start, role chunk…).
    Head(String),
    /// Carries a piece of the reply text: these are what `cut_after` and friends count.
    Content(String),
    /// Sent after the text (finish reason, usage, `[DONE]`…).
    Tail(String),
}

/// A whole streamed reply in one provider's framing, with its two kinds of broken frame.
pub struct Plan {
    pub frames: Vec<Frame>,
    /// A frame whose JSON does not parse, framed as this provider frames data.
    pub malformed: String,
    /// The provider's in-stream error frame.
    pub error: String,
}

type Chunk = Result<Bytes, io::Error>;

/// Streams `plan` as `text/event-stream`, recording how the exchange ended.
pub fn sse(state: Arc<State>, index: usize, fault: Fault, plan: Plan) -> Response {
    // A channel of one: the producer runs no further ahead than the client reads, and notices
    // at its next send when the client has gone.
    let (tx, rx) = mpsc::channel::<Chunk>(1);
    state.set_status(index, 200);
    tokio::spawn(async move {
        let outcome = play(&tx, &fault, plan).await;
        state.set_outcome(index, outcome);
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(ReceiverStream::new(rx)))
        .expect("static response parts are valid")
}

async fn play(tx: &mpsc::Sender<Chunk>, fault: &Fault, plan: Plan) -> &'static str {
    let mut sent = 0usize;
    let mut malformed = false;
    for frame in plan.frames {
        let (text, is_content, is_head) = match frame {
            Frame::Head(t) => (t, false, true),
            Frame::Content(t) => (t, true, false),
            Frame::Tail(t) => (t, false, false),
        };
        // Breakage lands between text chunks, or before the tail when all the text is out;
        // never inside the head, so the client always sees a 200 and a started stream.
        let due = |n: Option<usize>| !is_head && n.is_some_and(|n| n <= sent);
        if due(fault.cut_after) {
            let _ = tx
                .send(Err(io::Error::other("cut by fault injection")))
                .await;
            return "cut";
        }
        if due(fault.error_after) {
            let _ = tx.send(Ok(Bytes::from(plan.error))).await;
            return "stream_error";
        }
        if due(fault.malformed_after) && !malformed {
            malformed = true;
            if tx
                .send(Ok(Bytes::from(plan.malformed.clone())))
                .await
                .is_err()
            {
                return "client_disconnected";
            }
        }
        if is_content {
            let wait = if sent == 0 {
                fault.first_chunk_delay_ms
            } else {
                fault.chunk_delay_ms
            };
            if wait > 0 {
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
        if tx.send(Ok(Bytes::from(text))).await.is_err() {
            return "client_disconnected";
        }
        if is_content {
            sent += 1;
        }
    }
    if malformed {
        "malformed"
    } else {
        "completed"
    }
}

/// A whole JSON reply. `malformed_after` truncates it into invalid JSON; `cut_after` drops the
/// connection after half the body.
pub fn json(state: Arc<State>, index: usize, fault: &Fault, value: Value) -> Response {
    let text = value.to_string();
    state.set_status(index, 200);
    let body = if fault.malformed_after.is_some() {
        state.set_outcome(index, "malformed");
        Body::from(text[..text.len() / 2].to_string())
    } else if fault.cut_after.is_some() {
        state.set_outcome(index, "cut");
        let half = Bytes::from(text[..text.len() / 2].to_string());
        let pieces: Vec<Chunk> = vec![Ok(half), Err(io::Error::other("cut by fault injection"))];
        Body::from_stream(tokio_stream::iter(pieces))
    } else {
        state.set_outcome(index, "answered");
        Body::from(text)
    };
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .expect("static response parts are valid")
}

/// An error reply with the provider's body and, when asked, a `Retry-After` header.
pub fn error(
    state: &State,
    index: usize,
    status: StatusCode,
    body: Value,
    retry_after: Option<String>,
) -> Response {
    state.set_status(index, status.as_u16());
    state.set_outcome(index, "answered");
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(value) = retry_after {
        response = response.header(header::RETRY_AFTER, value);
    }
    response
        .body(Body::from(body.to_string()))
        .expect("static response parts are valid")
}
