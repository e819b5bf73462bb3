//! `switchyard serve` in front of a hostile upstream: one that echoes the key it was sent into
//! its error bodies, its stream frames or its answer, and one that redirects to another host. Whatever the
//! upstream does, the endpoint's answers (status, headers, body, in both wire formats,
//! streaming and not) never carry an upstream key, the redirect target never receives one,
//! and no file of the database holds one. And one that sends an endless line, a 300 MB reply
//! or absurd usage: each ends cleanly at the client and in the ledger.
mod common;

use common::{keyring_available, Served, ANTHROPIC_KEY, GEMINI_KEY};
use reqwest::Client;
use serde_json::{json, Value};
use switchyard_fake_provider::{FakeProvider, Fault};

/// Everything a client sees of one answer: status, every header and the whole body.
async fn seen(c: &Client, url: &str, token: &str, body: Value) -> String {
    let r = c
        .post(url)
        .bearer_auth(token)
        .header("x-api-key", token)
        .header("anthropic-version", "2023-06-01")
        .json(&body)
        .send()
        .await
        .unwrap();
    let mut all = format!("{}\n", r.status());
    for (name, value) in r.headers() {
        all.push_str(&format!(
            "{name}: {}\n",
            String::from_utf8_lossy(value.as_bytes())
        ));
    }
    all.push_str(&String::from_utf8_lossy(&r.bytes().await.unwrap()));
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_echoes_or_redirects_never_gets_a_key_into_an_answer() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let elsewhere = FakeProvider::start(&[]).await.unwrap();
    let c = Client::new();
    let mut probes = common::echoing_and_redirecting_faults(format!(
        "{}/v1/messages",
        elsewhere.anthropic_base()
    ));
    // A frame that does not parse, with the headers in it.
    probes.push(Fault {
        model: "*".into(),
        malformed_after: Some(2),
        echo_headers: true,
        ..Fault::default()
    });
    // An answer whose text is the headers, split across frames.
    probes.push(Fault {
        model: "*".into(),
        echo_headers_in_reply: true,
        ..Fault::default()
    });
    for fault in probes {
        // A server of its own for each probe: repeated failures pause a model, and a paused
        // model is not asked again.
        let served = Served::start(&fake, &[]);
        let token = served.token("hostile");
        let openai = format!("{}/v1/chat/completions", served.url);
        let anthropic = format!("{}/v1/messages", served.url);
        fake.set_fault(fault.clone());
        fake.clear_requests();
        let mut answers = String::new();
        // Both keyed providers (Claude and Gemini), both formats, streaming and not.
        for model in ["claude-haiku", "gemini-flash"] {
            for stream in [false, true] {
                let body = json!({
                    "model": model,
                    "max_tokens": 64,
                    "stream": stream,
                    "messages": [{"role": "user", "content": "Tell me about trains"}],
                });
                for url in [&openai, &anthropic] {
                    let answer = seen(&c, url, &token, body.clone()).await;
                    // A refusal or redirect is never answered as a success (faults inside a
                    // stream only touch streamed answers: a whole answer is asked for whole).
                    let refused = fault.status.is_some() || fault.redirect_to.is_some();
                    assert!(
                        !(refused && answer.starts_with("200")),
                        "{fault:?} answered: {answer}"
                    );
                    answers.push_str(&answer);
                }
            }
        }
        fake.clear_faults();
        // An upstream error's message (or the echoing answer) reaches the client, with the key
        // in it masked.
        if fault.status.is_some() || fault.error_after.is_some() || fault.echo_headers_in_reply {
            assert!(answers.contains("••••6789"), "{fault:?}: {answers}");
        }
        // The probe was real: each provider was sent its key (repeated failures pause a model,
        // so not every request reaches it).
        let sent = fake.chat_requests();
        for format in ["anthropic", "gemini"] {
            let keyed = sent
                .iter()
                .filter(|r| r.format == format && !r.key_headers.is_empty())
                .count();
            assert!(
                keyed >= 2,
                "{fault:?}: {keyed} {format} requests with a key"
            );
        }
        for key in [ANTHROPIC_KEY, GEMINI_KEY] {
            // Not even most of it: a key cut short is still a leak.
            assert!(
                !answers.contains(&key[..20]),
                "{fault:?}: {key} reached a client:\n{answers}"
            );
        }
        // Every call is in the ledger, and no file beside it holds a key.
        let store = common::settled_store(&served.db).await;
        let (rows,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM usage WHERE source = 'endpoint'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        store.close().await;
        assert_eq!(
            rows,
            sent.len() as i64,
            "{fault:?}: one ledger row per upstream call"
        );
        for (path, bytes) in common::files(served.db.parent().unwrap()) {
            for key in [ANTHROPIC_KEY, GEMINI_KEY] {
                assert!(!common::contains(&bytes, key), "{key} is in {path}");
            }
        }
    }
    // The redirect was not followed with a key.
    common::assert_no_key_reached(&elsewhere);
}

/// A streamed request for `claude-haiku` (on the keyed Claude provider) through `served`.
async fn streamed(c: &Client, served: &Served, token: &str) -> String {
    let body = json!({
        "model": "claude-haiku",
        "stream": true,
        "messages": [{"role": "user", "content": "Tell me about trains"}],
    });
    seen(
        c,
        &format!("{}/v1/chat/completions", served.url),
        token,
        body,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_line_a_flood_and_absurd_usage_end_cleanly_at_the_client() {
    if !keyring_available() {
        return;
    }
    let fake = FakeProvider::start(&[]).await.unwrap();
    let served = Served::start(&fake, &[]);
    let token = served.token("hostile");
    let c = Client::new();

    // One line that never ends: refused at the line limit, before any text, so the client
    // gets the format's error, not a stream that hangs.
    fake.set_fault(Fault {
        model: "*".into(),
        endless_line: true,
        times: Some(1),
        ..Fault::default()
    });
    let answer = streamed(&c, &served, &token).await;
    assert!(answer.starts_with("502"), "{answer}");
    assert!(answer.contains("longer than the line limit"), "{answer}");

    // A reply of 300 MB: the client gets the text up to the reply limit (4 MiB), then the
    // format's error frame, the end marker and the facts with the cost of what arrived.
    fake.set_fault(Fault {
        model: "*".into(),
        huge_reply_bytes: Some(300 << 20),
        ..Fault::default()
    });
    let answer = streamed(&c, &served, &token).await;
    assert!(answer.starts_with("200"), "{}", &answer[..500]);
    assert!(
        answer.len() < 6 << 20,
        "{} bytes reached the client",
        answer.len()
    );
    let tail = &answer[answer.len() - 600..];
    assert!(tail.contains("reply size limit"), "{tail}");
    assert!(tail.contains("data: [DONE]"), "{tail}");
    assert!(tail.contains(": switchyard model=claude-haiku"), "{tail}");
    assert!(
        !tail.contains("cost_usd=0 "),
        "the text that arrived is billed: {tail}"
    );

    // Four billion tokens reported for a short answer, and a quadrillion (more than a count
    // holds), in a whole answer: answered, priced from the estimate.
    for claimed in [4_000_000_000u64, 1_000_000_000_000_000] {
        fake.set_fault(Fault {
            model: "*".into(),
            usage_tokens: Some(claimed),
            ..Fault::default()
        });
        let r = c
            .post(format!("{}/v1/chat/completions", served.url))
            .bearer_auth(&token)
            .json(&json!({
                "model": "claude-haiku",
                "messages": [{"role": "user", "content": "Tell me about trains"}],
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{claimed} tokens claimed");
        let cost: f64 = r.headers()["x-switchyard-cost-usd"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(cost > 0.0 && cost < 0.01, "absurd usage priced at ${cost}");
    }
    fake.clear_faults();

    let store = common::settled_store(&served.db).await;
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT outcome, usage_flag FROM usage ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
    store.close().await;
    // In the ledger as in the chat: the refused line failed, the flood kept what arrived,
    // the absurd usage is flagged.
    let rows: Vec<_> = rows
        .iter()
        .map(|(o, f)| (o.as_str(), f.as_deref()))
        .collect();
    assert_eq!(
        rows,
        [
            ("failed", None),
            ("partial", None),
            ("answered", Some("implausible")),
            ("answered", Some("implausible"))
        ]
    );
}
