//! The load generator of `scripts/bench-endpoint`: the same client load against any
//! OpenAI-compatible URL (the fake provider directly, `switchyard serve`, LiteLLM's proxy).
//!
//! ```text
//! loadgen rate URL TOKEN RATE SECONDS [stream]   open loop at RATE requests/s: latency (or time
//!                                                to the first text, streaming) p50/p99, errors
//! loadgen max  URL TOKEN CONCURRENCY SECONDS     closed loop: requests/s completed, errors
//! loadgen count URL TOKEN CONCURRENCY REQUESTS   the same until REQUESTS are done
//! ```
//! Prints one JSON object.
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;

fn body(stream: bool) -> String {
    json!({
        "model": "gpt-4o-mini",
        "stream": stream,
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Name three famous railway stations in Europe"}],
    })
    .to_string()
}

/// One request; the time to the whole answer, or streaming to the first chunk with text.
async fn one(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    body: &str,
    stream: bool,
) -> Option<Duration> {
    let start = Instant::now();
    let mut r = client
        .post(url)
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .ok()?;
    if !r.status().is_success() {
        return None;
    }
    if !stream {
        let text = r.text().await.ok()?;
        return text.contains("\"choices\"").then(|| start.elapsed());
    }
    let mut seen = String::new();
    let mut first = None;
    while let Some(chunk) = r.chunk().await.ok()? {
        if first.is_none() {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if has_text(&seen) {
                first = Some(start.elapsed());
            }
        }
    }
    first
}

/// Whether an SSE stream so far holds a chunk whose delta has non-empty content.
fn has_text(s: &str) -> bool {
    s.lines().filter_map(|l| l.strip_prefix("data: ")).any(|d| {
        serde_json::from_str::<serde_json::Value>(d).is_ok_and(|v| {
            v["choices"][0]["delta"]["content"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
        })
    })
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(1024)
        .build()
        .unwrap()
}

async fn rate(url: String, token: String, rate: f64, seconds: f64, stream: bool) {
    let client = client();
    let body = Arc::new(body(stream));
    let (url, token) = (Arc::new(url), Arc::new(token));
    let total = (rate * seconds) as u64;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for i in 0..total {
        tokio::time::sleep_until(start + interval * i as u32).await;
        let (c, u, t, b) = (client.clone(), url.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(
            async move { one(&c, &u, &t, &b, stream).await },
        ));
    }
    let mut measured = Vec::new();
    let mut errors = 0;
    // The first second opens connections and warms caches: it is left out of the percentiles.
    let warm = rate as usize;
    for (i, t) in tasks.into_iter().enumerate() {
        match t.await.unwrap() {
            Some(d) if i >= warm => measured.push(d),
            Some(_) => {}
            None => errors += 1,
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    measured.sort();
    println!(
        "{}",
        json!({
            "mode": if stream { "stream" } else { "rate" },
            "rate": rate, "requests": total, "errors": errors,
            "p50_ms": percentile(&measured, 0.50), "p99_ms": percentile(&measured, 0.99),
            "elapsed_s": elapsed,
        })
    );
}

/// Closed loop for `seconds`, or (with `limit`) until `limit` requests are done.
async fn max(url: String, token: String, concurrency: usize, seconds: f64, limit: Option<u64>) {
    let client = client();
    let body = Arc::new(body(false));
    let (url, token) = (Arc::new(url), Arc::new(token));
    let ok = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs_f64(seconds);
    let issued = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (c, u, t, b) = (client.clone(), url.clone(), token.clone(), body.clone());
        let (ok, errors, issued) = (ok.clone(), errors.clone(), issued.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                match limit {
                    Some(n) if issued.fetch_add(1, Ordering::Relaxed) >= n => break,
                    None if Instant::now() >= end => break,
                    _ => {}
                }
                match one(&c, &u, &t, &b, false).await {
                    Some(_) => ok.fetch_add(1, Ordering::Relaxed),
                    None => errors.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = start.elapsed().as_secs_f64();
    let ok = ok.load(Ordering::Relaxed);
    println!(
        "{}",
        json!({
            "mode": if limit.is_some() { "count" } else { "max" },
            "concurrency": concurrency, "ok": ok,
            "errors": errors.load(Ordering::Relaxed), "rps": ok as f64 / elapsed,
        })
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .unwrap_or_else(|| panic!("missing argument {i}"))
    };
    match arg(0).as_str() {
        "rate" => {
            rate(
                arg(1),
                arg(2),
                arg(3).parse().unwrap(),
                arg(4).parse().unwrap(),
                args.get(5).is_some_and(|s| s == "stream"),
            )
            .await
        }
        "max" => {
            max(
                arg(1),
                arg(2),
                arg(3).parse().unwrap(),
                arg(4).parse().unwrap(),
                None,
            )
            .await
        }
        "count" => {
            let n = arg(4).parse().unwrap();
            max(arg(1), arg(2), arg(3).parse().unwrap(), 1e9, Some(n)).await
        }
        other => panic!("unknown mode {other}: rate or max"),
    }
}
