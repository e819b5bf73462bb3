//! `switchyard chat`: route a prompt, stream the answer to stdout, and report on stderr which
//! model answered, the hops, tokens, cost and latency (or all of it as one JSON object).
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use serde_json::{json, Value};
use switchyard_engine::budget::Budgets;
use switchyard_engine::chat::ledger;
use switchyard_engine::execute::plan::chain;
use switchyard_engine::execute::{
    Executor, Hop, HopOutcome, Plan, Policy, Reply, ReplyEvent, ReplyStatus,
};
use switchyard_engine::settings::Settings;
use switchyard_router::{decide, load, Catalog, CompiledRules, Decision, Request};

#[derive(Args, Debug)]
pub struct ChatArgs {
    /// `auto` lets the router choose (with its fallbacks); a catalog model id asks for that model.
    #[arg(long, default_value = "auto")]
    pub model: String,
    /// A TOML rule file (rules and catalog); without it, the routing saved in the database.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Print one JSON object at the end instead of streaming text.
    #[arg(long)]
    pub json: bool,
    /// Limit the reply to this many tokens.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u32>,
    /// The prompt.
    pub prompt: String,
}

/// The models to try, and why.
struct Route {
    chain: Vec<String>,
    why: String,
    /// The router's decision (its task and rule go into the ledger); none with `--model`.
    decision: Option<Decision>,
}

fn route(
    args: &ChatArgs,
    request: &Request,
    rules: &CompiledRules,
    catalog: &Catalog,
) -> anyhow::Result<Route> {
    if args.model != "auto" {
        let Some(model) = catalog.find(&args.model) else {
            bail!("'{}' is not in the model catalog; `switchyard route --explain` lists the candidates", args.model);
        };
        return Ok(Route {
            chain: vec![model.id.clone()],
            why: "chosen with --model".into(),
            decision: None,
        });
    }
    let decision = decide(request, rules, catalog)?;
    Ok(Route {
        chain: chain(&decision),
        why: format!("rule '{}': {}", decision.rule, decision.trace.reason),
        decision: Some(decision),
    })
}

/// The rules and catalog: from `--rules FILE`, else the routing saved in the database (the
/// app's, or the bundled defaults when none was saved).
async fn routing(args: &ChatArgs, settings: &Settings) -> anyhow::Result<(CompiledRules, Catalog)> {
    if let Some(path) = &args.rules {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        return load(&text).with_context(|| format!("rule file {}", path.display()));
    }
    let (set, catalog) = settings.store.routing().await?;
    let rules = CompiledRules::new(set)
        .map_err(|issues| anyhow::anyhow!("the saved rules are invalid: {issues:?}"))?;
    Ok((rules, catalog))
}

pub async fn run(args: ChatArgs, db: &Path) -> anyhow::Result<()> {
    let settings = crate::settings(db).await?;
    let (rules, catalog) = routing(&args, &settings).await?;
    let mut request = Request::from_prompt(args.prompt.clone());
    // The reply shows a cost, so the decision gets an exact OpenAI token count.
    request.count_openai_tokens();
    let mut route = route(&args, &request, &rules, &catalog)?;
    // The budgets hold for the CLI as for the app: checked before every hop.
    let budgets = Budgets::new(settings.store.clone());
    budgets.extend_chain(&mut route.chain, &catalog).await?;
    let gate = budgets.gate(catalog.clone());

    let plan = Plan::from_settings(&settings, &route.chain, &catalog).await?;
    let names: HashMap<String, String> = plan
        .targets
        .iter()
        .map(|t| (t.provider.id.clone(), t.provider.name.clone()))
        .collect();

    let executor = Executor::new(Policy::default())?;
    let stdout = std::io::stdout();
    let json_mode = args.json;
    let reply = executor
        .run_gated(
            &plan,
            &request.messages,
            args.max_tokens,
            Some(&gate),
            |event| match event {
                ReplyEvent::Text { delta } if !json_mode => {
                    let mut out = stdout.lock();
                    // A closed stdout (a pipe into `head`) must not stop the reply being recorded.
                    let _ = out.write_all(delta.as_bytes()).and_then(|()| out.flush());
                }
                ReplyEvent::Hop { hop } if !json_mode => {
                    let message = hop.error.as_ref().map_or("", |e| e.message.as_str());
                    let next = hop
                        .retry_in_ms
                        .map_or(String::new(), |ms| format!("; retrying in {ms} ms"));
                    eprintln!("[{}: {message}{next}]", hop_label(&hop));
                }
                _ => {}
            },
        )
        .await;
    record(&settings, &reply, route.decision.as_ref(), &catalog).await?;
    drop(gate);
    settings.store.close().await;

    if json_mode {
        println!(
            "{}",
            serde_json::to_string_pretty(&summary_json(&reply, &names, &route.why))?
        );
    } else {
        if !reply.text.is_empty() && !reply.text.ends_with('\n') {
            println!();
        }
        eprint!("{}", summary_text(&reply, &names, &route.why));
    }
    match (reply.status, reply.error) {
        (ReplyStatus::Complete, _) => Ok(()),
        (_, Some(error)) => Err(anyhow::anyhow!(error.message)).context(error.code),
        (_, None) => bail!("the reply did not complete"),
    }
}

/// Writes the reply's ledger rows exactly as the app does, marked as coming from the CLI.
async fn record(
    settings: &Settings,
    reply: &Reply,
    decision: Option<&Decision>,
    catalog: &Catalog,
) -> anyhow::Result<()> {
    let store = &settings.store;
    let providers = store.list_providers().await?;
    let baseline = store.baseline_setting().await?;
    let cx = ledger::Context {
        source: "cli",
        conversation_id: None,
        message_id: None,
        decision,
        catalog,
        baseline: baseline.as_deref(),
        providers: &providers,
        stopped: false,
    };
    store.record_usage(&ledger::rows(reply, &cx)).await?;
    Ok(())
}

