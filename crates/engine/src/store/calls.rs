//! Provider calls in flight (`calls_in_flight`), and the step that turns one into a ledger row.
//! Admission (the budget check) and recording the call happen in one `BEGIN IMMEDIATE`
//! transaction (shared with other calls of this process by the writer, `writer.rs`), so any
//! number of processes on one database share one view of the headroom.
use std::time::Duration;

use rusqlite::{named_params, Connection, OptionalExtension};
use sqlx::Row;

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
    pub(super) fn read(conn: &Connection) -> Result<Self, EngineError> {
        let mut budgets = Vec::new();
        for b in super::budgets::list_budgets_in(conn)? {
            let start = period_start_in(conn, b.period)?;
            budgets.push((b, start));
        }
        Ok(Self { budgets })
    }
}

/// Inside the writer's transaction: sums what each budget covering the call's provider has
/// spent and has reserved in flight (the jobs before this one in the batch included); when
/// `allow` accepts every over-limit budget (or none is over), records the call.
pub(super) fn admit_on(
    conn: &Connection,
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
        let spent = super::spend::spent_since_in(conn, start, b.provider_id.as_deref())?;
        let reserved = reserved_in(conn, b.provider_id.as_deref())?;
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
    let id: i64 = conn
        .prepare_cached(
            "INSERT INTO calls_in_flight (expires_at, pid, source, conversation_id, message_id,
                 provider_id, provider, model, task, rule, hop, attempt, estimate_nusd,
                 input_tokens, output_tokens, baseline_model, baseline_cost_nusd, tier,
                 complexity_score, client)
             VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now', :lease), :pid, :source,
                 :conversation_id, :message_id, :provider_id, :provider, :model, :task, :rule,
                 :hop, :attempt, :estimate, :input_tokens, :output_tokens, :baseline_model,
                 :baseline_cost, :tier, :complexity_score, :client)
             RETURNING id",
        )?
        .query_row(
            named_params! {
                ":lease": format!("+{} seconds", call.lease_secs),
                ":pid": i64::from(std::process::id()),
                ":source": &r.source,
                ":conversation_id": &r.conversation_id,
                ":message_id": r.message_id,
                ":provider_id": &r.provider_id,
                ":provider": &r.provider,
                ":model": &r.model,
                ":task": &r.task,
                ":rule": &r.rule,
                ":hop": r.hop,
                ":attempt": r.attempt,
                ":estimate": call.estimate_nusd,
                ":input_tokens": r.input_tokens,
                ":output_tokens": r.output_tokens,
                ":baseline_model": &r.baseline_model,
                ":baseline_cost": r.baseline_cost_nusd.map(|n| i64::try_from(n).unwrap_or(i64::MAX)),
                ":tier": &r.tier,
                ":complexity_score": r.complexity_score,
                ":client": &r.client,
            },
            |row| row.get(0),
        )?;
    Ok(Admission::Admitted(id))
}

/// Inside the writer's transaction: ends an in-flight call, its ledger row written and its
/// reservation released together.
pub(super) fn settle_on(conn: &Connection, id: i64, row: &LedgerRow) -> Result<(), EngineError> {
    let gone = conn
        .prepare_cached("DELETE FROM calls_in_flight WHERE id = ?1")?
        .execute([id])?;
    // Already settled by another process (after its lease ran out): one row per call.
    if gone == 1 {
        super::ledger::insert(conn, row)?;
    }
    Ok(())
}

