//! `switchyard chat`: a thin caller of the engine's one send path. It streams the answer to
//! stdout and reports on stderr which model answered, the hops, tokens, cost and latency (or all
//! of it as one JSON object). Ctrl-C or SIGTERM stops the reply: what arrived is kept, saved and
//! billed as estimated.
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use clap::Args;
use serde_json::{json, Value};
use switchyard_engine::chat::attachments::NewAttachment;
use switchyard_engine::reply::{Hop, HopOutcome, Reply, ReplyStatus};
use switchyard_engine::send::{ChatEvent, Routing, SendMode, SendOptions, SendRequest, Source};
use switchyard_router::load;
use tokio_util::sync::CancellationToken;

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
    /// Continue this conversation (its id, as `--json` prints it) instead of starting one.
    #[arg(long, value_name = "ID")]
    pub conversation: Option<String>,
    /// Send this file with the prompt: an image (PNG, JPEG, WebP, GIF; only models that read
    /// images are then used) or a text file (put into the prompt under its name). Repeatable.
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// The prompt.
    pub prompt: String,
}

/// The files of `--attach`, read.
fn attachments(paths: &[PathBuf]) -> anyhow::Result<Vec<NewAttachment>> {
    paths
        .iter()
        .map(|path| {
            let bytes =
                std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
            let name = path.file_name().map_or_else(
                || path.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            Ok(NewAttachment::from_bytes(&name, &bytes))
        })
        .collect()
}

pub fn rule_file(path: &Path) -> anyhow::Result<Routing> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (rules, catalog) = load(&text).with_context(|| format!("rule file {}", path.display()))?;
    Ok(Routing::new(rules, catalog))
}

/// Cancels `token` on Ctrl-C or SIGTERM; resolves to the exit code the signal asks for.
fn stop_on_signals(token: CancellationToken) -> tokio::task::JoinHandle<u8> {
    tokio::spawn(async move {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            let code = tokio::select! {
                _ = tokio::signal::ctrl_c() => 130,
                _ = term.recv() => 143,
            };
            token.cancel();
            code
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            token.cancel();
            130
        }
    })
}

pub async fn run(args: ChatArgs, db: &Path) -> anyhow::Result<()> {
    let engine = crate::engine(db).await?;
    let mut options = SendOptions::from(Source::Cli);
    options.max_output_tokens = args.max_tokens;
    if let Some(path) = &args.rules {
        options.routing = Some(rule_file(path)?);
    }
    let request = SendRequest {
        conversation_id: args.conversation.clone(),
        text: args.prompt.clone(),
        model: args.model.clone(),
        mode: SendMode::New,
        model_once: false,
        system_prompt: None,
        attachments: attachments(&args.attach)?,
    };
    let cancel = CancellationToken::new();
    let signals = stop_on_signals(cancel.clone());
    let json_mode = args.json;
    let stdout = std::io::stdout();
    let sent = engine
        .send(
            request,
            options,
            |event| match event {
                ChatEvent::Text { delta } if !json_mode => {
                    let mut out = stdout.lock();
                    // A closed stdout (a pipe into `head`) must not stop the reply being recorded.
                    let _ = out.write_all(delta.as_bytes()).and_then(|()| out.flush());
                }
                ChatEvent::Hop { hop } if !json_mode => {
                    let message = hop.error.as_ref().map_or("", |e| e.message.as_str());
                    let next = hop
                        .retry_in_ms
                        .map_or(String::new(), |ms| format!("; retrying in {ms} ms"));
                    eprintln!("[{}: {message}{next}]", hop_label(&hop));
                }
                _ => {}
            },
            cancel.clone(),
        )
        .await?;
    engine.settings().store.close().await;
    let names: HashMap<String, String> = sent
        .message
        .provider
        .clone()
        .zip(sent.reply.provider.clone())
        .map(|(name, id)| (id, name))
        .into_iter()
        .collect();
    let why = format!(
        "rule '{}': {}",
        sent.decision.rule, sent.decision.trace.reason
    );
    let reply = &sent.reply;
    if json_mode {
        let mut summary = summary_json(reply, &names, &why);
        summary["conversation_id"] = json!(sent.message.conversation_id);
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        if !reply.text.is_empty() && !reply.text.ends_with('\n') {
            println!();
        }
        eprint!("{}", summary_text(reply, &names, &why));
    }
    if cancel.is_cancelled() {
        let code = signals.await.unwrap_or(130);
        std::process::exit(i32::from(code));
    }
    signals.abort();
    match (reply.status, &reply.error) {
        (ReplyStatus::Complete, _) => Ok(()),
        (_, Some(error)) => Err(anyhow::anyhow!(error.message.clone())).context(error.code),
        (_, None) => bail!("the reply did not complete"),
    }
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
        let total = i64::try_from(c.total.0).unwrap_or(i64::MAX);
        s.push_str(&format!(
            "cost:    {}\n",
            switchyard_engine::money::usd(total)
        ));
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
    use switchyard_engine::{ErrorCode, ErrorInfo};
    use switchyard_router::{Cost, Usage, Usd};

    use super::*;

    fn reply() -> Reply {
        let hop = |outcome, error: Option<&str>| Hop {
            model: if error.is_some() {
                "gpt-4o".into()
            } else {
                "claude-haiku".into()
            },
            provider: "p".into(),
            provider_name: "P".into(),
            attempt: 1,
            outcome,
            error: error.map(|_| ErrorInfo::new(ErrorCode::RateLimited, "m")),
            status: Some(429),
            latency_ms: 12,
            retry_in_ms: None,
        };
        Reply {
            status: ReplyStatus::Complete,
            model: Some("claude-haiku".into()),
            provider: Some("anthropic".into()),
            text: "hi".into(),
            tool_calls: Vec::new(),
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
        assert!(s.contains("cost:    $0.000048\n"), "{s}");
        assert!(s.contains("latency: 40 ms, first token 30 ms"), "{s}");
        // The app's one money format: two significant digits, not six decimals.
        let mut r = reply();
        r.cost = Some(Cost {
            total: Usd(4_720_000),
            ..Cost::default()
        });
        let s = summary_text(&r, &names, "why");
        assert!(s.contains("cost:    $0.0047\n"), "{s}");
    }

    #[test]
    fn the_json_summary_has_exact_cost_and_every_hop() {
        let mut r = reply();
        r.error = Some(ErrorInfo::new(ErrorCode::BudgetExceeded, "y"));
        let v = summary_json(&r, &HashMap::new(), "why");
        assert_eq!(v["cost_nano_usd"], 47_500);
        assert_eq!(v["hops"].as_array().unwrap().len(), 2);
        assert_eq!(v["hops"][0]["error"]["code"], "rate_limited");
        assert_eq!(v["usage"]["estimated"], true);
        assert_eq!(v["status"], "complete");
        assert_eq!(v["error"]["code"], "budget_exceeded");
    }
}
