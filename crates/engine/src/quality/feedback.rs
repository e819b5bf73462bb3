//! Thumbs on a reply: one per reply; the same thumb again takes it back, the other replaces it.
use crate::error::EngineError;
use crate::send::compare::task_and_rule;
use crate::send::Engine;
use crate::store::messages::{ChatMessage, MessageStatus, Role, Thumb};
use crate::store::votes::{NewVote, VoteKind};

impl Engine {
    /// Toggles `thumb` on reply `message_id` and returns the reply as saved.
    pub async fn thumb(&self, message_id: i64, thumb: Thumb) -> Result<ChatMessage, EngineError> {
        let store = &self.settings().store;
        let reply = store.message(message_id).await?;
        if reply.role != Role::Assistant {
            return Err(EngineError::Invalid {
                field: "message".into(),
                message: "Only a reply can get a thumb, not your own message.".into(),
            });
        }
        let Some(model) = reply
            .model
            .clone()
            .filter(|_| reply.status != MessageStatus::Streaming)
        else {
            return Err(EngineError::Invalid {
                field: "message".into(),
                message: "This reply has no model yet: rate it once it has arrived.".into(),
            });
        };
        if reply.thumb == Some(thumb) {
            store.set_thumb(message_id, None).await?;
        } else {
            let (task, rule) = task_and_rule(&reply);
            store
                .set_thumb(
                    message_id,
                    Some(NewVote {
                        kind: VoteKind::Thumb,
                        conversation_id: Some(&reply.conversation_id),
                        message_id: Some(message_id),
                        compare_of: None,
                        task: &task,
                        rule: rule.as_deref(),
                        model: &model,
                        other_model: None,
                        result: thumb.as_str(),
                    }),
                )
                .await?;
        }
        store.message(message_id).await
    }
}
