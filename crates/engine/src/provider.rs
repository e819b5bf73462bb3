//! Provider settings: what a user configures for each API they use. Never holds a key.
use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::EngineError;
use crate::secrets::Secret;

/// The wire format a provider speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ProviderKind {
    Openai,
    Anthropic,
    Gemini,
    OpenaiCompatible,
}

impl ProviderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Openai => "openai",
            Self::Anthropic => "anthropic",
            Self::Gemini => "gemini",
            Self::OpenaiCompatible => "openai-compatible",
        }
    }

    pub fn parse(s: &str) -> Result<Self, EngineError> {
        match s {
            "openai" => Ok(Self::Openai),
            "anthropic" => Ok(Self::Anthropic),
            "gemini" => Ok(Self::Gemini),
            "openai-compatible" => Ok(Self::OpenaiCompatible),
            other => Err(EngineError::Invalid {
                field: "kind".into(),
                message: format!(
                    "unknown provider kind '{other}': use openai, anthropic, gemini or openai-compatible"
                ),
            }),
        }
    }

    /// Whether this kind normally needs an API key (local servers usually do not).
    pub fn default_base_url(self) -> &'static str {
        match self {
            Self::Openai => "https://api.openai.com/v1",
            Self::Anthropic => "https://api.anthropic.com",
            Self::Gemini => "https://generativelanguage.googleapis.com",
            Self::OpenaiCompatible => "",
        }
    }
}

/// A preset: a known service with its kind and base URL filled in.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ProviderPreset {
    pub id: String,
    pub label: String,
    pub kind: ProviderKind,
    pub base_url: String,
    /// Local servers (Ollama, LM Studio) work without a key.
    pub needs_key: bool,
}

pub fn presets() -> Vec<ProviderPreset> {
    let p = |id: &str, label: &str, kind, base_url: &str, needs_key| ProviderPreset {
        id: id.into(),
        label: label.into(),
        kind,
        base_url: base_url.into(),
        needs_key,
    };
    use ProviderKind::*;
    vec![
        p("openai", "OpenAI", Openai, Openai.default_base_url(), true),
        p(
            "anthropic",
            "Anthropic",
            Anthropic,
            Anthropic.default_base_url(),
            true,
        ),
        p(
            "gemini",
            "Google Gemini",
            Gemini,
            Gemini.default_base_url(),
            true,
        ),
        p(
            "deepseek",
            "DeepSeek",
            OpenaiCompatible,
            "https://api.deepseek.com/v1",
            true,
        ),
        p(
            "mistral",
            "Mistral",
            OpenaiCompatible,
            "https://api.mistral.ai/v1",
            true,
        ),
        p(
            "groq",
            "Groq",
            OpenaiCompatible,
            "https://api.groq.com/openai/v1",
            true,
        ),
        p(
            "openrouter",
            "OpenRouter",
            OpenaiCompatible,
            "https://openrouter.ai/api/v1",
            true,
        ),
        p(
            "ollama",
            "Ollama",
            OpenaiCompatible,
            "http://localhost:11434/v1",
            false,
        ),
        p(
            "lmstudio",
            "LM Studio",
            OpenaiCompatible,
            "http://localhost:1234/v1",
            false,
        ),
        p(
            "custom",
            "Custom (OpenAI-compatible)",
            OpenaiCompatible,
            "",
            false,
        ),
    ]
}

/// An extra header as the database holds it. A secret header's value lives in the keychain
/// (account `<provider id>/header/<name lowercased>`), so here its `value` is always empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub secret: bool,
}

/// An extra header as the user submits it. For a secret header an empty `value` keeps the
/// stored one (the form never receives it back, so it cannot resend it). `secret` left out
/// means [`secret_by_default`] decides.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct HeaderInput {
    pub name: String,
    pub value: String,
    #[serde(default)]
    #[ts(optional)]
    pub secret: Option<bool>,
}

/// Prints a secret (or not yet classified) header's value as `<redacted>`.
impl std::fmt::Debug for HeaderInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.secret == Some(false) {
            self.value.as_str()
        } else {
            "<redacted>"
        };
        f.debug_struct("HeaderInput")
            .field("name", &self.name)
            .field("value", &value)
            .field("secret", &self.secret)
            .finish()
    }
}

/// An extra header as the UI and CLI see it: a secret header shows only whether a value is
/// stored and its last four characters, like a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HeaderInfo {
    pub name: String,
    /// The value of a plain header; always empty for a secret one.
    pub value: String,
    pub secret: bool,
    /// For a secret header, what may be shown of its stored value; `null` for a plain one.
    pub stored: Option<KeyInfo>,
}

