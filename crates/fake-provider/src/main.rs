//! `switchyard-fake-provider --port 0 --key KEY`: the fake server as a process, for scripts and
//! end-to-end tests. The first line on stdout is `listening on http://127.0.0.1:PORT`.
use std::io::Write;

use clap::Parser;
use switchyard_fake_provider::FakeProvider;
use tokio::net::TcpListener;

#[derive(Parser)]
#[command(
    name = "switchyard-fake-provider",
    about = "A fake OpenAI, Anthropic and Gemini API server for tests"
)]
struct Args {
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// An accepted API key (repeatable). With none, every request is accepted.
    #[arg(long = "key")]
    keys: Vec<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let listener = TcpListener::bind((args.host.as_str(), args.port)).await?;
    let server = FakeProvider::serve(listener, args.keys)?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {}", server.url())?;
    out.flush()?;
    drop(out);
    // Runs until killed; the server lives in its own task.
    std::future::pending::<()>().await;
    Ok(())
}
