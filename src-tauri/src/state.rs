//! What the commands share. The database may fail to open; the window still comes up and says why.
use std::collections::HashMap;
use std::sync::Mutex;

use switchyard_engine::send::Engine;
use switchyard_engine::settings::Settings;
use tokio_util::sync::CancellationToken;

use crate::error::{AppError, AppResult};

/// The local endpoint the app runs (Settings → Local endpoint).
#[derive(Default)]
pub struct EndpointState {
    pub running: Option<switchyard_endpoint::Running>,
    /// Why it did not start when the app opened.
    pub error: Option<String>,
}

pub struct AppState {
    engine: Result<Engine, AppError>,
    pub endpoint: tokio::sync::Mutex<EndpointState>,
    /// The reply streaming in each conversation, to stop it.
    streaming: Mutex<HashMap<String, CancellationToken>>,
}

impl AppState {
    pub fn new(engine: Result<Engine, AppError>) -> Self {
        Self {
            engine,
            endpoint: tokio::sync::Mutex::default(),
            streaming: Mutex::default(),
        }
    }

    pub fn engine(&self) -> AppResult<&Engine> {
        self.engine.as_ref().map_err(Clone::clone)
    }

    pub fn settings(&self) -> AppResult<&Settings> {
        self.engine().map(Engine::settings)
    }

    /// Remembers `token` as the one that stops the reply streaming in `conversation`.
    pub fn register(&self, conversation: &str, token: CancellationToken) {
        self.streaming
            .lock()
            .expect("streaming map")
            .insert(conversation.to_string(), token);
    }

    pub fn done_streaming(&self, conversation: &str) {
        self.streaming
            .lock()
            .expect("streaming map")
            .remove(conversation);
    }

    /// Stops the reply streaming in `conversation`; false when none is.
    pub fn stop(&self, conversation: &str) -> bool {
        let token = self
            .streaming
            .lock()
            .expect("streaming map")
            .remove(conversation);
        token.map(|t| t.cancel()).is_some()
    }
}
