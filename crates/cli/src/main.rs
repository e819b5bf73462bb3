//! `switchyard`: the headless CLI over the same engine, database and keychain as the desktop app.
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod budgets;
mod chat;
mod eval;
mod keys;
mod providers;
mod replay;
mod route;
mod serve;
mod spend;
mod tokens;

#[derive(Parser)]
#[command(
    name = "switchyard",
    version,
    about = "Route chats to the model that fits, from the terminal"
)]
struct Cli {
    /// The database file (default: the desktop app's, in its data directory).
    #[arg(long, global = true, env = "SWITCHYARD_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// List, add or remove providers.
    #[command(subcommand)]
    Providers(providers::ProvidersCommand),
    /// Store, list or delete API keys in the system keychain.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Route a prompt, stream the answer, and report model, hops, tokens, cost and latency.
    Chat(chat::ChatArgs),
    /// Show which model the router picks for a prompt, as JSON.
    Route(route::RouteArgs),
    /// List, set or remove daily and monthly budgets.
    #[command(subcommand)]
    Budgets(budgets::BudgetsCommand),
    /// Spend from the usage ledger, grouped, with savings against the baseline model.
    Spend(spend::SpendArgs),
    /// Replay past requests under the saved rules or a rule file: moves and cost difference.
    Replay(replay::ReplayArgs),
    /// Measure task accuracy and APGR on labelled prompt sets.
    Eval(eval::EvalArgs),
    /// Serve a local OpenAI- and Anthropic-compatible endpoint (default 127.0.0.1:4141).
    Serve(serve::ServeArgs),
    /// Create, list or revoke the local endpoint's bearer tokens.
    #[command(subcommand)]
    Tokens(tokens::TokensCommand),
}

/// mimalloc: the endpoint's requests allocate and free many small buffers across threads; with
/// the system allocator that was about a fifth of `switchyard serve`'s CPU time at full load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let db = cli
        .db
        .unwrap_or_else(switchyard_engine::paths::default_db_path);
    let result = match cli.command {
        Command::Providers(cmd) => providers::run(cmd, &db).await,
        Command::Keys(cmd) => keys::run(cmd, &db).await,
        Command::Chat(args) => chat::run(args, &db).await,
        Command::Route(args) => route::run(args, &db).await,
        Command::Spend(args) => spend::run(args, &db).await,
        Command::Replay(args) => replay::run(args, &db).await,
        Command::Budgets(cmd) => budgets::run(cmd, &db).await,
        Command::Eval(args) => eval::run(args),
        Command::Serve(args) => serve::run(args, &db).await,
        Command::Tokens(cmd) => tokens::run(cmd, &db).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`switchyard eval … | head`): nothing is left to tell it.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Opens the database and keychain the way the app does, moving any secret header value still
/// in the database to the keychain.
async fn settings(db: &std::path::Path) -> anyhow::Result<switchyard_engine::settings::Settings> {
    let store = switchyard_engine::store::Store::open(db).await?;
    // Calls a killed process left in flight are billed as estimated, so spend never misses them.
    let settled = store.settle_abandoned().await?;
    store.correct_implausible_usage_once().await?;
    if settled > 0 {
        eprintln!(
            "[settled {settled} provider call(s) an earlier run left unfinished, as estimated]"
        );
    }
    let settings = switchyard_engine::settings::Settings::new(
        store,
        switchyard_engine::secrets::Keychain::default(),
    );
    for warning in settings.secure_stored_header_values().await? {
        eprintln!("warning: {warning}");
    }
    Ok(settings)
}

/// Opens the database for a command that only reads (`providers list`, `keys list`, `spend`):
/// nothing is created or migrated, so it works on a read-only file or folder.
async fn read_only_settings(
    db: &std::path::Path,
) -> anyhow::Result<switchyard_engine::settings::Settings> {
    let store = switchyard_engine::store::Store::open_read_only(db).await?;
    Ok(switchyard_engine::settings::Settings::new(
        store,
        switchyard_engine::secrets::Keychain::default(),
    ))
}

/// The engine over the database at `db`, as the desktop app builds it.
async fn engine(db: &std::path::Path) -> anyhow::Result<switchyard_engine::send::Engine> {
    let settings = settings(db).await?;
    // Which models each provider serves, when its list is a day old; the chat does not wait.
    settings.refresh_stale_model_lists_in_background();
    // The limits (reply size, deadlines, …) are settings, shared with the app.
    let policy = switchyard_engine::execute::Policy::with_overrides(&settings.store).await;
    let executor = switchyard_engine::execute::Executor::new(policy)?;
    Ok(switchyard_engine::send::Engine::new(settings, executor))
}
