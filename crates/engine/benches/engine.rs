//! Engine overhead against the fake provider on loopback, printed as figures:
//! time-to-first-token through the executor vs a direct reqwest call, the cost of forwarding
//! each chunk, and resident memory across 10,000 streamed requests.
//!
//! `cargo bench -p switchyard-engine --bench engine`
use std::collections::HashMap;
use std::time::{Duration, Instant};

use switchyard_engine::execute::{Executor, Plan, Policy, ReplySink};
use switchyard_engine::provider::ProviderKind;
use switchyard_engine::provider::ProviderRow;
use switchyard_engine::provider::{KeyInfo, Provider};
use switchyard_engine::secrets::Secret;
use switchyard_fake_provider::{FakeProvider, Fault};
use switchyard_router::{Catalog, Message, Model, PerMtok};
use tokio_util::sync::CancellationToken;

const KEY: &str = "sk-bench";
const SAMPLES: usize = 400;
const MEMORY_REQUESTS: usize = 10_000;

struct Bench {
    server: FakeProvider,
    plan: Plan,
    executor: Executor,
    client: reqwest::Client,
}

impl Bench {
    async fn new() -> Self {
        let server = FakeProvider::start(&[KEY]).await.unwrap();
        let row = ProviderRow {
            id: "openai".into(),
            name: "OpenAI".into(),
            kind: ProviderKind::Openai,
            preset: "openai".into(),
            base_url: server.openai_base(),
            headers: vec![],
            enabled: true,
            header_secrets: vec![],
        };
        let model = Model {
            id: "bench".into(),
            provider: "openai".into(),
            api_id: None,
            input: PerMtok(150_000),
            output: PerMtok(600_000),
            cached_input: None,
            reasoning: None,
            context_window: 128_000,
            quality: 0.9,
            enabled: true,
            vision: false,
            tools: false,
        };
        let catalog = Catalog {
            prices_taken: None,
            models: vec![model],
        };
        let keys = HashMap::from([("openai".to_string(), Secret::new(KEY).unwrap())]);
        let provider = Provider {
            row,
            headers: Vec::new(),
            key: KeyInfo::Set {
                last4: "0000".into(),
            },
            models: None,
        };
        let plan = Plan::new(&["bench".to_string()], &catalog, &[provider], &keys);
        let executor = Executor::new(Policy::default()).unwrap();
        // The same settings the executor's client uses, so only the engine's own work differs.
        let client = reqwest::Client::builder()
            .tcp_nodelay(true)
            .build()
            .unwrap();
        Self {
            server,
            plan,
            executor,
            client,
        }
    }

    /// Time to the first text chunk (the reply starts "Echo") with a bare reqwest call, and to
    /// the end of the stream.
    async fn direct(&self, prompt: &str) -> (Duration, Duration) {
        let started = Instant::now();
        let body = serde_json::json!({"model": "bench", "stream": true, "stream_options": {"include_usage": true},
            "messages": [{"role": "user", "content": prompt}]});
        let mut response = self
            .client
            .post(format!("{}/chat/completions", self.server.openai_base()))
            .bearer_auth(KEY)
            .json(&body)
            .send()
            .await
            .unwrap();
        let mut first = None;
        while let Some(chunk) = response.chunk().await.unwrap() {
            if first.is_none() && chunk.windows(15).any(|w| w == b"\"content\":\"Echo") {
                first = Some(started.elapsed());
            }
        }
        (first.unwrap(), started.elapsed())
    }

    /// The same through the executor: time to the first `Text` event, and to the end.
    async fn engine(&self, prompt: &str) -> (Duration, Duration) {
        let started = Instant::now();
        let mut first = None;
        let messages = [Message {
            role: "user".into(),
            content: prompt.into(),
            ..Default::default()
        }];
        let mut sink = Arrivals::new(started);
        let reply = self
            .executor
            .execute(
                &self.plan,
                &messages,
                None,
                None,
                None,
                &mut sink,
                &CancellationToken::new(),
            )
            .await;
        first = sink.times.first().copied().or(first);
        assert!(reply.error.is_none(), "{:?}", reply.error);
        (first.unwrap(), started.elapsed())
    }
}

/// When each piece of text reached the caller.
struct Arrivals {
    started: Instant,
    times: Vec<Duration>,
}

impl Arrivals {
    fn new(started: Instant) -> Self {
        Self {
            started,
            times: Vec::new(),
        }
    }
}

