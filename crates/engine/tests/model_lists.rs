//! Which models each provider serves: Test connection fetches the list in each wire format from
//! the fake provider and stores it; availability then leaves out models a provider does not
//! list; a daily refresh fetches only stale lists and keeps the last one when a fetch fails.
mod support;

use support::{keyring_or_skip, KEY};

use switchyard_engine::availability::{of_models, ModelAvailability};
use switchyard_engine::provider::{ProviderInput, ProviderKind};
use switchyard_engine::secrets::Keychain;
use switchyard_engine::settings::Settings;
use switchyard_engine::store::Store;
use switchyard_fake_provider::FakeProvider;
use switchyard_router::Catalog;

fn input(name: &str, kind: ProviderKind, preset: &str, base_url: String) -> ProviderInput {
    ProviderInput {
        name: name.into(),
        kind,
        preset: preset.into(),
        base_url,
        headers: vec![],
        enabled: true,
    }
}

async fn setup() -> (tempfile::TempDir, Settings, FakeProvider) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    let server = FakeProvider::start(&[KEY]).await.unwrap();
    (dir, Settings::new(store, Keychain::default()), server)
}

async fn catalog(settings: &Settings) -> Catalog {
    settings.store.routing().await.unwrap().1
}

fn find<'a>(all: &'a [ModelAvailability], id: &str) -> &'a ModelAvailability {
    all.iter().find(|a| a.model == id).unwrap()
}

#[tokio::test]
async fn each_wire_formats_list_is_fetched_stored_and_decides_availability() {
    if !keyring_or_skip() {
        return;
    }
    let (_dir, settings, server) = setup().await;
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let mut ids = Vec::new();
    for (kind, preset, base) in [
        (ProviderKind::Openai, "openai", server.openai_base()),
        (ProviderKind::Anthropic, "anthropic", server.anthropic_base()),
        (ProviderKind::Gemini, "gemini", server.gemini_base()),
    ] {
        let name = format!("{preset} {tag}");
        let p = settings
            .add(input(&name, kind, preset, base), Some(KEY.into()))
            .await
            .unwrap();
        ids.push(p.id.clone());
    }
    let catalog = catalog(&settings).await;
    // Before any list is fetched every model of a configured provider is assumed served.
    let before = of_models(&catalog.models, &settings.list().await.unwrap());
    assert!(find(&before, "o1").available);
    assert!(find(&before, "claude-opus-4").available);

    let openai = settings.test_connection(&ids[0]).await.unwrap();
    assert_eq!(openai.models, vec!["gpt-4o", "gpt-4o-mini", "o3-mini"]);
    assert_eq!(openai.model_count, 3);
    // o3-mini is listed but not in the bundled catalog.
    assert_eq!(openai.not_in_catalog, vec!["o3-mini"]);
    let anthropic = settings.test_connection(&ids[1]).await.unwrap();
    assert_eq!(
        anthropic.models,
        vec!["claude-3-5-haiku-20241022", "claude-sonnet-4-20250514"]
    );
    // Both are catalog models under their API names.
    assert!(anthropic.not_in_catalog.is_empty(), "{:?}", anthropic.not_in_catalog);
    let gemini = settings.test_connection(&ids[2]).await.unwrap();
    assert_eq!(gemini.models, vec!["gemini-2.0-flash", "gemini-2.5-pro"]);
    assert!(gemini.not_in_catalog.is_empty(), "{:?}", gemini.not_in_catalog);

    let after = of_models(&catalog.models, &settings.list().await.unwrap());
    for served in ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "claude-haiku", "gemini-flash", "gemini-2.5-pro"] {
        assert!(find(&after, served).available, "{served}: {}", find(&after, served).reason);
    }
    let o1 = find(&after, "o1");
    assert!(!o1.available);
    assert_eq!(o1.reason, format!("not served by openai {tag} (its model list has no o1)"));
    assert!(!find(&after, "claude-opus-4").available);
    assert!(!find(&after, "gemini-2.5-flash").available);
    // A provider the catalog has no list for is still "no provider", not "not served".
    assert_eq!(find(&after, "deepseek-v3").reason, "no deepseek provider is configured");

    // Removing the provider removes its list with it.
    settings.remove(&ids[0]).await.unwrap();
    assert!(!settings.store.provider_models().await.unwrap().contains_key(&ids[0]));
    for id in &ids[1..] {
        settings.remove(id).await.unwrap();
    }
}

#[tokio::test]
async fn the_daily_refresh_fetches_stale_lists_only_and_keeps_the_last_on_failure() {
    if !keyring_or_skip() {
        return;
    }
    let (dir, settings, server) = setup().await;
    let name = format!("Refreshed {}", uuid::Uuid::new_v4());
    let p = settings
        .add(input(&name, ProviderKind::Openai, "openai", server.openai_base()), Some(KEY.into()))
        .await
        .unwrap();
    // A provider without the key it needs is not asked.
    let keyless = settings
        .add(input(&format!("{name} keyless"), ProviderKind::Anthropic, "anthropic", server.anthropic_base()), None)
        .await
        .unwrap();

    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 1);
    let lists = settings.store.provider_models().await.unwrap();
    assert_eq!(lists[&p.id].models.len(), 3);
    assert!(!lists.contains_key(&keyless.id));
    // Fresh now: the next start asks nobody.
    server.clear_requests();
    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 0);
    assert!(server.requests().is_empty());

    // A day later, with a key the provider rejects, the fetch fails and the last list stays.
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("m.db").display()))
        .await
        .unwrap();
    sqlx::query("UPDATE provider_models SET fetched_at = fetched_at - 2 * 86400")
        .execute(&pool)
        .await
        .unwrap();
    settings.set_key(&p.id, "sk-wrong-key-0000".into()).await.unwrap();
    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 0);
    assert_eq!(server.requests().len(), 1, "the stale list was asked for");
    let kept = &settings.store.provider_models().await.unwrap()[&p.id];
    assert_eq!(kept.models.len(), 3);
    let o1 = of_models(&catalog(&settings).await.models, &settings.list().await.unwrap());
    assert!(!find(&o1, "o1").available, "the kept list still decides");

    settings.remove(&p.id).await.unwrap();
    settings.remove(&keyless.id).await.unwrap();
}
