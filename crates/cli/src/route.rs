//! `switchyard route`: the router's decision for a prompt, or for a file of requests, as JSON.
//! Needs no database, keychain or network: the decision is a pure function of the request, the
//! rules and the catalog.
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use serde::Serialize;
use serde_json::{json, Value};
use switchyard_router::batch::{default_threads, map_ordered};
use switchyard_router::{
    decide, default_catalog, load, presets, Catalog, CompiledRules, ComplexitySummary, Decision,
    Request, Task, Usd,
};

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
    /// and print one decision per line, in input order, routed over every core.
    #[arg(long, value_name = "FILE", conflicts_with = "prompt")]
    pub jsonl: Option<PathBuf>,
    /// With `--jsonl`: count OpenAI prompt tokens exactly (tiktoken), for exact cost estimates
    /// on OpenAI models; by default a batch uses the fast approximation. A single prompt is
    /// always counted exactly.
    #[arg(long)]
    pub exact_tokens: bool,
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
    // One prompt: the CLI shows a cost, so it pays for an exact OpenAI token count.
    request.count_openai_tokens();
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
            let rules = CompiledRules::new(presets::bundled_default())
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
    request: Request,
    rules: &CompiledRules,
    catalog: &Catalog,
    explain: bool,
) -> anyhow::Result<Value> {
    let decision = decide(&request, rules, catalog)?;
    let mut value = serde_json::to_value(&decision)?;
    if !explain {
        if let Some(map) = value.as_object_mut() {
            map.remove("trace");
        }
    }
    Ok(value)
}

/// A decision without its trace, as `--jsonl` prints it unless `--explain` is given: the
/// same fields, serialized straight from the decision.
#[derive(Serialize)]
struct Brief<'a> {
    model: &'a str,
    provider: &'a str,
    api_model: &'a str,
    fallbacks: &'a [String],
    task: Task,
    complexity: ComplexitySummary,
    rule: &'a str,
    prompt_tokens: u32,
    estimated_cost_usd: Usd,
}

impl<'a> From<&'a Decision> for Brief<'a> {
    fn from(d: &'a Decision) -> Self {
        Brief {
            model: &d.model,
            provider: &d.provider,
            api_model: &d.api_model,
            fallbacks: &d.fallbacks,
            task: d.task,
            complexity: d.complexity,
            rule: &d.rule,
            prompt_tokens: d.prompt_tokens,
            estimated_cost_usd: d.estimated_cost_usd,
        }
    }
}

/// Lines routed per block: enough to keep every core busy, few enough that memory stays
/// bounded on a file of any size.
const BLOCK_LINES: usize = 16_384;

/// One output line (without its newline) for input line `n` (1-based), or the error message.
fn route_line(
    n: usize,
    line: &str,
    args: &RouteArgs,
    rules: &CompiledRules,
    catalog: &Catalog,
) -> Result<String, String> {
    let routed = parse_request(line).and_then(|mut request| {
        request.prefer_cost |= args.prefer_cost;
        if args.exact_tokens {
            request.count_openai_tokens();
        }
        let decision = decide(&request, rules, catalog)?;
        let text = if args.explain {
            serde_json::to_string(&decision)?
        } else {
            serde_json::to_string(&Brief::from(&decision))?
        };
        Ok(text)
    });
    routed.map_err(|e| json!({ "line": n, "error": format!("{e:#}") }).to_string())
}

fn route_lines(
    path: &Path,
    args: &RouteArgs,
    rules: &CompiledRules,
    catalog: &Catalog,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let mut reader: Box<dyn BufRead> = if path == Path::new("-") {
        Box::new(BufReader::with_capacity(1 << 20, io::stdin()))
    } else {
        let file = fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Box::new(BufReader::with_capacity(1 << 20, file))
    };
    let threads = default_threads();
    let mut failed = 0usize;
    let mut next_line = 1usize;
    let mut block: Vec<(usize, String)> = Vec::with_capacity(BLOCK_LINES);
    let mut buf = Vec::new();
    let mut done = false;
    while !done {
        block.clear();
        while block.len() < BLOCK_LINES {
            buf.clear();
            if reader
                .by_ref()
                .read_until(b'\n', &mut buf)
                .with_context(|| format!("reading line {next_line}"))?
                == 0
            {
                done = true;
                break;
            }
            let n = next_line;
            next_line += 1;
            let line = String::from_utf8(std::mem::take(&mut buf))
                .with_context(|| format!("line {n} is not UTF-8"))?;
            if !line.trim().is_empty() {
                block.push((n, line));
            }
        }
        // One output line per request, errors included, so outputs stay aligned with inputs.
        let lines = map_ordered(&block, threads, |(n, line)| {
            route_line(*n, line, args, rules, catalog)
        });
        let mut text = String::with_capacity(
            lines
                .iter()
                .map(|l| l.as_ref().map_or_else(String::len, String::len) + 1)
                .sum(),
        );
        for line in &lines {
            match line {
                Ok(l) => text.push_str(l),
                Err(e) => {
                    failed += 1;
                    text.push_str(e);
                }
            }
            text.push('\n');
        }
        out.write_all(text.as_bytes())?;
    }
    out.flush()?;
    if failed > 0 {
        bail!("{failed} request(s) could not be routed");
    }
    Ok(())
}

/// `{"prompt": "..."}` or a whole request (`{"messages": [...]}`, optionally `prefer_cost`…).
fn parse_request(line: &str) -> anyhow::Result<Request> {
    /// The common line, `{"prompt": "..."}` with any other fields: read without building a
    /// JSON tree, which is most of the parsing time of a batch.
    #[derive(serde::Deserialize)]
    struct PromptLine {
        prompt: String,
    }
    if let Ok(line) = serde_json::from_str::<PromptLine>(line) {
        return Ok(Request::from_prompt(line.prompt));
    }
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
        assert_eq!(bundled.rule_set(), &presets::bundled_default());

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
            exact_tokens: false,
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
