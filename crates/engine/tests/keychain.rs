//! Keys against a real Secret Service. `scripts/test` runs this inside a private D-Bus session with
//! GNOME Keyring and sets SWITCHYARD_REQUIRE_KEYRING=1, so there it can never skip.
mod support;

use support::{keyring_or_skip, secret_tool_label, secret_tool_lookup};

use switchyard_engine::provider::{KeyInfo, ProviderInput, ProviderKind};
use switchyard_engine::secrets::{Keychain, Secret};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;

#[test]
fn round_trip_through_the_secret_service() {
    if !keyring_or_skip() {
        return;
    }
    let k = Keychain::default();
    let id = format!("test-{}", uuid::Uuid::new_v4());
    k.set(
        &id,
        "Switchyard: round trip",
        &Secret::new("sk-round-trip-9876").unwrap(),
    )
    .unwrap();
    assert_eq!(k.get(&id).unwrap().unwrap().expose(), "sk-round-trip-9876");
    // Another Secret Service client sees the same item: it really is in the keychain.
    assert_eq!(
        secret_tool_lookup(&id).as_deref(),
        Some("sk-round-trip-9876")
    );
    k.set(
        &id,
        "Switchyard: round trip",
        &Secret::new("sk-replaced-1111").unwrap(),
    )
    .unwrap();
    assert_eq!(k.get(&id).unwrap().unwrap().last4(), "1111");
    k.delete(&id).unwrap();
    assert!(k.get(&id).unwrap().is_none());
    assert_eq!(secret_tool_lookup(&id), None);
    k.delete(&id).unwrap();
}

#[tokio::test]
async fn settings_keep_keys_out_of_the_database() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let settings = Settings::new(Store::open(&db).await.unwrap(), Keychain::default());
    let input = ProviderInput {
        name: format!("Keyed {}", uuid::Uuid::new_v4()),
        kind: ProviderKind::Openai,
        preset: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        headers: vec![],
        enabled: true,
    };
    let key = "sk-never-in-sqlite-4242";
    let p = settings.add(input, Some(key.into())).await.unwrap();
    assert_eq!(
        p.key,
        KeyInfo::Set {
            last4: "4242".into()
        }
    );
    let listed = settings.list().await.unwrap();
    assert_eq!(
        listed[0].key,
        KeyInfo::Set {
            last4: "4242".into()
        }
    );
    assert!(!serde_json::to_string(&listed).unwrap().contains(key));
    settings.store.close().await;
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(file.unwrap().path()).unwrap();
        assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));
    }
    let settings = Settings::new(Store::open(&db).await.unwrap(), Keychain::default());
    settings.remove(&p.id).await.unwrap();
    assert!(
        Keychain::default().get(&p.id).unwrap().is_none(),
        "removing a provider removes its key"
    );
}

/// A keyring manager shows each entry by its label: the provider's name, not its id, and the
/// new name after a rename. Read with `secret-tool search`, another Secret Service client.
#[tokio::test]
async fn entries_are_labelled_with_the_provider_name() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::new(
        Store::open(&dir.path().join("l.db")).await.unwrap(),
        Keychain::default(),
    );
    let name = format!("Work {}", uuid::Uuid::new_v4().simple());
    let mut input = ProviderInput {
        name: name.clone(),
        kind: ProviderKind::OpenaiCompatible,
        preset: "custom".into(),
        base_url: "http://localhost:9/v1".into(),
        headers: vec![switchyard_engine::provider::HeaderInput {
            name: "X-Team-Token".into(),
            value: "team-secret-5678".into(),
            secret: Some(true),
        }],
        enabled: true,
    };
    let p = settings
        .add(input.clone(), Some("sk-labelled-1234".into()))
        .await
        .unwrap();
    let header = switchyard_engine::secrets::header_account(&p.id, "X-Team-Token");
    assert_eq!(
        secret_tool_label(&p.id).as_deref(),
        Some(format!("Switchyard: {name}").as_str())
    );
    assert_eq!(
        secret_tool_label(&header).as_deref(),
        Some(format!("Switchyard: {name}, header X-Team-Token").as_str())
    );
    // Replacing the key keeps the label; renaming the provider relabels both, still by id.
    settings
        .set_key(&p.id, "sk-labelled-9999".into())
        .await
        .unwrap();
    assert_eq!(
        secret_tool_label(&p.id).as_deref(),
        Some(format!("Switchyard: {name}").as_str())
    );
    input.name = format!("{name} renamed");
    input.headers[0].value = String::new();
    settings.update(&p.id, input).await.unwrap();
    assert_eq!(
        secret_tool_label(&p.id).as_deref(),
        Some(format!("Switchyard: {name} renamed").as_str())
    );
    assert_eq!(
        secret_tool_label(&header).as_deref(),
        Some(format!("Switchyard: {name} renamed, header X-Team-Token").as_str())
    );
    assert_eq!(
        secret_tool_lookup(&p.id).as_deref(),
        Some("sk-labelled-9999")
    );
    settings.remove(&p.id).await.unwrap();
    assert_eq!(secret_tool_label(&p.id), None);
}

/// A key stored before entries were labelled by name carries keyring's own label; the first
/// start relabels it, once.
#[tokio::test]
async fn entries_stored_before_labels_are_relabelled_once() {
    if !keyring_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::new(
        Store::open(&dir.path().join("old.db")).await.unwrap(),
        Keychain::default(),
    );
    let name = format!("Old {}", uuid::Uuid::new_v4().simple());
    let input = ProviderInput {
        name: name.clone(),
        kind: ProviderKind::Openai,
        preset: "openai".into(),
        base_url: "https://api.openai.com/v1".into(),
        headers: vec![],
        enabled: true,
    };
    let p = settings.add(input, None).await.unwrap();
    // As an earlier version stored it: through keyring alone.
    keyring::Entry::new("switchyard", &p.id)
        .unwrap()
        .set_password("sk-old-label-1234")
        .unwrap();
    let before = secret_tool_label(&p.id).unwrap();
    assert!(before.contains("keyring"), "{before}");

    assert!(settings.label_keychain_entries_once().await.unwrap());
    assert_eq!(
        secret_tool_label(&p.id).as_deref(),
        Some(format!("Switchyard: {name}").as_str())
    );
    assert_eq!(
        secret_tool_lookup(&p.id).as_deref(),
        Some("sk-old-label-1234")
    );
    // Done once per database.
    assert!(!settings.label_keychain_entries_once().await.unwrap());
    settings.remove(&p.id).await.unwrap();
}
