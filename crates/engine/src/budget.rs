//! Budgets as a real limit. The executor asks the gate before every hop; the gate compares what
//! the ledger says was spent this day or month, plus what requests in flight have reserved,
//! with each budget that covers the hop's provider. Checking and reserving happen under one
//! lock, so requests racing at the limit overshoot it by at most one request's estimate.
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use switchyard_router::{Catalog, Message, Model};
use ts_rs::TS;

use crate::error::EngineError;
use crate::execute::{HopError, Target};
use crate::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use crate::store::Store;
use crate::usage::{Cost, Usage};

/// Output tokens a reply is assumed to need when reserving its cost before it is known.
const EXPECTED_OUTPUT_TOKENS: u32 = 1_000;
/// From this share of a limit on, the app warns.
const WARN_PERCENT: i64 = 80;

pub type GateFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HopError>> + Send + 'a>>;

/// Asked before every hop of a chain; an error skips the hop with that error.
pub trait HopGate: Send + Sync {
    fn before_hop<'a>(&'a self, target: &'a Target, messages: &'a [Message]) -> GateFuture<'a>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BudgetLevel {
    Ok,
    /// 80% or more used.
    Warn,
    /// The limit is reached: the budget's policy applies.
    Over,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct BudgetStatus {
    pub budget: Budget,
    #[ts(type = "number")]
    pub spent_nusd: i64,
    pub level: BudgetLevel,
    /// What the level means for the next request, in words.
    pub message: String,
}

/// The budgets of one database, shared by every request of the process.
#[derive(Clone)]
pub struct Budgets {
    store: Store,
    /// Held across "sum the ledger, then reserve" so no two requests see the same headroom.
    check: Arc<tokio::sync::Mutex<()>>,
    reserved: Arc<Mutex<Reservations>>,
}

#[derive(Default)]
struct Reservations {
    next: u64,
    /// Reservation id → (provider id, estimated nano-dollars).
    open: HashMap<u64, (String, i64)>,
}

impl Reservations {
    fn sum(&self, provider: Option<&str>) -> i64 {
        self.open
            .values()
            .filter(|(p, _)| provider.is_none_or(|want| want == p))
            .map(|(_, n)| n)
            .sum()
    }
}

/// Cents for everyday amounts; enough digits that a tiny limit never reads as $0.00.
fn dollars(nusd: i64) -> String {
    let usd = nusd as f64 / 1e9;
    if usd == 0.0 || usd >= 0.01 {
        format!("${usd:.2}")
    } else {
        format!("${usd:.6}")
    }
}

fn scope(b: &Budget) -> String {
    let period = match b.period {
        BudgetPeriod::Day => "daily",
        BudgetPeriod::Month => "monthly",
    };
    match &b.provider_id {
        Some(p) => format!("The {period} budget for {p}"),
        None => format!("The {period} budget"),
    }
}

fn level(spent: i64, limit: i64) -> BudgetLevel {
    if spent >= limit {
        BudgetLevel::Over
    } else if spent.saturating_mul(100) >= limit.saturating_mul(WARN_PERCENT) {
        BudgetLevel::Warn
    } else {
        BudgetLevel::Ok
    }
}

/// The cheapest enabled model (by list price) whose quality meets `min_quality`.
pub fn downgrade_model(catalog: &Catalog, min_quality: f64) -> Option<&Model> {
    catalog
        .enabled()
        .filter(|m| m.quality >= min_quality)
        .min_by_key(|m| (m.input.0 + m.output.0, m.id.clone()))
}

fn over_message(b: &Budget, spent: i64, catalog: &Catalog) -> String {
    let head = format!(
        "{} ({}) is used up: {} spent.",
        scope(b),
        dollars(b.limit_nusd),
        dollars(spent)
    );
    match b.policy {
        BudgetPolicy::Block => format!(
            "{head} Requests are blocked until it resets; raise it on the Spend screen to go on now."
        ),
        BudgetPolicy::Downgrade => match downgrade_model(catalog, b.min_quality) {
            Some(m) => format!("{head} Requests go to {}, the cheapest model with quality of at least {:.2}.", m.id, b.min_quality),
            None => format!("{head} No enabled model has quality of at least {:.2}, so requests are blocked.", b.min_quality),
        },
    }
}

impl Budgets {
    pub fn new(store: Store) -> Self {
        Self {
            store,
            check: Arc::default(),
            reserved: Arc::default(),
        }
    }

