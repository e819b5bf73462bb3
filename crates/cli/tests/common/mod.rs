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

/// Adds Claude (Anthropic) and Gem (Gemini), both on `fake`, each with `key` in the keychain.
pub fn add_claude_and_gem(db: &Path, fake: &switchyard_fake_provider::FakeProvider, key: &str) {
    for (kind, name, base) in [
        ("anthropic", "Claude", fake.anthropic_base()),
        ("gemini", "Gem", fake.gemini_base()),
    ] {
        let out = switchyard(
            db,
            &[
                "providers",
                "add",
                "--kind",
                kind,
                "--name",
                name,
                "--base-url",
                &base,
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out));
        let out = switchyard(db, &["keys", "set", name], Some(key));
        assert!(out.status.success(), "{}", text(&out));
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

/// A `switchyard serve` process on a scratch database, with three providers on the fake
/// server: `Local` (OpenAI-compatible) serving `gpt-4o-mini`, `Claude` (the Anthropic wire
/// format) serving the Claude models (`claude-haiku` among them) and `Gem` (Gemini) serving
/// the Gemini models (`gemini-flash` among them). Its rules: `code` (code → claude-haiku) and
/// `everything` (gpt-4o-mini, then claude-haiku). Killed on drop.
pub struct Served {
    pub child: std::process::Child,
    pub url: String,
    pub db: std::path::PathBuf,
    pub rules: String,
    _dir: tempfile::TempDir,
}

pub const ANTHROPIC_KEY: &str = "sk-ant-endpoint-test-key-0123456789";
pub const GEMINI_KEY: &str = "AIza-endpoint-test-key-0123456789";

pub const ENDPOINT_RULES: &str = r#"
[[rules]]
name = "code"
when = [{ has_code = true }]
then = { type = "chain", models = ["claude-haiku"] }

[[rules]]
name = "everything"
then = { type = "chain", models = ["gpt-4o-mini", "claude-haiku"] }
"#;

impl Served {
    /// Sets up the database and starts `switchyard serve --port 0` with `extra` arguments.
    pub fn start(fake: &switchyard_fake_provider::FakeProvider, extra: &[&str]) -> Served {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("endpoint.db");
        let rules = local_provider(&db, &fake.openai_base(), "gpt-4o-mini");
        let out = switchyard(
            &db,
            &[
                "providers",
                "add",
                "--kind",
                "anthropic",
                "--name",
                "Claude",
                "--base-url",
                &fake.anthropic_base(),
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out));
        let out = switchyard(&db, &["keys", "set", "Claude"], Some(ANTHROPIC_KEY));
        assert!(out.status.success(), "{}", text(&out));
        let out = switchyard(
            &db,
            &[
                "providers",
                "add",
                "--kind",
                "gemini",
                "--name",
                "Gem",
                "--base-url",
                &fake.gemini_base(),
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out));
        let out = switchyard(&db, &["keys", "set", "Gem"], Some(GEMINI_KEY));
        assert!(out.status.success(), "{}", text(&out));
        // The catalog local_provider wrote, with these rules.
        let written = std::fs::read_to_string(&rules).unwrap();
        let (_, catalog) = switchyard_router::load(&written).unwrap();
        let (set, _) = switchyard_router::from_toml(ENDPOINT_RULES).unwrap();
        std::fs::write(&rules, switchyard_router::to_toml(&set, &catalog).unwrap()).unwrap();
        Self::spawn(dir, db, rules, extra)
    }

    /// Starts `switchyard serve --port 0 --rules RULES` on a database set up by the caller in
    /// `dir`.
    pub fn spawn(
        dir: tempfile::TempDir,
        db: std::path::PathBuf,
        rules: String,
        extra: &[&str],
    ) -> Served {
        use std::io::BufRead;
        let mut args = vec!["serve", "--port", "0", "--rules", rules.as_str()];
        args.extend_from_slice(extra);
        let mut child = spawn(&db, &args);
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufReader::new(stderr).lines();
        let mut url = None;
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(u) = line.strip_prefix("listening on ") {
                url = Some(u.trim().to_string());
                break;
            }
            assert!(!line.starts_with("error"), "{line}");
        }
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                eprintln!("[serve] {line}");
            }
        });
        Served {
            child,
            url: url.expect("serve printed its address"),
            db,
            rules,
            _dir: dir,
        }
    }

    /// Runs the CLI on the served database.
    pub fn cli(&self, args: &[&str]) -> Output {
        switchyard(&self.db, args, None)
    }

    /// Makes a token named `name` with the CLI; returns it.
    pub fn token(&self, name: &str) -> String {
        let out = self.cli(&["tokens", "create", name]);
        assert!(out.status.success(), "{}", text(&out));
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Opens the store at `db` once no call is in flight: the endpoint writes a call's ledger row
/// just after its answer, so a test that reads the ledger right after the answers waits for
/// it (at most ten seconds).
pub async fn settled_store(db: &Path) -> switchyard_engine::store::Store {
    let store = switchyard_engine::store::Store::open(db).await.unwrap();
    let waited = std::time::Instant::now();
    loop {
        let (in_flight,): (i64,) = sqlx::query_as("SELECT count(*) FROM calls_in_flight")
            .fetch_one(store.pool())
            .await
            .unwrap();
        if in_flight == 0 {
            return store;
        }
        assert!(
            waited.elapsed() < std::time::Duration::from_secs(10),
            "{in_flight} calls still in flight after ten seconds"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// An upstream's hostile answers: a refused key (401) and a server error (500) whose bodies
/// repeat every request header, the key first; an in-stream error frame after some text that
/// does the same; and a redirect to `elsewhere` (another host).
pub fn echoing_and_redirecting_faults(elsewhere: String) -> Vec<switchyard_fake_provider::Fault> {
    use switchyard_fake_provider::Fault;
    let echo = |fault: Fault| Fault {
        model: "*".into(),
        echo_headers: true,
        ..fault
    };
    vec![
        echo(Fault {
            status: Some(401),
            ..Fault::default()
        }),
        echo(Fault {
            status: Some(500),
            ..Fault::default()
        }),
        echo(Fault {
            error_after: Some(2),
            ..Fault::default()
        }),
        Fault {
            model: "*".into(),
            redirect_to: Some(elsewhere),
            ..Fault::default()
        },
    ]
}

/// Every file under `dir`, read as bytes.
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files(&path));
        } else {
            out.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Asserts that `server` (a redirect's target) never received a key header.
pub fn assert_no_key_reached(server: &switchyard_fake_provider::FakeProvider) {
    assert!(
        server.requests().iter().all(|r| r.key_headers.is_empty()),
        "a key reached the redirect target"
    );
}
