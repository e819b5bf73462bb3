//! The rule file: rules, detector data, complexity weights and catalog in one TOML document —
//! what the app exports and imports and the CLI reads with `--rules`.
use serde::{Deserialize, Serialize};

use crate::bundled::default_catalog;
use crate::catalog::Catalog;
use crate::compiled::CompiledRules;
use crate::complexity::ComplexityConfig;
use crate::detector::DetectorConfig;
use crate::error::ConfigError;
use crate::presets;
use crate::rules::{Rule, RuleSet, Settings};
use crate::validate::validate;

/// The file's shape. Every section may be left out: a missing one takes the bundled default,
/// so a file holding only `[[rules]]` routes over the bundled catalog.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    settings: Option<Settings>,
    detector: Option<DetectorConfig>,
    complexity: Option<ComplexityConfig>,
    rules: Option<Vec<Rule>>,
    catalog: Option<Catalog>,
}

/// Parses and validates a rule file. Errors name the line (for TOML syntax and shape) or the
/// rule and field (for everything `validate` checks).
pub fn from_toml(text: &str) -> Result<(RuleSet, Catalog), ConfigError> {
    let file: RuleFile = toml::from_str(text).map_err(|e| ConfigError::Parse(e.to_string()))?;
    let defaults = presets::bundled_default();
    let set = RuleSet {
        settings: file.settings.unwrap_or(defaults.settings),
        detector: file.detector.unwrap_or(defaults.detector),
        complexity: file.complexity.unwrap_or(defaults.complexity),
        rules: file.rules.unwrap_or(defaults.rules),
    };
    let catalog = file.catalog.unwrap_or_else(default_catalog);
    let issues = validate(&set, &catalog);
    if issues.is_empty() {
        Ok((set, catalog))
    } else {
        Err(ConfigError::Invalid(issues))
    }
}

/// Writes rules and catalog as one TOML document that [`from_toml`] reads back unchanged.
pub fn to_toml(set: &RuleSet, catalog: &Catalog) -> Result<String, ConfigError> {
    let file = RuleFile {
        settings: Some(set.settings.clone()),
        detector: Some(set.detector.clone()),
        complexity: Some(set.complexity.clone()),
        rules: Some(set.rules.clone()),
        catalog: Some(catalog.clone()),
    };
    toml::to_string(&file).map_err(|e| ConfigError::Parse(e.to_string()))
}

/// Parses, validates and compiles a rule file, ready for `decide`.
pub fn load(text: &str) -> Result<(CompiledRules, Catalog), ConfigError> {
    let (set, catalog) = from_toml(text)?;
    let compiled = CompiledRules::new(set).map_err(ConfigError::Invalid)?;
    Ok((compiled, catalog))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::IssueKind;

    #[test]
    fn export_then_import_round_trips_every_preset() {
        for (name, set) in presets::all() {
            let catalog = default_catalog();
            let text = to_toml(&set, &catalog).unwrap();
            let (back, back_catalog) = from_toml(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(back, set, "{name}");
            assert_eq!(back_catalog, catalog, "{name}");
        }
    }

    #[test]
    fn a_file_with_only_rules_uses_the_bundled_catalog() {
        let text = r#"
            [[rules]]
            name = "code to sonnet"
            when = [{ task = ["code"] }, { tier = ["complex", "moderate"] }]
            then = { type = "chain", models = ["claude-sonnet-4", "gpt-4o"] }

            [[rules]]
            name = "rest"
            then = { type = "cheapest", min_quality = { trivial = 0.8, simple = 0.8, moderate = 0.9, complex = 0.95 }, providers = ["openai"] }
        "#;
        let (set, catalog) = from_toml(text).unwrap();
        assert_eq!(set.rules.len(), 2);
        assert!(catalog.get("gpt-4o").is_some());
    }

    fn issues(text: &str) -> Vec<(IssueKind, Option<String>, String)> {
        match from_toml(text) {
            Err(ConfigError::Invalid(v)) => {
                v.into_iter().map(|i| (i.kind, i.rule, i.field)).collect()
            }
            other => panic!("expected issues, got {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_rule_and_field() {
        let text = r#"
            [[rules]]
            name = "bad"
            when = [{ task = ["math"] }, { regex = "(" }]
            then = { type = "chain", models = ["gpt-4o", "no-such-model"] }

            [[rules]]
            name = "empty"
            then = { type = "chain", models = [] }

            [[rules]]
            name = "too picky"
            then = { type = "cheapest", min_quality = { trivial = 0.8, simple = 0.8, moderate = 0.9, complex = 1.0 } }
        "#;
        let found = issues(text);
        let has = |kind, rule: &str, field: &str| {
            found
                .iter()
                .any(|(k, r, f)| *k == kind && r.as_deref() == Some(rule) && f == field)
        };
        assert!(
            has(IssueKind::InvalidRegex, "bad", "when[1].regex"),
            "{found:?}"
        );
        assert!(
            has(IssueKind::UnknownModel, "bad", "then.models[1]"),
            "{found:?}"
        );
        assert!(
            has(IssueKind::EmptyChain, "empty", "then.models"),
            "{found:?}"
        );
        assert!(
            has(
                IssueKind::UnmeetableQuality,
                "too picky",
                "then.min_quality.complex"
            ),
            "{found:?}"
        );
        // "empty" has no conditions, so it always matches and "too picky" can never be reached.
        assert!(
            has(IssueKind::ShadowedRule, "too picky", "when"),
            "{found:?}"
        );
    }

    #[test]
    fn a_material_share_outside_zero_to_one_is_named() {
        let text = r#"
            [detector]
            material_share = 1.5
        "#;
        let found = issues(text);
        assert!(
            found.iter().any(|(k, r, f)| *k == IssueKind::InvalidValue
                && r.is_none()
                && f == "detector.material_share"),
            "{found:?}"
        );
        let fine = match from_toml("[detector]\nmaterial_share = 0.25\n") {
            Err(ConfigError::Invalid(v)) => v,
            _ => Vec::new(),
        };
        assert!(fine.iter().all(|i| i.field != "detector.material_share"));
    }

    #[test]
    fn a_narrower_rule_after_a_broader_one_is_shadowed() {
        let text = r#"
            [[rules]]
            name = "code"
            when = [{ task = ["code", "math"] }]
            then = { type = "chain", models = ["gpt-4o"] }

            [[rules]]
            name = "complex code"
            when = [{ task = ["code"] }, { tier = ["complex"] }]
            then = { type = "chain", models = ["o1"] }

            [[rules]]
            name = "default"
            then = { type = "chain", models = ["gpt-4o-mini"] }
        "#;
        let found = issues(text);
        assert_eq!(
            found,
            vec![(
                IssueKind::ShadowedRule,
                Some("complex code".into()),
                "when".into()
            )]
        );
    }

    #[test]
    fn not_toml_or_wrong_shape_is_a_parse_error_with_a_location() {
        let err = from_toml("rules = [[[").unwrap_err();
        assert!(matches!(err, ConfigError::Parse(_)));
        let err =
            from_toml("[[rules]]\nname = \"x\"\nthen = { type = \"teleport\" }\n").unwrap_err();
        let ConfigError::Parse(msg) = err else {
            panic!()
        };
        assert!(msg.contains("teleport") && msg.contains("line 3"), "{msg}");
        let err = from_toml("[[rules]]\nname = \"x\"\nwhen = [{ colour = \"red\" }]\nthen = { type = \"chain\", models = [\"gpt-4o\"] }\n");
        assert!(matches!(err, Err(ConfigError::Parse(_))));
    }
}
