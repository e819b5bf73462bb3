//! Any input yields a decision whose model is enabled and fits its context window, or a typed
//! error; never a panic.
use proptest::prelude::*;
use switchyard_router::{
    decide, default_catalog, fits_context, from_toml, presets, Catalog, CompiledRules, Message,
    Request, RouteError,
};

fn check(request: &Request, rules: &CompiledRules, catalog: &Catalog) -> Result<(), TestCaseError> {
    match decide(request, rules, catalog) {
        Ok(d) => {
            let model = catalog
                .get(&d.model)
                .expect("the chosen model is in the catalog");
            prop_assert!(model.enabled, "{} is disabled", d.model);
            let output = request.max_output_tokens.unwrap_or(0);
            prop_assert!(
                fits_context(model, d.prompt_tokens, output),
                "{} does not fit",
                d.model
            );
            for f in &d.fallbacks {
                prop_assert!(catalog.get(f).is_some_and(|m| m.enabled), "fallback {f}");
            }
        }
        Err(RouteError::EmptyConversation) => prop_assert!(request.messages.is_empty()),
        Err(RouteError::NoEnabledModel) => prop_assert!(catalog.enabled().next().is_none()),
        Err(RouteError::NoModelFits { .. }) => {}
    }
    Ok(())
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop_oneof!["user", "assistant", "system", ".*"],
        any::<String>(),
    )
        .prop_map(|(role, content)| Message {
            role: role.to_string(),
            content,
            ..Default::default()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_conversation_gets_a_sound_decision(
        messages in prop::collection::vec(message(), 0..14),
        prefer_cost in any::<bool>(),
        max_output in prop::option::of(0u32..2_000_000),
        cached in any::<u32>(),
        preset in 0usize..4,
    ) {
        let (_, set) = presets::all().swap_remove(preset);
        let rules = CompiledRules::new(set).unwrap();
        let request = Request { messages, prefer_cost, max_output_tokens: max_output, cached_prompt_tokens: cached, openai_prompt_tokens: None, ..Request::default() };
        check(&request, &rules, &default_catalog())?;
    }

    #[test]
    fn any_catalog_subset_and_tags(
        enabled in prop::collection::vec(any::<bool>(), 30),
        windows in prop::collection::vec(1u32..300_000, 30),
        text in "(#[a-z]{2,6} |@[a-z0-9.-]{2,12} |[ -~]{0,40})*",
    ) {
        let mut catalog = default_catalog();
        for ((m, on), w) in catalog.models.iter_mut().zip(&enabled).zip(&windows) {
            m.enabled = *on;
            m.context_window = *w;
        }
        let rules = CompiledRules::new(presets::smart_router()).unwrap();
        check(&Request::from_prompt(text), &rules, &catalog)?;
    }

    #[test]
    fn any_rule_file_text_parses_or_errors(text in any::<String>()) {
        // Arbitrary text is almost never a valid rule file; the point is it never panics.
        let _ = from_toml(&text);
    }
}

#[test]
fn a_one_megabyte_prompt_goes_to_a_model_that_fits() {
    let rules = CompiledRules::new(presets::smart_router()).unwrap();
    let catalog = default_catalog();
    let request = Request::from_prompt("Summarize this. ".repeat(65_536));
    let d = decide(&request, &rules, &catalog).unwrap();
    let model = catalog.get(&d.model).unwrap();
    assert!(
        model.context_window as u64 >= d.prompt_tokens as u64,
        "{}",
        d.model
    );
    assert!(d.prompt_tokens > 200_000);
}

#[test]
fn empty_prompt_and_empty_conversation() {
    let rules = CompiledRules::new(presets::smart_router()).unwrap();
    let catalog = default_catalog();
    assert_eq!(
        decide(&Request::default(), &rules, &catalog).unwrap_err(),
        RouteError::EmptyConversation
    );
    // An empty prompt says nothing: the default task, writing.
    let d = decide(&Request::from_prompt(""), &rules, &catalog).unwrap();
    assert_eq!(
        (d.rule.as_str(), d.model.as_str()),
        ("writing", "claude-sonnet-4")
    );
}
