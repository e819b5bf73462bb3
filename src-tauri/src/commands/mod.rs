pub mod chat;
pub mod providers;
pub mod rules;
