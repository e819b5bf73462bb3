//! Running the real `switchyard` binary against a scratch database, for the CLI tests.
#![allow(dead_code)] // each test file uses its own part of this module

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn switchyard(db: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_switchyard"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

/// Starts the real binary on `db` with no input, its output piped: the caller waits or signals.
pub fn spawn(db: &Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_switchyard"))
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn keyring_available() -> bool {
    use switchyard_engine::secrets::{Keychain, KeychainStatus};
    match Keychain::default().status() {
        KeychainStatus::Available => true,
        KeychainStatus::Unavailable { reason } => {
            assert!(
                std::env::var_os("SWITCHYARD_REQUIRE_KEYRING").is_none(),
                "no Secret Service: {reason}"
            );
            eprintln!("skipping: no Secret Service ({reason})");
            false
        }
    }
}

/// Adds to `db` an OpenAI-compatible provider named `Local` at `openai_base` (it needs no key,
/// so no keychain is involved) and writes, beside `db`, a rule file whose catalog puts `model`
/// on it. Returns the rule file's path, for `--rules`.
pub fn local_provider(db: &Path, openai_base: &str, model: &str) -> String {
    let out = switchyard(
        db,
        &[
            "providers",
            "add",
            "--kind",
            "openai-compatible",
            "--name",
            "Local",
            "--base-url",
            openai_base,
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let mut catalog = switchyard_router::default_catalog();
    catalog
        .models
        .iter_mut()
        .find(|m| m.id == model)
        .unwrap()
        .provider = "Local".into();
    let text =
        switchyard_router::to_toml(&switchyard_router::presets::smart_router(), &catalog).unwrap();
    let rules = db.with_file_name("rules.toml");
    std::fs::write(&rules, text).unwrap();
    rules.to_string_lossy().into_owned()
}
