//! Conversations as the router and the exports see them.
pub mod export;
pub(crate) mod history;
