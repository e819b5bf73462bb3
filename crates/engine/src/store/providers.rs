//! The `providers` table.
use serde_json::Value;
use sqlx::Row;

use super::Store;
use crate::error::EngineError;
use crate::provider::{Header, HeaderInput, ProviderInput, ProviderKind, ProviderRow};
use crate::secrets::Secret;

/// A secret header value found in the database (see [`Store::secret_header_values_in_db`]).
#[derive(Debug)]
pub struct StoredSecretHeader {
    pub provider_id: String,
    pub provider_name: String,
    pub header: String,
    pub value: Secret,
}

/// The headers as they are written to the database: a secret header's value is dropped here,
/// at the last step before SQL, so no caller can store one by mistake.
fn stored_headers(input: &[HeaderInput]) -> String {
    let headers: Vec<Header> = input
        .iter()
        .map(|h| {
            let secret = h.secret.unwrap_or(true);
            Header {
                name: h.name.clone(),
                value: if secret {
                    String::new()
                } else {
                    h.value.clone()
                },
                secret,
            }
        })
        .collect();
    serde_json::to_string(&headers).expect("headers serialize")
}

const COLUMNS: &str = "id, name, kind, preset, base_url, headers, enabled";

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<ProviderRow, EngineError> {
    let headers: String = row.try_get("headers")?;
    let headers = serde_json::from_str::<Value>(&headers)
        .ok()
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    Ok(ProviderRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        kind: ProviderKind::parse(&row.try_get::<String, _>("kind")?)?,
        preset: row.try_get("preset")?,
        base_url: row.try_get("base_url")?,
        headers,
        enabled: row.try_get("enabled")?,
        header_secrets: Vec::new(),
    })
}

