//! What the commands share. The database may fail to open; the window still comes up and says why.
use switchyard_engine::chat::Chat;
use switchyard_engine::settings::Settings;

use crate::error::{AppError, AppResult};

pub struct AppState {
    chat: Result<Chat, AppError>,
}

impl AppState {
    pub fn new(chat: Result<Chat, AppError>) -> Self {
        Self { chat }
    }

    pub fn chat(&self) -> AppResult<&Chat> {
        self.chat.as_ref().map_err(Clone::clone)
    }

    pub fn settings(&self) -> AppResult<&Settings> {
        self.chat().map(Chat::settings)
    }
}
