//! Image parts in each wire format, read the way each API reads them, so a test can see which
//! images a request carried: OpenAI `image_url` parts with a `data:` URL, Anthropic `image`
//! blocks with a base64 `source`, Gemini `inline_data` (or `inlineData`) parts.
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
}

/// The images of `body` in wire format `format`; an error says which part is malformed, as
/// the real APIs refuse such a request.
pub fn of(format: &str, body: &Value) -> Result<Vec<RecordedImage>, String> {
    let mut found = Vec::new();
    let none = Vec::new();
    match format {
        "openai" => {
            for m in body["messages"].as_array().unwrap_or(&none) {
                for part in m["content"].as_array().unwrap_or(&none) {
                    if part["type"] != "image_url" {
                        continue;
                    }
                    let url = part["image_url"]["url"].as_str().unwrap_or_default();
                    let (head, data) = url
                        .strip_prefix("data:")
                        .and_then(|rest| rest.split_once(";base64,"))
                        .ok_or("image_url.url must be a data: URL with base64 data")?;
                    found.push(image(&m["role"], head, data)?);
                }
            }
        }
        "anthropic" => {
            for m in body["messages"].as_array().unwrap_or(&none) {
                for part in m["content"].as_array().unwrap_or(&none) {
                    if part["type"] != "image" {
                        continue;
                    }
                    let source = &part["source"];
                    if source["type"] != "base64" {
                        return Err("image.source.type must be base64".into());
                    }
                    let media_type = source["media_type"].as_str().unwrap_or_default();
                    let data = source["data"].as_str().unwrap_or_default();
                    found.push(image(&m["role"], media_type, data)?);
                }
            }
        }
        _ => {
            for c in body["contents"].as_array().unwrap_or(&none) {
                for part in c["parts"].as_array().unwrap_or(&none) {
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
                    let data = inline["data"].as_str().unwrap_or_default();
                    found.push(image(&c["role"], media_type, data)?);
                }
            }
        }
    }
    Ok(found)
}

fn image(role: &Value, media_type: &str, data: &str) -> Result<RecordedImage, String> {
    if !media_type.starts_with("image/") {
        return Err(format!("'{media_type}' is not an image media type"));
    }
    let bytes = decoded_len(data).ok_or("image data is not valid base64")?;
    Ok(RecordedImage {
        role: role.as_str().unwrap_or("user").to_string(),
        media_type: media_type.to_string(),
        data: data.to_string(),
        bytes,
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
}
