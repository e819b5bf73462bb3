//! Decisions end to end: the SmartRouter preset's table, prefer_cost, tags, the cost-aware action, context
//! exclusion, and the trace that explains them.
use switchyard_router::{
    decide, default_catalog, load, presets, CandidateStatus, CompiledRules, Request, RuleOutcome,
    Task, Tier,
};

fn smart() -> CompiledRules {
    CompiledRules::new(presets::smart_router()).unwrap()
}

#[test]
fn the_default_rules_follow_the_smart_router_table() {
    let catalog = default_catalog();
    let d = decide(
        &Request::from_prompt("Write a C++ program to find the nth Fibonacci number."),
        &smart(),
        &catalog,
    )
    .unwrap();
    assert_eq!(d.task, Task::Code);
    assert_eq!(d.model, "claude-opus-4");
    assert_eq!(d.fallbacks, vec!["gpt-4o", "deepseek-v3"]);
    assert_eq!(d.rule, "code");
    assert_eq!(d.api_model, "claude-opus-4-20250514");
    let d = decide(
        &Request::from_prompt("Summarize this meeting in two lines."),
        &smart(),
        &catalog,
    )
    .unwrap();
    assert_eq!(
        (d.task, d.model.as_str()),
        (Task::Summarization, "claude-haiku")
    );
}

#[test]
fn the_trace_explains_rules_tried_and_candidates() {
    let catalog = default_catalog();
    let d = decide(
        &Request::from_prompt("Draft a short email to my landlord."),
        &smart(),
        &catalog,
    )
    .unwrap();
    let t = &d.trace;
    assert_eq!(t.tasks.task, Task::Writing);
    assert_eq!(t.complexity.factors.len(), 18);
    // reasoning, math and code were tried and did not match; writing matched.
    let outcomes: Vec<_> = t
        .rules
        .iter()
        .map(|r| (r.rule.as_str(), r.outcome))
        .collect();
    assert_eq!(outcomes[0], ("reasoning", RuleOutcome::NotMatched));
    assert!(t.rules[0].detail.contains("task is writing"));
    assert_eq!(outcomes.last().unwrap(), &("writing", RuleOutcome::Matched));
    assert_eq!(t.candidates[0].status, CandidateStatus::Chosen);
    assert!(t.candidates.iter().all(|c| c.estimated_cost_usd.0 > 0));
    assert!(!t.reason.is_empty());
    assert!(d.estimated_cost_usd == t.candidates[0].estimated_cost_usd);
}

#[test]
fn prefer_cost_starts_the_chain_at_its_cheapest_member() {
    let catalog = default_catalog();
    let mut request = Request::from_prompt("Write a poem about the sea.");
    request.prefer_cost = true;
    let d = decide(&request, &smart(), &catalog).unwrap();
    // claude-sonnet-4, gpt-4o-mini, gemini-flash: gemini-flash is the cheapest.
    assert_eq!(d.model, "gemini-flash");
    assert_eq!(d.fallbacks, vec!["claude-sonnet-4", "gpt-4o-mini"]);
    assert!(d.trace.reason.contains("prefer_cost"));
}

#[test]
fn tags_force_the_task_or_the_model() {
    let catalog = default_catalog();
    let d = decide(
        &Request::from_prompt("#math tell me a story"),
        &smart(),
        &catalog,
    )
    .unwrap();
    assert_eq!((d.task, d.model.as_str()), (Task::Math, "o1"));
    let d = decide(
        &Request::from_prompt("@gpt-4.1-nano write a poem"),
        &smart(),
        &catalog,
    )
    .unwrap();
    assert_eq!(
        (d.model.as_str(), d.rule.as_str()),
        ("gpt-4.1-nano", "@model tag")
    );
}

#[test]
fn a_model_whose_context_is_too_small_is_skipped() {
    let catalog = default_catalog();
    // ~150k tokens: over gpt-4o's 128k window, inside claude-opus-4's 200k.
    let text = format!(
        "Analyze the following: {}",
        "data point here ".repeat(37_500)
    );
    let d = decide(&Request::from_prompt(text), &smart(), &catalog).unwrap();
    assert_eq!(d.task, Task::Analysis);
    // analysis: gpt-4o (128k) is excluded, claude-sonnet-4 (200k) answers.
    assert_eq!(d.model, "claude-sonnet-4");
    let excluded = d
        .trace
        .candidates
        .iter()
        .find(|c| c.model == "gpt-4o")
        .unwrap();
    assert_eq!(excluded.status, CandidateStatus::Excluded);
    assert!(excluded.note.contains("context window"));
}

