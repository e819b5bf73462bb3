//! The conversation as the router and the providers see it.
use std::collections::HashMap;

use switchyard_router::Message;

use super::attachments::{with_parts, Part};
use crate::store::messages::{ChatMessage, MessageStatus, Role};

/// Every user message with its files (by message id) put in, and every assistant reply that
/// has text (failed replies are left out: the model never said them; so are compared answers
/// that were not chosen).
pub fn to_messages(history: &[ChatMessage], files: &HashMap<i64, Vec<Part<'_>>>) -> Vec<Message> {
    history
        .iter()
        .filter(|m| match m.role {
            Role::User => true,
            Role::Assistant => {
                !m.alternative && m.status != MessageStatus::Failed && !m.content.trim().is_empty()
            }
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
            }
        })
        .collect()
}
