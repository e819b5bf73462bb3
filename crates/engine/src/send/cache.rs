//! Providers, their key state and their keys, kept in memory for a short while: the local
//! endpoint would otherwise ask the database and the keychain (a D-Bus round trip per provider)
//! for every request. Keys stay [`Secret`]s, wiped when the snapshot is dropped.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error::EngineError;
use crate::provider::Provider;
use crate::secrets::Secret;
use crate::settings::Settings;

pub struct Snapshot {
    pub providers: Vec<Provider>,
    /// Provider id → key, for the providers that have one.
    pub keys: HashMap<String, Secret>,
    at: Instant,
}

pub struct ProviderCache {
    fresh_for: Duration,
    slot: Mutex<Option<Arc<Snapshot>>>,
}

impl ProviderCache {
    pub fn new(fresh_for: Duration) -> Self {
        Self {
            fresh_for,
            slot: Mutex::new(None),
        }
    }

    /// The snapshot, read again when it is older than `fresh_for`. Requests arriving during a
    /// read wait for it rather than each reading the keychain.
    pub async fn get(&self, settings: &Settings) -> Result<Arc<Snapshot>, EngineError> {
        let mut slot = self.slot.lock().await;
        if let Some(s) = slot.as_ref().filter(|s| s.at.elapsed() < self.fresh_for) {
            return Ok(s.clone());
        }
        let providers = super::read_providers(settings).await?;
        let mut keys = HashMap::new();
        for p in providers.iter().filter(|p| p.enabled) {
            if let Ok(Some(key)) = settings.key(&p.id).await {
                keys.insert(p.id.clone(), key);
            }
        }
        let fresh = Arc::new(Snapshot {
            providers,
            keys,
            at: Instant::now(),
        });
        *slot = Some(fresh.clone());
        Ok(fresh)
    }
}
