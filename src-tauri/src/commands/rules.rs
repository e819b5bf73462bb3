//! Rules: the rule editor's commands. Drafts are checked and tried by the engine; only a
//! configuration the router accepts is saved, and a refused import changes nothing.
use switchyard_engine::replay::{replay_draft, ReplayReport};
use switchyard_engine::router::{
    default_catalog, from_toml, to_toml, Catalog, CellRef, ConfigError, Grid, Request,
};
use switchyard_engine::routing::{self, CatalogImport, Preview, RoutingPreset};
use switchyard_engine::store::rules::{RoutingConfig, RuleVersion, SavedRouting};
use switchyard_engine::store::spend::SpendRange;
use tauri::State;

use crate::error::{AppError, AppResult};
use crate::save_dialog::{save_with_dialog, SaveAs};
use crate::state::AppState;
use switchyard_engine::availability::ModelAvailability;
use switchyard_engine::ErrorCode;

/// A refused file: the code says parse or invalid, the message lists every rule and field at
/// fault, and `field` points at the first.
fn config_error(e: ConfigError) -> AppError {
    let field = match &e {
        ConfigError::Invalid(issues) => issues.first().map(|i| match &i.rule {
            Some(rule) => format!("rules.{rule}.{}", i.field),
            None => i.field.clone(),
        }),
        ConfigError::Parse(_) => None,
    };
    AppError {
        code: ErrorCode::InvalidRules,
        message: e.to_string(),
        field,
    }
}

#[tauri::command]
pub async fn saved_routing(state: State<'_, AppState>) -> AppResult<SavedRouting> {
    Ok(state.settings()?.store.saved_routing().await?)
}

#[tauri::command]
pub async fn save_routing(
    state: State<'_, AppState>,
    config: RoutingConfig,
    note: String,
) -> AppResult<SavedRouting> {
    let store = &state.settings()?.store;
    let version = store.save_routing(&config, &note).await?;
    tracing::info!(
        version = version.id,
        rules = version.rule_count,
        "routing saved"
    );
    Ok(store.saved_routing().await?)
}

#[tauri::command]
pub async fn rule_versions(state: State<'_, AppState>) -> AppResult<Vec<RuleVersion>> {
    Ok(state.settings()?.store.rule_versions().await?)
}

/// A saved version as it was, for the preview a restore asks to confirm.
#[tauri::command]
pub async fn rule_version(state: State<'_, AppState>, id: i64) -> AppResult<RoutingConfig> {
    Ok(state.settings()?.store.routing_version(id).await?)
}

#[tauri::command]
pub async fn restore_rule_version(state: State<'_, AppState>, id: i64) -> AppResult<SavedRouting> {
    let store = &state.settings()?.store;
    let version = store.restore_rule_version(id).await?;
    tracing::info!(
        restored = id,
        version = version.id,
        "routing version restored"
    );
    Ok(store.saved_routing().await?)
}

#[tauri::command]
pub fn routing_presets() -> Vec<RoutingPreset> {
    routing::routing_presets()
}

#[tauri::command]
pub fn bundled_catalog() -> Catalog {
    default_catalog()
}

/// Async so the decisions run off the main thread, where they would hold up the window.
#[tauri::command]
pub async fn preview_routing(draft: RoutingConfig, requests: Vec<Request>) -> Preview {
    routing::preview(&draft, &requests)
}

/// The draft as the task × tier grid, cells computed by the router, models that cannot be
/// called now marked.
#[tauri::command]
pub async fn routing_grid(state: State<'_, AppState>, draft: RoutingConfig) -> AppResult<Grid> {
    let availability = state.engine()?.availability(&draft.catalog).await?;
    Ok(routing::grid(&draft, &availability))
}

/// The draft with `cells` set to the chain `models`: the rules the grid edit writes.
#[tauri::command]
pub fn assign_grid_cells(
    draft: RoutingConfig,
    cells: Vec<CellRef>,
    models: Vec<String>,
) -> RoutingConfig {
    routing::assign_cells(&draft, &cells, models)
}

#[tauri::command]
pub async fn model_availability(
    state: State<'_, AppState>,
    catalog: Catalog,
) -> AppResult<Vec<ModelAvailability>> {
    Ok(state.engine()?.availability(&catalog).await?)
}

/// Reads a rule file in the CLI's format into a draft; nothing is saved until the user saves.
#[tauri::command]
pub async fn import_rules_toml(text: String) -> AppResult<RoutingConfig> {
    let (rules, catalog) = from_toml(&text).map_err(config_error)?;
    Ok(RoutingConfig { rules, catalog })
}

#[tauri::command]
pub async fn export_rules_toml(config: RoutingConfig) -> AppResult<String> {
    to_toml(&config.rules, &config.catalog).map_err(config_error)
}

/// Asks where to save (the system save dialog, opened here) and writes the rule file there.
/// Returns the path written, or `null` when the user cancelled.
#[tauri::command]
pub async fn save_rules_toml(
    app: tauri::AppHandle,
    config: RoutingConfig,
) -> AppResult<Option<String>> {
    let text = to_toml(&config.rules, &config.catalog).map_err(config_error)?;
    let offer = SaveAs {
        suggested: "switchyard-rules",
        filter: "TOML",
        extension: "toml",
    };
    save_with_dialog(&app, offer, text).await
}

#[tauri::command]
pub async fn import_litellm_prices(json: String, catalog: Catalog) -> AppResult<CatalogImport> {
    routing::import_litellm(&json, &catalog).map_err(config_error)
}

/// What the rules on screen (saved or not) would have done with the requests of `range`: the
/// Rules screen's "Replay history". At most 200 requests are listed per move.
#[tauri::command]
pub async fn replay_rules(
    state: State<'_, AppState>,
    draft: RoutingConfig,
    range: SpendRange,
) -> AppResult<ReplayReport> {
    Ok(replay_draft(state.engine()?, &draft, &range, Some(200)).await?)
}
