//! switchyard-router: which model answers a request. Pure: no clock, no network, no database.
//!
//! ```
//! use switchyard_router::{decide, default_catalog, presets, CompiledRules, Request};
//!
//! let rules = CompiledRules::new(presets::smart_router()).unwrap();
//! let catalog = default_catalog();
//! let decision = decide(&Request::from_prompt("Prove that √2 is irrational."), &rules, &catalog).unwrap();
//! assert_eq!(decision.model, "o1");
//! ```
mod attachment_limits;
pub mod batch;
mod bundled;
mod catalog;
mod compiled;
mod complexity;
mod cost;
mod decide;
mod detector;
mod error;
mod examples;
pub mod grid;
mod keywords;
pub mod litellm;
mod material;
pub mod metrics;
mod money;
mod phrases;
pub mod presets;
mod request;
mod rules;
mod shape;
mod task;
mod tasks;
pub mod tokens;
mod toml_io;
mod trace;
mod validate;

pub use attachment_limits::{
    size as file_size, AttachmentLimits, ImageFacts, LIMITS as ATTACHMENT_LIMITS,
    MAX_ANY_IMAGE_BYTES,
};
pub use batch::decide_batch;
pub use bundled::{default_catalog, PRICES_TAKEN};
pub use catalog::{Catalog, Model};
pub use compiled::CompiledRules;
pub use complexity::{
    Complexity, ComplexityConfig, Factor, FactorWeights, TaskWeight, Tier, TierThresholds,
    TierValues,
};
pub use cost::{fits as fits_context, Cost, Usage};
pub use decide::decide;
pub use detector::{DetectorConfig, ShapeWeights, TaskKeywords};
pub use error::{ConfigError, RouteError};
pub use grid::{
    assign as assign_grid_cells, grid, CellRef, Grid, GridCell, GridException, SkippedModel,
};
pub use money::{PerMtok, Usd};
pub use request::{Image, Message, Request, ToolCall};
pub use rules::{Action, ChainAction, CheapestAction, Condition, Range, Rule, RuleSet, Settings};
pub use task::Task;
pub use tasks::{Evidence, Features, TaskDetection, TaskScore};
pub use toml_io::{from_toml, load, to_toml};
pub use trace::{
    Candidate, CandidateStatus, ComplexitySummary, Decision, RuleOutcome, RuleTrial, TokenEstimate,
    Trace,
};
pub use validate::{validate, Issue, IssueKind};
