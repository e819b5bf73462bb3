//! A fake OpenAI, Anthropic and Gemini server for tests, speaking each wire format as the real
//! API frames it, with faults a test can inject per model.
//!
//! One server serves all three under path prefixes: base URLs `{url}/openai/v1`,
//! `{url}/anthropic` and `{url}/gemini`. The OpenAI format is also served at `{url}/v1`, where
//! a local server (Ollama, LM Studio) answers, so the server can stand in for one. Replies echo the last user message
//! (`"Echo: " + text`), streamed one word per chunk and counted one token per word.
//!
//! Faults, per model (`"*"` for every model without its own), from a test through
//! [`FakeProvider::set_fault`] or from a script over HTTP:
//!
//! ```text
//! POST   /_control/faults    {"model": "gpt-4o-mini", "status": 429, "retry_after": 2, "times": 1}
//!                            (one object or an array; fields are those of [`Fault`])
//! DELETE /_control/faults    forget every fault
//! GET    /_control/requests  every request seen: format, path, model, stream, headers (never
//!                            credential headers: those are under `credentials`, last four
//!                            characters only), body, images (the image parts of any
//!                            of the three formats: role, media_type, data, bytes), status,
//!                            outcome
//! DELETE /_control/requests  forget them
//! ```
//!
//! Tools: a request that offers tools (any of the three formats) and does not end with a tool's
//! result is answered with a call to its first tool, arguments `{"query": <last user text>}`
//! (or the `tool_call` fault's `{name, arguments}`); one that ends with results is answered
//! with `Tool result: <results>`. Requests record the tools they offered (`tools`).
//!
//! Gemini: every call carries a `thoughtSignature` bound to the call ([`signatures`]); a request
//! whose current turn sends a call back without it, or with one the fake did not give, gets
//! Gemini's 400 (`INVALID_ARGUMENT`); Gemini's documented `skip_thought_signature_validator`
//! passes. Images: only where each API takes them (OpenAI: user messages; Anthropic: user
//! turns and `tool_result` content; Gemini: any turn) and of the types it takes; anything else
//! is the API's 400. Recorded images say whether they came with tool results.
//!
//! Besides failures, faults can make the server hostile: `redirect_to` (307 to another host),
//! `echo_headers` (key headers echoed into error bodies and frames), `echo_headers_in_reply`
//! (echoed into the answer's text, split across frames), `endless_line`,
//! `huge_error_body_bytes`, `huge_reply_bytes`, `endless_stream`, `endless_tool_call` (bodies
//! generated as they are sent) and `usage_tokens` (absurd token counts). See [`Fault`].
mod anthropic;
mod control;
mod exchange;
pub mod fault;
mod gemini;
mod hostile;
pub mod images;
mod openai;
mod reply;
pub mod signatures;
mod state;
mod stream;
pub mod tools;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use fault::Fault;
pub use state::RecordedRequest;
use state::State;

/// The models each format lists at its models endpoint (any model name is accepted for chat).
pub fn listed_models() -> Vec<(&'static str, &'static str)> {
    let mut all: Vec<(&str, &str)> = openai::MODELS.iter().map(|m| ("openai", *m)).collect();
    all.extend(anthropic::MODELS.iter().map(|(m, _)| ("anthropic", *m)));
    all.extend(gemini::MODELS.iter().map(|(m, _)| ("gemini", *m)));
    all
}

fn app(state: Arc<State>) -> Router {
    Router::new()
        .route("/openai/v1/models", get(openai::models))
        .route("/openai/v1/chat/completions", post(openai::chat))
        .route("/v1/models", get(openai::models))
        .route("/v1/chat/completions", post(openai::chat))
        .route("/anthropic/v1/models", get(anthropic::models))
        .route("/anthropic/v1/messages", post(anthropic::messages))
        .route("/gemini/v1beta/models", get(gemini::models))
        .route("/gemini/v1beta/models/{target}", post(gemini::generate))
        .route(
            "/_control/faults",
            post(control::set_faults).delete(control::clear_faults),
        )
        .route(
            "/_control/requests",
            get(control::requests).delete(control::clear_requests),
        )
        .with_state(state)
}

/// A running fake server. Dropping it stops the server.
pub struct FakeProvider {
    addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

impl FakeProvider {
    /// Starts on a free loopback port. With no keys, every request is accepted.
    pub async fn start(keys: &[&str]) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        Self::serve(listener, keys.iter().map(|k| k.to_string()).collect())
    }

    /// Serves on a listener the caller bound.
    pub fn serve(listener: TcpListener, keys: Vec<String>) -> std::io::Result<Self> {
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new(keys));
        let router = app(state.clone());
        // Real APIs flush each SSE frame at once; with Nagle's algorithm on, a small frame would
        // wait for the client's delayed ACK (about 40 ms) and distort every latency measured here.
        let listener = listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        let task = tokio::spawn(async move {
            // The server only ends when its task is aborted; an accept error ends it early and
            // the tests that use it then fail on connect, which says enough.
            let _ = axum::serve(listener, router).await;
        });
        Ok(Self { addr, state, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn openai_base(&self) -> String {
        format!("{}/openai/v1", self.url())
    }

    pub fn anthropic_base(&self) -> String {
        format!("{}/anthropic", self.url())
    }

    pub fn gemini_base(&self) -> String {
        format!("{}/gemini", self.url())
    }

    /// Sets the fault for `fault.model` ("" or "*": every model without its own fault).
    pub fn set_fault(&self, fault: Fault) {
        self.state.set_fault(fault);
    }

    pub fn clear_faults(&self) {
        self.state.clear_faults();
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state.requests()
    }

    /// The chat requests so far, oldest first: every request but model-list fetches (which an
    /// app or CLI may make in the background at start).
    pub fn chat_requests(&self) -> Vec<RecordedRequest> {
        let mut all = self.state.requests();
        all.retain(|r| !r.path.ends_with("/models"));
        all
    }

    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}
