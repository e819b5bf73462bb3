//! switchyard-engine: everything with I/O. Providers and streaming, the keychain, the SQLite store.
pub mod connection;
pub mod error;
pub mod paths;
pub mod provider;
pub mod secrets;
pub mod settings;
pub mod store;

pub use error::EngineError;
