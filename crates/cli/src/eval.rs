//! `switchyard eval`: task accuracy and APGR of the router on labelled sets in the format of the
//! repository's `eval/` folder (one JSON object per line; see `eval/README.md`).
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use serde::Deserialize;
use switchyard_router::{decide, metrics, Catalog, CompiledRules, Request, Task};

use crate::route::load_rules;

#[derive(Args, Debug)]
#[group(required = true, multiple = true, id = "sets")]
pub struct EvalArgs {
    /// A TOML rule file; without it, the bundled defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Rows of `prompt` and `accept` (the task types a good detector may return): prints task accuracy.
    #[arg(long, value_name = "FILE", group = "sets")]
    pub tasks: Option<PathBuf>,
    /// Rows of `prompt`, `strong` and `weak` judge scores: prints the APGR of the complexity score.
    #[arg(long, value_name = "FILE", group = "sets")]
    pub quality: Option<PathBuf>,
    /// Also list the rows the detector got wrong.
    #[arg(long)]
    pub verbose: bool,
}

#[derive(Deserialize)]
struct TaskRow {
    #[serde(default)]
    id: Option<String>,
    prompt: String,
    accept: Vec<String>,
}

#[derive(Deserialize)]
struct QualityRow {
    prompt: String,
    strong: f64,
    weak: f64,
}

pub fn run(args: EvalArgs) -> anyhow::Result<()> {
    let (rules, catalog) = load_rules(args.rules.as_deref())?;
    if let Some(path) = &args.tasks {
        let rows: Vec<TaskRow> = read_rows(path)?;
        let (correct, misses) = task_accuracy(&rows, &rules, &catalog)?;
        println!(
            "task accuracy: {:.3} ({correct}/{}) on {}",
            correct as f64 / rows.len() as f64,
            rows.len(),
            path.display()
        );
        if args.verbose {
            for (id, got, accept) in misses {
                println!("  miss {id}: detected {got}, accepted {}", accept.join("|"));
            }
        }
    }
    if let Some(path) = &args.quality {
        let rows: Vec<QualityRow> = read_rows(path)?;
        let mut scored = Vec::with_capacity(rows.len());
        for row in &rows {
            let decision = decide(&Request::from_prompt(row.prompt.as_str()), &rules, &catalog)?;
            scored.push((decision.complexity.score, row.strong, row.weak));
        }
        match metrics::apgr(&scored) {
            Some(apgr) => println!(
                "APGR: {apgr:.3} ({} prompts) on {}",
                rows.len(),
                path.display()
            ),
            None => println!(
                "APGR: undefined (strong and weak score the same) on {}",
                path.display()
            ),
        }
    }
    Ok(())
}

type Miss = (String, Task, Vec<String>);

fn task_accuracy(
    rows: &[TaskRow],
    rules: &CompiledRules,
    catalog: &Catalog,
) -> anyhow::Result<(usize, Vec<Miss>)> {
    let mut correct = 0;
    let mut misses = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let decision = decide(&Request::from_prompt(row.prompt.as_str()), rules, catalog)?;
        let accepted = row
            .accept
            .iter()
            .filter_map(|a| a.parse::<Task>().ok())
            .any(|t| t == decision.task);
        if accepted {
            correct += 1;
        } else {
            let id = row.id.clone().unwrap_or_else(|| format!("row {}", n + 1));
            misses.push((id, decision.task, row.accept.clone()));
        }
    }
    Ok((correct, misses))
}

/// The rows of a JSONL file. A line that is not a valid row is reported on stderr with the
/// file and line number and skipped, so one bad line does not cost the whole measurement;
/// a file with no valid row at all is an error.
fn read_rows<T: for<'de> Deserialize<'de>>(path: &Path) -> anyhow::Result<Vec<T>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (rows, problems) = parse_rows(&text);
    for (line, error) in &problems {
        eprintln!("warning: {} line {line}: {error}; skipped", path.display());
    }
    if rows.is_empty() {
        bail!("{} has no valid rows", path.display());
    }
    Ok(rows)
}

/// Valid rows, and (line number, reason) for each line that is not one. Blank lines are skipped.
fn parse_rows<T: for<'de> Deserialize<'de>>(text: &str) -> (Vec<T>, Vec<(usize, String)>) {
    let mut rows = Vec::new();
    let mut problems = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str(line) {
            Ok(row) => rows.push(row),
            Err(e) => problems.push((n + 1, e.to_string())),
        }
    }
    (rows, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A development set from the repository's `eval/` folder. The data is part of the
    /// repository, so a missing file is a broken checkout: fail rather than skip.
    fn dev_set(name: &str) -> PathBuf {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../eval")
            .join(name);
        assert!(path.is_file(), "{} is missing", path.display());
        path
    }

    #[test]
    fn a_bad_line_is_reported_by_number_and_the_rest_are_read() {
        let text = "{\"prompt\": \"a\", \"accept\": [\"math\"]}\n\n{not json\n{\"prompt\": \"b\", \"accept\": []}\n{\"prompt\": 3}\n";
        let (rows, problems) = parse_rows::<TaskRow>(text);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].prompt, "b");
        let lines: Vec<usize> = problems.iter().map(|p| p.0).collect();
        assert_eq!(lines, vec![3, 5]);
    }

    #[test]
    fn task_accuracy_meets_the_target_on_the_dev_set() {
        let path = dev_set("tasks-dev.jsonl");
        let rows: Vec<TaskRow> = read_rows(&path).unwrap();
        let (rules, catalog) = load_rules(None).unwrap();
        let (correct, misses) = task_accuracy(&rows, &rules, &catalog).unwrap();
        let accuracy = correct as f64 / rows.len() as f64;
        assert!(
            accuracy >= 0.90,
            "accuracy {accuracy}, misses {:?}",
            misses.iter().map(|m| &m.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn apgr_meets_the_target_on_the_dev_set() {
        let path = dev_set("quality-dev.jsonl");
        let rows: Vec<QualityRow> = read_rows(&path).unwrap();
        let (rules, catalog) = load_rules(None).unwrap();
        let scored: Vec<_> = rows
            .iter()
            .map(|r| {
                let d = decide(&Request::from_prompt(r.prompt.as_str()), &rules, &catalog).unwrap();
                (d.complexity.score, r.strong, r.weak)
            })
            .collect();
        let apgr = metrics::apgr(&scored).unwrap();
        assert!(apgr >= 0.65, "APGR {apgr}");
    }
}