#[test]
fn cheapest_action_meets_the_tier_bound_within_providers() {
    let text = r#"
        [[rules]]
        name = "anthropic only"
        when = [{ keywords = ["anthropic"] }]
        then = { type = "cheapest", providers = ["anthropic"], min_quality = { trivial = 0.9, simple = 0.9, moderate = 0.9, complex = 0.9 } }

        [[rules]]
        name = "cost aware"
        then = { type = "cheapest", min_quality = { trivial = 0.80, simple = 0.80, moderate = 0.90, complex = 0.95 } }
    "#;
    let (rules, catalog) = load(text).unwrap();
    let d = decide(&Request::from_prompt("hi"), &rules, &catalog).unwrap();
    assert_eq!(d.complexity.tier, Tier::Trivial);
    let chosen = catalog.get(&d.model).unwrap();
    assert!(chosen.quality >= 0.80);
    // Nothing cheaper that meets the bound was passed over.
    for c in &d.trace.candidates {
        if c.status != CandidateStatus::Excluded {
            assert!(c.estimated_cost_usd >= d.estimated_cost_usd, "{}", c.model);
        }
    }
    assert_eq!(d.fallbacks.len(), 2);
    let d = decide(&Request::from_prompt("ask anthropic"), &rules, &catalog).unwrap();
    assert_eq!(d.provider, "anthropic");
    assert!(catalog.get(&d.model).unwrap().quality >= 0.9);
}

#[test]
fn when_every_rule_model_is_disabled_the_cheapest_fitting_model_answers() {
    let mut catalog = default_catalog();
    for m in &mut catalog.models {
        m.enabled = m.id == "llama-3.1-8b-instant";
    }
    let d = decide(&Request::from_prompt("Write a haiku"), &smart(), &catalog).unwrap();
    assert_eq!(
        (d.model.as_str(), d.rule.as_str()),
        ("llama-3.1-8b-instant", "last resort")
    );
    assert!(d
        .trace
        .rules
        .iter()
        .any(|r| r.outcome == RuleOutcome::NoUsableModel));
}

fn with_system(system: &str, user: &str) -> Request {
    let mut r = Request::from_prompt(user);
    r.messages.insert(
        0,
        switchyard_router::Message {
            role: "system".into(),
            content: system.into(),
            ..Default::default()
        },
    );
    r
}

#[test]
fn the_system_prompt_is_read_for_the_task_and_shown_in_the_trace() {
    let catalog = default_catalog();
    let rules = smart();
    let user = "The weather is lovely today and every train is on time.";
    let plain = decide(&Request::from_prompt(user), &rules, &catalog).unwrap();
    assert_ne!(plain.task, Task::Translation);
    assert_eq!(plain.trace.system_prompt, None);

    let system =
        "You are a professional translator. Translate everything the user writes into German.";
    let d = decide(&with_system(system, user), &rules, &catalog).unwrap();
    assert_eq!(d.task, Task::Translation);
    assert_eq!(d.trace.system_prompt.as_deref(), Some(system));
    let translation = d
        .trace
        .tasks
        .scores
        .iter()
        .find(|s| s.task == Task::Translation)
        .unwrap();
    assert!(translation
        .evidence
        .iter()
        .any(|e| e.signal == "system prompt"));

    // The user's own ask outweighs the assistant's standing role.
    let d = decide(
        &with_system(
            "You are an expert Python programmer who writes clean code.",
            "Translate 'good morning, see you at the station' into French.",
        ),
        &rules,
        &catalog,
    )
    .unwrap();
    assert_eq!(d.task, Task::Translation);
    // And a #tag still forces the task.
    let d = decide(
        &with_system(system, "#code reverse a list"),
        &rules,
        &catalog,
    )
    .unwrap();
    assert_eq!(d.task, Task::Code);
}

