//! The request table and its CSV export: ledger rows, newest first, filtered.
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use super::SpendRange;
use crate::error::EngineError;
use crate::store::Store;

/// Which requests the table and the CSV export show; `None` matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SpendFilter {
    pub range: SpendRange,
    pub model: Option<String>,
    pub task: Option<String>,
    pub rule: Option<String>,
    pub outcome: Option<String>,
    /// `app`, `cli` or `endpoint`.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub source: Option<String>,
    /// An endpoint client (a token's name).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub client: Option<String>,
    /// At most this many rows, newest first.
    pub limit: u32,
}

/// One ledger row for the request table, with its conversation's title to link back to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SpendRow {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    pub source: String,
    /// The endpoint client (the token's name) that made the call.
    pub client: Option<String>,
    pub conversation_id: Option<String>,
    pub conversation_title: Option<String>,
    pub provider: String,
    pub model: String,
    pub task: Option<String>,
    pub rule: Option<String>,
    /// The request's complexity tier as the ledger recorded it (none on rows from before the
    /// ledger kept tiers).
    pub tier: Option<String>,
    #[ts(type = "number")]
    pub hop: i64,
    pub outcome: String,
    pub error_code: Option<String>,
    #[ts(type = "number")]
    pub input_tokens: i64,
    #[ts(type = "number")]
    pub output_tokens: i64,
    #[ts(type = "number")]
    pub cost_nusd: i64,
    pub cost_estimated: bool,
    #[ts(type = "number | null")]
    pub baseline_cost_nusd: Option<i64>,
    #[ts(type = "number | null")]
    pub first_token_ms: Option<i64>,
    #[ts(type = "number")]
    pub latency_ms: i64,
    /// `implausible` when the provider reported more tokens than the model can take and give:
    /// the tokens are as reported, the cost is the estimate.
    pub usage_flag: Option<String>,
}

