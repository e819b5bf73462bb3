//! What the router is asked to decide about: a conversation, as the chat or the CLI holds it.
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::tokens;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Message {
    /// `user`, `assistant` or `system`, as the OpenAI wire format spells them.
    pub role: String,
    pub content: String,
    /// Images sent with the message, after its text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<Image>>", optional)]
    pub images: Vec<Image>,
    /// The tools an assistant turn called (the local endpoint's clients send them back).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<ToolCall>>", optional)]
    pub tool_calls: Vec<ToolCall>,
    /// On a `tool` message (a tool's result, in `content`): the call it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub tool_call_id: Option<String>,
}

impl Message {
    /// A message of text only.
    pub fn text(role: impl Into<String>, content: impl Into<String>) -> Self {
        Message {
            role: role.into(),
            content: content.into(),
            ..Message::default()
        }
    }

    /// Whether this message is part of a tool exchange: it calls tools or answers a call.
    pub fn uses_tools(&self) -> bool {
        !self.tool_calls.is_empty() || self.tool_call_id.is_some()
    }
}

/// One call of a tool the model asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ToolCall {
    /// The provider's id for the call, or a stable one made for formats that have none.
    pub id: String,
    pub name: String,
    /// The arguments, a JSON object as text (`{}` when the model gave none).
    pub arguments: String,
    /// Gemini's `thoughtSignature` of the call: opaque, sent back with the call in the next
    /// request (Gemini 3 refuses a call of its own without it). Never shown as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub signature: Option<String>,
}

/// An image as the providers take it inline: its media type and its bytes in base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Image {
    /// The file's name, for messages about it (never sent to a provider).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    #[ts(optional, as = "Option<String>")]
    pub name: String,
    /// `image/png`, `image/jpeg`, `image/webp` or `image/gif`.
    pub media_type: String,
    /// The file's bytes, base64 (standard alphabet, padded).
    pub data: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Request {
    pub messages: Vec<Message>,
    /// Start the chosen chain at its cheapest member, trading quality for cost.
    #[serde(default)]
    pub prefer_cost: bool,
    /// The caller's output limit; when absent the rule set's expected output per tier is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_tokens: Option<u32>,
    /// Prompt tokens the provider will serve from its cache (priced at the cached-input rate).
    #[serde(default)]
    pub cached_prompt_tokens: u32,
    /// An exact OpenAI token count of the prompt (see [`Request::count_openai_tokens`]); the
    /// decision uses it for OpenAI models and the approximation for every other provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openai_prompt_tokens: Option<u32>,
    /// Catalog models that cannot be called now (no provider, no key), with the reason. The
    /// router treats them as excluded candidates, so a chain starts at a model that can answer.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub unavailable: BTreeMap<String, String>,
    /// How many images the conversation sends: when any, only models that read images
    /// (`Model::vision`) are considered, the others excluded with that reason.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub images: u32,
    /// The request offers tools (or carries tool calls and results): only models that can call
    /// tools (`Model::tools`) are considered, the others excluded with that reason.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tools: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Request {
    /// A one-message conversation from the user.
    pub fn from_prompt(prompt: impl Into<String>) -> Self {
        Request {
            messages: vec![Message::text("user", prompt)],
            ..Request::default()
        }
    }

    /// The text the task is read from: the last user message, which holds the current ask
    /// (skipping a trailing assistant turn avoids classifying the model's own words).
    pub fn last_user_text(&self) -> &str {
        self.messages
            .iter()
            .rev()
            .find(|m| m.role.eq_ignore_ascii_case("user"))
            .or(self.messages.last())
            .map_or("", |m| m.content.as_str())
    }

    /// The conversation's system prompt (its system messages, joined), if it has one: the task
    /// is read from it too, at a lower weight than the user's own ask.
    pub fn system_text(&self) -> Option<String> {
        let parts: Vec<&str> = self
            .messages
            .iter()
            .filter(|m| m.role.eq_ignore_ascii_case("system") && !m.content.trim().is_empty())
            .map(|m| m.content.as_str())
            .collect();
        (!parts.is_empty()).then(|| parts.join("\n\n"))
    }

    /// The approximate prompt size of the whole conversation, with the chat format's overhead
    /// and [`tokens::PER_IMAGE`] for each image.
    pub fn approx_prompt_tokens(&self) -> u32 {
        let body: u32 = self
            .messages
            .iter()
            .map(|m| tokens::approx_tokens(&m.content).saturating_add(tokens::PER_MESSAGE_OVERHEAD))
            .fold(0u32, u32::saturating_add);
        body.saturating_add(tokens::PER_REPLY_OVERHEAD)
            .saturating_add(self.image_tokens())
    }

    /// What the images add to the prompt: [`Request::images`], or the images the messages
    /// carry when that was not set.
    fn image_tokens(&self) -> u32 {
        let carried: usize = self.messages.iter().map(|m| m.images.len()).sum();
        let count = self.images.max(u32::try_from(carried).unwrap_or(u32::MAX));
        count.saturating_mul(tokens::PER_IMAGE)
    }

    /// Fills [`Request::openai_prompt_tokens`] with tiktoken's `o200k_base` count, the encoding
    /// of every current OpenAI chat model. Costs far more than a decision (a real BPE pass), so
    /// callers that show a cost (the CLI, the chat) do it once per request, not the hot path.
    pub fn count_openai_tokens(&mut self) {
        let body: u32 = self
            .messages
            .iter()
            .map(|m| tokens::openai_tokens(&m.content).saturating_add(tokens::PER_MESSAGE_OVERHEAD))
            .fold(0u32, u32::saturating_add);
        self.openai_prompt_tokens = Some(
            body.saturating_add(tokens::PER_REPLY_OVERHEAD)
                .saturating_add(self.image_tokens()),
        );
    }
}
