//! The official client libraries against `switchyard serve` on the fake provider: the `openai`
//! package for Python and for Node and the `anthropic` package for Python, each run by its
//! script in `crates/endpoint/clients/` (installed there by `scripts/setup`) against its own
//! server and database. Each script covers streaming and not, `auto` and pinned, a fallback after
//! an injected 503, a budget block, a bad token, a malformed and an oversized body, each error
//! raised as the client's own error type.
mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{keyring_available, Served};
use switchyard_fake_provider::FakeProvider;

fn clients_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../endpoint/clients")
}

/// Whether `scripts/setup` installed the clients; without them the tests skip, unless
/// `SWITCHYARD_REQUIRE_CLIENTS` is set (as `scripts/test` does), when that is a failure.
fn installed(path: &std::path::Path) -> bool {
    if path.exists() {
        return true;
    }
    assert!(
        std::env::var_os("SWITCHYARD_REQUIRE_CLIENTS").is_none(),
        "{} is missing: run scripts/setup",
        path.display()
    );
    eprintln!(
        "skipping: {} is missing (scripts/setup installs it)",
        path.display()
    );
    false
}

async fn run_script(program: PathBuf, script: &str) {
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = Served::start(&fake, &["--max-body-bytes", "65536"]);
    let token = served.token(script);
    let mut cmd = Command::new(program);
    cmd.arg(script)
        .current_dir(clients_dir())
        .env("SWITCHYARD_URL", &served.url)
        .env("SWITCHYARD_TOKEN", &token)
        .env("FAKE_URL", fake.url())
        .env("SWITCHYARD_BIN", env!("CARGO_BIN_EXE_switchyard"))
        .env("SWITCHYARD_DB", &served.db);
    // The script blocks; the fake provider keeps serving on the runtime's other thread.
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let said = common::text(&out);
    println!("{said}");
    assert!(out.status.success(), "{script} failed:\n{said}");
    assert!(said.contains(" passed, 0 failed"), "{said}");
    assert!(!said.contains(&token[3..]), "the token was echoed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openai_python_client() {
    let python = clients_dir().join(".venv/bin/python");
    if keyring_available() && installed(&python) {
        run_script(python, "test_openai.py").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_anthropic_python_client() {
    let python = clients_dir().join(".venv/bin/python");
    if keyring_available() && installed(&python) {
        run_script(python, "test_anthropic.py").await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openai_node_client() {
    if keyring_available() && installed(&clients_dir().join("node_modules/openai")) {
        run_script(PathBuf::from("node"), "test_openai.mjs").await;
    }
}