/// Inside the writer's transaction: each call of `ids` still in flight becomes an
/// `interrupted` ledger row costing its reservation. Returns how many.
pub(super) fn abandon_on(conn: &Connection, ids: &[i64]) -> Result<u64, EngineError> {
    let mut settled = 0;
    for &id in ids {
        let found = conn
            .prepare_cached(
                "DELETE FROM calls_in_flight WHERE id = ?1
                 RETURNING source, conversation_id, message_id, provider_id, provider, model,
                     task, rule, hop, attempt, estimate_nusd, input_tokens, output_tokens,
                     baseline_model, baseline_cost_nusd, tier, complexity_score, client",
            )?
            .query_row([id], |r| {
                let estimate: i64 = r.get("estimate_nusd")?;
                let baseline: Option<i64> = r.get("baseline_cost_nusd")?;
                Ok(LedgerRow {
                    source: r.get("source")?,
                    conversation_id: r.get("conversation_id")?,
                    message_id: r.get("message_id")?,
                    provider_id: r.get("provider_id")?,
                    provider: r.get("provider")?,
                    model: r.get("model")?,
                    task: r.get("task")?,
                    rule: r.get("rule")?,
                    tier: r.get("tier")?,
                    complexity_score: r.get("complexity_score")?,
                    hop: r.get("hop")?,
                    attempt: r.get("attempt")?,
                    outcome: "interrupted".into(),
                    error_code: Some(crate::error::ErrorCode::Interrupted.to_string()),
                    input_tokens: r.get("input_tokens")?,
                    output_tokens: r.get("output_tokens")?,
                    cost_nusd: u64::try_from(estimate).unwrap_or(0),
                    cost_estimated: true,
                    baseline_model: r.get("baseline_model")?,
                    baseline_cost_nusd: baseline.and_then(|n| u64::try_from(n).ok()),
                    client: r.get("client")?,
                    ..LedgerRow::default()
                })
            })
            .optional()?;
        if let Some(row) = found {
            super::ledger::insert(conn, &row)?;
            settled += 1;
        }
    }
    Ok(settled)
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
            reply: Some(reply),
        })?;
        answer.await.map_err(|_| writer_gone())?
    }

    /// Settles the call like [`Self::settle_call`] without waiting for the write: the writer
    /// thread writes it moments later, before any call this process admits after it (so
    /// budgets see it), and [`Self::flush`] waits for it. A failure is logged; the call then
    /// stays in flight and is settled as estimated on a later start, as after a crash.
    pub fn settle_call_later(&self, id: i64, row: LedgerRow) -> Result<(), EngineError> {
        self.writer.post(Job::Settle {
            id,
            row: Box::new(row),
            reply: None,
        })
    }

    /// Writes the settlements still queued ([`Self::settle_call_later`]).
    pub async fn flush(&self) {
        let writer = self.writer.clone();
        let _ = tokio::task::spawn_blocking(move || writer.flush()).await;
    }

    /// Settles, as estimated, the calls left in flight by processes that are gone or whose
    /// lease ran out: each becomes an `interrupted` ledger row costing its reservation. Returns
    /// how many.
    pub async fn settle_abandoned(&self) -> Result<u64, EngineError> {
        let ids: Vec<i64> = self
            .abandoned()
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if ids.is_empty() {
            return Ok(0);
        }
        let (reply, answer) = oneshot::channel();
        self.writer.send(Job::Abandoned { ids, reply })?;
        answer.await.map_err(|_| writer_gone())?
    }

    /// The calls in flight that processes now gone (or past their lease) left: (id, estimate).
    async fn abandoned(&self) -> Result<Vec<(i64, i64)>, EngineError> {
        let rows = sqlx::query(
            "SELECT id, pid, expires_at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS expired,
                 estimate_nusd
             FROM calls_in_flight",
        )
        .fetch_all(self.pool())
        .await?;
        let me = i64::from(std::process::id());
        let mut out = Vec::new();
        for row in rows {
            let (id, pid, expired): (i64, i64, bool) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            if expired || (pid != me && !process_alive(pid)) {
                out.push((id, row.try_get(3)?));
            }
        }
        Ok(out)
    }

    /// What a reader that cannot settle them (`switchyard spend`, read-only) should say of the
    /// calls gone processes left in flight: how many, and what they reserved.
    pub async fn unsettled_calls(&self) -> Result<(u64, i64), EngineError> {
        let found = self.abandoned().await?;
        Ok((
            found.len() as u64,
            found.iter().map(|(_, estimate)| estimate).sum(),
        ))
    }

    /// How often a long-running process looks for calls other runs left in flight.
    pub const SETTLE_ABANDONED_EVERY: Duration = Duration::from_secs(30);

    /// For a process that runs for long (the app, `serve`): settles, every `period`, what other
    /// processes left in flight ([`Store::settle_abandoned`]), so the calls of a run killed while
    /// this one goes on reach the ledger (and Spend) within a period, not at the next start.
    /// Stops once the store is closed.
    pub fn settle_abandoned_every(&self, period: Duration) -> tokio::task::JoinHandle<()> {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if store.pool().is_closed() {
                    return;
                }
                match store.settle_abandoned().await {
                    Ok(0) => {}
                    Ok(calls) => tracing::warn!(
                        calls,
                        "provider calls another run left in flight were billed as estimated"
                    ),
                    Err(e) => tracing::debug!(error = %e, "calls left in flight not settled yet"),
                }
            }
        })
    }

    /// How many calls are in flight now (all processes).
    pub async fn calls_in_flight(&self) -> Result<i64, EngineError> {
        Ok(sqlx::query_scalar("SELECT count(*) FROM calls_in_flight")
            .fetch_one(self.pool())
            .await?)
    }
}

pub(super) fn writer_gone() -> EngineError {
    EngineError::Database("the database writer stopped".into())
}

/// The start of the current `period` (the user's local day or month), as a UTC timestamp.
fn period_start_in(conn: &Connection, period: BudgetPeriod) -> Result<String, EngineError> {
    Ok(conn
        .prepare_cached("SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', 'localtime', ?1, 'utc')")?
        .query_row([period.start_modifier()], |r| r.get(0))?)
}

/// What calls in flight have reserved (live leases only), for one provider or all.
fn reserved_in(conn: &Connection, provider_id: Option<&str>) -> Result<i64, EngineError> {
    Ok(conn
        .prepare_cached(
            "SELECT COALESCE(SUM(estimate_nusd), 0) FROM calls_in_flight
             WHERE expires_at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
               AND (?1 IS NULL OR provider_id = ?1)",
        )?
        .query_row([provider_id], |r| r.get(0))?)
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
