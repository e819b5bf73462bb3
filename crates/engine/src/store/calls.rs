//! Provider calls in flight (`calls_in_flight`), and the step that turns one into a ledger row.
//! Admission (the budget check) and recording the call happen in one `BEGIN IMMEDIATE`
//! transaction (shared with other calls of this process by the writer, `writer.rs`), so any
//! number of processes on one database share one view of the headroom.
use sqlx::{Row, SqliteConnection};

use super::budgets::{Budget, BudgetPeriod};
use super::ledger::LedgerRow;
use super::writer::Job;
use super::Store;
use crate::error::EngineError;
use tokio::sync::oneshot;

/// A call about to be sent: its ledger context and its reservation.
#[derive(Debug, Clone, Default)]
pub struct NewCall {
    /// The ledger row the call will become, as far as it is known before it is sent.
    pub row: LedgerRow,
    pub estimate_nusd: i64,
    /// How long the reservation holds before another process may settle the call.
    pub lease_secs: u64,
}

/// What a budget check saw, for the message when a budget refuses.
#[derive(Debug, Clone)]
pub struct Over {
    pub budget: Budget,
    /// Spent plus reserved by calls in flight, nano-dollars.
    pub used_nusd: i64,
}

/// What a budget lets through.
#[derive(Debug)]
pub enum Admission {
    Admitted(i64),
    /// Every budget that refuses, in the order they were checked.
    Refused(Vec<Over>),
}

/// The budgets as one write transaction sees them, each with the start of its current period.
pub(super) struct BudgetView {
    budgets: Vec<(Budget, String)>,
}

impl BudgetView {
    pub(super) async fn read(conn: &mut SqliteConnection) -> Result<Self, EngineError> {
        let mut budgets = Vec::new();
        for b in super::budgets::list_budgets_on(&mut *conn).await? {
            let start = period_start_on(&mut *conn, b.period).await?;
            budgets.push((b, start));
        }
        Ok(Self { budgets })
    }
}

/// Inside the writer's transaction: sums what each budget covering the call's provider has
/// spent and has reserved in flight (the jobs before this one in the batch included); when
/// `allow` accepts every over-limit budget (or none is over), records the call.
pub(super) async fn admit_on(
    conn: &mut SqliteConnection,
    view: &BudgetView,
    call: &NewCall,
    allow: &super::writer::Allow,
) -> Result<Admission, EngineError> {
    let mut over = Vec::new();
    for (b, start) in &view.budgets {
        if b.provider_id
            .as_deref()
            .is_some_and(|p| p != call.row.provider_id)
        {
            continue;
        }
        let spent =
            super::spend::spent_since_on(&mut *conn, start, b.provider_id.as_deref()).await?;
        let reserved = reserved_on(&mut *conn, b.provider_id.as_deref()).await?;
        let used = spent.saturating_add(reserved);
        if used >= b.limit_nusd && !allow(b) {
            over.push(Over {
                budget: b.clone(),
                used_nusd: used,
            });
        }
    }
    if !over.is_empty() {
        return Ok(Admission::Refused(over));
    }
    let r = &call.row;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO calls_in_flight (expires_at, pid, source, conversation_id, message_id,
             provider_id, provider, model, task, rule, hop, attempt, estimate_nusd,
             input_tokens, output_tokens, baseline_model, baseline_cost_nusd, tier,
             complexity_score, client)
         VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1), ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
             ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
         RETURNING id",
    )
    .bind(format!("+{} seconds", call.lease_secs))
    .bind(i64::from(std::process::id()))
    .bind(&r.source)
    .bind(&r.conversation_id)
    .bind(r.message_id)
    .bind(&r.provider_id)
    .bind(&r.provider)
    .bind(&r.model)
    .bind(&r.task)
    .bind(&r.rule)
    .bind(r.hop)
    .bind(r.attempt)
    .bind(call.estimate_nusd)
    .bind(r.input_tokens)
    .bind(r.output_tokens)
    .bind(&r.baseline_model)
    .bind(
        r.baseline_cost_nusd
            .map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
    )
    .bind(&r.tier)
    .bind(r.complexity_score)
    .bind(&r.client)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Admission::Admitted(id))
}

/// Inside the writer's transaction: ends an in-flight call, its ledger row written and its
/// reservation released together.
pub(super) async fn settle_on(
    conn: &mut SqliteConnection,
    id: i64,
    row: &LedgerRow,
) -> Result<(), EngineError> {
    let gone = sqlx::query("DELETE FROM calls_in_flight WHERE id = ?")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    // Already settled by another process (after its lease ran out): one row per call.
    if gone == 1 {
        super::ledger::insert(conn, row).await?;
    }
    Ok(())
}

