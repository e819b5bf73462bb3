//! The HTTP server: routes, the bearer token check, CORS for configured origins only, and
//! starting and stopping.
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use switchyard_engine::send::{Engine, Routing};
use switchyard_engine::store::Store;
use switchyard_engine::{EngineError, ErrorCode};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::call::Calls;
use crate::models::Models;
use crate::tokens::TokenGate;
use crate::wire::{self, ApiError, Format, Problem};
use crate::{anthropic, call, openai};

pub const DEFAULT_PORT: u16 = 4141;
/// Requests larger than this are refused with 413 (editor plugins send whole files, so the
/// limit is generous).
pub const DEFAULT_MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub max_body_bytes: usize,
    /// Origins (`https://example.com`) browsers may call from; none by default.
    pub cors_origins: Vec<String>,
    /// Route with these rules instead of the saved ones (`switchyard serve --rules FILE`).
    pub routing: Option<Routing>,
}

impl Config {
    /// Loopback on `port`, the default limits, no CORS, the saved rules.
    pub fn local(port: u16) -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            cors_origins: Vec::new(),
            routing: None,
        }
    }
}

struct Shared {
    engine: Engine,
    calls: Calls,
    gate: Arc<TokenGate>,
    models: Models,
    config: Config,
}

/// How long a stop waits for the requests in progress before it ends them, and then for
/// their ledger rows.
pub const STOP_GRACE: Duration = Duration::from_secs(5);

/// A running endpoint. Dropping it does not stop it: call [`Running::stop`].
pub struct Running {
    addr: SocketAddr,
    stop: CancellationToken,
    calls: Calls,
    task: tokio::task::JoinHandle<()>,
    gate: Arc<TokenGate>,
    /// Where the calls' ledger rows go: written after their answers, flushed on stop.
    store: Store,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL OpenAI clients take (`…/v1`).
    pub fn openai_base(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The base URL Anthropic clients take.
    pub fn anthropic_base(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Reads the tokens again at once (after one was made or revoked in this process).
    pub async fn reload_tokens(&self) -> Result<(), EngineError> {
        self.gate.reload().await
    }

    /// Stops accepting connections and waits for the requests in progress, at most
    /// [`STOP_GRACE`]; then ends the calls still going (their clients get what arrived, the
    /// ledger what was used) and waits for their ledger rows, so a stop never hangs on an
    /// answer without end; the ledger rows still queued are written before it returns.
    pub async fn stop(self) {
        self.stop.cancel();
        let mut task = self.task;
        if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
            tracing::info!("ending the requests still in progress");
            self.calls.stop_all();
            if tokio::time::timeout(STOP_GRACE, &mut task).await.is_err() {
                task.abort();
            }
        }
        if !self.calls.wait(STOP_GRACE).await {
            tracing::warn!("calls still running when the endpoint stopped");
        }
        self.store.flush().await;
    }
}

/// A warning to show when `addr` is reachable from other machines.
pub fn exposure_warning(addr: &SocketAddr) -> Option<String> {
    (!addr.ip().is_loopback()).then(|| {
        format!(
            "warning: the endpoint listens on {addr}, reachable from other machines; anyone there with a token can spend through your keys"
        )
    })
}

/// Binds `config.addr` and serves until stopped.
pub async fn start(engine: Engine, config: Config) -> Result<Running, EngineError> {
    // Providers and keys in memory, read again every 2 s: a keychain round trip per request
    // would be most of what the endpoint adds.
    let engine = engine.caching_providers(crate::tokens::REFRESH_EVERY);
    let gate = Arc::new(TokenGate::new(engine.settings().clone()).await?);
    let models = Models::new(engine.clone(), config.routing.clone()).await?;
    let listener = TcpListener::bind(config.addr).await.map_err(|e| {
        EngineError::coded(
            ErrorCode::Io,
            format!(
                "cannot listen on {}: {e}. Pick another port, or stop what uses it.",
                config.addr
            ),
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| EngineError::coded(ErrorCode::Io, e.to_string()))?;
    let calls = Calls::default();
    let store = engine.settings().store.clone();
    let shared = Arc::new(Shared {
        engine,
        calls: calls.clone(),
        gate: gate.clone(),
        models,
        config,
    });
    let app = Router::new()
        .route("/v1/chat/completions", post(chat_completions))
        .route("/v1/messages", post(messages))
        .route("/v1/models", get(list_models))
        .fallback(unknown_route)
        .layer(middleware::from_fn_with_state(shared.clone(), cors))
        .with_state(shared);
    let stop = CancellationToken::new();
    let stopped = stop.clone();
    let listener = listener.tap_io(|tcp| {
        // Chunks are small and latency-bound.
        let _ = tcp.set_nodelay(true);
    });
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move { stopped.cancelled().await })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "the endpoint stopped");
        }
    });
    Ok(Running {
        addr,
        stop,
        calls,
        task,
        gate,
        store,
    })
}

