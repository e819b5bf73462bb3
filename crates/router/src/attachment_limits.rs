//! What each provider's API takes in images sent inline, next to the catalog: per image size,
//! images per request, the whole request's inline size, and the image types. Checked before a
//! request is sent, so a breach is a message naming the limit and the file, not a provider's
//! 400. Keyed by wire format: every OpenAI-compatible server is held to OpenAI's limits.

const MB: u64 = 1024 * 1024;

/// One provider's limits on inline images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// `openai`, `anthropic` or `gemini`: the wire format.
    pub format: &'static str,
    /// How messages name the provider.
    pub label: &'static str,
    /// Largest image file.
    pub max_image_bytes: Option<u64>,
    /// Most images in one request.
    pub max_images: Option<u32>,
    /// Largest total of inline data in one request, as sent (base64).
    pub max_inline_bytes: Option<u64>,
    /// Media types taken.
    pub image_types: &'static [&'static str],
}

/// From each provider's vision documentation (OpenAI: 20 MB per image and 500 images a
/// request; Anthropic: 5 MB per image and 100 images a request; Gemini: 20 MB for the whole
/// request with its inline data, and no GIF).
pub const LIMITS: &[AttachmentLimits] = &[
    AttachmentLimits {
        format: "openai",
        label: "OpenAI",
        max_image_bytes: Some(20 * MB),
        max_images: Some(500),
        max_inline_bytes: None,
        image_types: &["image/png", "image/jpeg", "image/webp", "image/gif"],
    },
    AttachmentLimits {
        format: "anthropic",
        label: "Anthropic",
        max_image_bytes: Some(5 * MB),
        max_images: Some(100),
        max_inline_bytes: None,
        image_types: &["image/png", "image/jpeg", "image/webp", "image/gif"],
    },
    AttachmentLimits {
        format: "gemini",
        label: "Gemini",
        max_image_bytes: None,
        max_images: Some(3_000),
        max_inline_bytes: Some(20 * MB),
        image_types: &["image/png", "image/jpeg", "image/webp"],
    },
];

/// The largest image any provider takes: a bigger file is refused when it is attached.
pub const MAX_ANY_IMAGE_BYTES: u64 = 20 * MB;

/// One image of a request, as the limits see it.
#[derive(Debug, Clone, Copy)]
pub struct ImageFacts<'a> {
    pub name: &'a str,
    pub media_type: &'a str,
    pub bytes: u64,
}

impl AttachmentLimits {
    /// The limits of wire format `format`; OpenAI's for anything else.
    pub fn of(format: &str) -> &'static AttachmentLimits {
        LIMITS
            .iter()
            .find(|l| l.format == format)
            .unwrap_or(&LIMITS[0])
    }

    /// Whether a request carrying `images` (and `other_bytes` of text) is within these limits;
    /// the error names the limit and the file, for a model called `model`.
    pub fn check(
        &self,
        model: &str,
        images: &[ImageFacts<'_>],
        other_bytes: u64,
    ) -> Result<(), String> {
        let who = format!("{model} ({})", self.label);
        for image in images {
            if !self.image_types.contains(&image.media_type) {
                return Err(format!(
                    "{who} does not take {} images ({}); it takes {}. Convert the image or choose another model.",
                    kind(image.media_type),
                    image.name,
                    self.image_types.iter().map(|t| kind(t)).collect::<Vec<_>>().join(", ")
                ));
            }
            if let Some(max) = self.max_image_bytes.filter(|max| image.bytes > *max) {
                return Err(format!(
                    "{} is {}; {who} takes images of at most {} each. Make it smaller or choose another model.",
                    image.name,
                    size(image.bytes),
                    size(max)
                ));
            }
        }
        if let Some(max) = self.max_images {
            if images.len() as u64 > u64::from(max) {
                return Err(format!(
                    "The conversation sends {} images; {who} takes at most {max} in one request. Remove some or start a new chat.",
                    images.len()
                ));
            }
        }
        if let Some(max) = self.max_inline_bytes {
            let total: u64 = images.iter().map(|i| encoded(i.bytes)).sum::<u64>() + other_bytes;
            if total > max {
                let largest = images.iter().max_by_key(|i| i.bytes).map_or("", |i| i.name);
                return Err(format!(
                    "The request would be {} with its images sent inline (largest: {largest}); {who} takes at most {} in one request. Remove or shrink an image, or choose another model.",
                    size(total),
                    size(max)
                ));
            }
        }
        Ok(())
    }
}

/// Size after base64.
fn encoded(bytes: u64) -> u64 {
    bytes.div_ceil(3) * 4
}

fn kind(media_type: &str) -> String {
    media_type
        .strip_prefix("image/")
        .unwrap_or(media_type)
        .to_uppercase()
}

/// A size as people read it: `812 KB`, `5.2 MB`.
pub fn size(bytes: u64) -> String {
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image<'a>(name: &'a str, media_type: &'a str, bytes: u64) -> ImageFacts<'a> {
        ImageFacts {
            name,
            media_type,
            bytes,
        }
    }

    #[test]
    fn each_limit_names_itself_and_the_file() {
        let anthropic = AttachmentLimits::of("anthropic");
        let big = [image("cat.png", "image/png", 6 * MB)];
        let e = anthropic.check("claude-sonnet-4", &big, 0).unwrap_err();
        assert!(
            e.contains("cat.png is 6.0 MB") && e.contains("at most 5.0 MB each"),
            "{e}"
        );
        assert!(AttachmentLimits::of("openai")
            .check("gpt-4o", &big, 0)
            .is_ok());

        let gif = [image("dance.gif", "image/gif", 1000)];
        let e = AttachmentLimits::of("gemini")
            .check("gemini-2.5-pro", &gif, 0)
            .unwrap_err();
        assert!(e.contains("does not take GIF images (dance.gif)"), "{e}");

        let many: Vec<_> = (0..101).map(|_| image("a.png", "image/png", 10)).collect();
        let e = anthropic.check("claude-sonnet-4", &many, 0).unwrap_err();
        assert!(e.contains("101 images") && e.contains("at most 100"), "{e}");

        let two = [
            image("a.png", "image/png", 8 * MB),
            image("b.jpg", "image/jpeg", 7 * MB),
        ];
        let e = AttachmentLimits::of("gemini")
            .check("gemini-2.5-pro", &two, 0)
            .unwrap_err();
        assert!(
            e.contains("largest: a.png") && e.contains("at most 20.0 MB in one request"),
            "{e}"
        );
        assert!(AttachmentLimits::of("openai")
            .check("gpt-4o", &two, 0)
            .is_ok());
    }

    #[test]
    fn compatible_servers_get_openai_limits() {
        assert_eq!(AttachmentLimits::of("ollama").format, "openai");
    }
}
