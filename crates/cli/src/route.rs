//! `switchyard route`: the router's decision for a prompt, or for a file of requests, as JSON.
//! Needs no database, keychain or network: the decision is a pure function of the request, the
//! rules and the catalog.
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use serde_json::{json, Value};
use switchyard_router::{decide, default_catalog, load, presets, Catalog, CompiledRules, Request};

#[derive(Args, Debug)]
pub struct RouteArgs {
    /// A TOML rule file (rules, detector data, catalog); without it, the bundled defaults.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Include the trace: task scores, complexity factors, rules tried, candidates.
    #[arg(long)]
    pub explain: bool,
    /// Start the chosen chain at its cheapest member, trading quality for cost.
    #[arg(long)]
    pub prefer_cost: bool,
    /// Read one request per line, `{"prompt": "..."}` or `{"messages": [...]}` ("-" for stdin),
    /// and print one decision per line.
    #[arg(long, value_name = "FILE", conflicts_with = "prompt")]
    pub jsonl: Option<PathBuf>,
    /// The prompt to route.
    #[arg(required_unless_present = "jsonl")]
    pub prompt: Option<String>,
}

pub async fn run(args: RouteArgs, db: &Path) -> anyhow::Result<()> {
    let (rules, catalog) = match args.rules.as_deref() {
        Some(path) => load_rules(Some(path))?,
        None => saved_rules(db).await?,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Some(path) = &args.jsonl {
        return route_lines(path, &args, &rules, &catalog, &mut out);
    }
    let mut request = Request::from_prompt(args.prompt.clone().unwrap_or_default());
    request.prefer_cost = args.prefer_cost;
    let value = route_one(request, &rules, &catalog, args.explain)?;
    writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    Ok(())
}

/// The rules and catalog of `path`, or the bundled defaults.
pub fn load_rules(path: Option<&Path>) -> anyhow::Result<(CompiledRules, Catalog)> {
    match path {
        Some(path) => {
            let text =
                fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            load(&text).with_context(|| format!("rule file {}", path.display()))
        }
        None => {
            let rules = CompiledRules::new(presets::smart_router())
                .map_err(|issues| anyhow::anyhow!("bundled rules are invalid: {issues:?}"))?;
            Ok((rules, default_catalog()))
        }
    }
}

/// The rules saved in the app's database (the rule editor's newest version), or the bundled
/// defaults when there is no database or nothing is saved. A missing database is not created:
/// `route` needs none; an existing one is only read, so a read-only file or folder is fine.
pub async fn saved_rules(db: &Path) -> anyhow::Result<(CompiledRules, Catalog)> {
    if !db.exists() {
        return load_rules(None);
    }
    let store = switchyard_engine::store::Store::open_read_only(db)
        .await
        .with_context(|| format!("opening {}", db.display()))?;
    let (set, catalog) = store.routing().await?;
    store.close().await;
    let rules = CompiledRules::new(set)
        .map_err(|issues| anyhow::anyhow!("the saved rules do not compile: {issues:?}"))?;
    Ok((rules, catalog))
}

fn route_one(
    mut request: Request,
    rules: &CompiledRules,
    catalog: &Catalog,
    explain: bool,
) -> anyhow::Result<Value> {
    // The CLI shows a cost, so it pays for an exact OpenAI token count.
    request.count_openai_tokens();
    let decision = decide(&request, rules, catalog)?;
    let mut value = serde_json::to_value(&decision)?;
    if !explain {
        if let Some(map) = value.as_object_mut() {
            map.remove("trace");
        }
    }
    Ok(value)
}

fn route_lines(
    path: &Path,
    args: &RouteArgs,
    rules: &CompiledRules,
    catalog: &Catalog,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(BufReader::new(io::stdin()))
    } else {
        let file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Box::new(BufReader::new(file))
    };
    let mut failed = 0usize;
    for (n, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("reading line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        // One output line per request, errors included, so outputs stay aligned with inputs.
        let value = parse_request(&line)
            .and_then(|mut request| {
                request.prefer_cost |= args.prefer_cost;
                route_one(request, rules, catalog, args.explain)
            })
            .unwrap_or_else(|e| {
                failed += 1;
                json!({ "line": n + 1, "error": format!("{e:#}") })
            });
        writeln!(out, "{}", serde_json::to_string(&value)?)?;
    }
    if failed > 0 {
        bail!("{failed} request(s) could not be routed");
    }
    Ok(())
}

/// `{"prompt": "..."}` or a whole request (`{"messages": [...]}`, optionally `prefer_cost`…).
fn parse_request(line: &str) -> anyhow::Result<Request> {
    let value: Value = serde_json::from_str(line).context("not a JSON object")?;
    if let Some(prompt) = value.get("prompt") {
        let prompt = prompt.as_str().context("`prompt` must be a string")?;
        return Ok(Request::from_prompt(prompt));
    }
    if value.get("messages").is_none() {
        bail!("a request needs `prompt` or `messages`");
    }
    serde_json::from_value(value).context("not a request")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn routes_with_the_saved_rules_or_the_bundled_ones_without_a_database() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("app.db");
        let (bundled, _) = saved_rules(&db).await.unwrap();
        assert!(!db.exists(), "route creates no database");
        assert_eq!(bundled.rule_set(), &presets::smart_router());

        let store = switchyard_engine::store::Store::open(&db).await.unwrap();
        let mut config = switchyard_engine::store::rules::RoutingConfig::bundled();
        config.rules = presets::complexity_based();
        store.save_routing(&config, "test").await.unwrap();
        store.close().await;
        let (saved, _) = saved_rules(&db).await.unwrap();
        assert_eq!(saved.rule_set(), &presets::complexity_based());
    }

    #[test]
    fn reads_both_line_shapes() {
        let a = parse_request(r#"{"prompt": "hi", "id": 3}"#).unwrap();
        assert_eq!(a.last_user_text(), "hi");
        let b = parse_request(
            r#"{"messages": [{"role": "user", "content": "yo"}], "prefer_cost": true}"#,
        )
        .unwrap();
        assert_eq!(b.last_user_text(), "yo");
        assert!(b.prefer_cost);
        assert!(parse_request(r#"{"text": "x"}"#).is_err());
        assert!(parse_request("not json").is_err());
    }

    #[test]
    fn jsonl_prints_one_line_per_request_with_the_required_fields() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.jsonl");
        fs::write(
            &path,
            "{\"prompt\": \"Write a haiku\"}\n{\"messages\": []}\n",
        )
        .unwrap();
        let args = RouteArgs {
            rules: None,
            explain: false,
            prefer_cost: false,
            jsonl: Some(path.clone()),
            prompt: None,
        };
        let (rules, catalog) = load_rules(None).unwrap();
        let mut out = Vec::new();
        let result = route_lines(&path, &args, &rules, &catalog, &mut out);
        assert!(result.is_err(), "the empty conversation is reported");
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        for field in ["task", "model", "fallbacks", "rule", "estimated_cost_usd"] {
            assert!(lines[0].get(field).is_some(), "{field}");
        }
        assert!(lines[0]["complexity"]["score"].is_number());
        assert!(lines[0]["complexity"]["tier"].is_string());
        assert!(lines[0].get("trace").is_none());
        assert!(lines[1]["error"].as_str().unwrap().contains("no messages"));
    }
}
