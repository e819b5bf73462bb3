//! Conversations as the router and the exports see them.
pub mod attachments;
pub mod export;
pub(crate) mod history;
