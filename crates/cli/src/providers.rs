//! `switchyard providers list|add|remove`.
use std::path::Path;

use clap::{Subcommand, ValueEnum};
use switchyard_engine::provider::{presets, KeyInfo, ProviderInput, ProviderKind};

#[derive(Subcommand)]
pub enum ProvidersCommand {
    /// Show every provider, whether it is enabled, and whether it has a key.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Add a provider. The key is set separately: `switchyard keys set NAME`.
    Add {
        #[arg(long, value_enum)]
        kind: Kind,
        #[arg(long)]
        name: String,
        /// Defaults to the kind's public endpoint; required for openai-compatible.
        #[arg(long)]
        base_url: Option<String>,
        /// An extra header sent with every request, as `Name: value`. Repeatable. Values of
        /// credential headers (Authorization, cookies, names with token, secret or key) are
        /// kept in the system keychain.
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
    },
    /// Remove a provider and its key.
    Remove { name: String },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Kind {
    Openai,
    Anthropic,
    Gemini,
    OpenaiCompatible,
}

impl From<Kind> for ProviderKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Openai => ProviderKind::Openai,
            Kind::Anthropic => ProviderKind::Anthropic,
            Kind::Gemini => ProviderKind::Gemini,
            Kind::OpenaiCompatible => ProviderKind::OpenaiCompatible,
        }
    }
}

/// `Name: value`; whether the value is secret (kept in the keychain) follows the name.
fn parse_header(raw: &str) -> anyhow::Result<switchyard_engine::provider::HeaderInput> {
    let (name, value) = raw
        .split_once(':')
        .ok_or_else(|| anyhow::anyhow!("--header '{raw}' must look like 'Name: value'"))?;
    Ok(switchyard_engine::provider::HeaderInput {
        name: name.trim().into(),
        value: value.trim().into(),
        secret: None,
    })
}

/// `s` as one word for a POSIX shell: as is when it holds only characters no shell treats
/// specially, else in single quotes (a `'` inside becomes `'\''`).
pub fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// `providers list`: reads only, and a database that does not exist yet simply has no
/// providers (nothing is created).
async fn list(json: bool, db: &Path) -> anyhow::Result<()> {
    let list = if db.exists() {
        let settings = crate::read_only_settings(db).await?;
        let list = settings.list().await?;
        settings.store.close().await;
        list
    } else {
        Vec::new()
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&list)?);
    } else if list.is_empty() {
        println!(
            "No providers. Add one with `switchyard providers add --kind openai --name OpenAI`."
        );
    } else {
        println!(
            "{:<20} {:<18} {:<8} {:<12} BASE URL",
            "NAME", "KIND", "ENABLED", "KEY"
        );
        for p in list {
            let key = match &p.key {
                KeyInfo::Set { last4 } => format!("••••{last4}"),
                KeyInfo::Missing => "none".into(),
                KeyInfo::Unavailable { .. } => "unavailable".into(),
            };
            let enabled = if p.enabled { "yes" } else { "no" };
            println!(
                "{:<20} {:<18} {:<8} {:<12} {}",
                p.name,
                p.kind.as_str(),
                enabled,
                key,
                p.base_url
            );
        }
    }
    Ok(())
}

pub async fn run(cmd: ProvidersCommand, db: &Path) -> anyhow::Result<()> {
    if let ProvidersCommand::List { json } = cmd {
        return list(json, db).await;
    }
    let settings = crate::settings(db).await?;
    match cmd {
        ProvidersCommand::List { .. } => unreachable!("handled above"),
        ProvidersCommand::Add {
            kind,
            name,
            base_url,
            headers,
        } => {
            let kind = ProviderKind::from(kind);
            let preset = presets()
                .into_iter()
                .find(|p| p.kind == kind && p.kind != ProviderKind::OpenaiCompatible)
                .map(|p| p.id)
                .unwrap_or_else(|| "custom".into());
            let base_url = match base_url {
                Some(u) => u,
                None if kind == ProviderKind::OpenaiCompatible => anyhow::bail!(
                    "--base-url is required for openai-compatible providers (e.g. http://localhost:11434/v1 for Ollama)"
                ),
                None => kind.default_base_url().to_string(),
            };
            let headers = headers
                .iter()
                .map(|h| parse_header(h))
                .collect::<anyhow::Result<_>>()?;
            let input = ProviderInput {
                name,
                kind,
                preset,
                base_url,
                headers,
                enabled: true,
            };
            let p = settings.add(input, None).await?;
            println!(
                "Added {} ({}). Set its key with: switchyard keys set {}",
                p.name,
                p.kind.as_str(),
                shell_quote(&p.name)
            );
        }
        ProvidersCommand::Remove { name } => {
            let row = settings.store.find_provider(&name).await?;
            match settings.remove(&row.id).await? {
                None => println!("Removed {} and its key.", row.name),
                Some(warning) => eprintln!("warning: {warning}"),
            }
        }
    }
    settings.store.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn names_are_quoted_for_the_shell_only_when_needed() {
        assert_eq!(shell_quote("Claude"), "Claude");
        assert_eq!(shell_quote("Work OpenAI"), "'Work OpenAI'");
        assert_eq!(shell_quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(shell_quote("Bob's `x`"), "'Bob'\\''s `x`'");
        assert_eq!(shell_quote(""), "''");
    }
}
