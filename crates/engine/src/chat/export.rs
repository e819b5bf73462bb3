//! A conversation as a Markdown document or a JSON file.
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::store::conversations::Conversation;
use crate::store::messages::{ChatMessage, MessageStatus, Role};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum ExportFormat {
    Markdown,
    Json,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Json => "json",
        }
    }
}

pub fn render(
    format: ExportFormat,
    conversation: &Conversation,
    messages: &[ChatMessage],
) -> String {
    match format {
        ExportFormat::Markdown => markdown(conversation, messages),
        ExportFormat::Json => json(conversation, messages),
    }
}

fn markdown(conversation: &Conversation, messages: &[ChatMessage]) -> String {
    let mut out = format!(
        "# {}\n\n_Exported from Switchyard · started {}_\n",
        conversation.title, conversation.created_at
    );
    if let Some(system) = &conversation.system_prompt {
        out.push_str(&format!("\n## System prompt\n\n{}\n", system.trim_end()));
    }
    for m in messages {
        let who = match m.role {
            Role::User => "You".to_string(),
            Role::Assistant => match (&m.model, &m.provider) {
                (Some(model), Some(provider)) => format!("{model} ({provider})"),
                (Some(model), None) => model.clone(),
                _ => "Assistant".to_string(),
            },
        };
        let note = match m.status {
            MessageStatus::Stopped => " — stopped",
            MessageStatus::Partial => " — cut off",
            MessageStatus::Failed => " — failed",
            MessageStatus::Interrupted => " — interrupted",
            MessageStatus::Complete | MessageStatus::Streaming => "",
        };
        let note = if m.alternative {
            format!("{note} — compared, not chosen")
        } else {
            note.to_string()
        };
        out.push_str(&format!("\n## {who}{note}\n\n{}\n", m.content.trim_end()));
    }
    out
}

fn json(conversation: &Conversation, messages: &[ChatMessage]) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "conversation": conversation,
        "messages": messages,
    }))
    .expect("conversations serialize")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(role: Role, content: &str, status: MessageStatus) -> ChatMessage {
        ChatMessage {
            id: 1,
            conversation_id: "c".into(),
            role,
            content: content.into(),
            status,
            requested_model: Some("auto".into()),
            model: (role == Role::Assistant).then(|| "gpt-4o-mini".into()),
            provider: (role == Role::Assistant).then(|| "openai".into()),
            decision: None,
            details: None,
            created_at: "2026-11-25T10:00:00Z".into(),
            compare_of: None,
            compare_column: None,
            alternative: false,
            verdict: None,
            thumb: None,
        }
    }

    #[test]
    fn markdown_names_speakers_and_marks_unfinished_replies() {
        let c = Conversation {
            id: "c".into(),
            title: "Haiku".into(),
            model: "auto".into(),
            system_prompt: Some("Answer in verse.".into()),
            created_at: "2026-11-25T10:00:00Z".into(),
            updated_at: "2026-11-25T10:00:00Z".into(),
        };
        let md = render(
            ExportFormat::Markdown,
            &c,
            &[
                msg(Role::User, "Write a haiku", MessageStatus::Complete),
                msg(Role::Assistant, "Autumn moon", MessageStatus::Stopped),
            ],
        );
        assert!(md.starts_with("# Haiku\n"));
        assert!(md.contains("## System prompt\n\nAnswer in verse.\n"));
        assert!(md.contains("## You\n\nWrite a haiku\n"));
        assert!(md.contains("## gpt-4o-mini (openai) — stopped\n\nAutumn moon\n"));
        let js: serde_json::Value =
            serde_json::from_str(&render(ExportFormat::Json, &c, &[])).unwrap();
        assert_eq!(js["conversation"]["title"], "Haiku");
        assert_eq!(js["conversation"]["system_prompt"], "Answer in verse.");
    }
}
