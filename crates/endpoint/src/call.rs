//! One request through the engine's send path (`Engine::complete`), answered in the format it
//! came in: whole, or streamed as the text arrives. The engine runs in its own task; when the
//! client goes away (the handler or the stream is dropped), the call is cancelled and the
//! ledger records what was used.
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use switchyard_engine::reply::ReplyStatus;
use switchyard_engine::send::{ChatEvent, Completed, Completion, Engine, SendOptions, Source};
use switchyard_engine::{EngineError, ErrorCode};
use switchyard_router::Decision;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::anthropic;
use crate::inbound::Inbound;
use crate::models::Resolved;
use crate::openai;
use crate::wire::{self, ApiError, Facts, Format, Problem};

enum Frame {
    Started { model: String, provider: String },
    Text(String),
    End(Box<Result<Completed, EngineError>>),
}

/// The engine calls of the requests in progress: a stop ends the ones still going and waits
/// for their ledger rows.
#[derive(Clone, Default)]
pub struct Calls {
    tasks: TaskTracker,
    stop: CancellationToken,
}

impl Calls {
    /// Ends every call still going, as the client's hanging up would: the text that arrived
    /// is answered and the ledger records what was used.
    pub fn stop_all(&self) {
        self.stop.cancel();
    }

    /// Waits for the calls' tasks to end (their ledger rows written), at most `limit`.
    pub async fn wait(&self, limit: std::time::Duration) -> bool {
        self.tasks.close();
        tokio::time::timeout(limit, self.tasks.wait()).await.is_ok()
    }
}

/// A call the endpoint's stop ended says so, not "stopped by you": the client did not stop it.
fn shut_down(done: &mut Completed) {
    let errors = done
        .reply
        .error
        .iter_mut()
        .chain(done.reply.hops.iter_mut().filter_map(|h| h.error.as_mut()));
    for e in errors.filter(|e| e.code == ErrorCode::Stopped) {
        e.message = "Switchyard's local endpoint was stopped while the answer came; the text so far is kept.".into();
    }
}

/// Cancels the engine call when dropped before it is disarmed.
struct CancelOnDrop(CancellationToken);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The writer of one streamed answer, in its format.
enum Writer {
    OpenAi(openai::Chunks),
    Anthropic(anthropic::Events),
}

