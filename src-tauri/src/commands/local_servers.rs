//! First start: the local Ollama or LM Studio server the chat screen offers to add.
use switchyard_engine::local_servers::{detect, LocalServer, Ports};

/// The local servers answering on their ports; the UI asks only while no provider is set up.
#[tauri::command]
pub async fn local_servers() -> Vec<LocalServer> {
    let found = detect(Ports::from_env()).await;
    tracing::info!(found = found.len(), "looked for local model servers");
    found
}
