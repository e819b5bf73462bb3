//! Settings → General and where the chat was left: theme, default model, the data folder, the
//! app's version, one-file export, and each conversation's unsent draft.
use serde::Serialize;
use switchyard_engine::paths;
use switchyard_engine::store::prefs::{ChatResume, Preferences};
use switchyard_engine::ErrorCode;
use tauri::State;
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::error::{AppError, AppResult};
use crate::save_dialog::{save_with_dialog, SaveAs};
use crate::state::AppState;

/// What Settings shows about the installation.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub version: String,
    /// The folder with the database and the logs.
    pub data_dir: String,
    pub database: String,
}

#[tauri::command]
pub fn app_info() -> AppInfo {
    let database = paths::default_db_path();
    let data_dir = database
        .parent()
        .map_or_else(paths::data_dir, std::path::Path::to_path_buf);
    AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: data_dir.display().to_string(),
        database: database.display().to_string(),
    }
}

/// Opens the data folder in the system's file manager.
#[tauri::command]
pub fn open_data_folder(app: tauri::AppHandle) -> AppResult<()> {
    let dir = app_info().data_dir;
    app.opener()
        .open_path(&dir, None::<&str>)
        .map_err(|e| AppError {
            code: ErrorCode::Io,
            message: format!("Could not open {dir} in the file manager: {e}"),
            field: None,
        })
}

#[tauri::command]
pub async fn preferences(state: State<'_, AppState>) -> AppResult<Preferences> {
    Ok(state.settings()?.store.preferences().await?)
}

#[tauri::command]
pub async fn set_preferences(
    state: State<'_, AppState>,
    preferences: Preferences,
) -> AppResult<Preferences> {
    Ok(state
        .settings()?
        .store
        .set_preferences(&preferences)
        .await?)
}

/// Asks where to save, then writes conversations, rules, assistants, budgets and the ledger
/// there as one JSON file. Returns the path written, or `null` when the user cancelled.
#[tauri::command]
pub async fn export_everything(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> AppResult<Option<String>> {
    let text = state
        .settings()?
        .store
        .export_everything(env!("CARGO_PKG_VERSION"))
        .await?;
    let offer = SaveAs {
        suggested: "switchyard-export",
        filter: "JSON",
        extension: "json",
    };
    save_with_dialog(&app, offer, text).await
}

#[tauri::command]
pub async fn chat_resume(state: State<'_, AppState>) -> AppResult<ChatResume> {
    Ok(state.settings()?.store.chat_resume().await?)
}

#[tauri::command]
pub async fn chat_draft(
    state: State<'_, AppState>,
    conversation_id: Option<String>,
) -> AppResult<String> {
    Ok(state
        .settings()?
        .store
        .draft(conversation_id.as_deref())
        .await?)
}

/// Keeps the composer's text for `conversation_id` (null: a new chat) and remembers it as the
/// conversation open last.
#[tauri::command]
pub async fn save_draft(
    state: State<'_, AppState>,
    conversation_id: Option<String>,
    text: String,
) -> AppResult<()> {
    Ok(state
        .settings()?
        .store
        .save_draft(conversation_id.as_deref(), &text)
        .await?)
}
