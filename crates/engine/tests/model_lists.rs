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
use switchyard_fake_provider::{listed_models, FakeProvider};
use switchyard_router::Catalog;

/// What the fake lists for `format`, sorted as a report gives them.
fn listed(format: &str) -> Vec<String> {
    let mut out: Vec<String> = listed_models()
        .into_iter()
        .filter(|(f, _)| *f == format)
        .map(|(_, m)| m.to_string())
        .collect();
    out.sort();
    out
}

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

/// The saved catalog with one OpenAI model the fake does not list, `gpt-9-preview`.
async fn catalog(settings: &Settings) -> Catalog {
    let mut catalog = settings.store.routing().await.unwrap().1;
    let mut unlisted = catalog.get("gpt-4o").unwrap().clone();
    unlisted.id = "gpt-9-preview".into();
    catalog.models.push(unlisted);
    catalog
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
        (
            ProviderKind::Anthropic,
            "anthropic",
            server.anthropic_base(),
        ),
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
    assert!(find(&before, "gpt-9-preview").available);

    let openai = settings.test_connection(&ids[0]).await.unwrap();
    assert_eq!(openai.models, listed("openai"));
    assert_eq!(openai.model_count as usize, listed("openai").len());
    // Listed, but with no catalog entry for this provider: o3-mini, and the models the catalog
    // has under other providers (the fake's one OpenAI-format server lists them all).
    assert!(openai.not_in_catalog.contains(&"o3-mini".to_string()));
    assert!(openai.not_in_catalog.contains(&"deepseek-chat".to_string()));
    assert!(!openai.not_in_catalog.contains(&"gpt-4o".to_string()));
    let anthropic = settings.test_connection(&ids[1]).await.unwrap();
    assert_eq!(anthropic.models, listed("anthropic"));
    assert!(anthropic
        .models
        .contains(&"claude-3-5-haiku-20241022".to_string()));
    // Every one is a catalog model under its API name.
    assert!(
        anthropic.not_in_catalog.is_empty(),
        "{:?}",
        anthropic.not_in_catalog
    );
    let gemini = settings.test_connection(&ids[2]).await.unwrap();
    assert_eq!(gemini.models, listed("gemini"));
    assert!(gemini.models.contains(&"gemini-2.0-flash".to_string()));
    assert!(
        gemini.not_in_catalog.is_empty(),
        "{:?}",
        gemini.not_in_catalog
    );

    let after = of_models(&catalog.models, &settings.list().await.unwrap());
    for served in [
        "gpt-4o",
        "o1",
        "claude-sonnet-4",
        "claude-haiku",
        "gemini-flash",
        "gemini-2.5-pro",
    ] {
        assert!(
            find(&after, served).available,
            "{served}: {}",
            find(&after, served).reason
        );
    }
    let gpt9 = find(&after, "gpt-9-preview");
    assert!(!gpt9.available);
    assert_eq!(
        gpt9.reason,
        format!("not served by openai {tag} (its model list has no gpt-9-preview)")
    );
    // A provider the catalog has no list for is still "no provider", not "not served".
    assert_eq!(
        find(&after, "deepseek-v3").reason,
        "no deepseek provider is configured"
    );

    // Removing the provider removes its list with it.
    settings.remove(&ids[0]).await.unwrap();
    assert!(!settings
        .store
        .provider_models()
        .await
        .unwrap()
        .contains_key(&ids[0]));
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
        .add(
            input(&name, ProviderKind::Openai, "openai", server.openai_base()),
            Some(KEY.into()),
        )
        .await
        .unwrap();
    // A provider without the key it needs is not asked.
    let keyless = settings
        .add(
            input(
                &format!("{name} keyless"),
                ProviderKind::Anthropic,
                "anthropic",
                server.anthropic_base(),
            ),
            None,
        )
        .await
        .unwrap();

    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 1);
    let lists = settings.store.provider_models().await.unwrap();
    assert_eq!(lists[&p.id].models.len(), listed("openai").len());
    assert!(!lists.contains_key(&keyless.id));
    // Fresh now: the next start asks nobody.
    server.clear_requests();
    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 0);
    assert!(server.requests().is_empty());

    // A day later, with a key the provider rejects, the fetch fails and the last list stays.
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", dir.path().join("m.db").display()))
            .await
            .unwrap();
    sqlx::query("UPDATE provider_models SET fetched_at = fetched_at - 2 * 86400")
        .execute(&pool)
        .await
        .unwrap();
    settings
        .set_key(&p.id, "sk-wrong-key-0000".into())
        .await
        .unwrap();
    assert_eq!(settings.refresh_stale_model_lists().await.unwrap(), 0);
    assert_eq!(server.requests().len(), 1, "the stale list was asked for");
    let kept = &settings.store.provider_models().await.unwrap()[&p.id];
    assert_eq!(kept.models.len(), listed("openai").len());
    let all = of_models(
        &catalog(&settings).await.models,
        &settings.list().await.unwrap(),
    );
    assert!(
        !find(&all, "gpt-9-preview").available,
        "the kept list still decides"
    );
    assert!(find(&all, "gpt-4o").available);

    settings.remove(&p.id).await.unwrap();
    settings.remove(&keyless.id).await.unwrap();
}