async fn chat_completions(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    handle(&s, Format::OpenAi, headers, body).await
}

async fn messages(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body) -> Response {
    handle(&s, Format::Anthropic, headers, body).await
}

/// Anthropic clients send `anthropic-version`; everyone else gets OpenAI's shapes.
fn format_of(headers: &HeaderMap) -> Format {
    if headers.contains_key("anthropic-version") {
        Format::Anthropic
    } else {
        Format::OpenAi
    }
}

async fn authorize(s: &Shared, format: Format, headers: &HeaderMap) -> Result<String, ApiError> {
    let presented = wire::presented_token(headers).unwrap_or("");
    match s.gate.check(presented).await {
        Some(name) if !presented.is_empty() => Ok(name),
        _ => Err(ApiError::new(
            format,
            Problem::Unauthorized,
            "Missing or unknown token. Create one in Switchyard → Settings → Local endpoint or with `switchyard tokens create NAME`, and send it as `Authorization: Bearer <token>` (or `x-api-key`).",
        )),
    }
}

async fn handle(s: &Shared, format: Format, headers: HeaderMap, body: Body) -> Response {
    let client = match authorize(s, format, &headers).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let parsed = async {
        let bytes = wire::read_body(format, &headers, body, s.config.max_body_bytes).await?;
        let json = wire::parse_json(format, &bytes)?;
        let inbound = match format {
            Format::OpenAi => openai::parse(&json)?,
            Format::Anthropic => anthropic::parse(&json)?,
        };
        let resolved = s.models.resolve(&inbound.model).await.ok_or_else(|| {
            ApiError::new(
                format,
                Problem::NotFound,
                format!(
                    "The model '{}' does not exist here. Use `auto`, `switchyard/<rule>` or a model id from GET /v1/models.",
                    inbound.model
                ),
            )
            .param("model")
        })?;
        Ok::<_, ApiError>((inbound, resolved))
    }
    .await;
    match parsed {
        Ok((inbound, resolved)) => {
            call::answer(
                s.engine.clone(),
                &s.calls,
                format,
                inbound,
                resolved,
                client,
            )
            .await
        }
        Err(e) => e.into_response(),
    }
}

async fn list_models(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let format = format_of(&headers);
    if let Err(e) = authorize(&s, format, &headers).await {
        return e.into_response();
    }
    match s.models.list().await {
        Ok(ids) => axum::Json(match format {
            Format::OpenAi => openai::models(&ids),
            Format::Anthropic => anthropic::models(&ids),
        })
        .into_response(),
        Err(e) => ApiError::new(format, Problem::Internal, e.to_string()).into_response(),
    }
}

async fn unknown_route(method: Method, uri: axum::http::Uri, headers: HeaderMap) -> Response {
    ApiError::new(
        format_of(&headers),
        Problem::NotFound,
        format!(
            "No route {method} {}. The endpoint serves POST /v1/chat/completions, POST /v1/messages and GET /v1/models.",
            uri.path()
        ),
    )
    .into_response()
}

/// Browsers may call only from the configured origins; a preflight from any other is refused.
async fn cors(State(s): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let origin = request
        .headers()
        .get(axum::http::header::ORIGIN)
        .and_then(|o| o.to_str().ok())
        .map(str::to_string);
    let allowed = origin
        .as_deref()
        .filter(|o| s.config.cors_origins.iter().any(|a| a == o))
        .and_then(|o| HeaderValue::from_str(o).ok());
    if request.method() == Method::OPTIONS {
        let Some(origin) = allowed else {
            return StatusCode::FORBIDDEN.into_response();
        };
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert("access-control-allow-origin", origin);
        h.insert(
            "access-control-allow-methods",
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        h.insert(
            "access-control-allow-headers",
            HeaderValue::from_static(
                "authorization, content-type, x-api-key, anthropic-version, anthropic-beta, x-stainless-os, x-stainless-lang, x-stainless-package-version, x-stainless-runtime, x-stainless-runtime-version, x-stainless-arch, x-stainless-retry-count, x-stainless-timeout",
            ),
        );
        h.insert("access-control-max-age", HeaderValue::from_static("600"));
        h.insert("vary", HeaderValue::from_static("origin"));
        return r;
    }
    let mut response = next.run(request).await;
    if let Some(origin) = allowed {
        let h = response.headers_mut();
        h.insert("access-control-allow-origin", origin);
        h.insert(
            "access-control-expose-headers",
            HeaderValue::from_static(
                "x-switchyard-model, x-switchyard-provider, x-switchyard-rule, x-switchyard-cost-usd, x-switchyard-fallback",
            ),
        );
        h.insert("vary", HeaderValue::from_static("origin"));
    }
    response
}
