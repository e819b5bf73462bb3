//! Files the user attaches: checked when they arrive (an image of a type providers take, or
//! text; anything else refused with what to do), and put into the conversation the providers
//! see (images as image parts, text files headed by the file's name: code fenced, prose framed).
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use switchyard_router::{file_size, Image, MAX_ANY_IMAGE_BYTES};
use ts_rs::TS;

use crate::error::EngineError;
use crate::store::attachments::{AttachmentKind, NewFile};

/// The largest text file put into a prompt. Its tokens count toward the estimate and the
/// context window as well; this only keeps an accidental log dump out of memory.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;

/// A file as the app or the CLI hands it over.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct NewAttachment {
    /// The file's name (a path is cut to its last part).
    pub name: String,
    /// The file's bytes, base64.
    pub data: String,
}

impl NewAttachment {
    /// A file's bytes as the send path takes them (the CLI's `--attach`).
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Self {
        Self {
            name: name.to_string(),
            data: BASE64.encode(bytes),
        }
    }
}

fn invalid(message: String) -> EngineError {
    EngineError::Invalid {
        field: "attachments".into(),
        message,
    }
}

/// The name shown and put in the prompt: the last part of a path, without control
/// characters, at most 200 characters.
pub fn clean_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let cleaned: String = last.chars().filter(|c| !c.is_control()).take(200).collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// The image types providers take, by their first bytes: (media type, extension).
fn image_type(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// A text file's media type from its extension (text/plain when not known).
fn text_type(name: &str) -> &'static str {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("md" | "markdown") => "text/markdown",
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        Some("html" | "htm") => "text/html",
        Some("xml" | "svg") => "application/xml",
        Some("js" | "mjs" | "ts") => "text/javascript",
        Some("py") => "text/x-python",
        Some("rs") => "text/x-rust",
        _ => "text/plain",
    }
}

