//! The endpoint's bearer tokens: made here, the secret kept only in the keychain (account
//! `endpoint-token/<random id>`), the names in the database so they can be listed and revoked.
//! [`TokenGate`] holds the live tokens in memory and compares in constant time.
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;
use switchyard_engine::secrets::Secret;
use switchyard_engine::settings::Settings;
use switchyard_engine::store::endpoint::TokenName;
use switchyard_engine::EngineError;

/// How long a server trusts its copy of the tokens: a token revoked in another process stops
/// working within this long (at once in the same process).
pub const REFRESH_EVERY: Duration = Duration::from_secs(2);

fn account(id: &str) -> String {
    format!("endpoint-token/{id}")
}

/// Checks a token name: what the Spend screen shows as the client.
pub fn check_name(name: &str) -> Result<String, EngineError> {
    let name = name.trim();
    let invalid = |message: &str| EngineError::Invalid {
        field: "name".into(),
        message: message.into(),
    };
    if name.is_empty() {
        return Err(invalid(
            "Give the token a name, such as the tool that will use it (\"vscode\").",
        ));
    }
    if name.chars().count() > 64 {
        return Err(invalid("A token name is at most 64 characters."));
    }
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'))
    {
        return Err(invalid(
            "A token name may hold letters, digits, spaces, '-', '_' and '.' only.",
        ));
    }
    Ok(name.to_string())
}

/// Makes a token named `name`: its secret goes to the keychain, its name to the database.
/// The secret is returned once, to be shown once.
pub async fn create(settings: &Settings, name: &str) -> Result<Secret, EngineError> {
    let name = check_name(name)?;
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| {
        EngineError::coded(
            switchyard_engine::ErrorCode::Io,
            format!("the system's random source failed: {e}"),
        )
    })?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let secret = Secret::new(format!("sy-{hex}"))?;
    let id = uuid::Uuid::new_v4().simple().to_string();
    if !settings.store.add_token_name(&name, &id).await? {
        return Err(EngineError::Conflict(format!(
            "There is already a token named '{name}'. Pick another name, or revoke that one first."
        )));
    }
    let stored = {
        let (account, secret) = (account(&id), secret.clone());
        let label = format!("Switchyard: endpoint token {name}");
        settings
            .keychain
            .run(move |k| k.set(&account, &label, &secret))
            .await
    };
    if let Err(e) = stored {
        // Nothing half-made: the name goes with the secret that could not be stored.
        settings.store.remove_token_name(&name).await?;
        return Err(e);
    }
    Ok(secret)
}

/// The tokens' names, oldest first.
pub async fn list(settings: &Settings) -> Result<Vec<TokenName>, EngineError> {
    settings.store.token_names().await
}

/// Revokes the token `name`: its secret leaves the keychain and its name the database.
pub async fn revoke(settings: &Settings, name: &str) -> Result<(), EngineError> {
    let name = name.trim().to_string();
    let Some((_, id)) = settings
        .store
        .token_ids()
        .await?
        .into_iter()
        .find(|(n, _)| *n == name)
    else {
        return Err(EngineError::NotFound(format!(
            "There is no token named '{name}'. `switchyard tokens list` shows their names."
        )));
    };
    let acct = account(&id);
    settings.keychain.run(move |k| k.delete(&acct)).await?;
    settings.store.remove_token_name(&name).await?;
    Ok(())
}

struct Loaded {
    tokens: Vec<(String, Secret)>,
    at: Instant,
    /// When the read that made this copy began: a token made before then is in it.
    read_from: Instant,
}

/// The tokens a running endpoint accepts, read from the keychain and kept in memory.
pub struct TokenGate {
    settings: Settings,
    loaded: RwLock<Loaded>,
    reloading: tokio::sync::Mutex<()>,
}

impl TokenGate {
    pub async fn new(settings: Settings) -> Result<Self, EngineError> {
        let started = Instant::now();
        let tokens = read_all(&settings).await?;
        Ok(Self {
            settings,
            loaded: RwLock::new(Loaded {
                tokens,
                at: Instant::now(),
                read_from: started,
            }),
            reloading: tokio::sync::Mutex::new(()),
        })
    }

    /// Reads the tokens again (after a create or a revoke in this process).
    pub async fn reload(&self) -> Result<(), EngineError> {
        let _one = self.reloading.lock().await;
        let started = Instant::now();
        let tokens = read_all(&self.settings).await?;
        *self.loaded.write().expect("tokens") = Loaded {
            tokens,
            at: Instant::now(),
            read_from: started,
        };
        Ok(())
    }

    fn age(&self) -> Duration {
        self.loaded.read().expect("tokens").at.elapsed()
    }

    fn find(&self, presented: &str) -> Option<String> {
        let loaded = self.loaded.read().expect("tokens");
        let mut found = None;
        // Every token is compared, each in constant time, so timing says nothing of which
        // (or how much of one) matched.
        for (name, secret) in &loaded.tokens {
            if bool::from(presented.as_bytes().ct_eq(secret.expose().as_bytes())) {
                found = Some(name.clone());
            }
        }
        found
    }

    /// The name of the token `presented`, or None when no live token matches. A copy older
    /// than [`REFRESH_EVERY`] is read again in the background; requests do not wait for it.
    pub async fn check(self: &Arc<Self>, presented: &str) -> Option<String> {
        let asked = Instant::now();
        if self.age() >= REFRESH_EVERY {
            let this = self.clone();
            tokio::spawn(async move { this.reload_quietly().await });
        }
        if let Some(name) = self.find(presented) {
            return Some(name);
        }
        // A token made a moment ago in another process (the app or `switchyard tokens create`):
        // read them again, unless a read that began after this request came has finished. Misses
        // arriving together share one read.
        self.reload_since(asked).await;
        self.find(presented)
    }

    async fn reload_since(&self, asked: Instant) {
        let _one = self.reloading.lock().await;
        if self.loaded.read().expect("tokens").read_from >= asked {
            return;
        }
        let started = Instant::now();
        self.store(read_all(&self.settings).await, started);
    }

    fn store(&self, read: Result<Vec<(String, Secret)>, EngineError>, started: Instant) {
        match read {
            Ok(tokens) => {
                *self.loaded.write().expect("tokens") = Loaded {
                    tokens,
                    at: Instant::now(),
                    read_from: started,
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the endpoint's tokens"),
        }
    }

    async fn reload_quietly(&self) {
        // One reload at a time; the others keep using the copy they have.
        let Ok(_one) = self.reloading.try_lock() else {
            return;
        };
        let started = Instant::now();
        self.store(read_all(&self.settings).await, started);
    }
}

async fn read_all(settings: &Settings) -> Result<Vec<(String, Secret)>, EngineError> {
    let ids = settings.store.token_ids().await?;
    settings
        .keychain
        .run(move |k| {
            let mut out = Vec::new();
            for (name, id) in ids {
                if let Some(secret) = k.get(&account(&id))? {
                    out.push((name, secret));
                }
            }
            Ok(out)
        })
        .await
}
