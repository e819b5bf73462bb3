//! What the chat streams to the UI while a reply is produced.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::chat::attachments::NewAttachment;
use crate::reply::Hop;
use crate::store::attachments::Attachment;
use crate::store::conversations::Conversation;
use crate::store::messages::ChatMessage;

/// How a message is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SendMode {
    /// A new user message.
    #[default]
    New,
    /// Answer the last user message again, replacing the replies after it.
    Regenerate,
    /// Replace the last user message's text and answer it again.
    EditLast,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct SendRequest {
    /// None starts a new conversation titled from the text.
    pub conversation_id: Option<String>,
    pub text: String,
    /// `auto` or a catalog model id.
    pub model: String,
    #[serde(default)]
    pub mode: SendMode,
    /// Use `model` for this message only: the conversation keeps the model it had.
    #[serde(default)]
    pub model_once: bool,
    /// A new conversation's system prompt (an existing one keeps its own).
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// Files sent with the message (with `EditLast`, added to the last message's). Answering
    /// again sends the saved ones.
    #[serde(default)]
    pub attachments: Vec<NewAttachment>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
#[ts(export)]
pub enum ChatEvent {
    /// The messages are saved: the user's, and the assistant's that will fill in.
    Accepted {
        conversation: Conversation,
        user: Box<ChatMessage>,
        assistant: Box<ChatMessage>,
        /// The user message's files, as saved.
        attachments: Vec<Attachment>,
    },
    /// A model started answering.
    Started { model: String, provider: String },
    /// The next piece of the reply.
    Text { delta: String },
    /// A model failed or was skipped; another may follow.
    Hop { hop: Hop },
    /// The reply as saved, whatever happened.
    Done { message: Box<ChatMessage> },
}
