//! `switchyard chat` against upstreams that send too much: the real binary must stay small
//! (peak RSS of the child, read from the kernel when it exits) and say which limit it hit.
mod common;

use std::io::Read;
use std::path::Path;

use switchyard_fake_provider::{FakeProvider, Fault};

/// What the whole CLI may use while a 300 MB body streams at it: well under the body, so
/// holding it would fail. The debug binary's own mapped code, the token table (17 MB) and the
/// reply kept up to its 4 MiB limit (a few copies while it is saved) come to 140–160 MiB
/// here, so the bound leaves room for that and none for the body.
const MAX_RSS_KIB: i64 = 200 * 1024;
/// The catalog model the test routes to, moved onto the fake provider.
const MODEL: &str = "llama-3.1-8b-instant";

/// What a finished child left: its streams, exit status and peak resident memory.
struct Finished {
    stdout: String,
    stderr: String,
    success: bool,
    max_rss_kib: i64,
}

// The child is reaped by wait4 below, which std's `wait` cannot replace: it gives no rusage.
#[allow(clippy::zombie_processes)]
fn switchyard(db: &Path, args: &[&str]) -> Finished {
    let mut child = common::spawn(db, args);
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).unwrap();
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    // wait4 reaps this child alone and reports its own peak RSS (in KiB on Linux), unlike
    // RUSAGE_CHILDREN, which mixes in every child the test process has waited for.
    let mut status = 0;
    // SAFETY: a zeroed rusage is a valid value for the kernel to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own unreaped child; both pointers are to live locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32, "wait4 failed");
    Finished {
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        success: libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        max_rss_kib: usage.ru_maxrss,
    }
}

/// A scratch database with the fake behind [`MODEL`], and the rule file that says so.
fn scratch(server: &FakeProvider, dir: &Path) -> (std::path::PathBuf, String) {
    let db = dir.join("hostile.db");
    let rules = common::local_provider(&db, &server.openai_base(), MODEL);
    (db, rules)
}

async fn chat(server: &FakeProvider, fault: Fault) -> (Finished, serde_json::Value) {
    server.set_fault(fault);
    let dir = tempfile::tempdir().unwrap();
    let (db, rules) = scratch(server, dir.path());
    let done = tokio::task::spawn_blocking(move || {
        switchyard(
            &db,
            &["chat", "--json", "--rules", &rules, "--model", MODEL, "hi"],
        )
    })
    .await
    .unwrap();
    eprintln!("peak RSS of the CLI: {} KiB", done.max_rss_kib);
    let json =
        serde_json::from_str(&done.stdout).unwrap_or_else(|e| panic!("{e}: {}", &done.stderr));
    (done, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_mb_error_body_is_cut_at_its_limit_in_little_memory() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let (done, json) = chat(
        &server,
        Fault {
            model: "*".into(),
            status: Some(500),
            huge_error_body_bytes: Some(300 << 20),
            ..Fault::default()
        },
    )
    .await;
    assert!(!done.success);
    assert_eq!(json["error"]["code"], "server_error", "{json}");
    let message = json["hops"][0]["error"]["message"].as_str().unwrap();
    assert!(message.ends_with("(truncated after 64 KiB)"), "{message}");
    assert!(
        done.max_rss_kib < MAX_RSS_KIB,
        "peak RSS {} KiB",
        done.max_rss_kib
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_300_mb_reply_stops_at_the_reply_limit_in_little_memory() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let (done, json) = chat(
        &server,
        Fault {
            model: "*".into(),
            huge_reply_bytes: Some(300 << 20),
            ..Fault::default()
        },
    )
    .await;
    assert!(!done.success);
    assert_eq!(json["status"], "partial");
    assert_eq!(json["error"]["code"], "reply_too_large", "{json}");
    assert!(json["error"]["message"]
        .as_str()
        .unwrap()
        .contains("reply size limit (4 MiB)"));
    assert_eq!(json["text"].as_str().unwrap().len(), 4 << 20);
    assert!(done.stderr.contains("reply_too_large"), "{}", done.stderr);
    assert!(
        done.max_rss_kib < MAX_RSS_KIB,
        "peak RSS {} KiB",
        done.max_rss_kib
    );
}
