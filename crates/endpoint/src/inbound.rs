//! A request as the engine takes it, whichever format it came in, and what the two formats
//! share when reading one: content (text and inline images), tools and tool calls.
use serde_json::Value;
use switchyard_engine::providers::{FinishReason, Tool, Tools};
use switchyard_router::{Image, Message};

use crate::wire::{ApiError, Format, Problem};

/// One chat request, read from either format.
#[derive(Debug, Clone)]
pub struct Inbound {
    /// As the client wrote it: `auto`, `switchyard/<rule>` or a catalog model id.
    pub model: String,
    pub messages: Vec<Message>,
    pub stream: bool,
    pub max_tokens: Option<u32>,
    /// OpenAI's `stream_options.include_usage`: a last chunk with the usage.
    pub include_usage: bool,
    /// The tools offered, and which the model may call.
    pub tools: Option<Tools>,
}

pub fn bad(format: Format, message: impl Into<String>) -> ApiError {
    ApiError::new(format, Problem::BadRequest, message)
}

/// One tool definition: a name the providers accept and an object schema.
pub fn tool(
    format: Format,
    name: Option<&Value>,
    description: Option<&Value>,
    parameters: Option<&Value>,
    at: &str,
) -> Result<Tool, ApiError> {
    let name = name.and_then(Value::as_str).unwrap_or("");
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid {
        return Err(bad(
            format,
            format!(
                "{at}: a tool needs a `name` of 1 to 64 letters, digits, '_' or '-' (got {name:?})."
            ),
        )
        .param("tools"));
    }
    let parameters = match parameters {
        None | Some(Value::Null) => None,
        Some(p @ Value::Object(_)) => Some(p.clone()),
        Some(_) => {
            return Err(bad(
                format,
                format!("{at}: the tool's schema must be a JSON object (a JSON schema)."),
            )
            .param("tools"))
        }
    };
    let description = match description {
        None | Some(Value::Null) => None,
        Some(Value::String(d)) => Some(d.clone()),
        Some(_) => {
            return Err(
                bad(format, format!("{at}: `description` must be a string.")).param("tools"),
            )
        }
    };
    Ok(Tool {
        name: name.to_string(),
        description,
        parameters,
    })
}

/// The tools of a request; a choice without tools, or naming a tool not offered, is refused.
pub fn tools(
    format: Format,
    list: Vec<Tool>,
    choice: Option<switchyard_engine::providers::ToolChoice>,
) -> Result<Option<Tools>, ApiError> {
    use switchyard_engine::providers::ToolChoice;
    if let Some(ToolChoice::Tool(name)) = &choice {
        if !list.iter().any(|t| &t.name == name) {
            return Err(bad(
                format,
                format!("`tool_choice` names the tool '{name}', which is not among `tools`."),
            )
            .param("tool_choice"));
        }
    }
    if list.is_empty() {
        return match choice {
            None | Some(ToolChoice::Auto | ToolChoice::None) => Ok(None),
            Some(_) => Err(bad(
                format,
                "`tool_choice` asks for a tool call, but the request offers no `tools`.",
            )
            .param("tool_choice")),
        };
    }
    Ok(Some(Tools { list, choice }))
}

/// Whether a `content` may carry images: a user's turn and a tool's result may, a system
/// prompt and an assistant's turn may not (as in both APIs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Images {
    Taken,
    Refused,
}

/// The text and the images of a `content` that is a string or an array of parts: text parts
/// (joined), and images sent inline (OpenAI `image_url` parts, Anthropic `image` blocks, see
/// [`crate::images`]) where `images` takes them. Other parts (audio, files, documents; tool
/// blocks outside the turns that carry them) are refused with a message naming them.
pub fn content(
    format: Format,
    content: &Value,
    at: &str,
    images: Images,
) -> Result<(String, Vec<Image>), ApiError> {
    let parts = match content {
        Value::String(s) => return Ok((s.clone(), Vec::new())),
        Value::Null => return Ok((String::new(), Vec::new())),
        Value::Array(parts) => parts,
        _ => {
            return Err(bad(
                format,
                format!("{at}: `content` must be a string or an array of text and image parts."),
            ))
        }
    };
    let mut text = String::new();
    let mut found = Vec::new();
    for (j, p) in parts.iter().enumerate() {
        let here = match format {
            Format::OpenAi => format!("{at}.content[{j}]"),
            Format::Anthropic => format!("{at}.content.{j}"),
        };
        part(format, p, &here, images, &mut text, &mut found)?;
    }
    Ok((text, found))
}

