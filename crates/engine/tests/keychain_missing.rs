//! With no Secret Service on the bus, keys cannot be stored, the reason is given, and nothing is
//! saved half-way or anywhere else. Its own test binary, because it changes the process environment.
use switchyard_engine::provider::{KeyInfo, ProviderInput, ProviderKind};
use switchyard_engine::secrets::{Keychain, KeychainStatus};
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;

#[tokio::test]
async fn no_secret_service_is_reported_and_nothing_is_saved() {
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/switchyard-test-bus",
    );
    let status = Keychain::default().status_async().await;
    let KeychainStatus::Unavailable { reason } = status else {
        panic!("expected the keychain to be unavailable");
    };
    assert!(!reason.is_empty());

    let dir = tempfile::tempdir().unwrap();
    let settings = Settings::new(
        Store::open(&dir.path().join("m.db")).await.unwrap(),
        Keychain::default(),
    );
    let input = ProviderInput {
        name: "No keyring".into(),
        kind: ProviderKind::Anthropic,
        preset: "anthropic".into(),
        base_url: "https://api.anthropic.com".into(),
        headers: vec![],
        enabled: true,
    };
    let err = settings
        .add(input.clone(), Some("sk-ant-nowhere-0000".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), "keychain_unavailable");
    assert!(
        settings.list().await.unwrap().is_empty(),
        "a failed key store undoes the add"
    );

    // Without a key the provider is saved, and its key state says the keychain is unavailable.
    let p = settings.add(input, None).await.unwrap();
    assert!(matches!(p.key, KeyInfo::Unavailable { .. }), "{:?}", p.key);

    // Nor can the user get stuck with it: removing works and says which keychain entry is left.
    let warning = settings
        .remove(&p.id)
        .await
        .unwrap()
        .expect("a warning about the key");
    assert!(warning.contains(&p.id), "{warning}");
    assert!(settings.list().await.unwrap().is_empty());
}
