//! The Chat screen's commands. Replies stream through a `Channel`; `stop_message` cancels one.
use serde::Serialize;
use switchyard_engine::chat::export::{render, ExportFormat};
use switchyard_engine::chat::{ChatEvent, SendRequest};
use switchyard_engine::store::conversations::Conversation;
use switchyard_engine::store::messages::{ChatMessage, SearchHit};
use tauri::ipc::Channel;
use tauri::State;
use ts_rs::TS;

use crate::error::AppResult;
use crate::save_dialog::{save_with_dialog, SaveAs};
use crate::state::AppState;

#[tauri::command]
pub async fn list_conversations(state: State<'_, AppState>) -> AppResult<Vec<Conversation>> {
    Ok(state.settings()?.store.list_conversations().await?)
}

#[tauri::command]
pub async fn conversation_messages(
    state: State<'_, AppState>,
    id: String,
) -> AppResult<Vec<ChatMessage>> {
    let store = &state.settings()?.store;
    store.conversation(&id).await?;
    Ok(store.messages(&id).await?)
}

#[tauri::command]
pub async fn rename_conversation(
    state: State<'_, AppState>,
    id: String,
    title: String,
) -> AppResult<Conversation> {
    Ok(state
        .settings()?
        .store
        .rename_conversation(&id, &title)
        .await?)
}

#[tauri::command]
pub async fn delete_conversation(state: State<'_, AppState>, id: String) -> AppResult<()> {
    let chat = state.chat()?;
    chat.stop(&id);
    Ok(chat.settings().store.delete_conversation(&id).await?)
}

/// Sends a message and streams the reply to `on_event`. Resolves with the assistant message as
/// saved, once the reply has ended (complete, stopped or failed).
#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    request: SendRequest,
    on_event: Channel<ChatEvent>,
) -> AppResult<ChatMessage> {
    let chat = state.chat()?.clone();
    let message = chat
        .send(request, move |event| {
            // A closed window drops the channel; the reply still finishes and is saved.
            let _ = on_event.send(event);
        })
        .await?;
    tracing::info!(message = message.id, status = message.status.as_str(), model = ?message.model, "reply finished");
    Ok(message)
}

#[tauri::command]
pub fn stop_message(state: State<'_, AppState>, conversation_id: String) -> AppResult<bool> {
    Ok(state.chat()?.stop(&conversation_id))
}

#[tauri::command]
pub async fn search_messages(
    state: State<'_, AppState>,
    query: String,
) -> AppResult<Vec<SearchHit>> {
    Ok(state.settings()?.store.search_messages(&query, 50).await?)
}

/// A model the chat's picker offers.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ModelOption {
    pub id: String,
    pub provider: String,
    /// A configured, enabled provider serves it (with a key where one is needed).
    pub available: bool,
}

#[tauri::command]
pub async fn chat_models(state: State<'_, AppState>) -> AppResult<Vec<ModelOption>> {
    let chat = state.chat()?;
    let routing = chat.routing().await?;
    let providers = chat.settings().list().await?;
    Ok(routing
        .catalog
        .enabled()
        .map(|m| ModelOption {
            id: m.id.clone(),
            provider: m.provider.clone(),
            available: providers.iter().any(|p| {
                p.enabled
                    && (p.preset == m.provider
                        || p.id == m.provider
                        || p.name.eq_ignore_ascii_case(&m.provider))
                    && !matches!(
                        p.key,
                        switchyard_engine::provider::KeyInfo::Unavailable { .. }
                    )
            }),
        })
        .collect())
}

#[tauri::command]
pub async fn export_conversation(
    state: State<'_, AppState>,
    id: String,
    format: ExportFormat,
) -> AppResult<String> {
    let store = &state.settings()?.store;
    let conversation = store.conversation(&id).await?;
    let messages = store.messages(&id).await?;
    Ok(render(format, &conversation, &messages))
}

/// Asks where to save (the system save dialog, opened here) and writes the export there.
/// Returns the path written, or `null` when the user cancelled.
#[tauri::command]
pub async fn save_conversation_export(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    id: String,
    format: ExportFormat,
) -> AppResult<Option<String>> {
    let title = state.settings()?.store.conversation(&id).await?.title;
    let text = export_conversation(state, id, format).await?;
    let (filter, extension) = match format {
        ExportFormat::Markdown => ("Markdown", "md"),
        ExportFormat::Json => ("JSON", "json"),
    };
    let offer = SaveAs {
        suggested: &title,
        filter,
        extension,
    };
    save_with_dialog(&app, offer, text).await
}