    /// Every budget with what was spent in its current period.
    pub async fn status(&self, catalog: &Catalog) -> Result<Vec<BudgetStatus>, EngineError> {
        let mut out = Vec::new();
        for budget in self.store.list_budgets().await? {
            let spent = self
                .store
                .spent_in(budget.period, budget.provider_id.as_deref())
                .await?;
            let level = level(spent, budget.limit_nusd);
            let message = match level {
                BudgetLevel::Over => over_message(&budget, spent, catalog),
                _ => format!(
                    "{} is {}% used: {} of {}.",
                    scope(&budget),
                    spent.saturating_mul(100) / budget.limit_nusd,
                    dollars(spent),
                    dollars(budget.limit_nusd)
                ),
            };
            out.push(BudgetStatus {
                budget,
                spent_nusd: spent,
                level,
                message,
            });
        }
        Ok(out)
    }

    /// Appends to `chain` the model each over-limit downgrade budget sends requests to, so the
    /// gate, which then skips the pricier models, has somewhere to go.
    pub async fn extend_chain(
        &self,
        chain: &mut Vec<String>,
        catalog: &Catalog,
    ) -> Result<(), EngineError> {
        for s in self.status(catalog).await? {
            if s.level != BudgetLevel::Over || s.budget.policy != BudgetPolicy::Downgrade {
                continue;
            }
            if let Some(m) = downgrade_model(catalog, s.budget.min_quality) {
                if !chain.contains(&m.id) {
                    chain.push(m.id.clone());
                }
            }
        }
        Ok(())
    }

    /// A gate for one request. Its reservation is released when the gate is dropped: after the
    /// request's ledger rows are written, so the spend is never counted by neither.
    pub fn gate(&self, catalog: Catalog) -> RequestGate {
        RequestGate {
            budgets: self.clone(),
            catalog,
            reservation: Mutex::new(None),
        }
    }

    fn release(&self, id: u64) {
        self.reserved.lock().expect("reservations").open.remove(&id);
    }

    /// Checks the hop against every budget covering its provider and, when allowed, reserves
    /// its estimated cost (replacing `previous`, the request's reservation for an earlier hop).
    async fn admit(
        &self,
        target: &Target,
        estimate: i64,
        catalog: &Catalog,
        previous: Option<u64>,
    ) -> Result<u64, HopError> {
        let database = |e: EngineError| HopError {
            code: "budget_unavailable".into(),
            message: format!("The budgets could not be checked: {e}"),
            status: None,
        };
        let _turn = self.check.lock().await;
        if let Some(id) = previous {
            self.release(id);
        }
        let provider = target.provider.id.as_str();
        for b in self.store.list_budgets().await.map_err(database)? {
            if b.provider_id.as_deref().is_some_and(|p| p != provider) {
                continue;
            }
            let spent = self
                .store
                .spent_in(b.period, b.provider_id.as_deref())
                .await
                .map_err(database)?;
            let reserved = self
                .reserved
                .lock()
                .expect("reservations")
                .sum(b.provider_id.as_deref());
            if spent.saturating_add(reserved) < b.limit_nusd {
                continue;
            }
            let allowed_downgrade = b.policy == BudgetPolicy::Downgrade
                && downgrade_model(catalog, b.min_quality).is_some_and(|m| m.id == target.model.id);
            if !allowed_downgrade {
                return Err(HopError {
                    code: match b.policy {
                        BudgetPolicy::Block => "budget_exceeded".into(),
                        BudgetPolicy::Downgrade => "budget_downgraded".into(),
                    },
                    message: over_message(&b, spent, catalog),
                    status: None,
                });
            }
        }
        let mut reserved = self.reserved.lock().expect("reservations");
        reserved.next += 1;
        let id = reserved.next;
        reserved.open.insert(id, (provider.to_string(), estimate));
        Ok(id)
    }
}

/// The budget gate of one request.
pub struct RequestGate {
    budgets: Budgets,
    catalog: Catalog,
    reservation: Mutex<Option<u64>>,
}

/// What a hop is expected to cost: the prompt as it stands and a typical reply.
pub fn estimate(model: &Model, messages: &[Message]) -> i64 {
    let mut usage = Usage::estimate(messages, "");
    usage.output_tokens = EXPECTED_OUTPUT_TOKENS;
    i64::try_from(Cost::of(model, &usage).total.0).unwrap_or(i64::MAX)
}

impl HopGate for RequestGate {
    fn before_hop<'a>(&'a self, target: &'a Target, messages: &'a [Message]) -> GateFuture<'a> {
        Box::pin(async move {
            let previous = self.reservation.lock().expect("reservation").take();
            let estimate = estimate(&target.model, messages);
            let id = self
                .budgets
                .admit(target, estimate, &self.catalog, previous)
                .await?;
            *self.reservation.lock().expect("reservation") = Some(id);
            Ok(())
        })
    }
}

impl Drop for RequestGate {
    fn drop(&mut self) {
        if let Some(id) = self.reservation.lock().expect("reservation").take() {
            self.budgets.release(id);
        }
    }
}
