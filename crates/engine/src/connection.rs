//! "Test connection": one authenticated call to the provider's model-list endpoint.
use std::time::{Duration, Instant};

use serde::Serialize;
use ts_rs::TS;

use crate::error::{EngineError, ErrorCode};
use crate::provider::ProviderRow;
use crate::provider::{validate_base_url, ProviderKind};
use crate::providers::auth::auth_headers;
use crate::providers::error::{host_of_base, network_failure};
use crate::providers::limits::{read_capped, size, Limits};
use crate::redact::Redactor;
use crate::secrets::Secret;

/// What a successful test found.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ConnectionReport {
    /// Every model the provider listed, sorted.
    pub models: Vec<String>,
    pub model_count: u32,
    pub latency_ms: u32,
    /// The listed models the catalog has no entry for (filled in by `Settings::test_connection`).
    pub not_in_catalog: Vec<String>,
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

/// Anthropic and Gemini hand out their lists a page at a time; this many per page (the most
/// either allows), and at most `MAX_PAGES` pages.
const PAGE_SIZE: u32 = 1000;
const MAX_PAGES: usize = 20;

pub async fn test_connection(
    row: &ProviderRow,
    key: Option<&Secret>,
) -> Result<ConnectionReport, EngineError> {
    list_models(row, key, PAGE_SIZE).await
}

/// The query that asks for one page: its size, and where the previous page ended.
fn page_query(
    kind: ProviderKind,
    page_size: u32,
    cursor: Option<&str>,
) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    match kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => {}
        ProviderKind::Anthropic => {
            query.push(("limit", page_size.to_string()));
            if let Some(after) = cursor {
                query.push(("after_id", after.to_string()));
            }
        }
        ProviderKind::Gemini => {
            query.push(("pageSize", page_size.to_string()));
            if let Some(token) = cursor {
                query.push(("pageToken", token.to_string()));
            }
        }
    }
    query
}

/// Where the next page starts, when the provider says there is one.
fn next_cursor(kind: ProviderKind, page: &serde_json::Value) -> Option<String> {
    let text = |p: &str| {
        page.pointer(p)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    match kind {
        ProviderKind::Anthropic if page["has_more"].as_bool() == Some(true) => {
            text("/last_id").map(str::to_string)
        }
        ProviderKind::Gemini => text("/nextPageToken").map(str::to_string),
        _ => None,
    }
}

async fn list_models(
    row: &ProviderRow,
    key: Option<&Secret>,
    page_size: u32,
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
    let mut models = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let response = client
            .get(&url)
            .query(&page_query(row.kind, page_size, cursor.as_deref()))
            .headers(headers.clone())
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
        if !status.is_success() {
            return Err(status_error(
                row,
                key.is_some(),
                status.as_u16(),
                &url,
                &body,
            ));
        }
        if cut {
            return Err(conn(
                ErrorCode::BadUrl,
                format!(
                    "{url} answered with a model list longer than {}. Check the base URL.",
                    size(cap)
                ),
            ));
        }
        let page = parse_page(&url, &body)?;
        models.extend(page_models(&page));
        cursor = next_cursor(row.kind, &page);
        if cursor.is_none() {
            break;
        }
    }
    models.sort();
    models.dedup();
    Ok(ConnectionReport {
        model_count: models.len() as u32,
        models,
        latency_ms: started.elapsed().as_millis().min(u32::MAX as u128) as u32,
        not_in_catalog: Vec::new(),
    })
}

fn conn(code: ErrorCode, message: String) -> EngineError {
    EngineError::coded(code, message)
}

fn transport_error(url: &str, e: &reqwest::Error) -> EngineError {
    // reqwest's Display includes the URL but never headers, so the key cannot leak here.
    let host = host_of_base(url);
    if let Some(redirect) = crate::redirect::refused(e) {
        return conn(ErrorCode::CrossOriginRedirect, format!("{redirect}."));
    }
    if e.is_timeout() {
        conn(ErrorCode::Timeout, sentence(network_failure(e)))
    } else if e.is_connect() {
        conn(ErrorCode::Unreachable, sentence(network_failure(e)))
    } else {
        conn(
            ErrorCode::Unreachable,
            format!("The request to {host} failed: {}", short(&e.to_string())),
        )
    }
}

/// Ends `text` with a full stop unless it already ends a sentence ("… is the server running?").
fn sentence(text: String) -> String {
    if text.ends_with(['.', '?', '!']) {
        text
    } else {
        format!("{text}.")
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
            format!("{url} answered HTTP {status} (no model list there).{}{said}", hint(row)),
        ),
        429 => conn(ErrorCode::RateLimited, format!("The provider is rate-limiting this key (HTTP 429). Try again shortly.{said}")),
        s => conn(ErrorCode::ProviderError, format!("The provider answered HTTP {s}.{said}")),
    }
}

