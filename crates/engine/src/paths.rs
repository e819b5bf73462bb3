//! Where Switchyard keeps its files. The app and the CLI resolve the same paths.

use std::path::PathBuf;

/// The app's identifier; Tauri's app data directory is `<data dir>/<IDENTIFIER>`.
pub const IDENTIFIER: &str = "dev.switchyard.app";

/// `<data dir>/dev.switchyard.app`, e.g. `~/.local/share/dev.switchyard.app` on Linux.
pub fn data_dir() -> PathBuf {
    dirs::data_dir()
        .unwrap_or_else(|| PathBuf::from("."))
        .join(IDENTIFIER)
}

/// The database file: `SWITCHYARD_DB` when set, else `switchyard.db` in the data directory.
pub fn default_db_path() -> PathBuf {
    match std::env::var_os("SWITCHYARD_DB") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => data_dir().join("switchyard.db"),
    }
}

pub fn log_dir() -> PathBuf {
    data_dir().join("logs")
}
