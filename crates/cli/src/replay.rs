//! `switchyard replay`: what a rule set would have done with past requests: which moved to
//! which model, and what they cost as paid against the estimate under those rules. The same
//! engine call as the app's "Replay history"; reads only.
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use switchyard_engine::availability::{of_models, unavailable_set};
use switchyard_engine::money::usd;
use switchyard_engine::replay::{replay, ReplayOptions, ReplayReport, Unreplayable};
use switchyard_engine::store::spend::SpendRange;

use crate::route::{load_rules, saved_rules};

#[derive(Args, Debug)]
pub struct ReplayArgs {
    /// A TOML rule file (the Rules screen's export) to replay; default: the saved rules.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// First day to replay, `YYYY-MM-DD` (UTC); default: the last 30 days.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Last day to replay, `YYYY-MM-DD` (UTC), included; default: up to now.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Print the whole report as one JSON object (money in nano-dollars, every moved request).
    #[arg(long)]
    pub json: bool,
}

/// `2026-11-01` checked as a date, or what to type instead.
fn date<'a>(flag: &str, value: &'a str) -> anyhow::Result<&'a str> {
    let parts: Vec<&str> = value.split('-').collect();
    let valid = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if !valid {
        bail!("{flag} takes a date as YYYY-MM-DD, not '{value}'");
    }
    Ok(value)
}

/// The first instant of the day after `YYYY-MM-DD`, or None when it is no calendar date.
fn next_day(date: &str) -> Option<String> {
    let mut parts = date.split('-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d == 0 || d > days {
        return None;
    }
    let (y, m, d) = match (m, d == days) {
        (12, true) => (y + 1, 1, 1),
        (_, true) => (y, m + 1, 1),
        _ => (y, m, d + 1),
    };
    Some(format!("{y:04}-{m:02}-{d:02}T00:00:00.000Z"))
}

pub async fn run(args: ReplayArgs, db: &Path) -> anyhow::Result<()> {
    // A bad rule file is reported before anything else is read.
    let (rules, catalog) = match args.rules.as_deref() {
        Some(path) => load_rules(Some(path))?,
        None => saved_rules(db).await?,
    };
    let settings = crate::read_only_settings(db).await?;
    let store = &settings.store;
    let from = match &args.since {
        Some(d) => format!("{}T00:00:00.000Z", date("--since", d)?),
        None => store.days_ago(30).await?,
    };
    let to = match &args.until {
        Some(d) => next_day(date("--until", d)?)
            .with_context(|| format!("--until: '{d}' is not a calendar date"))?,
        // Past any time the ledger can hold.
        None => "9999-12-31".into(),
    };
    if from >= to {
        bail!("--since must come before --until");
    }
    // Models that cannot be called now are skipped, as a send would skip them.
    let providers = settings.list().await?;
    let options = ReplayOptions {
        unavailable: unavailable_set(of_models(catalog.enabled(), &providers)),
        requests_per_move: None,
    };
    let range = SpendRange {
        from,
        to,
        utc_offset_minutes: 0,
        offset_changes: vec![],
    };
    let report = replay(store, &rules, &catalog, &range, &options).await?;
    store.close().await;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let name = match &args.rules {
            Some(path) => path.display().to_string(),
            None => "the saved rules".into(),
        };
        print!("{}", table(&report, &name));
    }
    Ok(())
}

fn reason(r: Unreplayable) -> &'static str {
    match r {
        Unreplayable::NotStored => "prompt never saved",
        Unreplayable::Deleted => "conversation deleted",
        Unreplayable::NoModelFits => "no model's context window fits it",
    }
}

