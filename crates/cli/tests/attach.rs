//! `switchyard chat --attach`: files go through the one send path, as in the app: an image as an
//! image part, a text file into the prompt under its name; a binary file is refused with its
//! name before anything is sent.
mod common;

use switchyard_fake_provider::FakeProvider;

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0xDA, 0x63, 0x64, 0xF8, 0xCF, 0x50,
    0x0F, 0x00, 0x03, 0x86, 0x01, 0x80, 0x5A, 0x34, 0x7D, 0x6B, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_attach_sends_an_image_and_a_text_file() {
    let server = FakeProvider::start(&[]).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attach.db");
    let rules = common::local_provider(&db, &server.openai_base(), "gpt-4o-mini");
    let png = dir.path().join("dot.png");
    let notes = dir.path().join("notes.md");
    std::fs::write(&png, PNG).unwrap();
    std::fs::write(&notes, "platform 9\n").unwrap();
    let (png, notes) = (png.to_string_lossy(), notes.to_string_lossy());

    let out = common::switchyard(
        &db,
        &[
            "chat",
            "--rules",
            &rules,
            "--model",
            "gpt-4o-mini",
            "--attach",
            &png,
            "--attach",
            &notes,
            "Which platform?",
        ],
        None,
    );
    assert!(out.status.success(), "{out:?}");
    let sent = server.chat_requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].images.len(), 1);
    assert_eq!(sent[0].images[0].bytes, PNG.len());
    assert!(
        sent[0]
            .body
            .to_string()
            .contains("File notes.md:\\nplatform 9\\n(end of notes.md)"),
        "{}",
        sent[0].body
    );
    // Kept beside the database, like the app's.
    assert!(dir.path().join("attachments").is_dir());

    let zip = dir.path().join("archive.zip");
    std::fs::write(&zip, b"PK\x03\x04\0\0\x01").unwrap();
    let out = common::switchyard(
        &db,
        &[
            "chat",
            "--rules",
            &rules,
            "--model",
            "gpt-4o-mini",
            "--attach",
            &zip.to_string_lossy(),
            "Read it",
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("archive.zip is not a text file or an image"),
        "{err}"
    );
    assert_eq!(server.chat_requests().len(), 1, "nothing more was sent");
}
