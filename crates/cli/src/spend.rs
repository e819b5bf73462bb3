//! `switchyard spend`: what the ledger says was spent, grouped, with savings against the
//! baseline model; the same figures as the app's Spend screen.
use anyhow::bail;
use clap::{Args, ValueEnum};
use serde_json::json;
use switchyard_engine::money::usd;
use switchyard_engine::store::spend::{GroupBy, GroupSpend, SpendRange, SpendTotals};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum By {
    Model,
    Day,
    Task,
    Provider,
    /// app, cli or endpoint.
    Source,
    /// The local endpoint's clients, by token name.
    Client,
}

#[derive(Args, Debug)]
pub struct SpendArgs {
    /// First day to count, `YYYY-MM-DD` (UTC); default: the last 30 days.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    #[arg(long, value_enum, default_value = "model")]
    pub by: By,
    /// Print one JSON object, money in nano-dollars.
    #[arg(long)]
    pub json: bool,
}

/// `2026-11-01` as the ledger's first instant of that day.
fn day_start(date: &str) -> anyhow::Result<String> {
    let parts: Vec<&str> = date.split('-').collect();
    let valid = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        bail!("--since takes a date as YYYY-MM-DD, not '{date}'");
    }
    Ok(format!("{date}T00:00:00.000Z"))
}

fn savings_percent(spend: i64, baseline: i64) -> f64 {
    if baseline == 0 {
        0.0
    } else {
        (baseline - spend) as f64 * 100.0 / baseline as f64
    }
}

/// The text table: money in the app's one format (`money::usd`); `--json` keeps nano-dollars.
fn table(groups: &[GroupSpend], heading: &str) -> String {
    let mut s = format!(
        "{heading:<32} {:>8} {:>14} {:>14} {:>8}\n",
        "requests", "spend", "baseline", "saved"
    );
    for g in groups {
        let key = if g.key.is_empty() { "-" } else { &g.key };
        s.push_str(&format!(
            "{key:<32} {:>8} {:>14} {:>14} {:>7.1}%\n",
            g.requests,
            usd(g.spend_nusd),
            usd(g.baseline_nusd),
            savings_percent(g.spend_nusd, g.baseline_nusd)
        ));
    }
    s
}

/// The line under the table: spend, requests and what the calls came to, and the savings.
fn totals_line(from: &str, t: &SpendTotals) -> String {
    format!(
        "since {from}: {} over {} requests ({} provider calls, {} failed, {} skipped before a \
         call); {} saved against the baseline ({:.1}%)",
        usd(t.spend_nusd),
        t.requests,
        t.calls,
        t.failed_calls,
        t.skipped_calls,
        usd(t.baseline_nusd - t.spend_nusd),
        savings_percent(t.spend_nusd, t.baseline_nusd)
    )
}

pub async fn run(args: SpendArgs, db: &std::path::Path) -> anyhow::Result<()> {
    // Reads only: a missing file is an error (a typo in --db must not create an empty
    // database), and a read-only file or folder is fine.
    let store = &switchyard_engine::store::Store::open_read_only(db).await?;
    let from = match &args.since {
        Some(date) => day_start(date)?,
        None => store.days_ago(30).await?,
    };
    let range = SpendRange {
        from: from.clone(),
        // Past any time the ledger can hold.
        to: "9999-12-31".into(),
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };
    let (by, heading) = match args.by {
        By::Model => (GroupBy::Model, "model"),
        By::Day => (GroupBy::Day, "day (UTC)"),
        By::Task => (GroupBy::Task, "task"),
        By::Provider => (GroupBy::Provider, "provider"),
        By::Source => (GroupBy::Source, "source"),
        By::Client => (GroupBy::Client, "client"),
    };
    let totals = store.spend_totals(&range).await?;
    let mut groups = store.spend_by(&range, by).await?;
    if let GroupBy::Provider = by {
        // The ledger groups by provider id; people know their providers by name.
        let names = store.provider_names().await?;
        for g in &mut groups {
            if let Some(name) = names.get(&g.key) {
                g.key = name.clone();
            }
        }
    }
    let (unsettled, reserved) = store.unsettled_calls().await?;
    store.close().await;
    if args.json {
        let groups: Vec<_> = groups
            .iter()
            .map(|g| {
                json!({
                    "key": g.key,
                    "requests": g.requests,
                    "spend_nano_usd": g.spend_nusd,
                    "baseline_nano_usd": g.baseline_nusd,
                })
            })
            .collect();
        let out = json!({
            "since": from,
            "by": heading,
            "totals": {
                "spend_nano_usd": totals.spend_nusd,
                "requests": totals.requests,
                "calls": totals.calls,
                "failed_calls": totals.failed_calls,
                "skipped_calls": totals.skipped_calls,
                "baseline_nano_usd": totals.baseline_nusd,
                "savings_nano_usd": totals.baseline_nusd - totals.spend_nusd,
            },
            "groups": groups,
            "unsettled_calls": unsettled,
            "unsettled_estimate_nano_usd": reserved,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    print!("{}", table(&groups, heading));
    println!("\n{}", totals_line(&from, &totals));
    if unsettled > 0 {
        println!(
            "{unsettled} provider call(s) of runs that ended without finishing are not in these \
             figures yet ({} reserved): the next `switchyard chat`, `serve` or the app bills them \
             as estimated.",
            usd(reserved)
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_only_iso_dates() {
        assert_eq!(day_start("2026-11-01").unwrap(), "2026-11-01T00:00:00.000Z");
        assert!(day_start("1/11/2026").is_err());
        assert!(day_start("2026-1-01").is_err());
    }

    #[test]
    fn text_output_reads_money_as_the_app_does() {
        let group = GroupSpend {
            key: "gpt-4o-mini".into(),
            requests: 3,
            spend_nusd: 4_720_000,
            baseline_nusd: 1_234_500_000_000,
        };
        let t = table(&[group], "model");
        assert!(t.contains("$0.0047"), "{t}");
        assert!(t.contains("$1,234.50"), "{t}");
        assert!(!t.contains("0.004720"), "{t}");
        let totals = SpendTotals {
            spend_nusd: 4_720_000,
            requests: 3,
            calls: 5,
            failed_calls: 2,
            skipped_calls: 1,
            baseline_nusd: 9_440_000,
        };
        assert_eq!(
            totals_line("2026-11-01T00:00:00.000Z", &totals),
            "since 2026-11-01T00:00:00.000Z: $0.0047 over 3 requests (5 provider calls, 2 \
             failed, 1 skipped before a call); $0.0047 saved against the baseline (50.0%)"
        );
    }

    #[test]
    fn savings_are_a_share_of_the_baseline() {
        assert!((savings_percent(25, 100) - 75.0).abs() < 1e-9);
        assert_eq!(savings_percent(0, 0), 0.0);
    }
}
