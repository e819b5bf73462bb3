//! Settings → Providers. Keys go in and never come back out: replies carry only `KeyInfo`.
use switchyard_engine::connection::ConnectionReport;
use switchyard_engine::provider::{presets, Provider, ProviderInput, ProviderPreset};
use switchyard_engine::secrets::KeychainStatus;
use tauri::State;

use crate::error::AppResult;
use crate::state::AppState;

#[tauri::command]
pub async fn list_providers(state: State<'_, AppState>) -> AppResult<Vec<Provider>> {
    Ok(state.settings()?.list().await?)
}

#[tauri::command]
pub fn provider_presets() -> Vec<ProviderPreset> {
    presets()
}

#[tauri::command]
pub async fn keychain_status(state: State<'_, AppState>) -> AppResult<KeychainStatus> {
    Ok(state.settings()?.keychain_status().await)
}

#[tauri::command]
pub async fn add_provider(
    state: State<'_, AppState>,
    input: ProviderInput,
    key: Option<String>,
) -> AppResult<Provider> {
    let p = state
        .settings()?
        .add(input, key.filter(|k| !k.is_empty()))
        .await?;
    tracing::info!(provider = %p.id, kind = p.kind.as_str(), "provider added");
    Ok(p)
}

#[tauri::command]
pub async fn update_provider(
    state: State<'_, AppState>,
    id: String,
    input: ProviderInput,
) -> AppResult<Provider> {
    let p = state.settings()?.update(&id, input).await?;
    tracing::info!(provider = %p.id, "provider updated");
    Ok(p)
}

#[tauri::command]
pub async fn set_provider_enabled(
    state: State<'_, AppState>,
    id: String,
    enabled: bool,
) -> AppResult<Provider> {
    Ok(state.settings()?.set_enabled(&id, enabled).await?)
}

#[tauri::command]
/// Resolves to a warning when the provider was removed but its key could not be.
pub async fn remove_provider(state: State<'_, AppState>, id: String) -> AppResult<Option<String>> {
    let warning = state.settings()?.remove(&id).await?;
    match &warning {
        None => tracing::info!(provider = %id, "provider removed with its key"),
        Some(_) => tracing::warn!(provider = %id, "provider removed; its key could not be deleted"),
    }
    Ok(warning)
}

#[tauri::command]
pub async fn set_provider_key(
    state: State<'_, AppState>,
    id: String,
    key: String,
) -> AppResult<Provider> {
    let p = state.settings()?.set_key(&id, key).await?;
    tracing::info!(provider = %id, "key stored in the keychain");
    Ok(p)
}

#[tauri::command]
pub async fn delete_provider_key(state: State<'_, AppState>, id: String) -> AppResult<Provider> {
    let p = state.settings()?.delete_key(&id).await?;
    tracing::info!(provider = %id, "key removed from the keychain");
    Ok(p)
}

#[tauri::command]
pub async fn test_provider_connection(
    state: State<'_, AppState>,
    id: String,
) -> AppResult<ConnectionReport> {
    let result = state.settings()?.test_connection(&id).await;
    match &result {
        Ok(r) => tracing::info!(provider = %id, models = r.model_count, "connection test passed"),
        Err(e) => tracing::warn!(provider = %id, code = %e.code(), "connection test failed"),
    }
    Ok(result?)
}
