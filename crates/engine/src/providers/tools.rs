//! Tool (function) calling as the engine carries it between wire formats: the tools a request
//! offers, which one the model may or must call, and what each format needs to say it.
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use switchyard_router::tokens::approx_tokens;
use switchyard_router::Message;

/// One tool the model may call: a name, what it does, and its arguments' JSON schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Tool {
    pub name: String,
    pub description: Option<String>,
    /// A JSON schema of an object (`{"type": "object", …}`); `None` when the client sent none.
    pub parameters: Option<Value>,
}

/// Whether the model may, must, or must not call a tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToolChoice {
    /// The model decides (every format's default).
    Auto,
    /// No tool call.
    None,
    /// Some tool call (OpenAI `required`, Anthropic `any`, Gemini `ANY`).
    Required,
    /// This tool.
    Tool(String),
}

/// The tools of one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Tools {
    pub list: Vec<Tool>,
    /// `None` leaves the provider's default (auto).
    pub choice: Option<ToolChoice>,
}

impl Tools {
    /// About how many prompt tokens the tool definitions take (names, descriptions and
    /// schemas are sent with every request that offers them).
    pub fn prompt_tokens(&self) -> u32 {
        self.list
            .iter()
            .map(|t| {
                let description = t.description.as_deref().unwrap_or("");
                approx_tokens(&t.name)
                    .saturating_add(approx_tokens(description))
                    .saturating_add(approx_tokens(&t.schema().to_string()))
                    .saturating_add(TOOL_OVERHEAD_TOKENS)
            })
            .fold(0, u32::saturating_add)
    }
}

/// The framing each tool definition adds around its name, description and schema.
const TOOL_OVERHEAD_TOKENS: u32 = 8;

impl Tool {
    /// The schema, or an object with no properties when the client gave none (Anthropic
    /// requires one).
    pub fn schema(&self) -> Value {
        self.parameters
            .clone()
            .unwrap_or_else(|| json!({"type": "object", "properties": {}}))
    }
}

/// A call's arguments as a JSON object: the text parsed, `{}` when empty, and text that is not
/// an object kept under `"arguments"` (so nothing the model said is lost).
pub fn arguments_object(arguments: &str) -> Value {
    if arguments.trim().is_empty() {
        return Value::Object(Map::new());
    }
    match serde_json::from_str::<Value>(arguments) {
        Ok(v @ Value::Object(_)) => v,
        Ok(other) => json!({ "arguments": other }),
        Err(_) => json!({ "arguments": arguments }),
    }
}

/// An id for a call whose format gives none (Gemini): the same call at the same place of a
/// reply gets the same id, so a client's retry sees the same one.
pub fn stable_id(name: &str, arguments: &str, index: usize) -> String {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update([0]);
    h.update(arguments.as_bytes());
    h.update([0]);
    h.update(index.to_le_bytes());
    let digest = h.finalize();
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    format!("call_{hex}")
}

/// An id as Anthropic accepts it (`^[a-zA-Z0-9_-]+$`): other characters become `_`. Applied to
/// both the call and its result, so the two still match.
pub fn anthropic_id(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.is_empty() {
        "call".into()
    } else {
        safe
    }
}

/// The name of the tool whose call `id` a result answers, from the assistant turns before it
/// (Gemini's `functionResponse` names the function, not the call).
pub fn name_of_call<'a>(messages: &'a [Message], id: &str) -> Option<&'a str> {
    messages
        .iter()
        .flat_map(|m| &m.tool_calls)
        .find(|c| c.id == id)
        .map(|c| c.name.as_str())
}

/// A tool message's result.
pub fn is_tool_result(m: &Message) -> bool {
    m.role.eq_ignore_ascii_case("tool")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tool_definitions_count_as_prompt_tokens() {
        let weather = Tool {
            name: "get_weather".into(),
            description: Some("The forecast for a city, day by day.".into()),
            parameters: Some(json!({"type": "object", "properties": {
                "city": {"type": "string", "description": "The city's name"},
                "days": {"type": "integer", "minimum": 1, "maximum": 14}}})),
        };
        let one = Tools {
            list: vec![weather.clone()],
            choice: None,
        };
        let schema = approx_tokens(&weather.schema().to_string());
        assert!(one.prompt_tokens() > schema, "the schema and more");
        let two = Tools {
            list: vec![weather.clone(), weather],
            choice: None,
        };
        assert_eq!(two.prompt_tokens(), 2 * one.prompt_tokens());
        let none = Tools {
            list: vec![],
            choice: None,
        };
        assert_eq!(none.prompt_tokens(), 0);
        // A call's reservation covers them.
        let catalog = switchyard_router::default_catalog();
        let model = &catalog.models[0];
        let messages = [Message::text("user", "Weather in Paris?")];
        let (bare, bare_cost) = crate::budget::estimate(model, &messages, None, None);
        let (offered, offered_cost) = crate::budget::estimate(model, &messages, Some(&two), None);
        assert_eq!(
            offered.input_tokens,
            bare.input_tokens + two.prompt_tokens()
        );
        assert!(offered_cost > bare_cost);
    }

    #[test]
    fn arguments_become_an_object_without_losing_text() {
        assert_eq!(arguments_object(""), json!({}));
        assert_eq!(arguments_object(r#"{"a":1}"#), json!({"a": 1}));
        assert_eq!(arguments_object("[1]"), json!({"arguments": [1]}));
        assert_eq!(arguments_object("{oops"), json!({"arguments": "{oops"}));
    }

    #[test]
    fn ids_are_stable_and_safe() {
        assert_eq!(stable_id("f", "{}", 0), stable_id("f", "{}", 0));
        assert_ne!(stable_id("f", "{}", 0), stable_id("f", "{}", 1));
        assert!(stable_id("f", "{}", 0).starts_with("call_"));
        assert_eq!(anthropic_id("call_ab-1"), "call_ab-1");
        assert_eq!(anthropic_id("call.ab:1"), "call_ab_1");
    }
}
