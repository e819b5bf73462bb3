//! The `rule_versions`, `rules` and `models` tables: every saved routing configuration, the newest
//! in use. Only configurations the router accepts are saved, in one transaction each.
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use switchyard_router::{
    default_catalog, presets, validate, Catalog, CompiledRules, Issue, Model, PerMtok, Rule,
    RuleSet,
};
use ts_rs::TS;

use super::Store;
use crate::error::EngineError;

/// Everything the router decides with: the rule set (rules, detector data, complexity weights,
/// settings) and the catalog. What the rule editor edits, saves and exports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RoutingConfig {
    pub rules: RuleSet,
    pub catalog: Catalog,
}

impl RoutingConfig {
    /// The bundled defaults: the balanced preset (an inexpensive model for simple requests, a
    /// model suited to the task for harder ones) over the bundled catalog.
    pub fn bundled() -> Self {
        RoutingConfig {
            rules: presets::bundled_default(),
            catalog: default_catalog(),
        }
    }

    /// Every problem the router finds, the compile-time ones (a regex too large) included.
    pub fn issues(&self) -> Vec<Issue> {
        let issues = validate(&self.rules, &self.catalog);
        if !issues.is_empty() {
            return issues;
        }
        CompiledRules::new(self.rules.clone())
            .err()
            .unwrap_or_default()
    }
}

/// One saved version, without its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RuleVersion {
    #[ts(type = "number")]
    pub id: i64,
    /// When it was saved, UTC, RFC 3339.
    pub saved_at: String,
    pub note: String,
    pub rule_count: u32,
    pub model_count: u32,
}

/// The configuration in use and the version it comes from (none: nothing saved yet, so the
/// bundled defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedRouting {
    pub version: Option<RuleVersion>,
    pub config: RoutingConfig,
}

/// Refuses a configuration with issues; the field and message name the rule and field at fault.
pub fn invalid(issues: &[Issue]) -> EngineError {
    let field = issues.first().map_or_else(String::new, |i| match &i.rule {
        Some(rule) => format!("rules.{rule}.{}", i.field),
        None => i.field.clone(),
    });
    let message = issues
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    EngineError::Invalid { field, message }
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("router types serialize to JSON")
}

fn from_json<T: DeserializeOwned>(row: &SqliteRow, column: &str) -> Result<T, EngineError> {
    let text: String = row.try_get(column)?;
    serde_json::from_str(&text).map_err(|e| {
        EngineError::Database(format!(
            "saved routing column `{column}` is unreadable: {e}"
        ))
    })
}

fn price(row: &SqliteRow, column: &str) -> Result<Option<PerMtok>, EngineError> {
    let micro: Option<i64> = row.try_get(column)?;
    Ok(micro.map(|m| PerMtok(m.max(0) as u64)))
}

fn micro(p: PerMtok) -> i64 {
    // Prices are capped far below i64::MAX micro-dollars when parsed (see `PerMtok::from_usd`).
    i64::try_from(p.0).unwrap_or(i64::MAX)
}

const VERSION_COLUMNS: &str = "v.id, v.saved_at, v.note,
    (SELECT count(*) FROM rules r WHERE r.version_id = v.id) AS rule_count,
    (SELECT count(*) FROM models m WHERE m.version_id = v.id) AS model_count";

fn version_from_row(row: &SqliteRow) -> Result<RuleVersion, EngineError> {
    Ok(RuleVersion {
        id: row.try_get("id")?,
        saved_at: row.try_get("saved_at")?,
        note: row.try_get("note")?,
        rule_count: row.try_get("rule_count")?,
        model_count: row.try_get("model_count")?,
    })
}

fn model_from_row(row: &SqliteRow) -> Result<Model, EngineError> {
    Ok(Model {
        id: row.try_get("id")?,
        provider: row.try_get("provider")?,
        api_id: row.try_get("api_id")?,
        input: price(row, "input")?.unwrap_or_default(),
        output: price(row, "output")?.unwrap_or_default(),
        cached_input: price(row, "cached_input")?,
        reasoning: price(row, "reasoning")?,
        context_window: row.try_get("context_window")?,
        quality: row.try_get("quality")?,
        enabled: row.try_get("enabled")?,
        vision: row.try_get("vision")?,
        tools: row.try_get("tools")?,
    })
}