/// `gpt-4o failed: rate_limited`, `claude-haiku answered`.
fn hop_label(h: &Hop) -> String {
    let outcome = match h.outcome {
        HopOutcome::Answered => "answered",
        HopOutcome::Partial => "stopped mid-reply",
        HopOutcome::Failed => "failed",
        HopOutcome::Skipped => "skipped",
    };
    match &h.error {
        Some(e) => format!("{} {outcome}: {}", h.model, e.code),
        None => format!("{} {outcome}", h.model),
    }
}

fn hops_line(reply: &Reply) -> String {
    reply
        .hops
        .iter()
        .map(|h| format!("{} ({} ms)", hop_label(h), h.latency_ms))
        .collect::<Vec<_>>()
        .join(" → ")
}

/// What a person reads on stderr after the reply.
fn summary_text(reply: &Reply, names: &HashMap<String, String>, why: &str) -> String {
    let mut s = String::new();
    let model = reply.model.as_deref().unwrap_or("none");
    let provider = reply
        .provider
        .as_ref()
        .map_or("-", |id| names.get(id).unwrap_or(id));
    s.push_str(&format!("model:   {model} via {provider} ({why})\n"));
    s.push_str(&format!("hops:    {}\n", hops_line(reply)));
    if let Some(u) = reply.usage {
        let estimated = if u.estimated { " (estimated)" } else { "" };
        s.push_str(&format!(
            "tokens:  {} in ({} cached), {} out ({} reasoning){estimated}\n",
            u.input_tokens, u.cached_input_tokens, u.output_tokens, u.reasoning_tokens
        ));
    }
    if let Some(c) = reply.cost {
        s.push_str(&format!("cost:    {}\n", c.total));
    }
    let first = reply
        .first_token_ms
        .map_or(String::new(), |ms| format!(", first token {ms} ms"));
    s.push_str(&format!("latency: {} ms{first}\n", reply.latency_ms));
    s
}

/// The `--json` object: the reply's fields, with the cost in dollars and in nano-dollars.
fn summary_json(reply: &Reply, names: &HashMap<String, String>, why: &str) -> Value {
    json!({
        "status": reply.status,
        "model": reply.model,
        "provider": reply.provider,
        "provider_name": reply.provider.as_ref().and_then(|id| names.get(id)),
        "why": why,
        "text": reply.text,
        "finish": reply.finish,
        "hops": reply.hops,
        "usage": reply.usage,
        "cost_usd": reply.cost.map(|c| c.total.dollars()),
        "cost_nano_usd": reply.cost.map(|c| c.total.0),
        "latency_ms": reply.latency_ms,
        "first_token_ms": reply.first_token_ms,
        "error": reply.error,
        "failing_keys": reply.failing_keys,
    })
}

#[cfg(test)]
mod tests {
    use switchyard_engine::execute::{Hop, HopError, ReplyError};
    use switchyard_engine::usage::{Cost, Usage};
    use switchyard_router::Usd;

    use super::*;

    fn reply() -> Reply {
        let hop = |outcome, error: Option<&str>| Hop {
            model: if error.is_some() {
                "gpt-4o".into()
            } else {
                "claude-haiku".into()
            },
            provider: "p".into(),
            attempt: 1,
            outcome,
            error: error.map(|code| HopError {
                code: code.into(),
                message: "m".into(),
                status: Some(429),
            }),
            latency_ms: 12,
            retry_in_ms: None,
        };
        Reply {
            status: ReplyStatus::Complete,
            model: Some("claude-haiku".into()),
            provider: Some("anthropic".into()),
            text: "hi".into(),
            finish: None,
            usage: Some(Usage {
                input_tokens: 10,
                output_tokens: 5,
                cached_input_tokens: 2,
                reasoning_tokens: 0,
                estimated: true,
            }),
            cost: Some(Cost {
                total: Usd(47_500),
                ..Cost::default()
            }),
            hops: vec![
                hop(HopOutcome::Failed, Some("rate_limited")),
                hop(HopOutcome::Answered, None),
            ],
            latency_ms: 40,
            first_token_ms: Some(30),
            error: None,
            failing_keys: vec![],
        }
    }

    #[test]
    fn the_text_summary_names_model_hops_tokens_cost_and_latency() {
        let names = HashMap::from([("anthropic".to_string(), "Claude".to_string())]);
        let s = summary_text(&reply(), &names, "rule 'x': cheap");
        assert!(
            s.contains("model:   claude-haiku via Claude (rule 'x': cheap)"),
            "{s}"
        );
        assert!(
            s.contains("gpt-4o failed: rate_limited (12 ms) → claude-haiku answered (12 ms)"),
            "{s}"
        );
        assert!(
            s.contains("10 in (2 cached), 5 out (0 reasoning) (estimated)"),
            "{s}"
        );
        assert!(s.contains("cost:    $0.000048"), "{s}");
        assert!(s.contains("latency: 40 ms, first token 30 ms"), "{s}");
    }

    #[test]
    fn the_json_summary_has_exact_cost_and_every_hop() {
        let mut r = reply();
        r.error = Some(ReplyError {
            code: "x".into(),
            message: "y".into(),
        });
        let v = summary_json(&r, &HashMap::new(), "why");
        assert_eq!(v["cost_nano_usd"], 47_500);
        assert_eq!(v["hops"].as_array().unwrap().len(), 2);
        assert_eq!(v["hops"][0]["error"]["code"], "rate_limited");
        assert_eq!(v["usage"]["estimated"], true);
        assert_eq!(v["status"], "complete");
        assert_eq!(v["error"]["code"], "x");
    }
}
