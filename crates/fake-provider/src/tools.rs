//! Tool calling as the fake reads it from each format: the tools a request offers, and the
//! result a tool message brings back. The rule: a request that offers tools and does not end
//! with a tool's result is answered with a call to its first tool (arguments
//! `{"query": <last user text>}`, or the `tool_call` fault's); one that ends with a result is
//! answered with text quoting it.
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The `tool_call` fault: call this tool (the first offered when absent) with these arguments.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ToolCallFault {
    pub name: Option<String>,
    pub arguments: Option<Value>,
}

/// The call a reply makes.
#[derive(Debug, Clone, PartialEq)]
pub struct FakeCall {
    pub name: String,
    /// A JSON object.
    pub arguments: Value,
}

/// The names of the tools a request offers, in order, in whichever format it spoke.
pub fn offered(format: &str, body: &Value) -> Vec<String> {
    let list = body["tools"].as_array().cloned().unwrap_or_default();
    let names =
        |v: &Value, pointer: &str| v.pointer(pointer).and_then(Value::as_str).map(String::from);
    match format {
        "openai" => list
            .iter()
            .filter_map(|t| names(t, "/function/name"))
            .collect(),
        "anthropic" => list.iter().filter_map(|t| names(t, "/name")).collect(),
        "gemini" => list
            .iter()
            .flat_map(|t| {
                t["functionDeclarations"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .filter_map(|d| names(&d, "/name"))
            .collect(),
        _ => Vec::new(),
    }
}

/// The tool results the request ends with (OpenAI `tool` messages, Anthropic `tool_result`
/// blocks, Gemini `functionResponse` parts), joined; None when its last turn is not one.
pub fn last_results(format: &str, body: &Value) -> Option<String> {
    let texts: Vec<String> = match format {
        "openai" => {
            let mut messages: &[Value] = body["messages"].as_array()?;
            // A tool message takes text only: images a result brought come in a user message
            // right after the results.
            if let [before @ .., tool, last] = messages {
                let images = last["content"]
                    .as_array()
                    .is_some_and(|parts| parts.iter().any(|p| p["type"] == "image_url"));
                if tool["role"] == "tool" && last["role"] == "user" && images {
                    messages = &messages[..before.len() + 1];
                }
            }
            let tail: Vec<&Value> = messages
                .iter()
                .rev()
                .take_while(|m| m["role"] == "tool")
                .collect();
            tail.iter()
                .rev()
                .map(|m| crate::exchange::content_text(&m["content"]))
                .collect()
        }
        "anthropic" => {
            let last = body["messages"].as_array()?.last()?;
            last["content"]
                .as_array()?
                .iter()
                .filter(|b| b["type"] == "tool_result")
                .map(|b| crate::exchange::content_text(&b["content"]))
                .collect()
        }
        "gemini" => {
            let last = body["contents"].as_array()?.last()?;
            last["parts"]
                .as_array()?
                .iter()
                .filter_map(|p| p.get("functionResponse"))
                .map(|r| r["response"].to_string())
                .collect()
        }
        _ => Vec::new(),
    };
    (!texts.is_empty()).then(|| texts.join("; "))
}

/// The call to answer with, by the rule above.
pub fn call_for(
    offered: &[String],
    results: Option<&str>,
    last_user: &str,
    fault: Option<&ToolCallFault>,
) -> Option<FakeCall> {
    if results.is_some() || (offered.is_empty() && fault.is_none()) {
        return None;
    }
    let fault = fault.cloned().unwrap_or_default();
    Some(FakeCall {
        name: fault
            .name
            .or_else(|| offered.first().cloned())
            .unwrap_or_else(|| "tool".into()),
        arguments: fault
            .arguments
            .unwrap_or_else(|| json!({ "query": last_user })),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools_and_results_are_read_in_each_format() {
        let openai = json!({"tools": [{"type": "function", "function": {"name": "a"}}],
            "messages": [{"role": "user", "content": "q"},
                         {"role": "tool", "tool_call_id": "c", "content": "42"}]});
        assert_eq!(offered("openai", &openai), ["a"]);
        assert_eq!(last_results("openai", &openai).as_deref(), Some("42"));
        let anthropic = json!({"tools": [{"name": "b", "input_schema": {}}],
            "messages": [{"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "7"}]}]}]});
        assert_eq!(offered("anthropic", &anthropic), ["b"]);
        assert_eq!(last_results("anthropic", &anthropic).as_deref(), Some("7"));
        let gemini = json!({"tools": [{"functionDeclarations": [{"name": "c"}, {"name": "d"}]}],
            "contents": [{"role": "user", "parts": [{"text": "q"}]}]});
        assert_eq!(offered("gemini", &gemini), ["c", "d"]);
        assert_eq!(last_results("gemini", &gemini), None);
        let call = call_for(&offered("gemini", &gemini), None, "q", None).unwrap();
        assert_eq!(
            call,
            FakeCall {
                name: "c".into(),
                arguments: json!({"query": "q"})
            }
        );
        assert_eq!(call_for(&["c".into()], Some("7"), "q", None), None);
    }
}
