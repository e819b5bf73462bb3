//! Provider settings: what a user configures for each API they use. Never holds a key.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::EngineError;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Header {
    pub name: String,
    pub value: String,
}

/// A provider as stored: settings only, no key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub kind: ProviderKind,
    pub preset: String,
    pub base_url: String,
    pub headers: Vec<Header>,
    pub enabled: bool,
}

/// A saved provider, as the UI and CLI see it: its settings and whether a key is stored, never
/// the key itself.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Provider {
    #[serde(flatten)]
    #[ts(flatten)]
    pub row: ProviderRow,
    pub key: KeyInfo,
}

impl std::ops::Deref for Provider {
    type Target = ProviderRow;

    fn deref(&self) -> &ProviderRow {
        &self.row
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
    pub headers: Vec<Header>,
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
        for h in &self.headers {
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
        i.headers = vec![Header {
            name: "bad header".into(),
            value: "v".into(),
        }];
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
