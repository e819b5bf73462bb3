//! The TypeScript types in `ui/src/lib/bindings/` are generated from the Rust types that cross IPC.
//! This test regenerates them and fails when the committed copies are stale;
//! `UPDATE_BINDINGS=1 cargo test -p switchyard-desktop bindings` rewrites them.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::TS;

fn export_all(dir: &Path) {
    use switchyard_engine::{connection, provider, secrets};
    crate::error::AppError::export_all_to(dir).unwrap();
    switchyard_engine::ErrorCode::export_all_to(dir).unwrap();
    switchyard_engine::ErrorInfo::export_all_to(dir).unwrap();
    provider::Provider::export_all_to(dir).unwrap();
    provider::ProviderInput::export_all_to(dir).unwrap();
    provider::ProviderPreset::export_all_to(dir).unwrap();
    secrets::KeychainStatus::export_all_to(dir).unwrap();
    connection::ConnectionReport::export_all_to(dir).unwrap();
    switchyard_engine::local_servers::LocalServer::export_all_to(dir).unwrap();
    // The chat's types; the engine's Reply and the router's Decision come with them.
    {
        use switchyard_engine::send;
        use switchyard_engine::{chat, store};
        send::SendRequest::export_all_to(dir).unwrap();
        send::ChatEvent::export_all_to(dir).unwrap();
        chat::export::ExportFormat::export_all_to(dir).unwrap();
        store::messages::SearchHit::export_all_to(dir).unwrap();
        store::assistants::Assistant::export_all_to(dir).unwrap();
        store::attachments::Attachment::export_all_to(dir).unwrap();
        switchyard_engine::availability::ModelAvailability::export_all_to(dir).unwrap();
    }
    // The rule editor's types; the router's (rules, catalog, decision, trace) come with them.
    {
        use switchyard_engine::{router, routing, store::rules as saved};
        saved::SavedRouting::export_all_to(dir).unwrap();
        saved::RuleVersion::export_all_to(dir).unwrap();
        routing::Preview::export_all_to(dir).unwrap();
        routing::RoutingPreset::export_all_to(dir).unwrap();
        routing::CatalogImport::export_all_to(dir).unwrap();
        router::Request::export_all_to(dir).unwrap();
        router::Grid::export_all_to(dir).unwrap();
        router::CellRef::export_all_to(dir).unwrap();
        switchyard_engine::replay::ReplayReport::export_all_to(dir).unwrap();
    }
    // The Spend screen's types: the dashboard, the request table, budgets and the baseline.
    {
        use switchyard_engine::{budget, store::budgets, store::spend};
        spend::Dashboard::export_all_to(dir).unwrap();
        spend::SpendFilter::export_all_to(dir).unwrap();
        spend::SpendRow::export_all_to(dir).unwrap();
        spend::GridUsage::export_all_to(dir).unwrap();
        budgets::Budget::export_all_to(dir).unwrap();
        budget::BudgetStatus::export_all_to(dir).unwrap();
        crate::commands::spend::Baseline::export_all_to(dir).unwrap();
    }
    // Settings → General and where the chat was left.
    {
        use switchyard_engine::store::prefs;
        prefs::Preferences::export_all_to(dir).unwrap();
        prefs::ChatResume::export_all_to(dir).unwrap();
        crate::commands::preferences::AppInfo::export_all_to(dir).unwrap();
    }
    // Compare, thumbs and the Quality view.
    {
        use switchyard_engine::{quality, send::compare, store::messages};
        compare::CompareRequest::export_all_to(dir).unwrap();
        compare::CompareEvent::export_all_to(dir).unwrap();
        compare::ComparePick::export_all_to(dir).unwrap();
        messages::Thumb::export_all_to(dir).unwrap();
        quality::QualityReport::export_all_to(dir).unwrap();
        quality::suggest::Suggestion::export_all_to(dir).unwrap();
        quality::suggest::Thresholds::export_all_to(dir).unwrap();
    }
    // Settings → Local endpoint.
    crate::commands::endpoint::EndpointStatus::export_all_to(dir).unwrap();
    switchyard_engine::store::endpoint::TokenName::export_all_to(dir).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().extension().is_some_and(|x| x == "ts"))
                .map(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(e.path()).unwrap())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn bindings_are_fresh() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings");
    let fresh_dir = tempfile::tempdir().unwrap();
    export_all(fresh_dir.path());
    let fresh = read_dir(fresh_dir.path());
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(&committed);
        std::fs::create_dir_all(&committed).unwrap();
        for (name, text) in &fresh {
            std::fs::write(committed.join(name), text).unwrap();
        }
        return;
    }
    let current = read_dir(&committed);
    let stale: Vec<_> = fresh
        .iter()
        .filter(|(n, t)| current.get(*n) != Some(t))
        .map(|(n, _)| n.clone())
        .chain(current.keys().filter(|n| !fresh.contains_key(*n)).cloned())
        .collect();
    assert!(
        stale.is_empty(),
        "stale TypeScript bindings: {stale:?}. Run `UPDATE_BINDINGS=1 cargo test -p switchyard-desktop bindings` and commit ui/src/lib/bindings."
    );
}

macro_rules! names {
    ($($path:path),* $(,)?) => {
        [$(stringify!($path)),*]
    };
}

/// The command names the Rust side registers, from the one list in `commands::all!`.
fn registered() -> std::collections::BTreeSet<String> {
    crate::commands::all!(names)
        .iter()
        .map(|p| p.rsplit("::").next().unwrap().trim().to_string())
        .collect()
}

/// The command names `backend.ts` invokes: every `call<…>('name'` in the file.
fn invoked() -> std::collections::BTreeSet<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/backend.ts");
    let text = std::fs::read_to_string(&path).unwrap();
    text.split("call<")
        .skip(1)
        .filter_map(|rest| {
            let after = rest.split_once(">('")?.1;
            Some(after.split('\'').next()?.to_string())
        })
        .collect()
}

#[test]
fn the_ui_invokes_exactly_the_registered_commands() {
    let (rust, ts) = (registered(), invoked());
    assert!(rust.len() > 30, "{rust:?}");
    let missing: Vec<_> = rust.difference(&ts).collect();
    let unknown: Vec<_> = ts.difference(&rust).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "backend.ts does not call {missing:?}; it calls unregistered {unknown:?}"
    );
}
