//! Opening a long conversation: the query behind it for 1,000 messages, and saving streamed
//! text as it arrives. Prints criterion's medians; the README quotes them.
use criterion::{criterion_group, criterion_main, Criterion};
use switchyard_engine::store::messages::{MessageStatus, Role};
use switchyard_engine::store::Store;

fn reply(i: usize) -> String {
    format!(
        "Here is step {i}.\n\n```rust\nfn step_{i}(x: u32) -> u32 {{\n    x * {i} + 1\n}}\n```\n\n{}",
        "The function multiplies and adds one, which keeps it monotonic. ".repeat(5)
    )
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (store, conversation) = rt.block_on(async {
        let store = Store::open(&dir.path().join("bench.db")).await.unwrap();
        let c = store
            .create_conversation("A long one", "auto")
            .await
            .unwrap();
        for i in 0..500 {
            let q = format!("Question {i}: how would you write step {i}?");
            store
                .insert_message(&c.id, Role::User, &q, MessageStatus::Complete, Some("auto"))
                .await
                .unwrap();
            store
                .insert_message(
                    &c.id,
                    Role::Assistant,
                    &reply(i),
                    MessageStatus::Complete,
                    Some("auto"),
                )
                .await
                .unwrap();
        }
        (store, c.id)
    });

    c.bench_function("open a conversation of 1,000 messages", |b| {
        b.iter(|| rt.block_on(store.messages(&conversation)).unwrap().len())
    });

    let streaming = rt.block_on(async {
        store
            .insert_message(
                &conversation,
                Role::Assistant,
                "",
                MessageStatus::Streaming,
                Some("auto"),
            )
            .await
            .unwrap()
    });
    let text = reply(7).repeat(4);
    c.bench_function("save streamed text (2 KB reply so far)", |b| {
        b.iter(|| {
            rt.block_on(store.save_progress(streaming.id, &text, None, None))
                .unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
