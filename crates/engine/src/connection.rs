//! "Test connection": one authenticated call to the provider's model-list endpoint.
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{EngineError, ErrorCode};
use crate::provider::ProviderRow;
use crate::provider::{validate_base_url, ProviderKind};
use crate::providers::auth::auth_headers;
use crate::providers::error::network_failure;
use crate::providers::limits::{read_capped, size, Limits};
use crate::redact::Redactor;
use crate::secrets::Secret;

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
        conn(ErrorCode::Unreachable, format!("{}.", network_failure(e)))
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
    use crate::provider::test_row as row;

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