impl Store {
    /// Ledger rows matching `f`, newest first.
    pub async fn spend_rows(&self, f: &SpendFilter) -> Result<Vec<SpendRow>, EngineError> {
        let rows = sqlx::query(
            "SELECT u.id, u.at, u.source, u.conversation_id, c.title, u.provider, u.model, u.task,
                    u.rule, u.hop, u.outcome, u.error_code, u.input_tokens, u.output_tokens,
                    u.cost_nusd, u.cost_estimated, u.baseline_cost_nusd, u.first_token_ms,
                    u.latency_ms, u.usage_flag, u.client, u.tier
             FROM usage u LEFT JOIN conversations c ON c.id = u.conversation_id
             WHERE u.at >= ?1 AND u.at < ?2
               AND (?3 IS NULL OR u.model = ?3) AND (?4 IS NULL OR u.task = ?4)
               AND (?5 IS NULL OR u.rule = ?5) AND (?6 IS NULL OR u.outcome = ?6)
               AND (?8 IS NULL OR u.source = ?8) AND (?9 IS NULL OR u.client = ?9)
             ORDER BY u.at DESC, u.id DESC LIMIT ?7",
        )
        .bind(&f.range.from)
        .bind(&f.range.to)
        .bind(&f.model)
        .bind(&f.task)
        .bind(&f.rule)
        .bind(&f.outcome)
        .bind(f.limit)
        .bind(&f.source)
        .bind(&f.client)
        .fetch_all(self.pool())
        .await?;
        let rows = rows
            .iter()
            .map(|row| {
                Ok(SpendRow {
                    id: row.try_get(0)?,
                    at: row.try_get(1)?,
                    source: row.try_get(2)?,
                    conversation_id: row.try_get(3)?,
                    conversation_title: row.try_get(4)?,
                    provider: row.try_get(5)?,
                    model: row.try_get(6)?,
                    task: row.try_get(7)?,
                    rule: row.try_get(8)?,
                    hop: row.try_get(9)?,
                    outcome: row.try_get(10)?,
                    error_code: row.try_get(11)?,
                    input_tokens: row.try_get(12)?,
                    output_tokens: row.try_get(13)?,
                    cost_nusd: row.try_get(14)?,
                    cost_estimated: row.try_get(15)?,
                    baseline_cost_nusd: row.try_get(16)?,
                    first_token_ms: row.try_get(17)?,
                    latency_ms: row.try_get(18)?,
                    usage_flag: row.try_get(19)?,
                    client: row.try_get(20)?,
                    tier: row.try_get(21)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
        Ok(rows)
    }
}

/// Nano-dollars as exact decimal dollars (`0.000123450`), for files people open in a spreadsheet.
pub fn usd_decimal(nusd: i64) -> String {
    let sign = if nusd < 0 { "-" } else { "" };
    let n = nusd.unsigned_abs();
    format!("{sign}{}.{:09}", n / 1_000_000_000, n % 1_000_000_000)
}

/// A text cell. Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be
/// read by a spreadsheet as a formula (a conversation title or a provider name is typed by the
/// user, a model name may come from a provider), so it gets a leading `'`, which spreadsheets
/// show as plain text. Then the usual quoting.
fn csv_field(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    csv_quoted(guarded)
}

/// A number the app itself formats (token counts, exact dollar amounts such as `-0.000000120`
/// for a refund, milliseconds, `true`/`false`). It is written as is, so a negative cost stays a
/// number a spreadsheet can sum; none of these can hold text from a user or a provider.
fn csv_number(s: String) -> String {
    csv_quoted(s)
}

fn csv_quoted(s: String) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The request table as CSV, one ledger row per line.
pub fn to_csv(rows: &[SpendRow]) -> String {
    let mut out = String::from(
        "time,source,client,conversation,provider,model,task,rule,tier,hop,outcome,error,\
         input_tokens,output_tokens,cost_usd,cost_estimated,baseline_cost_usd,first_token_ms,latency_ms,usage_flag\n",
    );
    for r in rows {
        let line = [
            csv_field(&r.at),
            csv_field(&r.source),
            csv_field(r.client.as_deref().unwrap_or_default()),
            csv_field(r.conversation_title.as_deref().unwrap_or_default()),
            csv_field(&r.provider),
            csv_field(&r.model),
            csv_field(r.task.as_deref().unwrap_or_default()),
            csv_field(r.rule.as_deref().unwrap_or_default()),
            csv_field(r.tier.as_deref().unwrap_or_default()),
            csv_number(r.hop.to_string()),
            csv_field(&r.outcome),
            csv_field(r.error_code.as_deref().unwrap_or_default()),
            csv_number(r.input_tokens.to_string()),
            csv_number(r.output_tokens.to_string()),
            csv_number(usd_decimal(r.cost_nusd)),
            csv_number(r.cost_estimated.to_string()),
            csv_number(r.baseline_cost_nusd.map(usd_decimal).unwrap_or_default()),
            csv_number(r.first_token_ms.map(|t| t.to_string()).unwrap_or_default()),
            csv_number(r.latency_ms.to_string()),
            csv_field(r.usage_flag.as_deref().unwrap_or_default()),
        ];
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(title: &str, model: &str, cost_nusd: i64) -> SpendRow {
        SpendRow {
            id: 1,
            at: "2026-11-02T10:00:00.000Z".into(),
            source: "app".into(),
            client: None,
            conversation_id: Some("c".into()),
            conversation_title: Some(title.into()),
            provider: "OpenAI".into(),
            model: model.into(),
            task: Some("writing".into()),
            rule: None,
            tier: Some("simple".into()),
            hop: 0,
            outcome: "answered".into(),
            error_code: None,
            input_tokens: 12,
            output_tokens: 34,
            cost_nusd,
            cost_estimated: false,
            baseline_cost_nusd: Some(-5),
            first_token_ms: None,
            latency_ms: 250,
            usage_flag: None,
        }
    }

    #[test]
    fn cells_that_a_spreadsheet_would_run_as_formulas_are_text() {
        for (raw, written) in [
            (
                "=HYPERLINK(\"http://x\")",
                "\"'=HYPERLINK(\"\"http://x\"\")\"",
            ),
            ("+1+2", "'+1+2"),
            ("-3", "'-3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "\"'\rcmd\""),
            ("plain, with comma", "\"plain, with comma\""),
            ("a-b=c", "a-b=c"),
        ] {
            assert_eq!(csv_field(raw), written, "{raw:?}");
        }
    }

    #[test]
    fn the_apps_own_numbers_stay_numeric_even_when_negative() {
        let csv = to_csv(&[row("=cmd|' /C calc'!A0", "@model", -120)]);
        let line = csv.lines().nth(1).unwrap();
        assert!(line.contains(",'=cmd|' /C calc'!A0,"), "{line}");
        assert!(line.contains(",'@model,"), "{line}");
        assert!(
            line.contains(",-0.000000120,false,-0.000000005,,250"),
            "{line}"
        );
    }
}