/// The report as text tables.
fn table(r: &ReplayReport, rules: &str) -> String {
    let until = if r.to.starts_with("9999") {
        "now"
    } else {
        &r.to
    };
    let mut s = format!(
        "Replayed {} of {} requests from {} to {until} under {rules}: {} would move.\n",
        r.replayed, r.requests, r.from, r.moved
    );
    if r.chosen_by_user > 0 {
        s.push_str(&format!(
            "{} were in conversations set to one model, which the rules do not route; they stay.\n",
            r.chosen_by_user
        ));
    }
    // Columns as wide as their longest entry, so long model and rule names stay aligned.
    let arrow = |m: &switchyard_engine::replay::Move| format!("{} -> {}", m.from, m.to);
    let wm = r
        .moves
        .iter()
        .map(|m| arrow(m).len())
        .max()
        .unwrap_or(0)
        .max(4);
    let wt = r
        .moves
        .iter()
        .map(|m| m.task.len())
        .max()
        .unwrap_or(0)
        .max(4);
    let wr = r
        .moves
        .iter()
        .map(|m| m.rule.len())
        .max()
        .unwrap_or(0)
        .max(4);
    s.push_str(&format!(
        "\n{:<wm$} {:<wt$} {:<wr$} {:>8} {:>12} {:>12} {:>12}\n",
        "move", "task", "rule", "requests", "paid", "under rules", "difference"
    ));
    if r.moves.is_empty() {
        s.push_str("(no request would go to another model)\n");
    }
    for m in &r.moves {
        s.push_str(&format!(
            "{:<wm$} {:<wt$} {:<wr$} {:>8} {:>12} {:>12} {:>12}\n",
            arrow(m),
            m.task,
            m.rule,
            m.count,
            usd(m.paid_nusd),
            usd(m.estimated_nusd),
            usd(m.estimated_nusd - m.paid_nusd)
        ));
    }
    s.push_str(&format!(
        "\n{:<16} {:>8} {:>8} {:>12} {:>12} {:>12}\n",
        "task", "requests", "moved", "paid", "under rules", "difference"
    ));
    for t in &r.tasks {
        s.push_str(&format!(
            "{:<16} {:>8} {:>8} {:>12} {:>12} {:>12}\n",
            t.task,
            t.requests,
            t.moved,
            usd(t.paid_nusd),
            usd(t.estimated_nusd),
            usd(t.difference_nusd)
        ));
    }
    s.push_str(&format!(
        "{:<16} {:>8} {:>8} {:>12} {:>12} {:>12}\n",
        "all",
        r.replayed,
        r.moved,
        usd(r.paid_nusd),
        usd(r.estimated_nusd),
        usd(r.estimated_nusd - r.paid_nusd)
    ));
    let wr = r
        .rules
        .iter()
        .map(|x| x.rule.len())
        .max()
        .unwrap_or(0)
        .max(4);
    s.push_str(&format!(
        "\n{:<wr$} {:>8} {:>8}\n",
        "rule", "requests", "moved"
    ));
    for rule in &r.rules {
        s.push_str(&format!(
            "{:<wr$} {:>8} {:>8}\n",
            rule.rule, rule.requests, rule.moved
        ));
    }
    for n in &r.not_replayed {
        s.push_str(&format!(
            "\nnot replayed: {} {} request(s), {} ({} paid)",
            n.requests,
            n.source,
            reason(n.reason),
            usd(n.paid_nusd)
        ));
    }
    if !r.not_replayed.is_empty() {
        s.push('\n');
    }
    let b = &r.basis;
    s.push_str(&format!(
        "\nEstimates: {} not moved (as paid); {} moved, repriced from the tokens the provider \
         reported; {} moved, repriced from Switchyard's token estimate; {} moved with no \
         tokens known (as paid). Repricing uses the new model's catalog price for the same \
         tokens: a different model's reply would differ in length.\n",
        b.as_paid, b.repriced, b.repriced_estimate, b.no_tokens
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn until_ends_after_its_whole_day() {
        assert_eq!(next_day("2026-11-30").unwrap(), "2026-12-01T00:00:00.000Z");
        assert_eq!(next_day("2026-12-31").unwrap(), "2027-01-01T00:00:00.000Z");
        assert_eq!(next_day("2024-02-28").unwrap(), "2024-02-29T00:00:00.000Z");
        assert_eq!(next_day("2026-05-09").unwrap(), "2026-05-10T00:00:00.000Z");
        assert!(next_day("2026-02-29").is_none());
        assert!(next_day("2026-13-01").is_none());
    }
}
