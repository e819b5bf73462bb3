//! The models the router may choose from, with their prices, context windows and quality.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::PerMtok;

/// One model a provider sells.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Model {
    /// The name rules use, e.g. `claude-sonnet-4`.
    pub id: String,
    /// `openai`, `anthropic`, `gemini`, `deepseek`, `mistral`, `groq`, or any name the user gives
    /// an OpenAI-compatible server.
    pub provider: String,
    /// The name sent to the provider's API when it differs from `id` (a dated snapshot).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    /// Dollars per million input tokens.
    #[ts(type = "number")]
    pub input: PerMtok,
    /// Dollars per million output tokens.
    #[ts(type = "number")]
    pub output: PerMtok,
    /// Dollars per million input tokens read from the provider's prompt cache.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "number | null")]
    pub cached_input: Option<PerMtok>,
    /// Dollars per million hidden reasoning tokens; set only for models that reason before
    /// answering, which is also how the cost estimate knows to expect such tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "number | null")]
    pub reasoning: Option<PerMtok>,
    /// Tokens of prompt and reply together.
    pub context_window: u32,
    /// 0..1, how good the model's answers are; anchored at gpt-4o-mini 0.85 … claude-opus-4 0.98.
    /// The cost-aware action's minimum quality per tier is compared with it.
    pub quality: f64,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// Reads images sent with a message. A conversation with an image is routed only to
    /// models that do.
    #[serde(default)]
    pub vision: bool,
    /// Calls tools (function calling). A request that offers tools is routed only to models
    /// that do.
    #[serde(default)]
    pub tools: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl Model {
    pub fn api_name(&self) -> &str {
        self.api_id.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Catalog {
    /// The day the list prices were taken (YYYY-MM-DD); prices change, so the UI shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices_taken: Option<String>,
    #[serde(default)]
    pub models: Vec<Model>,
}

impl Catalog {
    pub fn get(&self, id: &str) -> Option<&Model> {
        self.models.iter().find(|m| m.id == id)
    }

    /// Finds a model by its rule name or its API name (what a user types after `@`).
    pub fn find(&self, name: &str) -> Option<&Model> {
        self.get(name).or_else(|| {
            self.models
                .iter()
                .find(|m| m.api_id.as_deref() == Some(name))
        })
    }

    pub fn enabled(&self) -> impl Iterator<Item = &Model> {
        self.models.iter().filter(|m| m.enabled)
    }
}
