//! switchyard-engine: everything with I/O. Providers and streaming, the keychain, the SQLite store.
pub mod availability;
pub mod budget;
pub mod chat;
pub mod connection;
pub mod error;
pub mod execute;
pub mod local_servers;
pub mod money;
pub mod paths;
pub mod provider;
pub mod providers;
pub mod quality;
pub mod redact;
pub mod redirect;
pub mod replay;
pub mod reply;
pub mod routing;
pub mod secrets;
pub mod send;
pub mod settings;
pub mod store;

pub use error::{EngineError, ErrorCode, ErrorInfo};
/// The router, for the desktop shell, which depends on the engine alone.
pub use switchyard_router as router;
