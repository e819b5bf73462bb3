//! The desktop shell: opens the store and keychain, registers commands. No routing or provider logic.
mod commands;
mod error;
mod logging;
mod state;

#[cfg(test)]
mod bindings;

use switchyard_engine::secrets::Keychain;
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;
use switchyard_engine::paths;

use crate::error::AppError;
use crate::state::AppState;

pub fn run() {
    let _log_guard = logging::init(&paths::log_dir());
    let db = paths::default_db_path();
    let settings = tauri::async_runtime::block_on(Store::open(&db))
        .map(|store| Settings::new(store, Keychain::default()))
        .map_err(AppError::from);
    match &settings {
        Ok(_) => tracing::info!(db = %db.display(), "database open"),
        Err(e) => tracing::error!(db = %db.display(), error = %e.message, "database unavailable"),
    }

    tauri::Builder::default()
        .manage(AppState::new(settings))
        .invoke_handler(tauri::generate_handler![
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
            commands::rules::import_litellm_prices,
        ])
        .run(tauri::generate_context!())
        .expect("error while running Switchyard");
}
