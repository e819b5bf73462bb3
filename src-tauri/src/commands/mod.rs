pub mod chat;
pub mod providers;
pub mod rules;
pub mod spend;