/// What a 404 at the model list suggests, from the base URL as given: a URL of the usual shape
/// is not blamed; the server may simply not be the kind chosen, or not list models.
fn hint(row: &ProviderRow) -> String {
    let path = reqwest::Url::parse(&row.base_url)
        .map(|u| u.path().trim_end_matches('/').to_string())
        .unwrap_or_default();
    let host_only = |kind: &str, example: &str| {
        if path.is_empty() {
            format!(" The base URL is the host only, as {kind} expects: check that this server speaks the {kind} API, or that a proxy in front of it passes the path on.")
        } else {
            format!(" The {kind} base URL is usually the host only, e.g. {example}: try it without '{path}'.")
        }
    };
    match row.kind {
        ProviderKind::Openai | ProviderKind::OpenaiCompatible if path.ends_with("/v1") => {
            " The base URL ends in /v1 as usual: this server may not list its models. Chat can still work; try sending a message.".into()
        }
        ProviderKind::Openai | ProviderKind::OpenaiCompatible => {
            " OpenAI-compatible base URLs usually end in /v1.".into()
        }
        ProviderKind::Anthropic => host_only("Anthropic", "https://api.anthropic.com"),
        ProviderKind::Gemini => host_only("Gemini", "https://generativelanguage.googleapis.com"),
    }
}

/// One page of a model list: JSON with the list under `data` (OpenAI, Anthropic) or `models`
/// (Gemini).
fn parse_page(url: &str, body: &str) -> Result<serde_json::Value, EngineError> {
    let v: serde_json::Value = serde_json::from_str(body).map_err(|_| {
        conn(ErrorCode::BadUrl,
            format!("{url} answered, but not with a model list (the reply is not JSON). Check the base URL."),
        )
    })?;
    if !v
        .get("data")
        .or_else(|| v.get("models"))
        .is_some_and(|l| l.is_array())
    {
        return Err(conn(
            ErrorCode::BadUrl,
            format!("{url} answered JSON without a model list. Check the base URL and kind."),
        ));
    }
    Ok(v)
}

/// The model ids of a page: `data[].id`, or Gemini's `models[].name` without `models/`.
fn page_models(page: &serde_json::Value) -> Vec<String> {
    page.get("data")
        .or_else(|| page.get("models"))
        .and_then(|l| l.as_array())
        .into_iter()
        .flatten()
        .filter_map(|m| {
            m.get("id")
                .or_else(|| m.get("name"))
                .and_then(|x| x.as_str())
        })
        .map(|s| s.trim_start_matches("models/").to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::provider::test_row as row;

    #[tokio::test]
    async fn a_refused_test_connection_is_one_sentence_with_its_own_question_mark() {
        let e = reqwest::Client::new()
            .get("http://127.0.0.1:1/v1/models")
            .send()
            .await
            .unwrap_err();
        assert_eq!(
            transport_error("http://127.0.0.1:1/v1", &e).to_string(),
            "Could not connect to 127.0.0.1:1 — is the server running?"
        );
        assert_eq!(sentence("check your network".into()), "check your network.");
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
    fn parses_both_list_shapes() {
        let page = |body| page_models(&parse_page("u", body).unwrap());
        assert_eq!(page(r#"{"data":[{"id":"b"},{"id":"a"}]}"#), vec!["b", "a"]);
        assert_eq!(
            page(r#"{"models":[{"name":"models/gemini-2.5-flash"}]}"#),
            vec!["gemini-2.5-flash"]
        );
        assert_eq!(
            parse_page("u", "<html>").unwrap_err().code(),
            ErrorCode::BadUrl
        );
        assert_eq!(parse_page("u", "{}").unwrap_err().code(), ErrorCode::BadUrl);
    }

    /// A page size of one makes the fake hand out Anthropic's and Gemini's lists one model per
    /// page, so every model found was found by following the provider's cursor.
    #[tokio::test]
    async fn paged_lists_are_followed_to_the_end() {
        let server = switchyard_fake_provider::FakeProvider::start(&[])
            .await
            .unwrap();
        let listed = switchyard_fake_provider::listed_models();
        for (kind, base, format) in [
            (
                ProviderKind::Anthropic,
                server.anthropic_base(),
                "anthropic",
            ),
            (ProviderKind::Gemini, server.gemini_base(), "gemini"),
        ] {
            let report = list_models(&row(kind, &base), None, 1).await.unwrap();
            let mut want: Vec<String> = listed
                .iter()
                .filter(|(f, _)| *f == format)
                .map(|(_, m)| m.to_string())
                .collect();
            want.sort();
            assert!(
                want.len() > 1,
                "the fake lists more than one {format} model"
            );
            assert_eq!(report.models, want, "{format}");
        }
        let pages = server
            .requests()
            .iter()
            .filter(|r| r.path.ends_with("/models"))
            .count();
        assert_eq!(pages, listed.iter().filter(|(f, _)| *f != "openai").count());
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

    #[test]
    fn a_404_blames_the_base_url_only_when_it_has_an_unusual_shape() {
        let says =
            |kind, base: &str| status_error(&row(kind, base), true, 404, "u", "").to_string();
        let gemini_host = says(
            ProviderKind::Gemini,
            "https://generativelanguage.googleapis.com",
        );
        assert!(
            gemini_host.contains("host only, as Gemini expects"),
            "{gemini_host}"
        );
        assert!(!gemini_host.contains("try it without"), "{gemini_host}");
        let gemini_path = says(
            ProviderKind::Gemini,
            "https://generativelanguage.googleapis.com/v1beta",
        );
        assert!(
            gemini_path.contains("try it without '/v1beta'"),
            "{gemini_path}"
        );
        let v1 = says(ProviderKind::OpenaiCompatible, "http://localhost:8080/v1");
        assert!(v1.contains("may not list its models"), "{v1}");
        let bare = says(ProviderKind::OpenaiCompatible, "http://localhost:8080");
        assert!(bare.contains("usually end in /v1"), "{bare}");
    }
}