impl Writer {
    fn start(&self) -> String {
        match self {
            Writer::OpenAi(w) => w.start(),
            Writer::Anthropic(w) => w.start(),
        }
    }
    fn text(&mut self, delta: &str) -> String {
        match self {
            Writer::OpenAi(w) => w.text(delta),
            Writer::Anthropic(w) => w.text(delta),
        }
    }
    fn end(&mut self, facts: &Facts, done: &Completed) -> String {
        match self {
            Writer::OpenAi(w) => w.end(facts, &done.reply),
            Writer::Anthropic(w) => w.end(facts, &done.reply),
        }
    }
    fn error(&self, error: &ApiError, facts: &Facts) -> String {
        match self {
            Writer::OpenAi(w) => w.error(error, facts),
            Writer::Anthropic(w) => w.error(error, facts),
        }
    }
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The engine's refusal of a request, in the format's shape. Model names were resolved before
/// (an unknown one is the format's 404 there), so every refusal of the input is a 400: a model
/// that cannot read the images or call the tools, an image over a provider's limits.
fn engine_error(format: Format, e: &EngineError) -> ApiError {
    match e.code() {
        ErrorCode::InvalidInput => {
            let error = ApiError::new(format, Problem::BadRequest, e.to_string());
            match e.field() {
                Some("model") => error.param("model"),
                Some("tools") => error.param("tools"),
                Some("messages" | "images" | "attachments") => error.param("messages"),
                _ => error,
            }
        }
        _ => ApiError::new(format, Problem::Internal, e.to_string()),
    }
}

/// A reply with no text: what stopped it, in the format's shape.
fn failure(format: Format, done: &Completed) -> ApiError {
    let reply = &done.reply;
    let (code, message) = reply.error.as_ref().map_or(
        (
            ErrorCode::NoUsableProvider,
            "No model answered.".to_string(),
        ),
        |e| (e.code, e.message.clone()),
    );
    let problem = match code {
        ErrorCode::BudgetExceeded => Problem::Budget,
        _ => Problem::Upstream,
    };
    let tries: Vec<String> = reply
        .hops
        .iter()
        .map(|h| {
            let why = h.error.as_ref().map_or("", |e| e.message.as_str());
            format!("{} via {}: {why}", h.model, h.provider_name)
        })
        .collect();
    let message = if tries.is_empty() || problem == Problem::Budget {
        message
    } else {
        format!("{message} (tried: {})", tries.join("; "))
    };
    ApiError::new(format, problem, message)
}

fn facts(done: &Completed, provider: &str) -> Facts {
    let reply = &done.reply;
    let decision: &Decision = &done.decision;
    Facts {
        model: reply.model.clone().unwrap_or_default(),
        provider: provider.to_string(),
        rule: decision.rule.clone(),
        cost_usd: Some(wire::usd(reply.cost.map_or(0, |c| c.total.0))),
        fallback: reply.model.as_ref().is_some_and(|m| *m != decision.model),
    }
}

/// Runs `inbound` and answers it.
pub async fn answer(
    engine: Engine,
    calls: &Calls,
    format: Format,
    inbound: Inbound,
    resolved: Resolved,
    client: String,
) -> Response {
    let mut options = SendOptions::from(Source::Endpoint);
    options.routing = Some(resolved.routing);
    options.max_output_tokens = inbound.max_tokens;
    options.client = Some(client);
    options.whole_answers = !inbound.stream;
    let completion = Completion {
        messages: inbound.messages,
        model: resolved.model,
        tools: inbound.tools,
    };
    let routed = match engine.route_completion(completion, options).await {
        Ok(r) => r,
        Err(e) => return engine_error(format, &e).into_response(),
    };
    let decision = routed.decision().clone();
    let cancel = calls.stop.child_token();
    let guard = CancelOnDrop(cancel.clone());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let stopping = calls.stop.clone();
    calls.tasks.spawn(async move {
        let events = tx.clone();
        let mut result = engine
            .complete(
                routed,
                move |event| match event {
                    ChatEvent::Started { model, provider } => {
                        let _ = events.send(Frame::Started { model, provider });
                    }
                    ChatEvent::Text { delta } => {
                        let _ = events.send(Frame::Text(delta));
                    }
                    _ => {}
                },
                cancel,
            )
            .await;
        if stopping.is_cancelled() {
            if let Ok(done) = &mut result {
                shut_down(done);
            }
        }
        let _ = tx.send(Frame::End(Box::new(result)));
    });

    let mut provider = String::new();
    // Until a model starts answering, a failure can still be an HTTP error status.
    loop {
        match rx.recv().await {
            Some(Frame::Started { model, provider: p }) => {
                provider = p;
                if inbound.stream {
                    let head = Facts {
                        fallback: model != decision.model,
                        model,
                        provider,
                        rule: decision.rule.clone(),
                        cost_usd: None,
                    };
                    return stream(format, rx, guard, head, inbound.include_usage);
                }
            }
            Some(Frame::Text(_)) => {}
            Some(Frame::End(result)) => {
                drop(guard);
                return match *result {
                    Err(e) => engine_error(format, &e).into_response(),
                    // Nothing answered, or the answer was cut off: an error, not a short reply
                    // that looks whole.
                    Ok(done) if done.reply.status != ReplyStatus::Complete => {
                        failure(format, &done).into_response()
                    }
                    Ok(done) => whole(format, &done, &provider),
                };
            }
            None => {
                return ApiError::new(
                    format,
                    Problem::Internal,
                    "The engine stopped unexpectedly.",
                )
                .into_response()
            }
        }
    }
}

fn whole(format: Format, done: &Completed, provider: &str) -> Response {
    let facts = facts(done, provider);
    let body = match format {
        Format::OpenAi => openai::completion(
            &format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
            now_secs(),
            &facts,
            &done.reply,
        ),
        Format::Anthropic => anthropic::message(
            &format!("msg_{}", uuid::Uuid::new_v4().simple()),
            &facts,
            &done.reply,
        ),
    };
    let mut response = (StatusCode::OK, axum::Json(body)).into_response();
    facts.headers(response.headers_mut());
    response
}

struct Streaming {
    rx: mpsc::UnboundedReceiver<Frame>,
    writer: Writer,
    facts: Facts,
    format: Format,
    // Held so that dropping the body (the client went away) cancels the call.
    _guard: CancelOnDrop,
    head: Option<String>,
    finished: bool,
}

fn stream(
    format: Format,
    rx: mpsc::UnboundedReceiver<Frame>,
    guard: CancelOnDrop,
    facts: Facts,
    include_usage: bool,
) -> Response {
    let model = facts.model.clone();
    let writer = match format {
        Format::OpenAi => Writer::OpenAi(openai::Chunks {
            id: format!("chatcmpl-{}", uuid::Uuid::new_v4().simple()),
            created: now_secs(),
            model: model.clone(),
            include_usage,
        }),
        Format::Anthropic => Writer::Anthropic(anthropic::Events {
            id: format!("msg_{}", uuid::Uuid::new_v4().simple()),
            model,
            text_open: false,
        }),
    };
    let head = writer.start();
    let state = Streaming {
        rx,
        writer,
        facts: facts.clone(),
        format,
        _guard: guard,
        head: Some(head),
        finished: false,
    };
    let frames = futures_util::stream::unfold(state, |mut s| async move {
        if let Some(head) = s.head.take() {
            return Some((head, s));
        }
        if s.finished {
            return None;
        }
        let out = match s.rx.recv().await? {
            Frame::Text(delta) => s.writer.text(&delta),
            Frame::Started { .. } => String::new(),
            Frame::End(result) => {
                s.finished = true;
                match *result {
                    Ok(done) => {
                        let mut f = facts_of(&done, &s.facts);
                        if done.reply.error.is_some() && done.reply.finish.is_none() {
                            // Text came, then the stream failed: say so after it.
                            f.cost_usd = f.cost_usd.or(Some("0".into()));
                            s.writer.error(&failure(s.format, &done), &f)
                        } else {
                            s.writer.end(&f, &done)
                        }
                    }
                    Err(e) => s.writer.error(&engine_error(s.format, &e), &s.facts),
                }
            }
        };
        Some((out, s))
    });
    let mut response = Response::new(wire::sse(frames));
    let headers = response.headers_mut();
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    );
    facts.headers(headers);
    response
}

fn facts_of(done: &Completed, so_far: &Facts) -> Facts {
    let mut f = facts(done, &so_far.provider);
    if f.model.is_empty() {
        f.model = so_far.model.clone();
    }
    f
}