/// Header names that carry credentials: authentication headers, cookies, and any name that
/// says token, secret or key. Their values go to the keychain unless the user says otherwise.
pub fn secret_by_default(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    const EXACT: [&str; 6] = [
        "authorization",
        "proxy-authorization",
        "api-key",
        "x-api-key",
        "x-goog-api-key",
        "cookie",
    ];
    EXACT.contains(&lower.as_str()) || ["token", "secret", "key"].iter().any(|w| lower.contains(w))
}

/// A provider as stored: settings only, no key. Secret headers are listed with an empty value;
/// `header_secrets` holds their values only after [`crate::settings::Settings`] has read them
/// from the keychain for a call (the store itself never fills it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub kind: ProviderKind,
    pub preset: String,
    pub base_url: String,
    /// Shown through [`Provider::headers`], which says what is stored for a secret one.
    #[serde(skip)]
    #[ts(skip)]
    pub headers: Vec<Header>,
    pub enabled: bool,
    /// Secret header values by header name, from the keychain.
    #[serde(skip)]
    #[ts(skip)]
    pub header_secrets: Vec<(String, Secret)>,
}

/// One provider's model list as last fetched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServedModels {
    /// The ids the provider listed (Gemini's without the `models/` prefix).
    pub models: BTreeSet<String>,
    /// When the list was fetched, in Unix seconds.
    pub fetched_at: i64,
}

impl ServedModels {
    pub fn contains(&self, model: &str) -> bool {
        self.models.contains(model)
    }
}

/// A saved provider, as the UI and CLI see it: its settings, and whether a key and each secret
/// header are stored, never their values.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Provider {
    #[serde(flatten)]
    #[ts(flatten)]
    pub row: ProviderRow,
    pub headers: Vec<HeaderInfo>,
    pub key: KeyInfo,
    /// The provider's model list as last fetched; `None` until one is (its models are then
    /// assumed served). Not sent over IPC: Test connection reports the list it fetches.
    #[serde(skip)]
    #[ts(skip)]
    pub models: Option<ServedModels>,
}

impl std::ops::Deref for Provider {
    type Target = ProviderRow;

    fn deref(&self) -> &ProviderRow {
        &self.row
    }
}

/// A provider of `kind` at `base`, named `P`, for unit tests.
#[cfg(test)]
pub(crate) fn test_row(kind: ProviderKind, base: &str) -> ProviderRow {
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

/// Whether calls to this provider need a key: local servers (Ollama, LM Studio, a custom one)
/// run without one.
pub fn needs_key(row: &ProviderRow) -> bool {
    presets()
        .into_iter()
        .find(|p| p.id == row.preset)
        .map_or(row.kind != ProviderKind::OpenaiCompatible, |p| p.needs_key)
}

/// Whether `row` serves catalog models whose provider is `name`: by id, preset (`anthropic`) or
/// name.
pub fn serves(row: &ProviderRow, name: &str) -> bool {
    row.id == name || row.preset == name || row.name.eq_ignore_ascii_case(name)
}

/// What may be shown about a stored key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "kebab-case")]
#[ts(export)]
pub enum KeyInfo {
    Missing,
    Set {
        last4: String,
    },
    /// The keychain could not be read; `reason` says why.
    Unavailable {
        reason: String,
    },
}

/// What the user submits to add or edit a provider.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ProviderInput {
    pub name: String,
    pub kind: ProviderKind,
    #[serde(default)]
    pub preset: String,
    pub base_url: String,
    #[serde(default)]
    pub headers: Vec<HeaderInput>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl ProviderInput {
    /// Trims and checks the input; the error names the field to fix.
    pub fn validated(mut self) -> Result<Self, EngineError> {
        self.name = self.name.trim().to_string();
        self.base_url = self.base_url.trim().trim_end_matches('/').to_string();
        if self.preset.trim().is_empty() {
            self.preset = "custom".into();
        }
        if self.name.is_empty() {
            return Err(invalid("name", "Give the provider a name."));
        }
        if self.name.chars().count() > 64 {
            return Err(invalid("name", "Keep the name to 64 characters or fewer."));
        }
        validate_base_url(&self.base_url)?;
        for h in &mut self.headers {
            h.name = h.name.trim().to_string();
            h.value = h.value.trim().to_string();
        }
        self.headers
            .retain(|h| !(h.name.is_empty() && h.value.is_empty()));
        for h in &mut self.headers {
            h.secret = Some(h.secret.unwrap_or_else(|| secret_by_default(&h.name)));
        }
        for (i, h) in self.headers.iter().enumerate() {
            if self.headers[..i]
                .iter()
                .any(|o| o.name.eq_ignore_ascii_case(&h.name))
            {
                return Err(invalid(
                    "headers",
                    &format!("The header '{}' is listed twice.", h.name),
                ));
            }
            let ok = !h.name.is_empty()
                && h.name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
            if !ok {
                return Err(invalid(
                    "headers",
                    &format!(
                        "'{}' is not a valid header name: use letters, digits, '-' or '_'.",
                        h.name
                    ),
                ));
            }
            if h.value.chars().any(|c| c.is_control()) {
                return Err(invalid(
                    "headers",
                    &format!(
                        "The value of header '{}' contains a control character.",
                        h.name
                    ),
                ));
            }
        }
        Ok(self)
    }
}

pub fn validate_base_url(raw: &str) -> Result<url::Url, EngineError> {
    if raw.is_empty() {
        return Err(invalid(
            "base_url",
            "Enter a base URL, such as https://api.example.com/v1.",
        ));
    }
    let parsed = url::Url::parse(raw).map_err(|e| {
        invalid(
            "base_url",
            &format!("'{raw}' is not a valid URL ({e}). Use http:// or https://."),
        )
    })?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(
            "base_url",
            &format!("'{raw}' is not an http(s) URL. Use http:// or https://."),
        ));
    }
    // Credentials in the URL would be stored in the database and shown in the settings; the
    // message names neither them nor the URL.
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid(
            "base_url",
            "The base URL contains a user name or password. Remove them: put the key in the API \
             key field; it is kept in the system keychain.",
        ));
    }
    Ok(parsed)
}

