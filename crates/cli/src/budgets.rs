//! `switchyard budgets list|set|remove`: the same budgets as the Spend screen, enforced for the
//! app, the CLI and the endpoint alike.
use std::path::Path;

use anyhow::Context as _;
use clap::{Subcommand, ValueEnum};
use switchyard_engine::budget::{BudgetLevel, Budgets};
use switchyard_engine::store::budgets::{Budget, BudgetPeriod, BudgetPolicy};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Period {
    Day,
    Month,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Policy {
    /// Refuse requests once the limit is reached.
    Block,
    /// Send requests to the cheapest model meeting --min-quality instead.
    Downgrade,
}

#[derive(Subcommand)]
pub enum BudgetsCommand {
    /// Every budget, with what its period has spent so far.
    List,
    /// Create a budget, or replace the one with the same provider and period.
    Set {
        #[arg(long, value_enum)]
        period: Period,
        /// The limit in dollars, e.g. 5 or 0.25.
        #[arg(long, value_name = "USD")]
        limit: f64,
        /// Limit one provider (its name or id); without it, all providers together.
        #[arg(long)]
        provider: Option<String>,
        #[arg(long, value_enum, default_value = "block")]
        policy: Policy,
        /// With `--policy downgrade`: the least quality (0–1) the cheaper model must have.
        #[arg(long, default_value_t = 0.7)]
        min_quality: f64,
    },
    /// Remove the budget of this period (and provider).
    Remove {
        #[arg(long, value_enum)]
        period: Period,
        #[arg(long)]
        provider: Option<String>,
    },
}

fn period(p: Period) -> BudgetPeriod {
    match p {
        Period::Day => BudgetPeriod::Day,
        Period::Month => BudgetPeriod::Month,
    }
}

pub async fn run(cmd: BudgetsCommand, db: &Path) -> anyhow::Result<()> {
    let settings = crate::settings(db).await?;
    let store = &settings.store;
    let provider_id = |name: &Option<String>| {
        let name = name.clone();
        async move {
            match name {
                None => Ok::<_, anyhow::Error>(None),
                Some(n) => Ok(Some(store.find_provider(&n).await?.id)),
            }
        }
    };
    match cmd {
        BudgetsCommand::List => {
            let (_, catalog) = store.routing().await?;
            let all = Budgets::new(store.clone()).status(&catalog).await?;
            if all.is_empty() {
                println!(
                    "No budgets. Add one with `switchyard budgets set --period day --limit 5`."
                );
            }
            for s in all {
                let mark = match s.level {
                    BudgetLevel::Ok => " ",
                    BudgetLevel::Warn => "!",
                    BudgetLevel::Over => "✗",
                };
                println!("{mark} {}", s.message);
            }
        }
        BudgetsCommand::Set {
            period: p,
            limit,
            provider,
            policy,
            min_quality,
        } => {
            anyhow::ensure!(
                limit.is_finite() && limit > 0.0,
                "--limit is in dollars and must be more than 0"
            );
            let budget = Budget {
                id: 0,
                provider_id: provider_id(&provider).await?,
                period: period(p),
                // Micro-dollars to nano-dollars in integers, as the Spend screen does.
                limit_nusd: (limit * 1e6).round() as i64 * 1000,
                policy: match policy {
                    Policy::Block => BudgetPolicy::Block,
                    Policy::Downgrade => BudgetPolicy::Downgrade,
                },
                min_quality,
            };
            store
                .save_budget(&budget)
                .await
                .context("saving the budget")?;
            println!("Saved.");
        }
        BudgetsCommand::Remove {
            period: p,
            provider,
        } => {
            let id = provider_id(&provider).await?;
            let found = store
                .list_budgets()
                .await?
                .into_iter()
                .find(|b| b.period == period(p) && b.provider_id == id);
            match found {
                Some(b) => {
                    store.delete_budget(b.id).await?;
                    println!("Removed.");
                }
                None => {
                    anyhow::bail!("there is no such budget; `switchyard budgets list` shows them")
                }
            }
        }
    }
    store.close().await;
    Ok(())
}
