//! Image parts in each wire format, read the way each API reads them, so a test can see which
//! images a request carried: OpenAI `image_url` parts with a `data:` URL (user messages only:
//! a `tool` message takes text), Anthropic `image` blocks with a base64 `source` (in user turns
//! and in a `tool_result`'s content, never in an assistant turn), Gemini `inline_data` (or
//! `inlineData`) parts. A malformed image, one where the API takes none, or one of a type the
//! API does not take is an error with the API's own words, and the request is refused.
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One image a request carried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedImage {
    /// The role of the message it came in.
    pub role: String,
    pub media_type: String,
    /// The image's bytes, base64, as sent.
    pub data: String,
    /// How many bytes the base64 decodes to.
    pub bytes: usize,
    /// It came with tool results: inside an Anthropic `tool_result`, or in a Gemini turn of
    /// `functionResponse` parts.
    #[serde(default)]
    pub in_tool_result: bool,
}

/// The image types each API takes.
const OPENAI_TYPES: &[&str] = &["image/png", "image/jpeg", "image/gif", "image/webp"];
const ANTHROPIC_TYPES: &[&str] = &["image/jpeg", "image/png", "image/gif", "image/webp"];
const GEMINI_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/heic",
    "image/heif",
];

/// The images of `body` in wire format `format`; an error says what the API would say.
pub fn of(format: &str, body: &Value) -> Result<Vec<RecordedImage>, String> {
    let mut found = Vec::new();
    let none = Vec::new();
    match format {
        "openai" => {
            for (i, m) in body["messages"]
                .as_array()
                .unwrap_or(&none)
                .iter()
                .enumerate()
            {
                for part in m["content"].as_array().unwrap_or(&none) {
                    if part["type"] != "image_url" {
                        continue;
                    }
                    let role = m["role"].as_str().unwrap_or_default();
                    if role != "user" {
                        return Err(format!("Invalid 'messages[{i}]'. Image URLs are only allowed for messages with role 'user', but this message with role '{role}' contains an image URL."));
                    }
                    let url = part["image_url"]["url"].as_str().unwrap_or_default();
                    let (head, data) = url
                        .strip_prefix("data:")
                        .and_then(|rest| rest.split_once(";base64,"))
                        .ok_or("image_url.url must be a data: URL with base64 data")?;
                    if !OPENAI_TYPES.contains(&head) {
                        return Err("You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].".into());
                    }
                    found.push(image(&m["role"], head, data, false)?);
                }
            }
        }
        "anthropic" => {
            for (i, m) in body["messages"]
                .as_array()
                .unwrap_or(&none)
                .iter()
                .enumerate()
            {
                for (j, block) in m["content"].as_array().unwrap_or(&none).iter().enumerate() {
                    if block["type"] == "image" {
                        if m["role"] != "user" {
                            return Err(format!("messages.{i}.content.{j}: Image blocks are only allowed in user messages."));
                        }
                        found.push(anthropic_image(&m["role"], block, false)?);
                    }
                    if block["type"] == "tool_result" {
                        for inner in block["content"].as_array().unwrap_or(&none) {
                            if inner["type"] == "image" {
                                found.push(anthropic_image(&m["role"], inner, true)?);
                            }
                        }
                    }
                }
            }
        }
        _ => {
            for c in body["contents"].as_array().unwrap_or(&none) {
                let parts = c["parts"].as_array().unwrap_or(&none);
                let answers = parts.iter().any(|p| p.get("functionResponse").is_some());
                for part in parts {
                    let inline = if part["inline_data"].is_object() {
                        &part["inline_data"]
                    } else if part["inlineData"].is_object() {
                        &part["inlineData"]
                    } else {
                        continue;
                    };
                    let media_type = inline["mime_type"]
                        .as_str()
                        .or(inline["mimeType"].as_str())
                        .unwrap_or_default();
                    if media_type.starts_with("image/") && !GEMINI_TYPES.contains(&media_type) {
                        return Err(format!("Unsupported MIME type: {media_type}"));
                    }
                    let data = inline["data"].as_str().unwrap_or_default();
                    found.push(image(&c["role"], media_type, data, answers)?);
                }
            }
        }
    }
    Ok(found)
}

