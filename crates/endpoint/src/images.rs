//! Images as clients send them inline: an OpenAI `image_url` part whose URL is a `data:` URL,
//! an Anthropic `image` block with a `base64` source. Each becomes the engine's `Image`; its
//! media type must be one some provider takes, and its bytes must be what the type says (the
//! providers refuse an image whose bytes do not match its type, and would refuse it on every
//! model of a chain). Remote images (an `http(s)` URL, Anthropic's `url` and `file` sources)
//! are refused: the endpoint never fetches a URL a request names, which would let any page
//! the user visits reach hosts on the user's network through it.
use base64::Engine as _;
use serde_json::Value;
use switchyard_router::{Image, ATTACHMENT_LIMITS};

use crate::inbound::bad;
use crate::wire::{ApiError, Format};

/// An OpenAI `image_url` part.
pub fn openai_part(part: &Value, at: &str) -> Result<Image, ApiError> {
    let f = Format::OpenAi;
    // `{"url": …}`, or the bare string some older clients send.
    let url = part
        .get("image_url")
        .and_then(|u| u.as_str().or_else(|| u.get("url").and_then(Value::as_str)))
        .ok_or_else(|| bad(f, format!("{at}: an image_url part needs `image_url.url`.")))?;
    if is_remote(url) {
        return Err(bad(
            f,
            format!(
                "{at}: the endpoint does not fetch image URLs (it never reaches out to addresses a request names). Send the image inline as a data URL: data:image/png;base64,<the file's bytes in base64>."
            ),
        )
        .param("messages"));
    }
    let (head, data) = url
        .strip_prefix("data:")
        .and_then(|rest| rest.split_once(','))
        .ok_or_else(|| {
            bad(
                f,
                format!("{at}: `image_url.url` must be a data URL (data:image/png;base64,…)."),
            )
            .param("messages")
        })?;
    let media_type = head.strip_suffix(";base64").ok_or_else(|| {
        bad(
            f,
            format!("{at}: the data URL must carry base64 data (data:{head};base64,…)."),
        )
        .param("messages")
    })?;
    image(f, media_type, data, at).map_err(|e| e.param("messages"))
}

/// An Anthropic `image` block.
pub fn anthropic_block(block: &Value, at: &str) -> Result<Image, ApiError> {
    let f = Format::Anthropic;
    let source = block
        .get("source")
        .filter(|s| s.is_object())
        .ok_or_else(|| {
            bad(
                f,
                format!("{at}.source: Field required ({{type: \"base64\", media_type, data}})."),
            )
        })?;
    match source.get("type").and_then(Value::as_str).unwrap_or("") {
        "base64" => {}
        "url" => {
            return Err(bad(
                f,
                format!(
                    "{at}.source: the endpoint does not fetch image URLs (it never reaches out to addresses a request names). Send the image inline: source {{\"type\": \"base64\", \"media_type\": \"image/png\", \"data\": <the file's bytes in base64>}}."
                ),
            ))
        }
        "file" => {
            return Err(bad(
                f,
                format!(
                    "{at}.source: files uploaded to Anthropic cannot be passed to other providers. Send the image inline: source {{\"type\": \"base64\", \"media_type\": …, \"data\": …}}."
                ),
            ))
        }
        other => {
            return Err(bad(
                f,
                format!("{at}.source.type: '{other}' is not one of base64, url, file."),
            ))
        }
    }
    let media_type = source
        .get("media_type")
        .and_then(Value::as_str)
        .unwrap_or("");
    let data = source.get("data").and_then(Value::as_str).unwrap_or("");
    let mut image = image(f, media_type, data, &format!("{at}.source"))?;
    image.name = at.to_string();
    Ok(image)
}