/// One part of a `content` array (at `here`): its text added to `text`, its image to `found`.
pub fn part(
    format: Format,
    part: &Value,
    here: &str,
    images: Images,
    text: &mut String,
    found: &mut Vec<Image>,
) -> Result<(), ApiError> {
    let kind = part.get("type").and_then(Value::as_str).unwrap_or("");
    match (format, kind) {
        (_, "text" | "input_text") => {
            let t = part
                .get("text")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(format, format!("{here}: a text part needs a string `text`.")))?;
            text.push_str(t);
        }
        (Format::OpenAi, "image_url") | (Format::Anthropic, "image") => {
            if images == Images::Refused {
                return Err(bad(
                    format,
                    format!("{here}: images are taken in user messages and tool results only."),
                ));
            }
            found.push(match format {
                Format::OpenAi => crate::images::openai_part(part, here)?,
                Format::Anthropic => crate::images::anthropic_block(part, here)?,
            });
        }
        (_, "tool_use" | "tool_result") => {
            return Err(bad(
                format,
                format!("{here}: a `{kind}` block belongs in an assistant turn (tool_use) or a user turn (tool_result)."),
            ))
        }
        (_, other) => {
            return Err(bad(
                format,
                format!(
                    "{here}: content of type '{other}' is not supported; the endpoint passes text and images."
                ),
            ))
        }
    }
    Ok(())
}

/// The text of a `content` that takes no images.
pub fn text_content(format: Format, value: &Value, at: &str) -> Result<String, ApiError> {
    content(format, value, at, Images::Refused).map(|(text, _)| text)
}

/// A positive token limit, when given.
pub fn token_limit(
    format: Format,
    v: &Value,
    field: &'static str,
) -> Result<Option<u32>, ApiError> {
    match v.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(n) => n
            .as_u64()
            .filter(|n| *n > 0)
            .map(|n| Some(u32::try_from(n).unwrap_or(u32::MAX)))
            .ok_or_else(|| {
                bad(format, format!("`{field}` must be a positive integer.")).param(field)
            }),
    }
}

pub fn model_name(format: Format, v: &Value) -> Result<String, ApiError> {
    match v.get("model") {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        _ => Err(bad(
            format,
            "`model` is required: `auto`, `switchyard/<rule>` or a model id from GET /v1/models.",
        )
        .param("model")),
    }
}

pub fn stream_flag(format: Format, v: &Value) -> Result<bool, ApiError> {
    match v.get("stream") {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => Err(bad(format, "`stream` must be true or false.").param("stream")),
    }
}

/// OpenAI's finish reasons for the engine's.
pub fn openai_finish(f: Option<&FinishReason>) -> &'static str {
    match f {
        Some(FinishReason::Length) => "length",
        Some(FinishReason::ContentFilter) => "content_filter",
        Some(FinishReason::ToolCalls) => "tool_calls",
        _ => "stop",
    }
}

/// Anthropic's stop reasons for the engine's.
pub fn anthropic_stop(f: Option<&FinishReason>) -> &'static str {
    match f {
        Some(FinishReason::Length) => "max_tokens",
        Some(FinishReason::ContentFilter) => "refusal",
        Some(FinishReason::ToolCalls) => "tool_use",
        _ => "end_turn",
    }
}

/// A reply for the writers' tests: `text`, then `calls`.
#[cfg(test)]
pub fn test_reply(text: &str, calls: &[(&str, &str, &str)]) -> switchyard_engine::reply::Reply {
    use switchyard_engine::reply::{Reply, ReplyStatus};
    Reply {
        status: ReplyStatus::Complete,
        model: Some("m".into()),
        provider: Some("p".into()),
        text: text.into(),
        tool_calls: calls
            .iter()
            .map(|(id, name, arguments)| switchyard_router::ToolCall {
                id: (*id).into(),
                name: (*name).into(),
                arguments: (*arguments).into(),
                signature: None,
            })
            .collect(),
        finish: Some(FinishReason::ToolCalls),
        usage: None,
        cost: None,
        hops: Vec::new(),
        latency_ms: 0,
        first_token_ms: None,
        error: None,
        failing_keys: Vec::new(),
    }
}
