//! The desktop shell: opens the store and keychain, registers commands. No routing or provider logic.
mod commands;
mod error;
mod logging;
mod save_dialog;
mod state;

#[cfg(test)]
mod bindings;

use switchyard_engine::execute::{Executor, Policy};
use switchyard_engine::paths;
use switchyard_engine::secrets::Keychain;
use switchyard_engine::send::Engine;
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;

use crate::error::AppError;
use crate::state::AppState;

pub fn run() {
    // Before anything opens a file in the data directory: a directory left under the old
    // identifier moves to the new place.
    let relocation = paths::relocate();
    let _log_guard = logging::init(&paths::log_dir());
    match &relocation {
        paths::Relocation::Nothing => {}
        paths::Relocation::Moved { .. } => tracing::info!("{relocation}"),
        _ => tracing::warn!("{relocation}"),
    }
    let db = paths::default_db_path();
    let chat = tauri::async_runtime::block_on(open(&db));
    match &chat {
        Ok(_) => tracing::info!(db = %db.display(), "database open"),
        Err(e) => tracing::error!(db = %db.display(), error = %e.message, "database unavailable"),
    }

    let state = AppState::new(chat);
    // The local endpoint, when Settings → Local endpoint left it on.
    tauri::async_runtime::block_on(commands::endpoint::start_saved(&state));

    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .manage(state)
        .invoke_handler(commands::all!(tauri::generate_handler))
        .run(tauri::generate_context!())
        .expect("error while running Switchyard");
}

/// Opens the database, settles what a crash left unfinished, and builds the engine.
async fn open(db: &std::path::Path) -> Result<Engine, AppError> {
    let store = Store::open(db).await?;
    let settled = store.settle_abandoned().await?;
    let corrected = store.correct_implausible_usage_once().await?;
    if corrected > 0 {
        tracing::warn!(
            corrected,
            "ledger rows with impossible token counts were offset"
        );
    }
    if settled > 0 {
        tracing::warn!(
            settled,
            "provider calls left in flight by an earlier run were billed as estimated"
        );
    }
    let interrupted = store.mark_interrupted().await?;
    if interrupted > 0 {
        tracing::warn!(
            interrupted,
            "replies left streaming by the last run were marked interrupted"
        );
    }
    // Calls a CLI run or the endpoint leaves behind while the window is open reach Spend too.
    store.settle_abandoned_every(Store::SETTLE_ABANDONED_EVERY);
    let settings = Settings::new(store, Keychain::default());
    // Warnings are logged inside; the providers screen shows the blanked headers as not set.
    settings.secure_stored_header_values().await?;
    // Which models each provider serves, when its list is a day old; the window opens meanwhile.
    settings.refresh_stale_model_lists_in_background();
    // The limits (reply size, deadlines, …) are settings, shared with the CLI.
    let executor = Executor::new(Policy::with_overrides(&settings.store).await)?;
    Ok(Engine::new(settings, executor))
}