fn is_remote(url: &str) -> bool {
    let lower = url
        .trim_start()
        .get(..8)
        .unwrap_or(url)
        .to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The media types some provider takes.
fn taken(media_type: &str) -> bool {
    ATTACHMENT_LIMITS
        .iter()
        .any(|l| l.image_types.contains(&media_type))
}

fn taken_list() -> String {
    let mut all: Vec<&str> = Vec::new();
    for t in ATTACHMENT_LIMITS.iter().flat_map(|l| l.image_types.iter()) {
        if !all.contains(t) {
            all.push(t);
        }
    }
    all.join(", ")
}

/// The image, checked: a type some provider takes, padded standard base64, and bytes that
/// start as that type's files do.
fn image(format: Format, media_type: &str, data: &str, at: &str) -> Result<Image, ApiError> {
    let mut media_type = media_type.trim().to_ascii_lowercase();
    if media_type == "image/jpg" {
        media_type = "image/jpeg".into();
    }
    if !taken(&media_type) {
        return Err(bad(
            format,
            format!(
                "{at}: images of type '{media_type}' are not taken by the providers; send one of {}.",
                taken_list()
            ),
        ));
    }
    if data.is_empty() {
        return Err(bad(format, format!("{at}: the image has no data.")));
    }
    let valid = data.len().is_multiple_of(4)
        && data
            .bytes()
            .rev()
            .skip_while(|b| *b == b'=')
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && data.bytes().rev().take_while(|b| *b == b'=').count() <= 2;
    if !valid {
        return Err(bad(
            format,
            format!("{at}: the image data is not base64 (standard alphabet, padded with '=')."),
        ));
    }
    // The first 16 bytes are enough to tell the types apart.
    let head = base64::engine::general_purpose::STANDARD
        .decode(&data[..data.len().min(24)])
        .unwrap_or_default();
    if sniff(&head) != Some(media_type.as_str()) {
        let looks = sniff(&head).map_or(
            "not an image of a type the providers take".to_string(),
            |t| format!("{t} data"),
        );
        return Err(bad(
            format,
            format!("{at}: the data is {looks}, but the media type says {media_type}. Send the type the file has."),
        ));
    }
    Ok(Image {
        name: at.to_string(),
        media_type,
        data: data.to_string(),
    })
}

/// The type a file's first bytes say it is.
fn sniff(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if head.len() >= 12 && head.starts_with(b"RIFF") && &head[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

#[cfg(test)]
pub mod tests {
    use serde_json::json;

    use super::*;
    use crate::wire::Problem;

    /// A 1×1 PNG, base64.
    pub const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    #[test]
    fn a_data_url_becomes_an_image_named_by_its_place() {
        let part = json!({"type": "image_url",
            "image_url": {"url": format!("data:image/png;base64,{PNG}"), "detail": "low"}});
        let image = openai_part(&part, "messages[0].content[1]").unwrap();
        assert_eq!(image.media_type, "image/png");
        assert_eq!(image.data, PNG);
        assert_eq!(image.name, "messages[0].content[1]");
        // `image/jpg` is read as the JPEG it means.
        let jpeg =
            base64::engine::general_purpose::STANDARD.encode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]);
        let part = json!({"image_url": {"url": format!("data:image/jpg;base64,{jpeg}")}});
        assert_eq!(openai_part(&part, "x").unwrap().media_type, "image/jpeg");
        // The bare URL string older clients send.
        let part =
            json!({"type": "image_url", "image_url": format!("data:image/png;base64,{PNG}")});
        assert_eq!(openai_part(&part, "x").unwrap().data, PNG);
    }

    #[test]
    fn remote_and_malformed_images_are_refused_saying_what_to_send() {
        let remote = openai_part(
            &json!({"image_url": {"url": "https://example.com/cat.png"}}),
            "messages[0].content[0]",
        )
        .unwrap_err();
        assert_eq!(remote.problem, Problem::BadRequest);
        assert!(
            remote.message.contains("data:image/png;base64"),
            "{}",
            remote.message
        );
        let remote = anthropic_block(
            &json!({"type": "image", "source": {"type": "url", "url": "http://10.0.0.1/x.png"}}),
            "messages.0.content.0",
        )
        .unwrap_err();
        assert!(remote.message.contains("\"base64\""), "{}", remote.message);
        let cases = [
            (
                json!({"image_url": {"url": "data:image/bmp;base64,Qk0="}}),
                "'image/bmp'",
            ),
            (
                json!({"image_url": {"url": "data:image/png,rawbytes"}}),
                "base64 data",
            ),
            (
                json!({"image_url": {"url": "data:image/png;base64,not base64!"}}),
                "not base64",
            ),
            (
                json!({"image_url": {"url": "data:image/png;base64,"}}),
                "no data",
            ),
            // A JPEG sent as a PNG.
            (
                json!({"image_url": {"url": "data:image/png;base64,/9j/4AAQ"}}),
                "is image/jpeg data",
            ),
            (json!({"image_url": {}}), "image_url.url"),
        ];
        for (part, says) in cases {
            let e = openai_part(&part, "p").unwrap_err();
            assert!(e.message.contains(says), "{part}: {}", e.message);
        }
        let file = anthropic_block(
            &json!({"type": "image", "source": {"type": "file", "file_id": "file_1"}}),
            "m",
        )
        .unwrap_err();
        assert!(file.message.contains("inline"), "{}", file.message);
        let block = json!({"type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": PNG}});
        assert_eq!(anthropic_block(&block, "m").unwrap().data, PNG);
    }
}