impl ReplySink for Arrivals {
    fn started(&mut self, _: &str, _: &str) {}
    fn text(&mut self, _: &str) {
        self.times.push(self.started.elapsed());
    }
    fn hop(&mut self, _: &switchyard_engine::reply::Hop) {}
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn percentile(mut xs: Vec<Duration>, p: f64) -> Duration {
    xs.sort();
    xs[((xs.len() - 1) as f64 * p).round() as usize]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn time_to_first_token(b: &Bench) {
    // Interleaved so both see the same machine load; the first rounds warm the pools.
    let (mut direct, mut engine) = (Vec::new(), Vec::new());
    for i in 0..SAMPLES + 50 {
        let d = b.direct("what is the time to first token").await.0;
        let e = b.engine("what is the time to first token").await.0;
        if i >= 50 {
            direct.push(d);
            engine.push(e);
        }
    }
    let (dm, em) = (median(direct.clone()), median(engine.clone()));
    println!("time to first token ({SAMPLES} samples, loopback)");
    println!(
        "  direct reqwest   median {:>8.1} µs   p95 {:>8.1} µs",
        micros(dm),
        micros(percentile(direct, 0.95))
    );
    println!(
        "  engine executor  median {:>8.1} µs   p95 {:>8.1} µs",
        micros(em),
        micros(percentile(engine, 0.95))
    );
    println!(
        "  engine overhead  median {:>8.1} µs",
        micros(em) - micros(dm)
    );
}

async fn per_chunk(b: &Bench) {
    const WORDS: usize = 2_000;
    let prompt = "word ".repeat(WORDS);
    let (mut direct, mut engine) = (Vec::new(), Vec::new());
    for _ in 0..30 {
        direct.push(b.direct(&prompt).await.1);
        engine.push(b.engine(&prompt).await.1);
    }
    let chunks = WORDS as f64 + 1.0;
    let extra = micros(median(engine.clone())) - micros(median(direct.clone()));
    println!("forwarding a {} -chunk stream (30 samples)", WORDS + 1);
    println!(
        "  direct reqwest   median {:>8.1} ms",
        micros(median(direct)) / 1e3
    );
    println!(
        "  engine executor  median {:>8.1} ms",
        micros(median(engine)) / 1e3
    );
    println!(
        "  engine cost per chunk    {:>8.2} µs (SSE parse, JSON decode, event to the callback)",
        extra / chunks
    );

    // A slow drip: every chunk must reach the callback as it arrives, not in bunches.
    b.server.set_fault(Fault {
        model: "bench".into(),
        chunk_delay_ms: 20,
        ..Fault::default()
    });
    let started = Instant::now();
    let messages = [Message {
        role: "user".into(),
        content: "a b c d e f g h i j".into(),
        ..Default::default()
    }];
    let mut sink = Arrivals::new(started);
    b.executor
        .execute(
            &b.plan,
            &messages,
            None,
            None,
            None,
            &mut sink,
            &CancellationToken::new(),
        )
        .await;
    let arrivals = sink.times;
    b.server.clear_faults();
    let gaps: Vec<Duration> = arrivals.windows(2).map(|w| w[1] - w[0]).collect();
    let late = gaps
        .iter()
        .map(|g| micros(*g) / 1e3 - 20.0)
        .fold(f64::MIN, f64::max);
    println!(
        "  20 ms drip: {} chunks, each forwarded on arrival (worst gap {:.2} ms over the drip)",
        arrivals.len(),
        late
    );
}

async fn memory(b: &Bench) {
    let mut samples = Vec::new();
    let started = Instant::now();
    for i in 1..=MEMORY_REQUESTS {
        b.engine("memory stays flat across many streamed requests")
            .await;
        if i % 100 == 0 {
            // The fake server logs every request; clear it so only the engine's memory is seen.
            b.server.clear_requests();
        }
        if i % 1_000 == 0 {
            samples.push((i, rss_kib()));
        }
    }
    println!(
        "memory across {MEMORY_REQUESTS} streamed requests ({:.1} s)",
        started.elapsed().as_secs_f64()
    );
    for (i, kib) in &samples {
        println!(
            "  after {i:>6} requests  RSS {:>7.1} MiB",
            *kib as f64 / 1024.0
        );
    }
    let first = samples[0].1 as f64;
    let last = samples[samples.len() - 1].1 as f64;
    println!(
        "  growth from 1,000 to {MEMORY_REQUESTS}: {:+.1} MiB",
        (last - first) / 1024.0
    );
}

fn main() {
    // `cargo bench` passes `--bench`; a plain `cargo test --benches` run passes nothing and
    // only checks that the bench builds and starts.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let b = Bench::new().await;
        time_to_first_token(&b).await;
        per_chunk(&b).await;
        memory(&b).await;
    });
}
