//! The desktop shell: opens the store and keychain, registers commands. No routing or provider logic.
mod commands;
mod error;
mod logging;
mod save_dialog;
mod state;

#[cfg(test)]
mod bindings;

use switchyard_engine::chat::Chat;
use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::paths;
use switchyard_engine::secrets::Keychain;
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;

use crate::error::AppError;
use crate::state::AppState;

pub fn run() {
    let _log_guard = logging::init(&paths::log_dir());
    let db = paths::default_db_path();
    let chat = tauri::async_runtime::block_on(open(&db));
    match &chat {
        Ok(_) => tracing::info!(db = %db.display(), "database open"),
        Err(e) => tracing::error!(db = %db.display(), error = %e.message, "database unavailable"),
    }

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(AppState::new(chat))
        .invoke_handler(tauri::generate_handler![
            commands::chat::list_conversations,
            commands::chat::conversation_messages,
            commands::chat::rename_conversation,
            commands::chat::delete_conversation,
            commands::chat::send_message,
            commands::chat::stop_message,
            commands::chat::search_messages,
            commands::chat::chat_models,
            commands::chat::export_conversation,
            commands::chat::save_conversation_export,
            commands::providers::list_providers,
            commands::providers::provider_presets,
            commands::providers::keychain_status,
            commands::providers::add_provider,
            commands::providers::update_provider,
            commands::providers::set_provider_enabled,
            commands::providers::remove_provider,
            commands::providers::set_provider_key,
            commands::providers::delete_provider_key,
            commands::providers::test_provider_connection,
            commands::rules::saved_routing,
            commands::rules::save_routing,
            commands::rules::rule_versions,
            commands::rules::restore_rule_version,
            commands::rules::routing_presets,
            commands::rules::bundled_catalog,
            commands::rules::preview_routing,
            commands::rules::model_availability,
            commands::rules::import_rules_toml,
            commands::rules::export_rules_toml,
            commands::rules::save_rules_toml,
            commands::rules::import_litellm_prices,
            commands::spend::spend_dashboard,
            commands::spend::spend_requests,
            commands::spend::save_spend_csv,
            commands::spend::budget_status,
            commands::spend::save_budget,
            commands::spend::delete_budget,
            commands::spend::baseline,
            commands::spend::set_baseline,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Switchyard");
}

/// Opens the database, marks replies a crash left streaming, and builds the chat engine.
async fn open(db: &std::path::Path) -> Result<Chat, AppError> {
    let store = Store::open(db).await?;
    let interrupted = store.mark_interrupted().await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "replies left streaming by the last run were marked interrupted"
        );
    }
    let settings = Settings::new(store, Keychain::default());
    // Warnings are logged inside; the providers screen shows the blanked headers as not set.
    settings.secure_stored_header_values().await?;
    let executor =
        Executor::new(Policy::default()).map_err(switchyard_engine::EngineError::from)?;
    Ok(Chat::new(settings, executor, "app"))
}