/// With an image in the conversation only models that read images are considered: the summary
/// that goes to Claude 3.5 Haiku (text only) goes to the next model of the chain, and the trace
/// says why Haiku was left out; images count toward the prompt estimate.
#[test]
fn an_image_routes_only_to_models_that_read_images() {
    let catalog = default_catalog();
    let text = Request::from_prompt("Summarize this meeting in two lines.");
    let mut with_image = text.clone();
    with_image.images = 1;
    let plain = decide(&text, &smart(), &catalog).unwrap();
    assert_eq!(plain.model, "claude-haiku");
    let d = decide(&with_image, &smart(), &catalog).unwrap();
    assert_eq!(d.model, "gemini-flash");
    assert!(catalog.get(&d.model).unwrap().vision);
    assert!(
        d.fallbacks.iter().all(|m| catalog.get(m).unwrap().vision),
        "{:?}",
        d.fallbacks
    );
    let haiku = d
        .trace
        .candidates
        .iter()
        .find(|c| c.model == "claude-haiku")
        .unwrap();
    assert_eq!(haiku.status, CandidateStatus::Excluded);
    assert_eq!(
        haiku.note,
        "cannot read images (the conversation has an image)"
    );
    assert_eq!(
        d.prompt_tokens,
        plain.prompt_tokens + switchyard_router::tokens::PER_IMAGE
    );
}

/// A request that offers tools considers only models that can call them: the summary that goes
/// to Claude 3.5 Haiku goes elsewhere when Haiku cannot, and the trace says why; without tools
/// nothing changes.
#[test]
fn a_request_with_tools_routes_only_to_models_that_call_tools() {
    let mut catalog = default_catalog();
    assert!(catalog.models.iter().filter(|m| m.tools).count() > 20);
    let text = Request::from_prompt("Summarize this meeting in two lines.");
    let mut with_tools = text.clone();
    with_tools.tools = true;
    assert_eq!(
        decide(&with_tools, &smart(), &catalog).unwrap().model,
        "claude-haiku"
    );
    catalog
        .models
        .iter_mut()
        .find(|m| m.id == "claude-haiku")
        .unwrap()
        .tools = false;
    assert_eq!(
        decide(&text, &smart(), &catalog).unwrap().model,
        "claude-haiku"
    );
    let d = decide(&with_tools, &smart(), &catalog).unwrap();
    assert_ne!(d.model, "claude-haiku");
    assert!(catalog.get(&d.model).unwrap().tools);
    assert!(d.fallbacks.iter().all(|m| catalog.get(m).unwrap().tools));
    let haiku = d
        .trace
        .candidates
        .iter()
        .find(|c| c.model == "claude-haiku")
        .unwrap();
    assert_eq!(haiku.status, CandidateStatus::Excluded);
    assert_eq!(haiku.note, "cannot call tools (the request offers tools)");
    // The bundled catalog's DeepSeek reasoner takes no tools.
    assert!(!default_catalog().get("deepseek-r1").unwrap().tools);
}

#[test]
fn keyword_conditions_each_hold_on_their_own_keywords() {
    // The keywords of every rule share one matcher, read once per decision: each condition
    // still holds only on its own words, whole words, any case, a plural allowed.
    let text = r#"
        [[rules]]
        name = "invoices"
        when = [{ keywords = ["invoice", "receipt"] }, { keywords = ["urgent"] }]
        then = { type = "chain", models = ["gpt-4o"] }

        [[rules]]
        name = "poems"
        when = [{ keywords = ["poem", "haiku"] }]
        then = { type = "chain", models = ["claude-haiku"] }

        [[rules]]
        name = "receipts"
        when = [{ keywords = ["receipt"] }]
        then = { type = "chain", models = ["gpt-4o-mini"] }

        [[rules]]
        name = "default"
        then = { type = "chain", models = ["deepseek-v3"] }
    "#;
    let (rules, catalog) = load(text).unwrap();
    let rule = |prompt: &str| decide(&Request::from_prompt(prompt), &rules, &catalog).unwrap();
    assert_eq!(rule("URGENT: two Invoices to pay").rule, "invoices");
    let d = rule("Scan these receipts");
    assert_eq!(d.rule, "receipts");
    let first = &d.trace.rules[0];
    assert_eq!(
        (first.outcome, first.detail.as_str()),
        (RuleOutcome::NotMatched, "no keywords match")
    );
    assert_eq!(rule("a Haiku about an urgent receipt").rule, "invoices");
    assert_eq!(rule("write haikus").rule, "poems");
    assert_eq!(rule("poetry, receipted, urgently").rule, "default");
}
