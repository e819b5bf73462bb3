//! API keys in the OS keychain (Secret Service, macOS Keychain, Windows Credential Manager).
//! One entry per provider under the service `switchyard`; nothing is ever stored elsewhere.
use std::fmt;
use std::time::Duration;

use zeroize::Zeroize;

use crate::error::EngineError;

pub const SERVICE: &str = "switchyard";

/// A secret value. It prints as `<redacted>`, cannot be serialized, and is wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Trims the value; an empty or whitespace-only key is refused.
    pub fn new(raw: impl Into<String>) -> Result<Self, EngineError> {
        let mut raw = raw.into();
        let trimmed = raw.trim().to_string();
        raw.zeroize();
        if trimmed.is_empty() {
            return Err(EngineError::Invalid {
                field: "key".into(),
                message: "The API key is empty. Paste the key your provider gave you.".into(),
            });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(EngineError::Invalid {
                field: "key".into(),
                message: "The API key contains a line break or control character. Paste it again as one line.".into(),
            });
        }
        Ok(Self(trimmed))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, which is all the UI ever shows.
    pub fn last4(&self) -> String {
        let n = self.0.chars().count();
        self.0.chars().skip(n.saturating_sub(4)).collect()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Whether keys can be stored, and if not, why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
#[ts(export)]
pub enum KeychainStatus {
    Available,
    Unavailable { reason: String },
}

/// The keychain, addressed by account: a provider id for its key, [`header_account`] for a
/// secret header. Calls block on D-Bus, so async callers use the `*_async`
/// helpers, which also bound the wait: a locked keyring with no prompt agent can hang forever.
#[derive(Debug, Clone)]
pub struct Keychain {
    service: String,
}

impl Default for Keychain {
    fn default() -> Self {
        Self {
            service: SERVICE.into(),
        }
    }
}

const KEYCHAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The keychain account of a provider's secret header: `<provider id>/header/<name lowercased>`
/// (header names are case-insensitive, so `Authorization` and `authorization` share one entry).
pub fn header_account(provider_id: &str, header: &str) -> String {
    format!(
        "{provider_id}/header/{}",
        header.trim().to_ascii_lowercase()
    )
}

/// The label a person sees for a provider's key in their keyring manager (the Secret Service
/// item label; Windows shows it as the comment): `Switchyard: Work OpenAI`. The entry is still
/// found by its account, the provider id, so a rename only changes the label.
pub fn key_label(provider_name: &str) -> String {
    format!("Switchyard: {provider_name}")
}

/// The label of a provider's secret header value: `Switchyard: Work OpenAI, header X-Token`.
pub fn header_label(provider_name: &str, header: &str) -> String {
    format!("Switchyard: {provider_name}, header {}", header.trim())
}

impl Keychain {
    fn entry(&self, account: &str) -> Result<keyring::Entry, EngineError> {
        keyring::Entry::new(&self.service, account).map_err(unavailable)
    }

    /// Stores `secret` under `account`, labelled `label`.
    pub fn set(&self, account: &str, label: &str, secret: &Secret) -> Result<(), EngineError> {
        let entry = self.entry(account)?;
        entry.set_password(secret.expose()).map_err(unavailable)?;
        set_label(&entry, label)
    }

    /// Gives the entry of `account`, when there is one, the label `label`.
    pub fn relabel(&self, account: &str, label: &str) -> Result<(), EngineError> {
        set_label(&self.entry(account)?, label)
    }

    /// The label of the entry of `account`, where the platform keeps one (the Secret Service).
    pub fn label(&self, account: &str) -> Result<Option<String>, EngineError> {
        match self.entry(account)?.get_attributes() {
            Ok(attributes) => Ok(attributes.get("label").cloned()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    pub fn get(&self, provider_id: &str) -> Result<Option<Secret>, EngineError> {
        match self.entry(provider_id)?.get_password() {
            Ok(value) => Ok(Secret::new(value).ok()),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Removes the key; removing a key that is not there is not an error.
    pub fn delete(&self, provider_id: &str) -> Result<(), EngineError> {
        match self.entry(provider_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// Probes the keychain with a read of an entry that never exists.
    pub fn status(&self) -> KeychainStatus {
        match self.get("__switchyard_probe__") {
            Ok(_) => KeychainStatus::Available,
            Err(e) => KeychainStatus::Unavailable {
                reason: e.to_string(),
            },
        }
    }

    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Keychain) -> Result<T, EngineError> + Send + 'static,
    ) -> Result<T, EngineError> {
        let this = self.clone();
        let task = tokio::task::spawn_blocking(move || f(&this));
        match tokio::time::timeout(KEYCHAIN_TIMEOUT, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(EngineError::KeychainUnavailable(join.to_string())),
            Err(_) => Err(EngineError::KeychainUnavailable(
                "the keychain did not answer within 10 seconds; it may be locked".into(),
            )),
        }
    }

    pub async fn status_async(&self) -> KeychainStatus {
        match self.run(|k| Ok(k.status())).await {
            Ok(s) => s,
            Err(e) => KeychainStatus::Unavailable {
                reason: e.to_string(),
            },
        }
    }
}

/// keyring creates an entry with a label of its own ("<account>@switchyard:default (keyring
/// v3…)"); this replaces it. On the Secret Service `label` is the item's label; Windows keeps it
/// as the credential's comment; macOS has no such attribute and ignores both.
fn set_label(entry: &keyring::Entry, label: &str) -> Result<(), EngineError> {
    let attributes = std::collections::HashMap::from([("label", label), ("comment", label)]);
    match entry.update_attributes(&attributes) {
        Ok(()) => Ok(()),
        Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

/// keyring's errors never contain the secret, only the platform's reason.
fn unavailable(e: keyring::Error) -> EngineError {
    let reason = match &e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            let text = inner.to_string();
            if text.contains("org.freedesktop.DBus")
                || text.to_lowercase().contains("d-bus")
                || text.contains("dbus")
            {
                format!("no Secret Service is running on the session bus ({text}). Install and unlock a keyring such as GNOME Keyring or KeePassXC")
            } else {
                text
            }
        }
        other => other.to_string(),
    };
    EngineError::KeychainUnavailable(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("sk-very-secret-1234").unwrap();
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(s.last4(), "1234");
    }

    #[test]
    fn empty_and_whitespace_keys_are_refused() {
        for bad in ["", "   ", "\n\t"] {
            let e = Secret::new(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_input");
        }
        assert!(Secret::new("ab\ncd").is_err());
        assert_eq!(Secret::new("  sk-abc \n").unwrap().expose(), "sk-abc");
    }

    #[test]
    fn short_keys_show_what_they_have() {
        assert_eq!(Secret::new("ab").unwrap().last4(), "ab");
        assert_eq!(Secret::new("ключ-ÅÄÖé").unwrap().last4(), "ÅÄÖé");
    }
}
