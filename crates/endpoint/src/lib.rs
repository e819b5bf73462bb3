//! switchyard-endpoint: a local server speaking the OpenAI chat completions and Anthropic
//! messages formats, so editor plugins, scripts and other chat apps go through Switchyard's
//! routing, budgets and ledger. Every request is a call of the engine's one send path
//! (`Engine::route_completion` + `Engine::complete`), source `endpoint`, client = the name of
//! the bearer token it used. `switchyard serve` and the desktop app's Settings → Local endpoint
//! both run [`start`].
mod anthropic;
mod call;
mod call_ids;
mod images;
mod inbound;
mod models;
mod openai;
mod server;
pub mod tokens;
mod wire;

pub use server::{exposure_warning, start, Config, Running, DEFAULT_MAX_BODY_BYTES, DEFAULT_PORT};
