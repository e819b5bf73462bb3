//! Settings → Local endpoint: turning the endpoint on and off, its port and status, and its
//! tokens. The server is `switchyard_endpoint`, the same one `switchyard serve` runs.
use serde::Serialize;
use switchyard_engine::store::endpoint::{EndpointSetting, TokenName};
use switchyard_engine::EngineError;
use tauri::State;
use ts_rs::TS;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

/// What the Local endpoint card shows.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct EndpointStatus {
    /// Saved: the app starts the endpoint when it opens.
    pub enabled: bool,
    pub port: u16,
    pub running: bool,
    /// The base URLs to paste into other tools, while it runs.
    pub openai_base: Option<String>,
    pub anthropic_base: Option<String>,
    /// Why it is not running although enabled (the port is taken, …).
    pub error: Option<String>,
}

pub async fn status(state: &AppState) -> AppResult<EndpointStatus> {
    let saved = state
        .settings()?
        .store
        .endpoint_setting(switchyard_endpoint::DEFAULT_PORT)
        .await?;
    let endpoint = state.endpoint.lock().await;
    let running = endpoint.running.as_ref();
    Ok(EndpointStatus {
        enabled: saved.enabled,
        port: saved.port,
        running: running.is_some(),
        openai_base: running.map(|r| r.openai_base()),
        anthropic_base: running.map(|r| r.anthropic_base()),
        error: endpoint.error.clone(),
    })
}

/// Starts the endpoint as saved, if it is on (when the app opens).
pub async fn start_saved(state: &AppState) {
    let Ok(engine) = state.engine() else { return };
    let saved = match engine
        .settings()
        .store
        .endpoint_setting(switchyard_endpoint::DEFAULT_PORT)
        .await
    {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the endpoint setting");
            return;
        }
    };
    if saved.enabled {
        let mut endpoint = state.endpoint.lock().await;
        let config = switchyard_endpoint::Config::local(saved.port);
        match switchyard_endpoint::start(engine.clone(), config).await {
            Ok(r) => {
                tracing::info!(addr = %r.addr(), "local endpoint started");
                endpoint.running = Some(r);
            }
            Err(e) => {
                tracing::warn!(error = %e, "the local endpoint did not start");
                endpoint.error = Some(e.to_string());
            }
        }
    }
}

#[tauri::command]
pub async fn endpoint_status(state: State<'_, AppState>) -> AppResult<EndpointStatus> {
    status(&state).await
}

/// Turns the endpoint on (on `port`, loopback only) or off, and saves the choice. A port that
/// cannot be used is an error and leaves the endpoint off.
#[tauri::command]
pub async fn set_endpoint(
    state: State<'_, AppState>,
    enabled: bool,
    port: u16,
) -> AppResult<EndpointStatus> {
    if port < 1024 {
        return Err(AppError::from(EngineError::Invalid {
            field: "port".into(),
            message: "Pick a port from 1024 to 65535 (the default is 4141).".into(),
        }));
    }
    let engine = state.engine()?.clone();
    {
        let mut endpoint = state.endpoint.lock().await;
        if let Some(running) = endpoint.running.take() {
            running.stop().await;
        }
        endpoint.error = None;
        if enabled {
            let config = switchyard_endpoint::Config::local(port);
            let running = switchyard_endpoint::start(engine.clone(), config)
                .await
                .map_err(|e| {
                    AppError::from(EngineError::Invalid {
                        field: "port".into(),
                        message: e.to_string(),
                    })
                })?;
            endpoint.running = Some(running);
        }
    }
    engine
        .settings()
        .store
        .set_endpoint_setting(EndpointSetting { enabled, port })
        .await?;
    status(&state).await
}

#[tauri::command]
pub async fn endpoint_tokens(state: State<'_, AppState>) -> AppResult<Vec<TokenName>> {
    Ok(switchyard_endpoint::tokens::list(state.settings()?).await?)
}

/// Makes a token and returns its value, the one time it is shown; only the keychain keeps it.
#[tauri::command]
pub async fn create_endpoint_token(state: State<'_, AppState>, name: String) -> AppResult<String> {
    let secret = switchyard_endpoint::tokens::create(state.settings()?, &name).await?;
    reload_tokens(&state).await;
    Ok(secret.expose().to_string())
}

#[tauri::command]
pub async fn revoke_endpoint_token(state: State<'_, AppState>, name: String) -> AppResult<()> {
    switchyard_endpoint::tokens::revoke(state.settings()?, &name).await?;
    reload_tokens(&state).await;
    Ok(())
}

/// A running endpoint takes a new token, and refuses a revoked one, at once.
async fn reload_tokens(state: &AppState) {
    if let Some(running) = state.endpoint.lock().await.running.as_ref() {
        if let Err(e) = running.reload_tokens().await {
            tracing::warn!(error = %e, "the endpoint could not read its tokens again");
        }
    }
}
