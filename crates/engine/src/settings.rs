//! Provider settings as the app and the CLI use them: the table plus the keychain, kept in step.
//! Keys and secret header values live only in the keychain; see `settings/headers.rs` for the
//! latter.
use crate::error::EngineError;
use crate::provider::ProviderRow;
use crate::provider::{KeyInfo, Provider, ProviderInput, ServedModels};
use crate::secrets::{header_account, header_label, key_label, Keychain, KeychainStatus, Secret};

mod headers;
mod model_lists;
use crate::store::Store;

#[derive(Debug, Clone)]
pub struct Settings {
    pub store: Store,
    pub keychain: Keychain,
}

impl Settings {
    pub fn new(store: Store, keychain: Keychain) -> Self {
        Self { store, keychain }
    }

    /// What may be shown of the keychain entry `account`: a key or a secret header value.
    async fn key_info(&self, account: &str) -> KeyInfo {
        let account = account.to_string();
        match self.keychain.run(move |k| k.get(&account)).await {
            Ok(Some(secret)) => KeyInfo::Set {
                last4: secret.last4(),
            },
            Ok(None) => KeyInfo::Missing,
            Err(e) => KeyInfo::Unavailable {
                reason: e.to_string(),
            },
        }
    }

    async fn with_key(&self, row: ProviderRow) -> Provider {
        let models = match self.store.provider_models().await {
            Ok(mut all) => all.remove(&row.id),
            Err(_) => None,
        };
        self.with_key_and_models(row, models).await
    }

    async fn with_key_and_models(
        &self,
        row: ProviderRow,
        models: Option<ServedModels>,
    ) -> Provider {
        let key = self.key_info(&row.id).await;
        let headers = self.header_infos(&row).await;
        Provider {
            row,
            headers,
            key,
            models,
        }
    }

    pub async fn list(&self) -> Result<Vec<Provider>, EngineError> {
        // A database opened read-only before this table existed has no lists: all assumed served.
        let mut models = self.store.provider_models().await.unwrap_or_default();
        let mut out = Vec::new();
        for row in self.store.list_providers().await? {
            let served = models.remove(&row.id);
            out.push(self.with_key_and_models(row, served).await);
        }
        Ok(out)
    }

    pub async fn get(&self, id: &str) -> Result<Provider, EngineError> {
        let row = self.store.provider(id).await?;
        Ok(self.with_key(row).await)
    }

    /// Adds a provider, its key when one is given, and its secret header values. A key or value
    /// that cannot be stored undoes the add, so a failure leaves nothing half-saved.
    pub async fn add(
        &self,
        input: ProviderInput,
        key: Option<String>,
    ) -> Result<Provider, EngineError> {
        let secret = key.map(Secret::new).transpose()?;
        let input = input.validated()?;
        let header_values = headers::values_to_store(&input);
        let row = self.store.insert_provider(input).await?;
        let stored = match secret {
            Some(secret) => self.store_key(&row, secret).await,
            None => Ok(()),
        };
        let stored = match stored {
            Ok(()) => {
                self.store_header_values(&row.id, &row.name, header_values)
                    .await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = stored {
            self.forget_secrets(&row).await;
            self.store.delete_provider(&row.id).await?;
            return Err(e);
        }
        Ok(self.with_key(row).await)
    }

    /// Saves the settings. New secret header values go to the keychain first, so a keychain
    /// failure leaves the provider as it was; entries of headers that are gone or no longer
    /// secret are deleted afterwards.
    pub async fn update(&self, id: &str, input: ProviderInput) -> Result<Provider, EngineError> {
        let input = input.validated()?;
        let before = self.store.provider(id).await?;
        self.store_header_values(id, &input.name, headers::values_to_store(&input))
            .await?;
        let row = self.store.update_provider(id, input).await?;
        self.delete_dropped_header_values(&before, &row).await;
        if row.name != before.name {
            self.relabel(&row).await;
        }
        Ok(self.with_key(row).await)
    }

    pub async fn set_enabled(&self, id: &str, enabled: bool) -> Result<Provider, EngineError> {
        self.store.set_provider_enabled(id, enabled).await?;
        self.get(id).await
    }

    /// Removes the provider and its key. When the keychain cannot be reached the provider is
    /// still removed (a user must never be stuck with it) and the returned warning says which
    /// keychain entry is left for them to delete.
    pub async fn remove(&self, id: &str) -> Result<Option<String>, EngineError> {
        let row = self.store.provider(id).await?;
        self.forget_header_values(&row).await;
        let owned = id.to_string();
        let warning = match self.keychain.run(move |k| k.delete(&owned)).await {
            Ok(()) => None,
            Err(EngineError::KeychainUnavailable(reason)) => Some(format!(
                "{} was removed, but its key could not be deleted from the system keychain ({reason}). \
                 Delete the entry for service 'switchyard', account '{id}' with your keyring manager.",
                row.name
            )),
            Err(e) => return Err(e),
        };
        self.store.delete_provider(id).await?;
        Ok(warning)
    }

    async fn store_key(&self, row: &ProviderRow, secret: Secret) -> Result<(), EngineError> {
        let id = row.id.clone();
        let label = key_label(&row.name);
        self.keychain
            .run(move |k| k.set(&id, &label, &secret))
            .await
    }

    /// After a rename, the key's and the secret headers' keychain labels follow the new name.
    /// A failure is logged: the entries are still found by id, only their labels are old.
    async fn relabel(&self, row: &ProviderRow) {
        if let Err(e) = self.try_relabel(row).await {
            tracing::warn!(provider = %row.name, error = %e, "keychain labels not updated");
        }
    }

    async fn try_relabel(&self, row: &ProviderRow) -> Result<(), EngineError> {
        let mut labels = vec![(row.id.clone(), key_label(&row.name))];
        labels.extend(row.headers.iter().filter(|h| h.secret).map(|h| {
            (
                header_account(&row.id, &h.name),
                header_label(&row.name, &h.name),
            )
        }));
        self.keychain
            .run(move |k| {
                labels
                    .iter()
                    .try_for_each(|(account, label)| k.relabel(account, label))
            })
            .await
    }

    /// Gives the keychain entries stored before they were labelled by name (keyring's own
    /// label, "<id>@switchyard:default …") their `Switchyard: <provider name>` labels, once per
    /// database: again at the next start only when the keychain could not be reached.
    pub async fn label_keychain_entries_once(&self) -> Result<bool, EngineError> {
        const DONE: &str = "keychain.labelled_by_name";
        if self.store.setting(DONE).await?.is_some() {
            return Ok(false);
        }
        for row in self.store.list_providers().await? {
            self.try_relabel(&row).await?;
        }
        self.store.set_setting(DONE, "1").await?;
        Ok(true)
    }

    pub async fn set_key(&self, id: &str, key: String) -> Result<Provider, EngineError> {
        let secret = Secret::new(key)?;
        let row = self.store.provider(id).await?;
        self.store_key(&row, secret).await?;
        self.get(id).await
    }

    pub async fn delete_key(&self, id: &str) -> Result<Provider, EngineError> {
        self.store.provider(id).await?;
        let owned = id.to_string();
        self.keychain.run(move |k| k.delete(&owned)).await?;
        self.get(id).await
    }

    /// The stored key, for making calls. Never leaves the engine.
    pub async fn key(&self, id: &str) -> Result<Option<Secret>, EngineError> {
        let owned = id.to_string();
        self.keychain.run(move |k| k.get(&owned)).await
    }

    pub async fn keychain_status(&self) -> KeychainStatus {
        self.keychain.status_async().await
    }
}
