//! `switchyard keys set|list|delete`. Keys are read from standard input, never from arguments,
//! so they stay out of shell history and the process list.
use std::io::{IsTerminal, Read};
use std::path::Path;

use clap::Subcommand;
use switchyard_engine::provider::KeyInfo;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Store PROVIDER's key, read from standard input, in the system keychain.
    Set { provider: String },
    /// Show which providers have a key (only the last four characters).
    List,
    /// Delete PROVIDER's key from the keychain.
    Delete { provider: String },
}

fn read_key() -> anyhow::Result<String> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("Paste the API key, then press Enter and Ctrl-D:");
    }
    let mut key = String::new();
    stdin.read_to_string(&mut key)?;
    Ok(key)
}

/// `keys list`: reads only; a database that does not exist yet has no providers.
async fn list(db: &Path) -> anyhow::Result<()> {
    if !db.exists() {
        println!("No providers. Add one with `switchyard providers add`.");
        return Ok(());
    }
    let settings = crate::read_only_settings(db).await?;
    for p in settings.list().await? {
        let state = match &p.key {
            KeyInfo::Set { last4 } => format!("set (••••{last4})"),
            KeyInfo::Missing => "missing".into(),
            KeyInfo::Unavailable { reason } => format!("unavailable: {reason}"),
        };
        println!("{:<20} {state}", p.name);
    }
    settings.store.close().await;
    Ok(())
}

pub async fn run(cmd: KeysCommand, db: &Path) -> anyhow::Result<()> {
    if let KeysCommand::List = cmd {
        return list(db).await;
    }
    let settings = crate::settings(db).await?;
    match cmd {
        KeysCommand::Set { provider } => {
            let row = settings.store.find_provider(&provider).await?;
            let p = settings.set_key(&row.id, read_key()?).await?;
            if let KeyInfo::Set { last4 } = &p.key {
                println!(
                    "Stored the key for {} in the system keychain (ends in {last4}).",
                    p.name
                );
            }
        }
        KeysCommand::List => unreachable!("handled above"),
        KeysCommand::Delete { provider } => {
            let row = settings.store.find_provider(&provider).await?;
            settings.delete_key(&row.id).await?;
            println!("Deleted the key for {}.", row.name);
        }
    }
    settings.store.close().await;
    Ok(())
}
