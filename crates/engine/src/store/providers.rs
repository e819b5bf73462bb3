//! The `providers` table.
use serde_json::Value;
use sqlx::Row;

use super::Store;
use crate::error::EngineError;
use crate::provider::{ProviderInput, ProviderKind, ProviderRow};

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
        let headers = serde_json::to_string(&input.headers).expect("headers serialize");
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
        let headers = serde_json::to_string(&input.headers).expect("headers serialize");
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
    use crate::provider::Header;

    fn input(name: &str) -> ProviderInput {
        ProviderInput {
            name: name.into(),
            kind: ProviderKind::Anthropic,
            preset: "anthropic".into(),
            base_url: "https://api.anthropic.com".into(),
            headers: vec![Header {
                name: "x-team".into(),
                value: "blue".into(),
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
                value: "blue".into()
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
