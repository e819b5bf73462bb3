//! The conversation as the router and the providers see it.
use switchyard_router::Message;

use crate::store::messages::{ChatMessage, MessageStatus, Role};

/// Every user message, and every assistant reply that has text (failed replies are left out: the
/// model never said them; so are compared answers that were not chosen).
pub fn to_messages(history: &[ChatMessage]) -> Vec<Message> {
    history
        .iter()
        .filter(|m| match m.role {
            Role::User => true,
            Role::Assistant => {
                !m.alternative && m.status != MessageStatus::Failed && !m.content.trim().is_empty()
            }
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
