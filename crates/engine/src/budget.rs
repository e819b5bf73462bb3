//! Budgets: their state for the Spend screen and the chat's banner, the model a downgrade goes
//! to, and the words for a refusal. The check itself runs in the database, before every call
//! (see `store::calls`), so every process on one database shares it.
use serde::Serialize;
use switchyard_router::{Catalog, Cost, Message, Model, Usage};
use ts_rs::TS;

use crate::error::{EngineError, ErrorCode, ErrorInfo};
use crate::money::usd;
use crate::providers::tools::Tools;
use crate::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};
use crate::store::calls::Over;
use crate::store::Store;

/// Output tokens a reply is assumed to need when reserving its cost before it is known.
pub const EXPECTED_OUTPUT_TOKENS: u32 = 1_000;
/// From this share of a limit on, the app warns.
const WARN_PERCENT: i64 = 80;

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

/// The budgets of one database.
#[derive(Clone)]
pub struct Budgets {
    store: Store,
}

/// "The daily budget", or "The daily budget for Work OpenAI": the provider by the name the user
/// gave it (its id only when the provider is gone).
fn scope(b: &Budget, provider_name: Option<&str>) -> String {
    let period = match b.period {
        BudgetPeriod::Day => "daily",
        BudgetPeriod::Month => "monthly",
    };
    match (&b.provider_id, provider_name) {
        (Some(_), Some(name)) => format!("The {period} budget for {name}"),
        (Some(id), None) => format!("The {period} budget for {id}"),
        (None, _) => format!("The {period} budget"),
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

/// When a budget's period starts again, on the user's clock.
fn resets(b: &Budget) -> &'static str {
    match b.period {
        BudgetPeriod::Day => "at midnight",
        BudgetPeriod::Month => "on the 1st of next month",
    }
}

fn over_message(b: &Budget, provider_name: Option<&str>, spent: i64, catalog: &Catalog) -> String {
    let head = format!(
        "{} ({}) is used up: {} spent.",
        scope(b, provider_name),
        usd(b.limit_nusd),
        usd(spent)
    );
    match b.policy {
        BudgetPolicy::Block => format!(
            "{head} Requests are blocked until it resets {}.",
            resets(b)
        ),
        BudgetPolicy::Downgrade => match downgrade_model(catalog, b.min_quality) {
            Some(m) => format!("{head} Until it resets {}, requests go to {}, the cheapest model with quality of at least {:.2}.", resets(b), m.id, b.min_quality),
            None => format!("{head} No enabled model has quality of at least {:.2}, so requests are blocked.", b.min_quality),
        },
    }
}

impl Budgets {
    pub fn new(store: Store) -> Self {
        Self { store }
    }

    /// Every budget with what was spent in its current period.
    pub async fn status(&self, catalog: &Catalog) -> Result<Vec<BudgetStatus>, EngineError> {
        let providers = self.store.list_providers().await?;
        let name_of = |b: &Budget| {
            b.provider_id
                .as_ref()
                .and_then(|id| providers.iter().find(|p| &p.id == id))
                .map(|p| p.name.clone())
        };
        let mut out = Vec::new();
        for budget in self.store.list_budgets().await? {
            let name = name_of(&budget);
            let spent = self
                .store
                .spent_in(budget.period, budget.provider_id.as_deref())
                .await?;
            let level = level(spent, budget.limit_nusd);
            let message = match level {
                BudgetLevel::Over => over_message(&budget, name.as_deref(), spent, catalog),
                _ => format!(
                    "{} is {}% used: {} of {}.",
                    scope(&budget, name.as_deref()),
                    spent.saturating_mul(100) / budget.limit_nusd,
                    usd(spent),
                    usd(budget.limit_nusd)
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
    /// gate, which then skips the pricier models, has somewhere to go. (Callers skip this when
    /// no budget downgrades: see `Store::send_settings`.)
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
}

/// Why a call was refused, from the budgets that refused it (the first decides the code).
/// `provider_name` names the provider of the refused call: a budget for one provider only refuses
/// calls to it.
pub fn refusal(over: &[Over], provider_name: &str, catalog: &Catalog) -> ErrorInfo {
    let first = &over[0];
    let code = match first.budget.policy {
        BudgetPolicy::Block => ErrorCode::BudgetExceeded,
        BudgetPolicy::Downgrade => ErrorCode::BudgetDowngraded,
    };
    let mut message = over_message(&first.budget, Some(provider_name), first.used_nusd, catalog);
    // A refusal reaches the CLI and the endpoint's clients as is; the app says it its own way
    // (a banner with a link to Spend), so the command is named only here.
    if first.budget.policy == BudgetPolicy::Block {
        message.push_str(
            " Raise it with `switchyard budgets set` (or on the app's Spend screen) to go on now.",
        );
    }
    ErrorInfo::new(code, message)
}

/// Whether an over-limit `budget` still lets `model` through: a downgrade budget lets its
/// downgrade model answer.
pub fn lets_through(budget: &Budget, model: &Model, catalog: &Catalog) -> bool {
    budget.policy == BudgetPolicy::Downgrade
        && downgrade_model(catalog, budget.min_quality).is_some_and(|m| m.id == model.id)
}

/// What a call is expected to cost before it is sent: the prompt as it stands (with the tool
/// definitions it offers) and the reply: as long as the request's output limit when it sets
/// one (the most it can be billed, since a provider stops there), else a typical reply. The
/// budgets reserve this much while it is in flight.
pub fn estimate(
    model: &Model,
    messages: &[Message],
    tools: Option<&Tools>,
    max_output_tokens: Option<u32>,
) -> (Usage, i64) {
    let mut usage = Usage::estimate(messages, "");
    usage.input_tokens = usage
        .input_tokens
        .saturating_add(tools.map_or(0, Tools::prompt_tokens));
    usage.output_tokens = max_output_tokens.unwrap_or(EXPECTED_OUTPUT_TOKENS);
    let nusd = i64::try_from(Cost::of(model, &usage).total.0).unwrap_or(i64::MAX);
    (usage, nusd)
}
