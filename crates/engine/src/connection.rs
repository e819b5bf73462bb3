//! "Test connection": one authenticated call to the provider's model-list endpoint.
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::Serialize;
use ts_rs::TS;

use crate::error::{EngineError, ErrorCode};
use crate::provider::ProviderRow;
use crate::provider::{validate_base_url, ProviderKind};
use crate::providers::limits::{read_capped, size, Limits};
use crate::redact::Redactor;
use crate::secrets::Secret;

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// What a successful test found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectionReport {
    pub models: Vec<String>,
    pub model_count: u32,
    pub latency_ms: u32,
}

fn models_url(row: &ProviderRow) -> String {
    let base = row.base_url.trim_end_matches('/');
    match row.kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => format!("{base}/models"),
        ProviderKind::Anthropic => format!("{base}/v1/models"),
        ProviderKind::Gemini => format!("{base}/v1beta/models"),
    }
}

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

/// How much of a model list is read: OpenRouter's, the longest known, is a few MB.
const MAX_MODEL_LIST_BYTES: usize = 16 << 20;

pub async fn test_connection(
    row: &ProviderRow,
    key: Option<&Secret>,
) -> Result<ConnectionReport, EngineError> {
    validate_base_url(&row.base_url)?;
    let url = models_url(row);
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(5))
        .timeout(Duration::from_secs(15))
        .redirect(crate::redirect::same_origin_only())
        .build()
        .map_err(|e| {
            conn(
                ErrorCode::InvalidConfig,
                format!("Could not start an HTTP client: {e}"),
            )
        })?;
    let headers = auth_headers(row, key)?;
    let redactor = Redactor::new(key, &headers);
    let started = Instant::now();
    let response = client
        .get(&url)
        .headers(headers)
        .send()
        .await
        .map_err(|e| transport_error(&url, &e))?;
    let status = response.status();
    let cap = if status.is_success() {
        MAX_MODEL_LIST_BYTES
    } else {
        Limits::default().max_error_body_bytes
    };
    let (bytes, cut) = read_capped(response, cap).await;
    // The provider's words are shown to the user: an echo of the request must not show the key.
    let body = redactor.redact(&String::from_utf8_lossy(&bytes));
    let latency_ms = started.elapsed().as_millis().min(u32::MAX as u128) as u32;
    if status.is_success() {
        if cut {
            return Err(conn(
                ErrorCode::BadUrl,
                format!(
                    "{url} answered with a model list longer than {}. Check the base URL.",
                    size(cap)
                ),
            ));
        }
        return parse_models(&url, &body, latency_ms);
    }
    Err(status_error(
        row,
        key.is_some(),
        status.as_u16(),
        &url,
        &body,
    ))
}

fn conn(code: ErrorCode, message: String) -> EngineError {
    EngineError::coded(code, message)
}

fn transport_error(url: &str, e: &reqwest::Error) -> EngineError {
    // reqwest's Display includes the URL but never headers, so the key cannot leak here.
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_default();
    if let Some(redirect) = crate::redirect::refused(e) {
        return conn(ErrorCode::CrossOriginRedirect, format!("{redirect}."));
    }
    if e.is_timeout() {
        conn(
            ErrorCode::Timeout,
            format!("{host} did not answer in time. Check the base URL and your network."),
        )
    } else if e.is_connect() {
        let cause = std::error::Error::source(e)
            .map(|s| s.to_string())
            .unwrap_or_default();
        conn(
            ErrorCode::Unreachable,
            format!(
                "Could not reach {host} ({}). Is the server running, and is the base URL right?",
                short(&cause)
            ),
        )
    } else {
        conn(
            ErrorCode::Unreachable,
            format!("The request to {host} failed: {}", short(&e.to_string())),
        )
    }
}

fn short(s: &str) -> String {
    let s = s.lines().next().unwrap_or_default();
    s.chars().take(160).collect()
}

/// The provider's own error message, when its body has one.
fn provider_message(body: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    let msg = v
        .pointer("/error/message")
        .or_else(|| v.pointer("/message"))
        .or_else(|| v.pointer("/detail"))?
        .as_str()?;
    Some(short(msg))
}

