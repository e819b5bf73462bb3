//! `switchyard budgets`: set, list and remove the budgets the app's Spend screen shows, and a
//! chat over a used-up budget is refused with where to raise it.
mod common;

use common::{local_provider, switchyard, text};
use switchyard_fake_provider::FakeProvider;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn budgets_are_set_listed_enforced_and_removed_from_the_cli() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("budgets.db");
    let rules = local_provider(&db, &server.openai_base(), "gpt-4o-mini");

    let out = switchyard(&db, &["budgets", "list"], None);
    assert!(text(&out).contains("No budgets"), "{}", text(&out));
    let out = switchyard(
        &db,
        &["budgets", "set", "--period", "day", "--limit", "0"],
        None,
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("more than 0"), "{}", text(&out));

    let out = switchyard(
        &db,
        &[
            "budgets",
            "set",
            "--period",
            "day",
            "--limit",
            "0.000001",
            "--provider",
            "Local",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    // The first call uses it up; the next is refused before anything is sent.
    let args = ["chat", "--rules", &rules, "--model", "gpt-4o-mini", "hello"];
    assert!(switchyard(&db, &args, None).status.success());
    let sent = server.chat_requests().len();
    let out = switchyard(&db, &args, None);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("switchyard budgets set"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("resets at midnight"), "{}", text(&out));
    assert_eq!(server.chat_requests().len(), sent, "nothing was sent");

    let out = switchyard(&db, &["budgets", "list"], None);
    assert!(
        text(&out).contains("The daily budget for Local"),
        "{}",
        text(&out)
    );
    assert!(text(&out).starts_with('✗'), "{}", text(&out));
    let out = switchyard(
        &db,
        &[
            "budgets",
            "remove",
            "--period",
            "day",
            "--provider",
            "Local",
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(switchyard(&db, &args, None).status.success());
    let out = switchyard(&db, &["budgets", "remove", "--period", "month"], None);
    assert!(!out.status.success());
}
