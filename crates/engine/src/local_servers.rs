//! A first start with no provider: is a local Ollama or LM Studio server answering on its
//! default port? Each is asked for its OpenAI-compatible model list, briefly; one that answers
//! with a model list is offered as a provider that needs no key.
use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::providers::limits::read_capped;

/// A local server that answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LocalServer {
    /// The provider preset it matches: `ollama` or `lmstudio`.
    pub preset: String,
    /// `Ollama` or `LM Studio`, also the name the provider gets.
    pub label: String,
    /// Its OpenAI-compatible base URL, e.g. `http://127.0.0.1:11434/v1`.
    pub base_url: String,
    /// How many models it lists.
    pub model_count: u32,
}

/// Where to look: the servers' default ports, unless `SWITCHYARD_OLLAMA_PORT` or
/// `SWITCHYARD_LMSTUDIO_PORT` say otherwise (the tests put the fake provider there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ports {
    pub ollama: u16,
    pub lmstudio: u16,
}

impl Default for Ports {
    fn default() -> Self {
        Self {
            ollama: 11434,
            lmstudio: 1234,
        }
    }
}

impl Ports {
    pub fn from_env() -> Self {
        let default = Self::default();
        Self {
            ollama: port_from_env("SWITCHYARD_OLLAMA_PORT", default.ollama),
            lmstudio: port_from_env("SWITCHYARD_LMSTUDIO_PORT", default.lmstudio),
        }
    }
}

fn port_from_env(name: &str, default: u16) -> u16 {
    match std::env::var(name) {
        Err(_) => default,
        Ok(v) => match v.trim().parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => {
                tracing::warn!(
                    "{name}={v:?} is not a port (1-65535); looking on {default} instead"
                );
                default
            }
        },
    }
}

/// A model list is short; a server that sends more is not the one we look for.
const MAX_LIST_BYTES: usize = 4 << 20;

/// The servers among Ollama and LM Studio that answer on `ports`, Ollama first. Never fails:
/// a server that is not there, slow, or not speaking the OpenAI model list is left out.
pub async fn detect(ports: Ports) -> Vec<LocalServer> {
    let client = match reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(300))
        .timeout(Duration::from_millis(1500))
        // Loopback only: a proxy from the environment must not see or answer this.
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            tracing::warn!(error = %e, "no HTTP client for looking for local servers");
            return Vec::new();
        }
    };
    let (ollama, lmstudio) = tokio::join!(
        probe(&client, "ollama", "Ollama", ports.ollama),
        probe(&client, "lmstudio", "LM Studio", ports.lmstudio),
    );
    ollama.into_iter().chain(lmstudio).collect()
}

async fn probe(
    client: &reqwest::Client,
    preset: &str,
    label: &str,
    port: u16,
) -> Option<LocalServer> {
    let base_url = format!("http://127.0.0.1:{port}/v1");
    let response = client.get(format!("{base_url}/models")).send().await.ok()?;
    if !response.status().is_success() {
        tracing::debug!(port, status = %response.status(), "{label} not offered: its model list was refused");
        return None;
    }
    let (body, cut) = read_capped(response, MAX_LIST_BYTES).await;
    let model_count = if cut { None } else { count_models(&body) };
    match model_count {
        Some(model_count) => Some(LocalServer {
            preset: preset.into(),
            label: label.into(),
            base_url,
            model_count,
        }),
        None => {
            tracing::debug!(
                port,
                "{label} not offered: the answer is not an OpenAI model list"
            );
            None
        }
    }
}

/// The number of models in an OpenAI model list (`{"data": [...]}`), or None when `body` is not one.
fn count_models(body: &[u8]) -> Option<u32> {
    #[derive(Deserialize)]
    struct List {
        data: Vec<serde_json::Value>,
    }
    let list: List = serde_json::from_slice(body).ok()?;
    Some(list.data.len().min(u32::MAX as usize) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_list_is_counted_and_anything_else_is_not_one() {
        assert_eq!(
            count_models(br#"{"object":"list","data":[{"id":"llama3.2"},{"id":"qwen3"}]}"#),
            Some(2)
        );
        assert_eq!(count_models(br#"{"data":[]}"#), Some(0));
        assert_eq!(count_models(b"<html>a web server</html>"), None);
        assert_eq!(count_models(br#"{"models":[{"name":"llama3.2"}]}"#), None);
    }

    #[test]
    fn the_default_ports_are_the_servers_own() {
        assert_eq!(
            Ports::default(),
            Ports {
                ollama: 11434,
                lmstudio: 1234
            }
        );
    }
}