fn duplicate(name: &str) -> EngineError {
    EngineError::Conflict(format!(
        "A provider named '{name}' already exists. Choose another name."
    ))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl Store {
    pub async fn list_providers(&self) -> Result<Vec<ProviderRow>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM providers ORDER BY created_at, name"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn provider(&self, id: &str) -> Result<ProviderRow, EngineError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM providers WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.pool())
            .await?
            .ok_or_else(|| EngineError::NotFound(format!("No provider with id '{id}'.")))?;
        from_row(&row)
    }

    /// Finds a provider by its name (case-insensitive) or, failing that, its id.
    pub async fn find_provider(&self, name_or_id: &str) -> Result<ProviderRow, EngineError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM providers WHERE name = ? COLLATE NOCASE OR id = ? LIMIT 1"
        ))
        .bind(name_or_id.trim())
        .bind(name_or_id.trim())
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| {
            EngineError::NotFound(format!(
                "No provider named '{}'. `switchyard providers list` shows the names.",
                name_or_id.trim()
            ))
        })?;
        from_row(&row)
    }

    pub async fn insert_provider(&self, input: ProviderInput) -> Result<ProviderRow, EngineError> {
        let input = input.validated()?;
        let id = uuid::Uuid::new_v4().to_string();
        let headers = stored_headers(&input.headers);
        sqlx::query(
            "INSERT INTO providers (id, name, kind, preset, base_url, headers, enabled) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&input.name)
        .bind(input.kind.as_str())
        .bind(&input.preset)
        .bind(&input.base_url)
        .bind(headers)
        .bind(input.enabled)
        .execute(self.pool())
        .await
        .map_err(|e| if is_unique_violation(&e) { duplicate(&input.name) } else { e.into() })?;
        self.provider(&id).await
    }

    pub async fn update_provider(
        &self,
        id: &str,
        input: ProviderInput,
    ) -> Result<ProviderRow, EngineError> {
        let input = input.validated()?;
        let headers = stored_headers(&input.headers);
        let done = sqlx::query(
            "UPDATE providers SET name = ?, kind = ?, preset = ?, base_url = ?, headers = ?, enabled = ?,
             updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        )
        .bind(&input.name)
        .bind(input.kind.as_str())
        .bind(&input.preset)
        .bind(&input.base_url)
        .bind(headers)
        .bind(input.enabled)
        .bind(id)
        .execute(self.pool())
        .await
        .map_err(|e| if is_unique_violation(&e) { duplicate(&input.name) } else { e.into() })?;
        if done.rows_affected() == 0 {
            return Err(EngineError::NotFound(format!(
                "No provider with id '{id}'."
            )));
        }
        self.provider(id).await
    }

    pub async fn set_provider_enabled(&self, id: &str, enabled: bool) -> Result<(), EngineError> {
        let done = sqlx::query(
            "UPDATE providers SET enabled = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
        )
        .bind(enabled)
        .bind(id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(EngineError::NotFound(format!(
                "No provider with id '{id}'."
            )));
        }
        Ok(())
    }

    /// Secret headers whose value is still in the database: headers the 0007 migration marked
    /// secret, waiting to be moved to the keychain.
    pub async fn secret_header_values_in_db(&self) -> Result<Vec<StoredSecretHeader>, EngineError> {
        let mut found = Vec::new();
        for row in self.list_providers().await? {
            for h in &row.headers {
                if h.secret && !h.value.is_empty() {
                    if let Ok(value) = Secret::new(h.value.clone()) {
                        found.push(StoredSecretHeader {
                            provider_id: row.id.clone(),
                            provider_name: row.name.clone(),
                            header: h.name.clone(),
                            value,
                        });
                    }
                }
            }
        }
        Ok(found)
    }

    /// Empties the value of every secret header in the database, then checkpoints the WAL so
    /// the old page images (which held the values) are gone from the -wal file too; with
    /// `secure_delete` on, SQLite zeroes the replaced row content in the main file.
    pub async fn blank_secret_header_values(&self) -> Result<(), EngineError> {
        for row in self.list_providers().await? {
            if !row.headers.iter().any(|h| h.secret && !h.value.is_empty()) {
                continue;
            }
            let headers: Vec<HeaderInput> = row
                .headers
                .iter()
                .map(|h| HeaderInput {
                    name: h.name.clone(),
                    value: h.value.clone(),
                    secret: Some(h.secret),
                })
                .collect();
            sqlx::query("UPDATE providers SET headers = ? WHERE id = ?")
                .bind(stored_headers(&headers))
                .bind(&row.id)
                .execute(self.pool())
                .await?;
        }
        self.checkpoint().await
    }

    pub async fn delete_provider(&self, id: &str) -> Result<(), EngineError> {
        let done = sqlx::query("DELETE FROM providers WHERE id = ?")
            .bind(id)
            .execute(self.pool())
            .await?;
        if done.rows_affected() == 0 {
            return Err(EngineError::NotFound(format!(
                "No provider with id '{id}'."
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str) -> ProviderInput {
        ProviderInput {
            name: name.into(),
            kind: ProviderKind::Anthropic,
            preset: "anthropic".into(),
            base_url: "https://api.anthropic.com".into(),
            headers: vec![HeaderInput {
                name: "x-team".into(),
                value: "blue".into(),
                secret: None,
            }],
            enabled: true,
        }
    }

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).await.unwrap();
        (dir, store)
    }

    #[tokio::test]
    async fn insert_update_toggle_delete() {
        let (_d, s) = store().await;
        let row = s.insert_provider(input("Claude")).await.unwrap();
        assert_eq!(
            row.headers,
            vec![Header {
                name: "x-team".into(),
                value: "blue".into(),
                secret: false,
            }]
        );
        let mut edit = input("Claude work");
        edit.base_url = "http://localhost:9999".into();
        let row2 = s.update_provider(&row.id, edit).await.unwrap();
        assert_eq!(row2.name, "Claude work");
        assert_eq!(row2.base_url, "http://localhost:9999");
        s.set_provider_enabled(&row.id, false).await.unwrap();
        assert!(!s.provider(&row.id).await.unwrap().enabled);
        assert_eq!(s.find_provider("claude WORK").await.unwrap().id, row.id);
        s.delete_provider(&row.id).await.unwrap();
        assert!(s.list_providers().await.unwrap().is_empty());
        assert_eq!(
            s.delete_provider(&row.id).await.unwrap_err().code(),
            "not_found"
        );
    }

    #[tokio::test]
    async fn duplicate_names_are_refused_case_insensitively() {
        let (_d, s) = store().await;
        s.insert_provider(input("Claude")).await.unwrap();
        let err = s.insert_provider(input("  claude ")).await.unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(s.list_providers().await.unwrap().len(), 1);
        let other = s.insert_provider(input("Other")).await.unwrap();
        let err = s
            .update_provider(&other.id, input("CLAUDE"))
            .await
            .unwrap_err();
        assert_eq!(err.code(), "conflict");
        assert_eq!(s.provider(&other.id).await.unwrap().name, "Other");
    }

    #[tokio::test]
    async fn secret_header_values_never_reach_the_table() {
        let (_d, s) = store().await;
        let mut i = input("Claude");
        i.headers.push(HeaderInput {
            name: "Authorization".into(),
            value: "Bearer never-stored-7731".into(),
            secret: None,
        });
        let row = s.insert_provider(i).await.unwrap();
        let stored: String = sqlx::query_scalar("SELECT headers FROM providers WHERE id = ?")
            .bind(&row.id)
            .fetch_one(s.pool())
            .await
            .unwrap();
        assert!(!stored.contains("never-stored"), "{stored}");
        assert_eq!(row.headers[1].name, "Authorization");
        assert!(row.headers[1].secret);
        assert_eq!(row.headers[1].value, "");
    }

    /// The 0007 migration on a row written before it: credential headers become secret (their
    /// value kept for the engine to move), the others stay plain.
    #[tokio::test]
    async fn migration_0007_marks_credential_headers_secret() {
        let (_d, s) = store().await;
        let row = s.insert_provider(input("Old")).await.unwrap();
        let old = r#"[{"name":"X-Title","value":"t"},{"name":"Proxy-Authorization","value":"Basic abc"},{"name":"x-team-token","value":"tok"}]"#;
        sqlx::query("UPDATE providers SET headers = ? WHERE id = ?")
            .bind(old)
            .bind(&row.id)
            .execute(s.pool())
            .await
            .unwrap();
        sqlx::raw_sql(include_str!("../../migrations/0007_secret_headers.sql"))
            .execute(s.pool())
            .await
            .unwrap();
        let migrated = s.provider(&row.id).await.unwrap().headers;
        let flags: Vec<_> = migrated
            .iter()
            .map(|h| (h.name.as_str(), h.secret))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("X-Title", false),
                ("Proxy-Authorization", true),
                ("x-team-token", true)
            ]
        );
        let pending = s.secret_header_values_in_db().await.unwrap();
        let names: Vec<_> = pending.iter().map(|p| p.header.as_str()).collect();
        assert_eq!(names, vec!["Proxy-Authorization", "x-team-token"]);
        s.blank_secret_header_values().await.unwrap();
        assert!(s.secret_header_values_in_db().await.unwrap().is_empty());
        let after = s.provider(&row.id).await.unwrap().headers;
        assert_eq!(after[0].value, "t");
    }

    #[tokio::test]
    async fn invalid_input_saves_nothing() {
        let (_d, s) = store().await;
        let mut bad = input("X");
        bad.base_url = "ftp://example.com".into();
        assert_eq!(
            s.insert_provider(bad).await.unwrap_err().code(),
            "invalid_input"
        );
        assert!(s.list_providers().await.unwrap().is_empty());
    }
}
