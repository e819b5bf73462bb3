//! The Tauri commands, one module per screen. [`all!`] lists every command once: the handler
//! list and the check that `ui/src/lib/backend.ts` calls exactly these both read it.
pub mod chat;
pub mod endpoint;
pub mod local_servers;
pub mod preferences;
pub mod providers;
pub mod quality;
pub mod rules;
pub mod spend;

/// Calls the macro named by its arguments with the path of every command.
macro_rules! all {
    ($($then:tt)*) => {
        $($then)*![
            crate::commands::chat::list_conversations,
            crate::commands::chat::conversation_messages,
            crate::commands::chat::conversation_attachments,
            crate::commands::chat::attachment_image,
            crate::commands::chat::rename_conversation,
            crate::commands::chat::delete_conversation,
            crate::commands::chat::send_message,
            crate::commands::chat::preview_send,
            crate::commands::chat::set_system_prompt,
            crate::commands::chat::list_assistants,
            crate::commands::chat::save_assistant,
            crate::commands::chat::delete_assistant,
            crate::commands::chat::stop_message,
            crate::commands::chat::search_messages,
            crate::commands::chat::chat_models,
            crate::commands::preferences::app_info,
            crate::commands::preferences::open_data_folder,
            crate::commands::preferences::preferences,
            crate::commands::preferences::set_preferences,
            crate::commands::preferences::export_everything,
            crate::commands::preferences::chat_resume,
            crate::commands::preferences::chat_draft,
            crate::commands::preferences::save_draft,
            crate::commands::chat::export_conversation,
            crate::commands::chat::save_conversation_export,
            crate::commands::providers::list_providers,
            crate::commands::providers::provider_presets,
            crate::commands::providers::keychain_status,
            crate::commands::providers::add_provider,
            crate::commands::providers::update_provider,
            crate::commands::providers::set_provider_enabled,
            crate::commands::providers::remove_provider,
            crate::commands::providers::set_provider_key,
            crate::commands::providers::delete_provider_key,
            crate::commands::providers::test_provider_connection,
            crate::commands::local_servers::local_servers,
            crate::commands::rules::saved_routing,
            crate::commands::rules::save_routing,
            crate::commands::rules::rule_versions,
            crate::commands::rules::rule_version,
            crate::commands::rules::restore_rule_version,
            crate::commands::rules::routing_presets,
            crate::commands::rules::bundled_catalog,
            crate::commands::rules::preview_routing,
            crate::commands::rules::model_availability,
            crate::commands::rules::routing_grid,
            crate::commands::rules::assign_grid_cells,
            crate::commands::rules::import_rules_toml,
            crate::commands::rules::export_rules_toml,
            crate::commands::rules::save_rules_toml,
            crate::commands::rules::import_litellm_prices,
            crate::commands::rules::replay_rules,
            crate::commands::spend::spend_dashboard,
            crate::commands::spend::spend_requests,
            crate::commands::spend::grid_usage,
            crate::commands::spend::save_spend_csv,
            crate::commands::spend::budget_status,
            crate::commands::spend::save_budget,
            crate::commands::spend::delete_budget,
            crate::commands::spend::baseline,
            crate::commands::spend::set_baseline,
            crate::commands::endpoint::endpoint_status,
            crate::commands::endpoint::set_endpoint,
            crate::commands::endpoint::endpoint_tokens,
            crate::commands::endpoint::create_endpoint_token,
            crate::commands::endpoint::revoke_endpoint_token,
            crate::commands::quality::compare_message,
            crate::commands::quality::pick_compared,
            crate::commands::quality::thumb_reply,
            crate::commands::quality::quality_report,
            crate::commands::quality::quality_suggestions,
            crate::commands::quality::accept_suggestion,
            crate::commands::quality::dismiss_suggestion,
            crate::commands::quality::quality_thresholds,
            crate::commands::quality::set_quality_thresholds,
        ]
    };
}
pub(crate) use all;
