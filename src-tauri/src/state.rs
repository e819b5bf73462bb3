//! What the commands share. The database may fail to open; the window still comes up and says why.
use switchyard_engine::settings::Settings;

use crate::error::{AppError, AppResult};

pub struct AppState {
    settings: Result<Settings, AppError>,
}

impl AppState {
    pub fn new(settings: Result<Settings, AppError>) -> Self {
        Self { settings }
    }

    pub fn settings(&self) -> AppResult<&Settings> {
        self.settings.as_ref().map_err(Clone::clone)
    }
}
