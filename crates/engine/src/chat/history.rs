//! The conversation as the router and the providers see it.
use std::collections::HashMap;

use switchyard_router::Message;

use super::attachments::{with_parts, Part};
use crate::store::messages::{ChatMessage, MessageStatus, Role};

/// Whether a saved message is part of the conversation the models see: every user message, and
/// every assistant reply that has text and was said (not failed, not a compared answer left
/// unchosen: `unsaid`). (Replay rebuilds past requests with it.)
pub fn is_said(user: bool, unsaid: bool, content: &str) -> bool {
    user || (!unsaid && !content.trim().is_empty())
}

/// Every user message with its files (by message id) put in, and every assistant reply that
/// has text (failed replies are left out: the model never said them; so are compared answers
/// that were not chosen).
pub fn to_messages(history: &[ChatMessage], files: &HashMap<i64, Vec<Part<'_>>>) -> Vec<Message> {
    history
        .iter()
        .filter(|m| {
            is_said(
                m.role == Role::User,
                m.alternative || m.status == MessageStatus::Failed,
                &m.content,
            )
        })
        .map(|m| {
            let (content, images) = match files.get(&m.id) {
                Some(parts) if m.role == Role::User => with_parts(&m.content, parts),
                _ => (m.content.clone(), Vec::new()),
            };
            Message {
                role: match m.role {
                    Role::User => "user".into(),
                    Role::Assistant => "assistant".into(),
                },
                content,
                images,
                ..Message::default()
            }
        })
        .collect()
}
