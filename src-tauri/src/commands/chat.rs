//! The Chat screen's commands. Replies stream through a `Channel`; `stop_message` cancels one.
use switchyard_engine::availability::ModelAvailability;
use switchyard_engine::chat::export::{render, ExportFormat};
use switchyard_engine::router::Decision;
use switchyard_engine::send::{ChatEvent, SendOptions, SendRequest, Source};
use switchyard_engine::store::assistants::Assistant;
use switchyard_engine::store::attachments::Attachment;
use switchyard_engine::store::conversations::Conversation;
use switchyard_engine::store::messages::{ChatMessage, SearchHit};
use tauri::ipc::Channel;
use tauri::State;

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

/// The files sent in a conversation, by message.
#[tauri::command]
pub async fn conversation_attachments(
    state: State<'_, AppState>,
    id: String,
) -> AppResult<Vec<Attachment>> {
    Ok(state.settings()?.store.attachments_of(&id).await?)
}

/// An image attachment as a `data:` URL, for its thumbnail.
#[tauri::command]
pub async fn attachment_image(state: State<'_, AppState>, id: i64) -> AppResult<String> {
    Ok(state.settings()?.store.image_data_url(id).await?)
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
    state.stop(&id);
    Ok(state.settings()?.store.delete_conversation(&id).await?)
}

/// Sends a message and streams the reply to `on_event`. Resolves with the assistant message as
/// saved, once the reply has ended (complete, stopped or failed).
/// Sets or, with null or blank text, clears a conversation's system prompt.
#[tauri::command]
pub async fn set_system_prompt(
    state: State<'_, AppState>,
    id: String,
    text: Option<String>,
) -> AppResult<Conversation> {
    Ok(state
        .settings()?
        .store
        .set_conversation_system_prompt(&id, text.as_deref())
        .await?)
}

#[tauri::command]
pub async fn list_assistants(state: State<'_, AppState>) -> AppResult<Vec<Assistant>> {
    Ok(state.settings()?.store.assistants().await?)
}

#[tauri::command]
pub async fn save_assistant(
    state: State<'_, AppState>,
    assistant: Assistant,
) -> AppResult<Assistant> {
    Ok(state.settings()?.store.save_assistant(&assistant).await?)
}

#[tauri::command]
pub async fn delete_assistant(state: State<'_, AppState>, id: i64) -> AppResult<()> {
    Ok(state.settings()?.store.delete_assistant(id).await?)
}

/// What sending `request` now would route to, nothing saved or sent: the composer's preview.
#[tauri::command]
pub async fn preview_send(state: State<'_, AppState>, request: SendRequest) -> AppResult<Decision> {
    Ok(state.engine()?.preview(&request).await?)
}

#[tauri::command]
pub async fn send_message(
    state: State<'_, AppState>,
    request: SendRequest,
    on_event: Channel<ChatEvent>,
) -> AppResult<ChatMessage> {
    let engine = state.engine()?.clone();
    // A new conversation's id is known once it is saved: the first event registers it.
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut registered: Option<String> = None;
    if let Some(id) = &request.conversation_id {
        registered = Some(id.clone());
        state.register(id, cancel.clone());
    }
    let state_ref = &*state;
    let result = engine
        .send(
            request,
            SendOptions::from(Source::App),
            |event| {
                if let ChatEvent::Accepted { conversation, .. } = &event {
                    if registered.as_deref() != Some(conversation.id.as_str()) {
                        state_ref.register(&conversation.id, cancel.clone());
                        registered = Some(conversation.id.clone());
                    }
                }
                // A closed window drops the channel; the reply still finishes and is saved.
                let _ = on_event.send(event);
            },
            cancel.clone(),
        )
        .await;
    if let Some(id) = &registered {
        state.done_streaming(id);
    }
    let sent = result?;
    tracing::info!(message = sent.message.id, status = sent.message.status.as_str(), model = ?sent.message.model, "reply finished");
    Ok(sent.message)
}

#[tauri::command]
pub fn stop_message(state: State<'_, AppState>, conversation_id: String) -> AppResult<bool> {
    Ok(state.stop(&conversation_id))
}

#[tauri::command]
pub async fn search_messages(
    state: State<'_, AppState>,
    query: String,
) -> AppResult<Vec<SearchHit>> {
    Ok(state.settings()?.store.search_messages(&query, 50).await?)
}

/// The enabled catalog models for the chat's picker, each with whether it can be called now
/// and why not.
#[tauri::command]
pub async fn chat_models(state: State<'_, AppState>) -> AppResult<Vec<ModelAvailability>> {
    let engine = state.engine()?;
    let routing = engine.routing().await?;
    let mut catalog = (*routing.catalog).clone();
    catalog.models.retain(|m| m.enabled);
    Ok(engine.availability(&catalog).await?)
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
