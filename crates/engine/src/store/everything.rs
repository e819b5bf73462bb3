//! Everything the user keeps in Switchyard in one JSON file: conversations with their messages,
//! the routing rules and their history, assistants, budgets, the whole usage ledger, and the
//! votes and answered suggestions that tune the rules. Keys are never in the database, so never
//! in the file. Attachments are in it with their conversation, each with its bytes in base64
//! (`data_base64`), so the one file is the whole of it; a file missing from the data directory
//! is listed with `data_base64: null` and why.
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde_json::{json, Value};
use sqlx::Row;

use super::Store;
use crate::error::EngineError;

/// Tables whose rows go into the export as they are, every column by name.
const TABLES: &[&str] = &[
    "usage",
    "skipped_calls",
    "budgets",
    "rule_versions",
    "votes",
    "suggestions",
];

impl Store {
    pub async fn export_everything(&self, app_version: &str) -> Result<String, EngineError> {
        let mut conversations = Vec::new();
        for c in self.list_conversations().await? {
            let messages = self.messages(&c.id).await?;
            let mut attachments = Vec::new();
            for a in self.attachments_of(&c.id).await? {
                let mut entry = json!(a);
                match self.attachment_bytes(&a).await {
                    Ok(bytes) => entry["data_base64"] = json!(BASE64.encode(bytes)),
                    Err(e) => {
                        entry["data_base64"] = Value::Null;
                        entry["missing"] = json!(e.to_string());
                    }
                }
                attachments.push(entry);
            }
            conversations.push(json!({
                "conversation": c,
                "messages": messages,
                "attachments": attachments,
            }));
        }
        let mut tables = serde_json::Map::new();
        for table in TABLES {
            tables.insert((*table).into(), self.table_as_json(table).await?);
        }
        let out = json!({
            "format": "switchyard-export",
            "format_version": 1,
            "app_version": app_version,
            "exported_at": sqlx::query_scalar::<_, String>("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')")
                .fetch_one(self.pool())
                .await?,
            "conversations": conversations,
            "routing": self.saved_routing().await?,
            "assistants": self.assistants().await?,
            "tables": tables,
        });
        Ok(serde_json::to_string_pretty(&out).expect("JSON values serialize"))
    }

    /// Every row of `table` as a JSON object of all its columns, built by SQLite.
    async fn table_as_json(&self, table: &str) -> Result<Value, EngineError> {
        let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info({table})"))
            .fetch_all(self.pool())
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("name"))
            .collect::<Result<_, _>>()?;
        let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
        let text: String = sqlx::query_scalar(&format!(
            "SELECT COALESCE(json_group_array(json_object({})), '[]') FROM (SELECT * FROM {table} ORDER BY rowid)",
            pairs.join(", ")
        ))
        .fetch_one(self.pool())
        .await?;
        Ok(serde_json::from_str(&text).expect("SQLite builds valid JSON"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ledger::LedgerRow;
    use crate::store::messages::{MessageStatus, Role};

    #[tokio::test]
    async fn the_export_holds_conversations_rules_assistants_and_the_ledger() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("e.db")).await.unwrap();
        let c = store.create_conversation("Trains", "auto").await.unwrap();
        let m = store
            .insert_message(
                &c.id,
                Role::User,
                "How fast?",
                MessageStatus::Complete,
                Some("auto"),
            )
            .await
            .unwrap();
        let file = crate::chat::attachments::prepare(&crate::chat::attachments::NewAttachment {
            name: "timetable.txt".into(),
            data: BASE64.encode("08:15 Bern"),
        })
        .unwrap();
        store.add_attachments(&c.id, m.id, &[file]).await.unwrap();
        store
            .save_assistant(&crate::store::assistants::Assistant {
                id: None,
                name: "Conductor".into(),
                system_prompt: "Speak like a conductor.".into(),
            })
            .await
            .unwrap();
        store
            .record_usage(&[LedgerRow {
                source: "cli".into(),
                provider_id: "p".into(),
                provider: "P".into(),
                model: "gpt-4o-mini".into(),
                outcome: "answered".into(),
                cost_nusd: 1234,
                tier: Some("simple".into()),
                ..LedgerRow::default()
            }])
            .await
            .unwrap();
        let out: Value =
            serde_json::from_str(&store.export_everything("9.9.9").await.unwrap()).unwrap();
        assert_eq!(out["format"], "switchyard-export");
        assert_eq!(out["app_version"], "9.9.9");
        assert_eq!(out["conversations"][0]["conversation"]["title"], "Trains");
        assert_eq!(
            out["conversations"][0]["messages"][0]["content"],
            "How fast?"
        );
        let attached = &out["conversations"][0]["attachments"][0];
        assert_eq!(attached["name"], "timetable.txt");
        assert_eq!(attached["message_id"], m.id);
        assert_eq!(
            BASE64
                .decode(attached["data_base64"].as_str().unwrap())
                .unwrap(),
            b"08:15 Bern"
        );
        assert_eq!(out["assistants"][0]["name"], "Conductor");
        assert!(
            out["routing"]["config"]["rules"]["rules"]
                .as_array()
                .unwrap()
                .len()
                > 1
        );
        let ledger = out["tables"]["usage"].as_array().unwrap();
        assert_eq!(ledger.len(), 1);
        assert_eq!(ledger[0]["cost_nusd"], 1234);
        assert_eq!(ledger[0]["tier"], "simple");
    }
}
