//! A hostile upstream that echoes the request headers back (into an error or into its answer),
//! or redirects to another host, must
//! not make the key appear anywhere: not in `--json`, stderr, the database file, its write-ahead
//! log, or any other file in the data directory; and the other host never receives it.
mod common;

use common::{contains, files, keyring_available, switchyard, text};
use switchyard_fake_provider::FakeProvider;
use switchyard_router::{default_catalog, to_toml};

const KEY: &str = "sk-live-echo-me-9f8e7d6c5b4a3210";
const MODEL: &str = "gpt-4o-mini";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echoed_headers_and_redirects_never_spread_the_key() {
    if !keyring_available() {
        return;
    }
    let server = FakeProvider::start(&[KEY]).await.unwrap();
    let elsewhere = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/leaks.db");
    let name = format!("Echo {}", std::process::id());
    let out = switchyard(
        &db,
        &[
            "providers",
            "add",
            "--kind",
            "openai",
            "--name",
            &name,
            "--base-url",
            &server.openai_base(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = switchyard(&db, &["keys", "set", &name], Some(KEY));
    assert!(out.status.success(), "{}", text(&out));
    let mut catalog = default_catalog();
    catalog
        .models
        .iter_mut()
        .find(|m| m.id == MODEL)
        .unwrap()
        .provider = name.clone();
    let rules = dir.path().join("rules.toml");
    let toml = to_toml(&switchyard_router::presets::smart_router(), &catalog).unwrap();
    std::fs::write(&rules, toml).unwrap();
    let rules = rules.to_string_lossy().into_owned();

    let probes = common::echoing_and_redirecting_faults(format!(
        "{}/chat/completions",
        elsewhere.openai_base()
    ));
    let mut outputs = String::new();
    for fault in probes {
        server.set_fault(fault);
        let out = switchyard(
            &db,
            &["chat", "--json", "--rules", &rules, "--model", MODEL, "hi"],
            None,
        );
        assert!(!out.status.success(), "{}", text(&out));
        outputs.push_str(&text(&out));
    }
    // An answer that is the echoed headers, split across frames, arrives with the key masked.
    server.set_fault(switchyard_fake_provider::Fault {
        model: "*".into(),
        echo_headers_in_reply: true,
        ..Default::default()
    });
    let out = switchyard(
        &db,
        &["chat", "--json", "--rules", &rules, "--model", MODEL, "hi"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("Bearer ••••3210"), "{}", text(&out));
    outputs.push_str(&text(&out));
    // The hostile server did echo the key: the probes were real.
    assert!(outputs.contains("••••3210"), "{outputs}");
    assert!(
        !outputs.contains(KEY),
        "the key leaked into the output: {outputs}"
    );
    for (path, bytes) in files(dir.path()) {
        assert!(!contains(&bytes, KEY), "the key is in {path}");
    }
    // The other host was never sent a key header.
    common::assert_no_key_reached(&elsewhere);
    let out = switchyard(&db, &["keys", "delete", &name], None);
    assert!(out.status.success(), "{}", text(&out));
}