/// Checks one file: an image providers take, or text (UTF-8 without NUL bytes). The error
/// names the file and says what can be attached.
pub fn prepare(new: &NewAttachment) -> Result<NewFile, EngineError> {
    let name = clean_name(&new.name);
    let bytes = BASE64.decode(new.data.trim()).map_err(|_| {
        invalid(format!(
            "{name} could not be read (its data is not base64)."
        ))
    })?;
    if bytes.is_empty() {
        return Err(invalid(format!(
            "{name} is empty: there is nothing to attach."
        )));
    }
    let sha256 = hex(&Sha256::digest(&bytes));
    if let Some((mime_type, extension)) = image_type(&bytes) {
        if bytes.len() as u64 > MAX_ANY_IMAGE_BYTES {
            return Err(invalid(format!(
                "{name} is {}; no provider takes an image over {}. Make it smaller.",
                file_size(bytes.len() as u64),
                file_size(MAX_ANY_IMAGE_BYTES)
            )));
        }
        return Ok(NewFile {
            name,
            mime_type: mime_type.into(),
            kind: AttachmentKind::Image,
            bytes,
            sha256,
            extension,
        });
    }
    let text = std::str::from_utf8(&bytes)
        .ok()
        .filter(|t| !t.contains('\0'));
    if text.is_none() {
        return Err(invalid(format!(
            "{name} is not a text file or an image providers take (PNG, JPEG, WebP, GIF), so \
             it cannot be attached. Attach its text, or convert the image."
        )));
    }
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(invalid(format!(
            "{name} is {}; text files of at most {} can be attached. Attach the part that matters.",
            file_size(bytes.len() as u64),
            file_size(MAX_TEXT_BYTES as u64)
        )));
    }
    Ok(NewFile {
        mime_type: text_type(&name).into(),
        name,
        kind: AttachmentKind::Text,
        bytes,
        sha256,
        extension: "txt",
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One file as the providers get it: its name, kind, type and bytes.
pub struct Part<'a> {
    pub name: &'a str,
    pub kind: AttachmentKind,
    pub mime_type: &'a str,
    pub bytes: &'a [u8],
}

/// A user message's text with its files: text files appended under their names (see
/// [`framed`]), images as image parts.
pub fn with_parts(text: &str, parts: &[Part<'_>]) -> (String, Vec<Image>) {
    let mut content = text.to_string();
    let mut images = Vec::new();
    for part in parts {
        match part.kind {
            AttachmentKind::Text => {
                let body = String::from_utf8_lossy(part.bytes);
                let body = body.strip_prefix('\u{feff}').unwrap_or(&body);
                if !content.is_empty() {
                    content.push_str("\n\n");
                }
                content.push_str(&framed(part.name, part.mime_type, body));
            }
            AttachmentKind::Image => images.push(Image {
                name: part.name.to_string(),
                media_type: part.mime_type.to_string(),
                data: BASE64.encode(part.bytes),
            }),
        }
    }
    (content, images)
}

/// A text file as the prompt carries it, headed by its name: code and data in a fence (longer
/// than any run of backticks inside), prose (plain text, Markdown, CSV) between two lines that
/// name it, so a note or a list is read as what it is, not as code, by the router too.
fn framed(name: &str, mime_type: &str, body: &str) -> String {
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    if matches!(mime_type, "text/plain" | "text/markdown" | "text/csv") {
        return format!("File {name}:\n{body}{newline}(end of {name})");
    }
    let fence = "`".repeat(longest_backtick_run(body).max(2) + 1);
    format!("{fence}{name}\n{body}{newline}{fence}")
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new(name: &str, bytes: &[u8]) -> NewAttachment {
        NewAttachment {
            name: name.into(),
            data: BASE64.encode(bytes),
        }
    }

    #[test]
    fn images_are_known_by_their_bytes_and_text_by_being_text() {
        let png = prepare(&new("shot.PNG", b"\x89PNG\r\n\x1a\nrest")).unwrap();
        assert_eq!(
            (png.kind, png.mime_type.as_str(), png.extension),
            (AttachmentKind::Image, "image/png", "png")
        );
        let text = prepare(&new("C:\\work\\notes.md", b"# Notes\n")).unwrap();
        assert_eq!(
            (text.kind, text.name.as_str(), text.mime_type.as_str()),
            (AttachmentKind::Text, "notes.md", "text/markdown")
        );
        assert_eq!(text.sha256.len(), 64);
    }

    #[test]
    fn binary_files_are_refused_by_name() {
        let e = prepare(&new("report.pdf", b"%PDF-1.7\n\0\x01\x02")).unwrap_err();
        assert!(
            e.to_string()
                .contains("report.pdf is not a text file or an image"),
            "{e}"
        );
        let e = prepare(&new("photo.bmp", b"BM\x00\x00\x01")).unwrap_err();
        assert!(e.to_string().contains("photo.bmp"), "{e}");
        assert!(prepare(&new("empty.txt", b"")).is_err());
    }

    #[test]
    fn text_files_go_into_the_prompt_under_their_name_code_fenced() {
        let code = b"fn main() {}\n";
        let (content, images) = with_parts(
            "Review this",
            &[Part {
                name: "main.rs",
                kind: AttachmentKind::Text,
                mime_type: "text/x-rust",
                bytes: code,
            }],
        );
        assert_eq!(content, "Review this\n\n```main.rs\nfn main() {}\n```");
        assert!(images.is_empty());
        let (content, _) = with_parts(
            "",
            &[Part {
                name: "doc.json",
                kind: AttachmentKind::Text,
                mime_type: "application/json",
                bytes: b"a ``` b",
            }],
        );
        assert_eq!(content, "````doc.json\na ``` b\n````");
        let (content, _) = with_parts(
            "Which platform?",
            &[Part {
                name: "timetable.txt",
                kind: AttachmentKind::Text,
                mime_type: "text/plain",
                bytes: b"Basel: 9\n",
            }],
        );
        assert_eq!(
            content,
            "Which platform?\n\nFile timetable.txt:\nBasel: 9\n(end of timetable.txt)"
        );
    }
}
