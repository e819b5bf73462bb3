//! Secret extra headers: their values are kept in the keychain under
//! `<provider id>/header/<name lowercased>`; the database holds only the name and the flag.
use super::Settings;
use crate::error::EngineError;
use crate::provider::ProviderRow;
use crate::provider::{HeaderInfo, ProviderInput};
use crate::secrets::{header_account, header_label, Secret};

/// The secret header values `input` brings: the ones with a value typed in. An empty value
/// keeps what the keychain already holds.
pub(super) fn values_to_store(input: &ProviderInput) -> Vec<(String, Secret)> {
    input
        .headers
        .iter()
        .filter(|h| h.secret == Some(true))
        .filter_map(|h| {
            Secret::new(h.value.clone())
                .ok()
                .map(|v| (h.name.clone(), v))
        })
        .collect()
}

impl Settings {
    /// The headers as the UI and CLI may see them: a secret one shows only its last four.
    pub(super) async fn header_infos(&self, row: &ProviderRow) -> Vec<HeaderInfo> {
        let mut out = Vec::with_capacity(row.headers.len());
        for h in &row.headers {
            let stored = if h.secret {
                Some(self.key_info(&header_account(&row.id, &h.name)).await)
            } else {
                None
            };
            out.push(HeaderInfo {
                name: h.name.clone(),
                value: if h.secret {
                    String::new()
                } else {
                    h.value.clone()
                },
                secret: h.secret,
                stored,
            });
        }
        out
    }

    pub(super) async fn store_header_values(
        &self,
        id: &str,
        provider_name: &str,
        values: Vec<(String, Secret)>,
    ) -> Result<(), EngineError> {
        if values.is_empty() {
            return Ok(());
        }
        let id = id.to_string();
        let provider_name = provider_name.to_string();
        self.keychain
            .run(move |k| {
                values.iter().try_for_each(|(name, value)| {
                    k.set(
                        &header_account(&id, name),
                        &header_label(&provider_name, name),
                        value,
                    )
                })
            })
            .await
    }

    /// Deletes the keychain entries of `before`'s secret headers that `after` no longer has as
    /// secret. A failure is logged, not returned: the settings are saved, and an orphaned entry
    /// is never read again.
    pub(super) async fn delete_dropped_header_values(
        &self,
        before: &ProviderRow,
        after: &ProviderRow,
    ) {
        let dropped: Vec<String> = before
            .headers
            .iter()
            .filter(|old| old.secret)
            .filter(|old| {
                !after
                    .headers
                    .iter()
                    .any(|new| new.secret && new.name.eq_ignore_ascii_case(&old.name))
            })
            .map(|old| header_account(&before.id, &old.name))
            .collect();
        self.delete_accounts(dropped).await;
    }

    /// Deletes every secret header value of `row` from the keychain (best effort, logged).
    pub(super) async fn forget_header_values(&self, row: &ProviderRow) {
        let accounts = row
            .headers
            .iter()
            .filter(|h| h.secret)
            .map(|h| header_account(&row.id, &h.name))
            .collect();
        self.delete_accounts(accounts).await;
    }

    /// Undoes a failed add: the key and any header values already stored.
    pub(super) async fn forget_secrets(&self, row: &ProviderRow) {
        self.forget_header_values(row).await;
        self.delete_accounts(vec![row.id.clone()]).await;
    }

    async fn delete_accounts(&self, accounts: Vec<String>) {
        if accounts.is_empty() {
            return;
        }
        let result = self
            .keychain
            .run(move |k| accounts.iter().try_for_each(|a| k.delete(a)))
            .await;
        if let Err(e) = result {
            tracing::warn!("could not delete a secret header value from the keychain: {e}");
        }
    }

    /// `row` with its secret header values read from the keychain, for making calls. A value
    /// that cannot be read is left out (and logged): the provider then answers that it wants
    /// credentials, which says what to fix.
    pub async fn with_header_secrets(&self, mut row: ProviderRow) -> ProviderRow {
        let names: Vec<String> = row
            .headers
            .iter()
            .filter(|h| h.secret)
            .map(|h| h.name.clone())
            .collect();
        if names.is_empty() {
            return row;
        }
        let id = row.id.clone();
        let read = self
            .keychain
            .run(move |k| {
                let mut found = Vec::new();
                for name in names {
                    if let Some(value) = k.get(&header_account(&id, &name))? {
                        found.push((name, value));
                    }
                }
                Ok(found)
            })
            .await;
        match read {
            Ok(found) => row.header_secrets = found,
            Err(e) => tracing::warn!(
                provider = %row.name,
                "secret header values could not be read from the keychain: {e}"
            ),
        }
        row
    }

    /// Every provider, the enabled ones with their secret header values: what a call needs
    /// besides the key.
    pub async fn providers_for_calls(&self) -> Result<Vec<ProviderRow>, EngineError> {
        let mut out = Vec::new();
        for row in self.store.list_providers().await? {
            out.push(if row.enabled {
                self.with_header_secrets(row).await
            } else {
                row
            });
        }
        Ok(out)
    }

    /// Finishes the 0007 migration: moves each secret header value still in the database to
    /// the keychain, then empties it in the database. When the keychain cannot take a value,
    /// the value is removed anyway and the returned warning asks the user to enter it again:
    /// a credential left in the database file would outlive any later fix, while a blank
    /// header fails visibly and is put right in Settings.
    pub async fn secure_stored_header_values(&self) -> Result<Vec<String>, EngineError> {
        let pending = self.store.secret_header_values_in_db().await?;
        if pending.is_empty() {
            return Ok(Vec::new());
        }
        let mut warnings = Vec::new();
        for found in pending {
            let account = header_account(&found.provider_id, &found.header);
            let label = header_label(&found.provider_name, &found.header);
            let value = found.value;
            if let Err(e) = self
                .keychain
                .run(move |k| k.set(&account, &label, &value))
                .await
            {
                warnings.push(format!(
                    "The value of the header '{}' of '{}' could not be moved to the system \
                     keychain ({e}), so it was removed from the database. Enter it again under \
                     Settings → Providers.",
                    found.header, found.provider_name
                ));
            }
        }
        self.store.blank_secret_header_values().await?;
        for w in &warnings {
            tracing::warn!("{w}");
        }
        Ok(warnings)
    }
}