fn anthropic_image(
    role: &Value,
    block: &Value,
    in_tool_result: bool,
) -> Result<RecordedImage, String> {
    let source = &block["source"];
    if source["type"] != "base64" {
        return Err("image.source.type must be base64".into());
    }
    let media_type = source["media_type"].as_str().unwrap_or_default();
    if !ANTHROPIC_TYPES.contains(&media_type) {
        return Err(format!("image.source.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp' (got '{media_type}')"));
    }
    let data = source["data"].as_str().unwrap_or_default();
    image(role, media_type, data, in_tool_result)
}

fn image(
    role: &Value,
    media_type: &str,
    data: &str,
    in_tool_result: bool,
) -> Result<RecordedImage, String> {
    if !media_type.starts_with("image/") {
        return Err(format!("'{media_type}' is not an image media type"));
    }
    let bytes = decoded_len(data).ok_or("image data is not valid base64")?;
    Ok(RecordedImage {
        role: role.as_str().unwrap_or("user").to_string(),
        media_type: media_type.to_string(),
        data: data.to_string(),
        bytes,
        in_tool_result,
    })
}

/// The decoded length of padded standard base64, or None when it is not that.
fn decoded_len(data: &str) -> Option<usize> {
    let b = data.as_bytes();
    if b.is_empty() || !b.len().is_multiple_of(4) {
        return None;
    }
    let pad = b.iter().rev().take_while(|c| **c == b'=').count();
    let body_ok = b[..b.len() - pad]
        .iter()
        .all(|c| c.is_ascii_alphanumeric() || *c == b'+' || *c == b'/');
    (pad <= 2 && body_ok).then(|| b.len() / 4 * 3 - pad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_format_s_image_parts_are_read() {
        let openai = json!({"messages": [{"role": "user", "content": [
            {"type": "text", "text": "hi"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}}]}]});
        let got = of("openai", &openai).unwrap();
        assert_eq!((got[0].media_type.as_str(), got[0].bytes), ("image/png", 4));
        let anthropic = json!({"messages": [{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/"}}]}]});
        assert_eq!(of("anthropic", &anthropic).unwrap()[0].bytes, 3);
        let gemini = json!({"contents": [{"role": "user", "parts": [
            {"inline_data": {"mime_type": "image/webp", "data": "UklG"}}]}]});
        assert_eq!(of("gemini", &gemini).unwrap()[0].media_type, "image/webp");
        let bad = json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]}]});
        assert!(of("openai", &bad).is_err());
    }

    #[test]
    fn images_only_where_each_api_takes_them_and_of_the_types_it_takes() {
        let url = "data:image/png;base64,iVBORw==";
        let tool = json!({"messages": [{"role": "tool", "tool_call_id": "c", "content": [
            {"type": "image_url", "image_url": {"url": url}}]}]});
        let e = of("openai", &tool).unwrap_err();
        assert!(e.contains("role 'tool'"), "{e}");
        let bmp = json!({"messages": [{"role": "user", "content": [
            {"type": "image_url", "image_url": {"url": "data:image/bmp;base64,Qk0="}}]}]});
        assert!(of("openai", &bmp)
            .unwrap_err()
            .contains("unsupported image"));
        let png = json!({"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw=="}});
        let assistant = json!({"messages": [{"role": "assistant", "content": [png]}]});
        assert!(of("anthropic", &assistant)
            .unwrap_err()
            .contains("user messages"));
        let result = json!({"messages": [{"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "t", "content": [{"type": "text", "text": "a chart"}, png]}]}]});
        let got = of("anthropic", &result).unwrap();
        assert_eq!((got.len(), got[0].in_tool_result), (1, true));
        let gif = json!({"contents": [{"role": "user", "parts": [
            {"inline_data": {"mime_type": "image/gif", "data": "R0lG"}}]}]});
        assert!(of("gemini", &gif).unwrap_err().contains("image/gif"));
        let answered = json!({"contents": [{"role": "user", "parts": [
            {"functionResponse": {"name": "f", "response": {}}},
            {"inline_data": {"mime_type": "image/png", "data": "iVBORw=="}}]}]});
        assert!(of("gemini", &answered).unwrap()[0].in_tool_result);
    }
}