impl Store {
    /// Checks the budgets and records the call in flight, in one write transaction that the
    /// process's writer may share with other calls (see `writer`): the answer comes once it is
    /// committed. `allow` says whether an over-limit budget still lets this call through.
    pub async fn admit_call(
        &self,
        call: &NewCall,
        allow: impl Fn(&Budget) -> bool + Send + 'static,
    ) -> Result<Admission, EngineError> {
        let (reply, answer) = oneshot::channel();
        self.writer.send(Job::Admit {
            call: Box::new(call.clone()),
            allow: Box::new(allow),
            reply,
        })?;
        answer.await.map_err(|_| writer_gone())?
    }

    /// Ends an in-flight call: its ledger row written and its reservation released together.
    pub async fn settle_call(&self, id: i64, row: &LedgerRow) -> Result<(), EngineError> {
        let (reply, answer) = oneshot::channel();
        self.writer.send(Job::Settle {
            id,
            row: Box::new(row.clone()),
            reply,
        })?;
        answer.await.map_err(|_| writer_gone())?
    }

    /// Settles, as estimated, the calls left in flight by processes that are gone or whose
    /// lease ran out: each becomes an `interrupted` ledger row costing its reservation. Returns
    /// how many.
    pub async fn settle_abandoned(&self) -> Result<u64, EngineError> {
        let rows = sqlx::query(
            "SELECT id, pid, expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS expired
             FROM calls_in_flight",
        )
        .fetch_all(self.pool())
        .await?;
        let me = i64::from(std::process::id());
        let mut settled = 0;
        for row in rows {
            let (id, pid, expired): (i64, i64, bool) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if !expired && (pid == me || process_alive(pid)) {
                continue;
            }
            let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await?;
            let found = sqlx::query(
                "DELETE FROM calls_in_flight WHERE id = ?
                 RETURNING source, conversation_id, message_id, provider_id, provider, model,
                     task, rule, hop, attempt, estimate_nusd, input_tokens, output_tokens,
                     baseline_model, baseline_cost_nusd, tier, complexity_score, client",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(r) = found {
                let estimate: i64 = r.try_get("estimate_nusd")?;
                let baseline: Option<i64> = r.try_get("baseline_cost_nusd")?;
                let row = LedgerRow {
                    source: r.try_get("source")?,
                    conversation_id: r.try_get("conversation_id")?,
                    message_id: r.try_get("message_id")?,
                    provider_id: r.try_get("provider_id")?,
                    provider: r.try_get("provider")?,
                    model: r.try_get("model")?,
                    task: r.try_get("task")?,
                    rule: r.try_get("rule")?,
                    tier: r.try_get("tier")?,
                    complexity_score: r.try_get("complexity_score")?,
                    hop: r.try_get("hop")?,
                    attempt: r.try_get("attempt")?,
                    outcome: "interrupted".into(),
                    error_code: Some(crate::error::ErrorCode::Interrupted.to_string()),
                    input_tokens: r.try_get("input_tokens")?,
                    output_tokens: r.try_get("output_tokens")?,
                    cost_nusd: u64::try_from(estimate).unwrap_or(0),
                    cost_estimated: true,
                    baseline_model: r.try_get("baseline_model")?,
                    baseline_cost_nusd: baseline.and_then(|n| u64::try_from(n).ok()),
                    client: r.try_get("client")?,
                    ..LedgerRow::default()
                };
                super::ledger::insert(&mut tx, &row).await?;
                settled += 1;
            }
            tx.commit().await?;
        }
        Ok(settled)
    }

    /// How many calls are in flight now (all processes).
    pub async fn calls_in_flight(&self) -> Result<i64, EngineError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM calls_in_flight")
            .fetch_one(self.pool())
            .await?)
    }
}

fn writer_gone() -> EngineError {
    EngineError::Database("the database writer stopped".into())
}

/// The start of the current `period` (the user's local day or month), as a UTC timestamp.
async fn period_start_on(
    conn: &mut SqliteConnection,
    period: BudgetPeriod,
) -> Result<String, EngineError> {
    Ok(
        sqlx::query_scalar("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'localtime', ?1, 'utc')")
            .bind(period.start_modifier())
            .fetch_one(conn)
            .await?,
    )
}

/// What calls in flight have reserved (live leases only), for one provider or all.
async fn reserved_on(
    conn: &mut SqliteConnection,
    provider_id: Option<&str>,
) -> Result<i64, EngineError> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(SUM(estimate_nusd), 0) FROM calls_in_flight
         WHERE expires_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
           AND (?1 IS NULL OR provider_id = ?1)",
    )
    .bind(provider_id)
    .fetch_one(conn)
    .await?)
}

/// Whether a process with this id is running on this machine.
fn process_alive(pid: i64) -> bool {
    #[cfg(target_os = "linux")]
    {
        // A zombie has exited; only its parent has not collected it yet.
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(stat) => !stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
            Err(_) => false,
        }
    }
    #[cfg(not(target_os = "linux"))]
    {
        // Elsewhere the lease alone decides: calls are settled once it runs out.
        let _ = pid;
        true
    }
}
