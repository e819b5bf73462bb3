//! `switchyard tokens create|list|revoke`: the local endpoint's bearer tokens. A token's secret
//! is kept only in the keychain and printed once, when it is made.
use std::path::Path;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum TokensCommand {
    /// Make a token named NAME (the client name Spend shows) and print it once.
    Create { name: String },
    /// List the tokens by name.
    List,
    /// Revoke the token NAME: requests with it get 401.
    Revoke { name: String },
}

pub async fn run(cmd: TokensCommand, db: &Path) -> anyhow::Result<()> {
    match cmd {
        TokensCommand::Create { name } => {
            let settings = crate::settings(db).await?;
            let secret = switchyard_endpoint::tokens::create(&settings, &name).await?;
            eprintln!(
                "Token '{}' made. It is shown only now; keep it in the tool that will use it:",
                name.trim()
            );
            println!("{}", secret.expose());
        }
        TokensCommand::List => {
            if !db.exists() {
                println!("No tokens. Make one with `switchyard tokens create NAME`.");
                return Ok(());
            }
            let settings = crate::read_only_settings(db).await?;
            let tokens = switchyard_endpoint::tokens::list(&settings).await?;
            if tokens.is_empty() {
                println!("No tokens. Make one with `switchyard tokens create NAME`.");
            }
            for t in tokens {
                println!("{}\tmade {}", t.name, t.created_at);
            }
        }
        TokensCommand::Revoke { name } => {
            let settings = crate::settings(db).await?;
            switchyard_endpoint::tokens::revoke(&settings, &name).await?;
            eprintln!("Token '{}' revoked.", name.trim());
        }
    }
    Ok(())
}
