//! `switchyard serve`: the local OpenAI- and Anthropic-compatible endpoint, the same server the
//! desktop app runs from Settings → Local endpoint. Runs until Ctrl-C or SIGTERM.
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use clap::Args;
use switchyard_endpoint::{exposure_warning, Config, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT};

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// The port to listen on.
    #[arg(long, default_value_t = DEFAULT_PORT)]
    pub port: u16,
    /// The address to listen on. Anything but loopback (127.0.0.1, ::1) lets other machines
    /// reach the endpoint: it is allowed, with a warning.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub host: IpAddr,
    /// Refuse request bodies larger than this many bytes (413).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES, value_name = "BYTES")]
    pub max_body_bytes: usize,
    /// Let browser pages from this origin call the endpoint (CORS); repeat for more.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// A TOML rule file (rules and catalog); without it, the routing saved in the database.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

pub async fn run(args: ServeArgs, db: &Path) -> anyhow::Result<()> {
    let engine = crate::engine(db).await?;
    // The calls of other runs killed while this one serves reach the ledger without a restart.
    let store = &engine.settings().store;
    store.settle_abandoned_every(switchyard_engine::store::Store::SETTLE_ABANDONED_EVERY);
    let mut config = Config::local(args.port);
    config.addr = SocketAddr::new(args.host, args.port);
    config.max_body_bytes = args.max_body_bytes;
    config.cors_origins = args.cors_origins;
    if let Some(path) = &args.rules {
        config.routing = Some(crate::chat::rule_file(path)?);
    }
    if let Some(warning) = exposure_warning(&config.addr) {
        eprintln!("{warning}");
    }
    let running = switchyard_endpoint::start(engine, config).await?;
    // One line a script can wait for, then the two base URLs to paste into other tools.
    eprintln!("listening on http://{}", running.addr());
    eprintln!("OpenAI base URL:    {}", running.openai_base());
    eprintln!("Anthropic base URL: {}", running.anthropic_base());
    eprintln!("Send a token made with `switchyard tokens create NAME` as the API key.");
    wait_for_signal().await;
    running.stop().await;
    Ok(())
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
