//! The conversation as the router and the providers see it.
use switchyard_router::Message;

use crate::store::messages::{ChatMessage, MessageStatus, Role};

/// Whether a saved message is part of the conversation the models see: every user message, and
/// every assistant reply that has text and did not fail. (Replay rebuilds past requests with it.)
pub fn is_said(user: bool, failed: bool, content: &str) -> bool {
    user || (!failed && !content.trim().is_empty())
}

/// Every user message, and every assistant reply that has text (failed replies are left out: the
/// model never said them).
pub fn to_messages(history: &[ChatMessage]) -> Vec<Message> {
    history
        .iter()
        .filter(|m| {
            is_said(
                m.role == Role::User,
                m.status == MessageStatus::Failed,
                &m.content,
            )
        })
        .map(|m| Message {
            role: match m.role {
                Role::User => "user".into(),
                Role::Assistant => "assistant".into(),
            },
            content: m.content.clone(),
        })
        .collect()
}
