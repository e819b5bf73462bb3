//! Files sent with user messages: a row each in `attachments` (name, type, size, sha256, path),
//! the bytes in the data directory at `attachments/<conversation id>/<sha256>.<ext>`. A file
//! sent twice in one conversation is kept once. The files go when their conversation does.
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

/// What an attachment is to the prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum AttachmentKind {
    /// Sent as an image part, to models that read images.
    Image,
    /// Put into the prompt as a fenced block headed by its name.
    Text,
}

impl AttachmentKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Image => "image",
            Self::Text => "text",
        }
    }
}

/// An attachment as saved (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Attachment {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub message_id: i64,
    pub conversation_id: String,
    /// The file's name as the user had it (shown as text only).
    pub name: String,
    pub mime_type: String,
    pub kind: AttachmentKind,
    #[ts(type = "number")]
    pub size: u64,
    pub sha256: String,
    /// Where the bytes are, relative to the data directory.
    #[serde(skip)]
    #[ts(skip)]
    pub path: String,
}

/// A file checked and ready to be saved.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub mime_type: String,
    pub kind: AttachmentKind,
    pub bytes: Vec<u8>,
    /// Hex.
    pub sha256: String,
    /// The stored file's extension (`png`, `txt`, …).
    pub extension: &'static str,
}

const COLUMNS: &str = "id, message_id, conversation_id, name, mime_type, kind, size, sha256, path";

fn from_row(row: &SqliteRow) -> Result<Attachment, EngineError> {
    let kind: String = row.try_get("kind")?;
    let size: i64 = row.try_get("size")?;
    Ok(Attachment {
        id: row.try_get("id")?,
        message_id: row.try_get("message_id")?,
        conversation_id: row.try_get("conversation_id")?,
        name: row.try_get("name")?,
        mime_type: row.try_get("mime_type")?,
        kind: if kind == "image" {
            AttachmentKind::Image
        } else {
            AttachmentKind::Text
        },
        size: u64::try_from(size).unwrap_or(0),
        sha256: row.try_get("sha256")?,
        path: row.try_get("path")?,
    })
}

/// Conversation ids are UUIDs; anything else is never turned into a path.
fn folder_name(conversation_id: &str) -> Result<&str, EngineError> {
    let ok = !conversation_id.is_empty()
        && conversation_id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(conversation_id)
    } else {
        Err(EngineError::Invalid {
            field: "conversation_id".into(),
            message: format!("'{conversation_id}' is not a conversation id."),
        })
    }
}

fn io(what: &str, path: &Path, e: std::io::Error) -> EngineError {
    EngineError::Database(format!("cannot {what} {}: {e}", path.display()))
}

impl Store {
    /// The folder a conversation's files are kept in.
    pub fn attachments_dir(&self, conversation_id: &str) -> Result<PathBuf, EngineError> {
        Ok(self
            .data_dir()
            .join("attachments")
            .join(folder_name(conversation_id)?))
    }

    /// Saves `files` as the attachments of message `message_id`, in order: the bytes first (a
    /// file already there is the same bytes, by its name), then the rows in one transaction.
    pub async fn add_attachments(
        &self,
        conversation_id: &str,
        message_id: i64,
        files: &[NewFile],
    ) -> Result<Vec<Attachment>, EngineError> {
        if files.is_empty() {
            return Ok(Vec::new());
        }
        let dir = self.attachments_dir(conversation_id)?;
        tokio::fs::create_dir_all(&dir)
            .await
            .map_err(|e| io("create", &dir, e))?;
        let mut paths = Vec::new();
        for file in files {
            let name = format!("{}.{}", file.sha256, file.extension);
            let path = dir.join(&name);
            if tokio::fs::metadata(&path).await.is_err() {
                let partial = dir.join(format!("{name}.part"));
                tokio::fs::write(&partial, &file.bytes)
                    .await
                    .map_err(|e| io("write", &partial, e))?;
                tokio::fs::rename(&partial, &path)
                    .await
                    .map_err(|e| io("write", &path, e))?;
            }
            paths.push(format!("attachments/{conversation_id}/{name}"));
        }
        let start: i64 =
            sqlx::query_scalar("SELECT count(*) FROM attachments WHERE message_id = ?")
                .bind(message_id)
                .fetch_one(self.pool())
                .await?;
        let mut tx = self.pool().begin().await?;
        for (i, (file, path)) in files.iter().zip(&paths).enumerate() {
            sqlx::query(
                "INSERT INTO attachments (message_id, conversation_id, position, name, mime_type,
                                          kind, size, sha256, path)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(message_id)
            .bind(conversation_id)
            .bind(start + i as i64)
            .bind(&file.name)
            .bind(&file.mime_type)
            .bind(file.kind.as_str())
            .bind(file.bytes.len() as i64)
            .bind(&file.sha256)
            .bind(path)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        let all = self.attachments_of(conversation_id).await?;
        Ok(all
            .into_iter()
            .filter(|a| a.message_id == message_id)
            .collect())
    }

    /// Every attachment of a conversation, by message then position.
    pub async fn attachments_of(
        &self,
        conversation_id: &str,
    ) -> Result<Vec<Attachment>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM attachments WHERE conversation_id = ?
             ORDER BY message_id, position"
        ))
        .bind(conversation_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One attachment.
    pub async fn attachment(&self, id: i64) -> Result<Attachment, EngineError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM attachments WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("No attachment {id}.")))?;
        from_row(&row)
    }

    /// The bytes of an attachment.
    pub async fn attachment_bytes(&self, attachment: &Attachment) -> Result<Vec<u8>, EngineError> {
        let path = self.data_dir().join(&attachment.path);
        tokio::fs::read(&path).await.map_err(|e| {
            EngineError::NotFound(format!(
                "The file of attachment '{}' is missing ({}): {e}",
                attachment.name,
                path.display()
            ))
        })
    }

    /// An image attachment as a `data:` URL, for the app to show as a thumbnail.
    pub async fn image_data_url(&self, id: i64) -> Result<String, EngineError> {
        use base64::Engine as _;
        let attachment = self.attachment(id).await?;
        if attachment.kind != AttachmentKind::Image {
            return Err(EngineError::Invalid {
                field: "id".into(),
                message: format!("'{}' is not an image.", attachment.name),
            });
        }
        let bytes = self.attachment_bytes(&attachment).await?;
        Ok(format!(
            "data:{};base64,{}",
            attachment.mime_type,
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    }

    /// Removes a deleted conversation's files.
    pub(super) async fn remove_attachment_files(
        &self,
        conversation_id: &str,
    ) -> Result<(), EngineError> {
        let dir = self.attachments_dir(conversation_id)?;
        match tokio::fs::remove_dir_all(&dir).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove", &dir, e)),
        }
    }
}