fn invalid(field: &str, message: &str) -> EngineError {
    EngineError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, url: &str) -> ProviderInput {
        ProviderInput {
            name: name.into(),
            kind: ProviderKind::Openai,
            preset: "openai".into(),
            base_url: url.into(),
            headers: vec![],
            enabled: true,
        }
    }

    #[test]
    fn rejects_non_http_urls() {
        for bad in [
            "ftp://x.org",
            "file:///etc/passwd",
            "api.openai.com",
            "",
            "http://",
        ] {
            let err = input("a", bad).validated().unwrap_err();
            assert!(
                matches!(err, EngineError::Invalid { ref field, .. } if field == "base_url"),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn trims_name_and_trailing_slash() {
        let ok = input("  Work  ", "https://api.openai.com/v1/")
            .validated()
            .unwrap();
        assert_eq!(ok.name, "Work");
        assert_eq!(ok.base_url, "https://api.openai.com/v1");
    }

    #[test]
    fn rejects_blank_name_and_bad_headers() {
        assert!(input("   ", "https://a.b").validated().is_err());
        let mut i = input("a", "https://a.b");
        i.headers = vec![HeaderInput {
            name: "bad header".into(),
            value: "v".into(),
            secret: None,
        }];
        assert!(i.validated().is_err());
    }

    #[test]
    fn credentials_in_the_base_url_are_refused_without_echoing_them() {
        for bad in [
            "https://user:hunter2@api.example.com/v1",
            "https://user@api.example.com/v1",
            "http://:hunter2@localhost:8080",
        ] {
            let err = input("a", bad).validated().unwrap_err();
            let text = err.to_string();
            assert!(text.contains("API key field"), "{bad}: {text}");
            assert!(text.contains("system keychain"), "{bad}: {text}");
            assert!(!text.contains("hunter2"), "{bad}: {text}");
        }
        input("a", "https://api.example.com/v1?x=@y")
            .validated()
            .unwrap();
    }

    #[test]
    fn credential_header_names_are_secret_by_default() {
        for name in [
            "Authorization",
            "proxy-authorization",
            "API-Key",
            "x-api-key",
            "X-Goog-Api-Key",
            "Cookie",
            "X-Auth-Token",
            "client_secret",
            "X-Monkey",
        ] {
            assert!(secret_by_default(name), "{name}");
        }
        for name in ["HTTP-Referer", "X-Title", "OpenAI-Organization"] {
            assert!(!secret_by_default(name), "{name}");
        }
    }

    #[test]
    fn validation_settles_the_secret_flag_and_refuses_duplicates() {
        let mut i = input("a", "https://a.b");
        let h = |name: &str, secret| HeaderInput {
            name: name.into(),
            value: "v".into(),
            secret,
        };
        i.headers = vec![
            h("Authorization", None),
            h("X-Title", None),
            h("x-team-token", Some(false)),
        ];
        let ok = i.clone().validated().unwrap();
        let flags: Vec<_> = ok.headers.iter().map(|h| h.secret).collect();
        assert_eq!(flags, vec![Some(true), Some(false), Some(false)]);
        i.headers.push(h("authorization", None));
        assert!(i.validated().is_err());
    }

    #[test]
    fn every_preset_url_is_valid_or_custom() {
        for p in presets() {
            if p.id != "custom" {
                validate_base_url(&p.base_url).unwrap();
            }
        }
    }
}
