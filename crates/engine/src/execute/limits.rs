//! The limits of [`Policy`] a user can change, read from the `settings` table (keys
//! `limits.*`), and the byte limits handed to the provider adapters.
use std::time::Duration;

use super::Policy;
use crate::providers::Limits;
use crate::store::Store;

/// The setting keys, each with what it sets. Durations are in seconds, sizes in bytes.
pub const KEYS: [&str; 7] = [
    "limits.max_line_bytes",
    "limits.max_error_body_bytes",
    "limits.max_reply_bytes",
    "limits.request_deadline_secs",
    "limits.first_token_timeout_secs",
    "limits.reasoning_first_token_timeout_secs",
    "limits.chunk_timeout_secs",
];

impl Policy {
    /// The defaults with whatever limits the user saved. A value that is not a positive whole
    /// number, or a key this version does not know, keeps the default and logs a warning.
    pub async fn with_overrides(store: &Store) -> Self {
        let mut policy = Self::default();
        let rows: Vec<(String, String)> =
            match sqlx::query_as("SELECT key, value FROM settings WHERE key LIKE 'limits.%'")
                .fetch_all(store.pool())
                .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!("could not read the limits settings, using defaults: {e}");
                    return policy;
                }
            };
        for (key, value) in rows {
            if !policy.set(&key, &value) {
                tracing::warn!("ignoring the setting {key} = {value:?}: not a known limit with a positive whole number");
            }
        }
        policy
    }

    /// Sets one limit from its setting; false when the key or value is not usable.
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        let Some(n) = value.trim().parse::<u64>().ok().filter(|n| *n > 0) else {
            return false;
        };
        let bytes = usize::try_from(n).unwrap_or(usize::MAX);
        let secs = Duration::from_secs(n);
        match key {
            "limits.max_line_bytes" => self.max_line_bytes = bytes,
            "limits.max_error_body_bytes" => self.max_error_body_bytes = bytes,
            "limits.max_reply_bytes" => self.max_reply_bytes = bytes,
            "limits.request_deadline_secs" => self.request_deadline = secs,
            "limits.first_token_timeout_secs" => self.first_token_timeout = secs,
            "limits.reasoning_first_token_timeout_secs" => {
                self.reasoning_first_token_timeout = secs
            }
            "limits.chunk_timeout_secs" => self.chunk_timeout = secs,
            _ => return false,
        }
        true
    }

    /// The byte limits for the provider adapters.
    pub fn limits(&self) -> Limits {
        Limits {
            max_line_bytes: self.max_line_bytes,
            max_error_body_bytes: self.max_error_body_bytes,
            max_reply_bytes: self.max_reply_bytes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_sets_its_limit_and_bad_values_keep_the_default() {
        let mut p = Policy::default();
        for key in KEYS {
            assert!(p.set(key, "7"), "{key}");
        }
        assert_eq!(p.max_reply_bytes, 7);
        assert_eq!(p.request_deadline, Duration::from_secs(7));
        let mut p = Policy::default();
        assert!(!p.set("limits.max_reply_bytes", "-1"));
        assert!(!p.set("limits.max_reply_bytes", "0"));
        assert!(!p.set("limits.max_reply_bytes", "lots"));
        assert!(!p.set("limits.unknown", "5"));
        assert_eq!(p.max_reply_bytes, Policy::default().max_reply_bytes);
    }
}
