//! Compare, feedback and the Quality view's commands. Compare streams every column through one
//! `Channel`; `stop_message` on the conversation stops all of them.
use switchyard_engine::quality::suggest::{Suggestion, Thresholds};
use switchyard_engine::quality::QualityReport;
use switchyard_engine::send::compare::{CompareEvent, ComparePick, CompareRequest};
use switchyard_engine::send::{ChatEvent, SendOptions, Source};
use switchyard_engine::store::messages::{ChatMessage, Thumb};
use switchyard_engine::store::rules::RuleVersion;
use switchyard_engine::store::spend::SpendRange;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::AppResult;
use crate::state::AppState;

/// Sends a message to the routed model and to `request.models` at once, streaming each column's
/// events to `on_event`. Resolves with the compared answers as saved, by column.
#[tauri::command]
pub async fn compare_message(
    state: State<'_, AppState>,
    request: CompareRequest,
    on_event: Channel<CompareEvent>,
) -> AppResult<Vec<ChatMessage>> {
    let engine = state.engine()?.clone();
    let cancel = tokio_util::sync::CancellationToken::new();
    let mut registered: Option<String> = request.send.conversation_id.clone();
    if let Some(id) = &registered {
        state.register(id, cancel.clone());
    }
    let mut compare_of = None;
    let state_ref = &*state;
    let result = engine
        .compare(
            request,
            SendOptions::from(Source::App),
            |event| {
                if let (
                    0,
                    ChatEvent::Accepted {
                        conversation, user, ..
                    },
                ) = (event.column, &event.event)
                {
                    compare_of = Some(user.id);
                    if registered.as_deref() != Some(conversation.id.as_str()) {
                        state_ref.register(&conversation.id, cancel.clone());
                        registered = Some(conversation.id.clone());
                    }
                }
                // A closed window drops the channel; the answers still finish and are saved.
                let _ = on_event.send(event);
            },
            cancel.clone(),
        )
        .await;
    if let Some(id) = &registered {
        state.done_streaming(id);
    }
    for column in result? {
        if let Err(e) = column {
            tracing::warn!(error = %e, "a compared column failed");
        }
    }
    let Some(compare_of) = compare_of else {
        return Ok(Vec::new());
    };
    Ok(state.settings()?.store.compared(compare_of).await?)
}

/// Records the pick among a compare's answers (`chosen: null` for "about the same").
#[tauri::command]
pub async fn pick_compared(
    state: State<'_, AppState>,
    pick: ComparePick,
) -> AppResult<Vec<ChatMessage>> {
    Ok(state.engine()?.pick_compared(&pick).await?)
}

/// Toggles a thumb on a reply.
#[tauri::command]
pub async fn thumb_reply(
    state: State<'_, AppState>,
    message_id: i64,
    thumb: Thumb,
) -> AppResult<ChatMessage> {
    Ok(state.engine()?.thumb(message_id, thumb).await?)
}

#[tauri::command]
pub async fn quality_report(
    state: State<'_, AppState>,
    range: SpendRange,
) -> AppResult<QualityReport> {
    Ok(state.engine()?.quality(&range.from, &range.to).await?)
}

#[tauri::command]
pub async fn quality_suggestions(
    state: State<'_, AppState>,
    range: SpendRange,
) -> AppResult<Vec<Suggestion>> {
    Ok(state.engine()?.suggestions(&range.from, &range.to).await?)
}

#[tauri::command]
pub async fn accept_suggestion(
    state: State<'_, AppState>,
    key: String,
    range: SpendRange,
) -> AppResult<RuleVersion> {
    Ok(state
        .engine()?
        .accept_suggestion(&key, &range.from, &range.to)
        .await?)
}

#[tauri::command]
pub async fn dismiss_suggestion(
    state: State<'_, AppState>,
    key: String,
    range: SpendRange,
) -> AppResult<()> {
    Ok(state
        .engine()?
        .dismiss_suggestion(&key, &range.from, &range.to)
        .await?)
}

#[tauri::command]
pub async fn quality_thresholds(state: State<'_, AppState>) -> AppResult<Thresholds> {
    Ok(state.engine()?.thresholds().await?)
}

#[tauri::command]
pub async fn set_quality_thresholds(
    state: State<'_, AppState>,
    thresholds: Thresholds,
) -> AppResult<Thresholds> {
    Ok(state.engine()?.set_thresholds(&thresholds).await?)
}