fn status_error(
    row: &ProviderRow,
    had_key: bool,
    status: u16,
    url: &str,
    body: &str,
) -> EngineError {
    let said = provider_message(body)
        .map(|m| format!(" The provider said: \"{m}\""))
        .unwrap_or_default();
    let gemini_bad_key =
        row.kind == ProviderKind::Gemini && status == 400 && body.contains("API_KEY_INVALID");
    match status {
        401 | 403 if !had_key => conn(ErrorCode::KeyMissing,
            format!("The provider wants an API key (HTTP {status}). Add a key for '{}'.{said}", row.name),
        ),
        401 | 403 => conn(ErrorCode::AuthFailed,
            format!("The provider rejected the key (HTTP {status}). Check that the key is right and active, then replace it.{said}"),
        ),
        _ if gemini_bad_key => conn(ErrorCode::AuthFailed,
            format!("Google rejected the key (API_KEY_INVALID). Check the key and replace it.{said}"),
        ),
        404 | 405 => conn(ErrorCode::BadUrl,
            format!("{url} answered HTTP {status}: the base URL looks wrong.{}", hint(row.kind)),
        ),
        429 => conn(ErrorCode::RateLimited, format!("The provider is rate-limiting this key (HTTP 429). Try again shortly.{said}")),
        s => conn(ErrorCode::ProviderError, format!("The provider answered HTTP {s}.{said}")),
    }
}

fn hint(kind: ProviderKind) -> &'static str {
    match kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => {
            " OpenAI-compatible base URLs usually end in /v1."
        }
        ProviderKind::Anthropic => {
            " The Anthropic base URL is the host only, e.g. https://api.anthropic.com."
        }
        ProviderKind::Gemini => {
            " The Gemini base URL is the host only, e.g. https://generativelanguage.googleapis.com."
        }
    }
}

/// OpenAI and Anthropic list models under `data[].id`; Gemini under `models[].name`.
fn parse_models(url: &str, body: &str, latency_ms: u32) -> Result<ConnectionReport, EngineError> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|_| {
        conn(ErrorCode::BadUrl,
            format!("{url} answered, but not with a model list (the reply is not JSON). Check the base URL."),
        )
    })?;
    let list = v
        .get("data")
        .or_else(|| v.get("models"))
        .and_then(|l| l.as_array())
        .ok_or_else(|| {
            conn(
                ErrorCode::BadUrl,
                format!("{url} answered JSON without a model list. Check the base URL and kind."),
            )
        })?;
    let mut models: Vec<String> = list
        .iter()
        .filter_map(|m| {
            m.get("id")
                .or_else(|| m.get("name"))
                .and_then(|x| x.as_str())
        })
        .map(|s| s.trim_start_matches("models/").to_string())
        .collect();
    models.sort();
    Ok(ConnectionReport {
        model_count: models.len() as u32,
        models,
        latency_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: ProviderKind, base: &str) -> ProviderRow {
        ProviderRow {
            id: "p".into(),
            name: "P".into(),
            kind,
            preset: "custom".into(),
            base_url: base.into(),
            headers: vec![],
            enabled: true,
            header_secrets: vec![],
        }
    }

    #[test]
    fn model_urls_follow_each_api() {
        assert_eq!(
            models_url(&row(ProviderKind::Openai, "https://api.openai.com/v1/")),
            "https://api.openai.com/v1/models"
        );
        assert_eq!(
            models_url(&row(ProviderKind::Anthropic, "https://api.anthropic.com")),
            "https://api.anthropic.com/v1/models"
        );
        assert_eq!(
            models_url(&row(
                ProviderKind::Gemini,
                "https://generativelanguage.googleapis.com"
            )),
            "https://generativelanguage.googleapis.com/v1beta/models"
        );
    }

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

    #[test]
    fn parses_both_list_shapes() {
        let r = parse_models("u", r#"{"data":[{"id":"b"},{"id":"a"}]}"#, 3).unwrap();
        assert_eq!(r.models, vec!["a", "b"]);
        let r = parse_models("u", r#"{"models":[{"name":"models/gemini-2.5-flash"}]}"#, 3).unwrap();
        assert_eq!(r.models, vec!["gemini-2.5-flash"]);
        assert_eq!(
            parse_models("u", "<html>", 1).unwrap_err().code(),
            ErrorCode::BadUrl
        );
    }

    #[tokio::test]
    async fn unreachable_host_is_named() {
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        let err = test_connection(&row(ProviderKind::Openai, "http://127.0.0.1:9/v1"), None)
            .await
            .unwrap_err();
        assert_eq!(err.code(), "unreachable");
        assert!(err.to_string().contains("127.0.0.1:9"), "{err}");
    }
}
