//! Providers, their key state and their keys, and the send settings (baseline model, whether a
//! budget downgrades), kept in memory for a short while: the local endpoint would otherwise ask
//! the database and the keychain (a D-Bus round trip per provider) for every request. Budgets
//! themselves are still checked in the database before every call. A stale copy is read again in the background while requests go on with
//! it, so no request waits on the keychain once the first copy is made. Keys stay [`Secret`]s,
//! wiped when the snapshot is dropped.
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use tokio::time::Instant;

use crate::error::EngineError;
use crate::provider::Provider;
use crate::secrets::Secret;
use crate::settings::Settings;

pub struct Snapshot {
    pub providers: Vec<Provider>,
    /// Provider id → key, for the providers that have one.
    pub keys: HashMap<String, Secret>,
    /// [`crate::store::Store::send_settings`]: the baseline model, and whether any budget
    /// downgrades.
    pub send: (Option<String>, bool),
    at: Instant,
}

pub struct ProviderCache {
    fresh_for: Duration,
    slot: RwLock<Option<Arc<Snapshot>>>,
    refreshing: AtomicBool,
}

impl ProviderCache {
    pub fn new(fresh_for: Duration) -> Self {
        Self {
            fresh_for,
            slot: RwLock::new(None),
            refreshing: AtomicBool::new(false),
        }
    }

    /// The snapshot. The first call reads it; later ones get the copy in memory, and one of
    /// them starts a read in the background when the copy is older than `fresh_for`.
    pub async fn get(self: &Arc<Self>, settings: &Settings) -> Result<Arc<Snapshot>, EngineError> {
        let current = self.slot.read().expect("provider cache").clone();
        match current {
            Some(s) => {
                if s.at.elapsed() >= self.fresh_for && !self.refreshing.swap(true, Ordering::AcqRel)
                {
                    let (this, settings) = (self.clone(), settings.clone());
                    tokio::spawn(async move {
                        match read(&settings).await {
                            Ok(fresh) => *this.slot.write().expect("provider cache") = Some(fresh),
                            Err(e) => {
                                tracing::warn!(error = %e, "could not read the providers again")
                            }
                        }
                        this.refreshing.store(false, Ordering::Release);
                    });
                }
                Ok(s)
            }
            None => {
                let fresh = read(settings).await?;
                *self.slot.write().expect("provider cache") = Some(fresh.clone());
                Ok(fresh)
            }
        }
    }
}

async fn read(settings: &Settings) -> Result<Arc<Snapshot>, EngineError> {
    let providers = super::read_providers(settings).await?;
    let mut keys = HashMap::new();
    for p in providers.iter().filter(|p| p.enabled) {
        if let Ok(Some(key)) = settings.key(&p.id).await {
            keys.insert(p.id.clone(), key);
        }
    }
    Ok(Arc::new(Snapshot {
        send: settings.store.send_settings().await?,
        providers,
        keys,
        at: Instant::now(),
    }))
}
