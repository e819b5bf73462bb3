//! The headers every call to a provider carries: its extra headers, its API version, and the
//! key in the header its API expects. Values holding a credential are marked sensitive.
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::error::EngineError;
use crate::provider::{ProviderKind, ProviderRow};
use crate::secrets::Secret;

/// The Anthropic API version Switchyard speaks.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// Authentication and extra headers for `row`. Header values holding the key or a secret
/// header (read from the keychain into `row.header_secrets`) are marked sensitive so reqwest
/// never prints them; a secret header with no value read is not sent.
pub fn auth_headers(row: &ProviderRow, key: Option<&Secret>) -> Result<HeaderMap, EngineError> {
    let mut headers = HeaderMap::new();
    for h in &row.headers {
        let value = if h.secret {
            let stored = row.header_secrets.iter().find(|(n, _)| n == &h.name);
            let Some((_, secret)) = stored else { continue };
            secret.expose()
        } else {
            h.value.as_str()
        };
        let name = HeaderName::from_bytes(h.name.as_bytes());
        match (name, HeaderValue::from_str(value)) {
            (Ok(n), Ok(mut v)) => {
                // A credential in an extra header (an Azure `api-key`, a proxy token) is kept
                // out of debug output and masked in errors like the key itself.
                v.set_sensitive(h.secret || looks_secret(n.as_str()));
                headers.insert(n, v);
            }
            _ => {
                return Err(EngineError::Invalid {
                    field: "headers".into(),
                    message: format!("The extra header '{}' is not valid.", h.name),
                })
            }
        }
    }
    if row.kind == ProviderKind::Anthropic {
        headers.insert(
            "anthropic-version",
            HeaderValue::from_static(ANTHROPIC_VERSION),
        );
    }
    if let Some(key) = key {
        let (name, value) = match row.kind {
            ProviderKind::Openai | ProviderKind::OpenaiCompatible => {
                ("authorization", format!("Bearer {}", key.expose()))
            }
            ProviderKind::Anthropic => ("x-api-key", key.expose().to_string()),
            ProviderKind::Gemini => ("x-goog-api-key", key.expose().to_string()),
        };
        let mut value = HeaderValue::from_str(&value).map_err(|_| EngineError::Invalid {
            field: "key".into(),
            message: "The stored key has characters that cannot be sent in a header. Replace it."
                .into(),
        })?;
        value.set_sensitive(true);
        headers.insert(name, value);
    }
    Ok(headers)
}

/// Header names that carry credentials, by the words they use.
fn looks_secret(name: &str) -> bool {
    ["auth", "key", "token", "secret", "password", "cookie"]
        .iter()
        .any(|w| name.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::test_row as row;

    #[test]
    fn key_headers_are_sensitive_and_per_kind() {
        let key = Secret::new("sk-abcdef").unwrap();
        let h = auth_headers(&row(ProviderKind::Anthropic, "https://a.b"), Some(&key)).unwrap();
        assert!(h["x-api-key"].is_sensitive());
        assert_eq!(h["anthropic-version"], ANTHROPIC_VERSION);
        let h = auth_headers(&row(ProviderKind::Openai, "https://a.b"), Some(&key)).unwrap();
        assert_eq!(h["authorization"].to_str().unwrap(), "Bearer sk-abcdef");
        assert!(!format!("{h:?}").contains("abcdef"));
    }

    #[test]
    fn secret_headers_come_from_the_keychain_values_and_are_sensitive() {
        use crate::provider::Header;
        let mut r = row(ProviderKind::OpenaiCompatible, "https://a.b");
        let header = |name: &str, secret| Header {
            name: name.into(),
            value: if secret {
                String::new()
            } else {
                "plain".into()
            },
            secret,
        };
        r.headers = vec![
            header("X-Title", false),
            header("X-Team-Token", true),
            header("Cookie", true),
        ];
        r.header_secrets = vec![("X-Team-Token".into(), Secret::new("tok-5150").unwrap())];
        let h = auth_headers(&r, None).unwrap();
        assert_eq!(h["x-title"], "plain");
        assert!(!h["x-title"].is_sensitive());
        assert_eq!(h["x-team-token"], "tok-5150");
        assert!(h["x-team-token"].is_sensitive());
        assert!(
            !h.contains_key("cookie"),
            "a secret header without a value is not sent"
        );
        assert!(!format!("{h:?}").contains("5150"));
    }
}
