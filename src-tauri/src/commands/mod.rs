pub mod providers;
pub mod rules;