fn rule_from_row(row: &SqliteRow) -> Result<Rule, EngineError> {
    Ok(Rule {
        name: row.try_get("name")?,
        enabled: row.try_get("enabled")?,
        when: from_json(row, "conditions")?,
        then: from_json(row, "action")?,
    })
}

impl Store {
    /// The rules and catalog to route with: the newest saved version, or the bundled defaults
    /// when none has been saved.
    pub async fn routing(&self) -> Result<(RuleSet, Catalog), EngineError> {
        let config = self.saved_routing().await?.config;
        Ok((config.rules, config.catalog))
    }

    /// The configuration in use, with the version it was saved as.
    pub async fn saved_routing(&self) -> Result<SavedRouting, EngineError> {
        let newest = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM rule_versions v ORDER BY v.id DESC LIMIT 1"
        ))
        .fetch_optional(self.pool())
        .await?;
        match newest {
            Some(row) => {
                let version = version_from_row(&row)?;
                let config = self.routing_version(version.id).await?;
                Ok(SavedRouting {
                    version: Some(version),
                    config,
                })
            }
            None => Ok(SavedRouting {
                version: None,
                config: RoutingConfig::bundled(),
            }),
        }
    }

    /// Every saved version, newest first.
    pub async fn rule_versions(&self) -> Result<Vec<RuleVersion>, EngineError> {
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM rule_versions v ORDER BY v.id DESC"
        ))
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// The content of one saved version.
    pub async fn routing_version(&self, id: i64) -> Result<RoutingConfig, EngineError> {
        // One read transaction, so a save running alongside cannot mix two versions.
        let mut tx = self.pool().begin().await?;
        let head = sqlx::query(
            "SELECT settings, detector, complexity, prices_taken FROM rule_versions WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| EngineError::NotFound(format!("No saved rule version {id}.")))?;
        let rules = sqlx::query(
            "SELECT name, enabled, conditions, action FROM rules WHERE version_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let models = sqlx::query(
            "SELECT id, provider, api_id, input, output, cached_input, reasoning, context_window,
                    quality, enabled, vision, tools
             FROM models WHERE version_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(RoutingConfig {
            rules: RuleSet {
                settings: from_json(&head, "settings")?,
                detector: from_json(&head, "detector")?,
                complexity: from_json(&head, "complexity")?,
                rules: rules.iter().map(rule_from_row).collect::<Result<_, _>>()?,
            },
            catalog: Catalog {
                prices_taken: head.try_get("prices_taken")?,
                models: models
                    .iter()
                    .map(model_from_row)
                    .collect::<Result<_, _>>()?,
            },
        })
    }

    /// Saves `config` as the newest version, after the router's own checks: a configuration
    /// with any issue is refused and nothing is written.
    pub async fn save_routing(
        &self,
        config: &RoutingConfig,
        note: &str,
    ) -> Result<RuleVersion, EngineError> {
        let issues = config.issues();
        if !issues.is_empty() {
            return Err(invalid(&issues));
        }
        let id = self.insert_version(config, note.trim()).await?;
        self.rule_version(id).await
    }

    /// Saves a copy of version `id` as the newest, so it is in use again and the versions saved
    /// since stay in the history.
    pub async fn restore_rule_version(&self, id: i64) -> Result<RuleVersion, EngineError> {
        let config = self.routing_version(id).await?;
        self.save_routing(&config, &format!("Restored version {id}"))
            .await
    }

    async fn rule_version(&self, id: i64) -> Result<RuleVersion, EngineError> {
        let row = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM rule_versions v WHERE v.id = ?"
        ))
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        version_from_row(&row)
    }

    /// Writes a version, its rules and its models in one transaction: if any row fails, none
    /// is kept and the version in use stays the same.
    async fn insert_version(&self, config: &RoutingConfig, note: &str) -> Result<i64, EngineError> {
        let set = &config.rules;
        let mut tx = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO rule_versions (note, settings, detector, complexity, prices_taken)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(note)
        .bind(to_json(&set.settings))
        .bind(to_json(&set.detector))
        .bind(to_json(&set.complexity))
        .bind(&config.catalog.prices_taken)
        .fetch_one(&mut *tx)
        .await?;
        for (position, rule) in set.rules.iter().enumerate() {
            sqlx::query(
                "INSERT INTO rules (version_id, position, name, enabled, conditions, action)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&rule.name)
            .bind(rule.enabled)
            .bind(to_json(&rule.when))
            .bind(to_json(&rule.then))
            .execute(&mut *tx)
            .await?;
        }
        for (position, m) in config.catalog.models.iter().enumerate() {
            sqlx::query(
                "INSERT INTO models (version_id, position, id, provider, api_id, input, output,
                                     cached_input, reasoning, context_window, quality, enabled,
                                     vision, tools)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(&m.id)
            .bind(&m.provider)
            .bind(&m.api_id)
            .bind(micro(m.input))
            .bind(micro(m.output))
            .bind(m.cached_input.map(micro))
            .bind(m.reasoning.map(micro))
            .bind(m.context_window)
            .bind(m.quality)
            .bind(m.enabled)
            .bind(m.vision)
            .bind(m.tools)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use switchyard_router::{Action, ChainAction, Condition, IssueKind, Task};

    use super::*;

    /// A catalog saved before models said whether they read images (migration 0012) gets the
    /// bundled catalog's answer for the models it knows, and no for the others.
    #[tokio::test]
    async fn a_catalog_saved_before_vision_existed_gets_the_bundled_answer() {
        use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let pool = SqlitePoolOptions::new()
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        let all = sqlx::migrate!("./migrations");
        let before = sqlx::migrate::Migrator {
            migrations: all
                .migrations
                .iter()
                .filter(|m| m.version < 12)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            ignore_missing: false,
            locking: true,
            no_tx: false,
        };
        before.run(&pool).await.unwrap();
        let set = RoutingConfig::bundled().rules;
        let version: i64 = sqlx::query_scalar(
            "INSERT INTO rule_versions (note, settings, detector, complexity)
             VALUES ('old', ?, ?, ?) RETURNING id",
        )
        .bind(to_json(&set.settings))
        .bind(to_json(&set.detector))
        .bind(to_json(&set.complexity))
        .fetch_one(&pool)
        .await
        .unwrap();
        for (position, id) in ["gpt-4o", "deepseek-v3", "my-local-model"]
            .iter()
            .enumerate()
        {
            sqlx::query(
                "INSERT INTO models (version_id, position, id, provider, input, output,
                                     context_window, quality, enabled)
                 VALUES (?, ?, ?, 'openai', 1, 1, 128000, 0.9, 1)",
            )
            .bind(version)
            .bind(position as i64)
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        }
        pool.close().await;

        let store = Store::open(&path).await.unwrap();
        let (_, catalog) = store.routing().await.unwrap();
        let vision: Vec<(&str, bool)> = catalog
            .models
            .iter()
            .map(|m| (m.id.as_str(), m.vision))
            .collect();
        assert_eq!(
            vision,
            [
                ("gpt-4o", true),
                ("deepseek-v3", false),
                ("my-local-model", false)
            ]
        );
        // The migration's list is the bundled catalog's.
        let bundled = switchyard_router::default_catalog();
        let text = include_str!("../../migrations/0012_attachments.sql");
        for m in &bundled.models {
            assert_eq!(text.contains(&format!("'{}'", m.id)), m.vision, "{}", m.id);
        }
        // Migration 0014 gives them the bundled answer for tools too.
        let tools: Vec<(&str, bool)> = catalog
            .models
            .iter()
            .map(|m| (m.id.as_str(), m.tools))
            .collect();
        assert_eq!(
            tools,
            [
                ("gpt-4o", true),
                ("deepseek-v3", true),
                ("my-local-model", false)
            ]
        );
        let text = include_str!("../../migrations/0014_tools.sql");
        for m in &bundled.models {
            assert_eq!(text.contains(&format!("'{}'", m.id)), m.tools, "{}", m.id);
        }
    }

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("app.db")).await.unwrap();
        (dir, store)
    }

    /// The bundled rules with code prompts sent to `model` first.
    fn code_to(model: &str) -> RoutingConfig {
        let mut config = RoutingConfig {
            // The SmartRouter preset has a rule for code alone.
            rules: switchyard_router::presets::smart_router(),
            ..RoutingConfig::bundled()
        };
        let code = config
            .rules
            .rules
            .iter_mut()
            .find(|r| r.when == vec![Condition::Task(vec![Task::Code])])
            .unwrap();
        code.then = Action::Chain(ChainAction {
            models: vec![model.into()],
            prefer_cost: false,
        });
        config
    }

    #[tokio::test]
    async fn routes_with_the_bundled_defaults_until_something_is_saved() {
        let (_dir, store) = store().await;
        let saved = store.saved_routing().await.unwrap();
        assert_eq!(saved.version, None);
        assert_eq!(saved.config, RoutingConfig::bundled());
        assert!(store.rule_versions().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn saves_and_reads_back_exactly_and_keeps_every_version() {
        let (_dir, store) = store().await;
        let mut first = code_to("gpt-4o-mini");
        // Keyword edits and exact prices survive the round trip.
        first.rules.detector.tasks[0]
            .keywords
            .insert("syllogism".into(), 2.5);
        first.catalog.models[0].input = PerMtok(1_234_567);
        let v1 = store.save_routing(&first, "first").await.unwrap();
        let second = code_to("deepseek-v3");
        let v2 = store.save_routing(&second, "second").await.unwrap();

        assert!(v2.id > v1.id);
        assert_eq!(v1.rule_count as usize, first.rules.rules.len());
        assert_eq!(v1.model_count as usize, first.catalog.models.len());
        let (rules, catalog) = store.routing().await.unwrap();
        assert_eq!(
            RoutingConfig { rules, catalog },
            second,
            "the newest version is in use"
        );
        assert_eq!(store.routing_version(v1.id).await.unwrap(), first);
        let notes: Vec<_> = store
            .rule_versions()
            .await
            .unwrap()
            .into_iter()
            .map(|v| v.note)
            .collect();
        assert_eq!(notes, ["second", "first"]);
    }

    #[tokio::test]
    async fn restoring_saves_a_copy_as_the_newest_version() {
        let (_dir, store) = store().await;
        let v1 = store
            .save_routing(&code_to("gpt-4o-mini"), "a")
            .await
            .unwrap();
        store
            .save_routing(&code_to("deepseek-v3"), "b")
            .await
            .unwrap();
        let v3 = store.restore_rule_version(v1.id).await.unwrap();
        assert_eq!(v3.note, format!("Restored version {}", v1.id));
        let saved = store.saved_routing().await.unwrap();
        assert_eq!(saved.version.unwrap().id, v3.id);
        assert_eq!(saved.config, code_to("gpt-4o-mini"));
        assert_eq!(store.rule_versions().await.unwrap().len(), 3);
        assert!(matches!(
            store.restore_rule_version(999).await,
            Err(EngineError::NotFound(_))
        ));
    }

    #[tokio::test]
    async fn refuses_an_invalid_configuration_naming_the_rule_and_field() {
        let (_dir, store) = store().await;
        store
            .save_routing(&code_to("gpt-4o"), "good")
            .await
            .unwrap();
        let broken = code_to("no-such-model");
        let err = store.save_routing(&broken, "bad").await.unwrap_err();
        match &err {
            EngineError::Invalid { field, message } => {
                assert_eq!(field, "rules.code.then.models[0]");
                assert!(
                    message.contains("unknown model `no-such-model`"),
                    "{message}"
                );
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        assert_eq!(broken.issues()[0].kind, IssueKind::UnknownModel);
        assert_eq!(store.rule_versions().await.unwrap().len(), 1);
        assert_eq!(
            store.saved_routing().await.unwrap().config,
            code_to("gpt-4o")
        );
    }

    #[tokio::test]
    async fn a_save_that_fails_midway_keeps_nothing() {
        let (_dir, store) = store().await;
        let good = store
            .save_routing(&code_to("gpt-4o"), "good")
            .await
            .unwrap();
        // Two rules of one name pass no validation; written directly, the second row breaks the
        // table's uniqueness after the version row and the first rules are already in.
        let mut clash = code_to("gpt-4o-mini");
        let copy = clash.rules.rules[0].clone();
        clash.rules.rules.insert(1, copy);
        assert!(store.insert_version(&clash, "clash").await.is_err());

        let versions = store.rule_versions().await.unwrap();
        assert_eq!(versions, vec![good.clone()]);
        let orphans: i64 = sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM rules WHERE version_id <> ?1)
                  + (SELECT count(*) FROM models WHERE version_id <> ?1)",
        )
        .bind(good.id)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(orphans, 0);
        assert_eq!(
            store.saved_routing().await.unwrap().config,
            code_to("gpt-4o")
        );
    }
}
