//! Which models each provider serves: its own model list, fetched by Test connection and, once
//! a day, by [`Settings::refresh_stale_model_lists`] (the app and the CLI start it in the
//! background), stored in `provider_models`. Availability reads it through `Provider::models`;
//! a fetch that fails keeps the last list.
use super::Settings;
use crate::connection::{self, ConnectionReport};
use crate::error::EngineError;
use crate::provider::{needs_key, serves, ProviderRow};

/// How old a model list may get before the next start fetches it again.
pub const MODEL_LIST_MAX_AGE_SECS: i64 = 24 * 60 * 60;

impl Settings {
    /// Calls the provider's model-list endpoint, stores the list it gives, and reports it with
    /// the models the catalog does not know.
    pub async fn test_connection(&self, id: &str) -> Result<ConnectionReport, EngineError> {
        let row = self.store.provider(id).await?;
        let mut report = self.fetch_model_list(row.clone()).await?;
        self.store
            .replace_provider_models(id, &report.models)
            .await?;
        let (_, catalog) = self.store.routing().await?;
        report.not_in_catalog = report
            .models
            .iter()
            .filter(|listed| {
                !catalog.models.iter().any(|m| {
                    serves(&row, &m.provider) && (m.api_name() == *listed || m.id == **listed)
                })
            })
            .cloned()
            .collect();
        Ok(report)
    }

    async fn fetch_model_list(&self, row: ProviderRow) -> Result<ConnectionReport, EngineError> {
        let row = self.with_header_secrets(row).await;
        let key = self.key(&row.id).await?;
        connection::test_connection(&row, key.as_ref()).await
    }

    /// Fetches the model list of every enabled provider that can be called and whose list is
    /// missing or a day old. Returns how many lists were stored; a provider that fails keeps its
    /// last list (the failure is logged, never shown: Test connection is where a user asks).
    pub async fn refresh_stale_model_lists(&self) -> Result<usize, EngineError> {
        // The database says which lists are stale; the keychain is only asked for those.
        let stale = self
            .store
            .providers_with_stale_models(MODEL_LIST_MAX_AGE_SECS)
            .await?;
        let mut stored = 0;
        for id in stale {
            let row = self.store.provider(&id).await?;
            if !row.enabled {
                continue;
            }
            let Ok(key) = self.key(&id).await else {
                continue;
            };
            // Without the key it needs, the provider would only refuse.
            if key.is_none() && needs_key(&row) {
                continue;
            }
            let row = self.with_header_secrets(row).await;
            match connection::test_connection(&row, key.as_ref()).await {
                Ok(report) => {
                    self.store
                        .replace_provider_models(&id, &report.models)
                        .await?;
                    stored += 1;
                }
                Err(e) => tracing::info!(
                    provider = %row.name,
                    error = %e,
                    "model list not refreshed; the last one is kept"
                ),
            }
        }
        Ok(stored)
    }

    /// Starts [`Self::refresh_stale_model_lists`] (after [`Self::label_keychain_entries_once`])
    /// on the current Tokio runtime and returns at once: a start is never held up by a provider
    /// or the keychain, and a failure is only logged.
    pub fn refresh_stale_model_lists_in_background(&self) {
        let settings = self.clone();
        tokio::spawn(async move {
            match settings.label_keychain_entries_once().await {
                Ok(true) => tracing::info!("keychain entries labelled with provider names"),
                Ok(false) => {}
                Err(e) => tracing::info!(error = %e, "keychain entries not labelled yet"),
            }
            match settings.refresh_stale_model_lists().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(lists = n, "provider model lists refreshed"),
                Err(e) => tracing::warn!(error = %e, "provider model lists not refreshed"),
            }
        });
    }
}
