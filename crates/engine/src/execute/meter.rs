//! What the executor asks before and after every provider call. The engine's ledger implements
//! it (budgets checked and the call recorded before it is sent, settled when it ends); the
//! executor owns the trait so it depends on nothing above it.
use std::future::Future;
use std::pin::Pin;

use switchyard_router::{Message, Usage};

use super::plan::Target;
use crate::error::ErrorInfo;
use crate::reply::Hop;

pub type MeterFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One call about to be sent.
pub struct CallStart<'a> {
    pub target: &'a Target,
    pub messages: &'a [Message],
    /// The tools the request offers.
    pub tools: Option<&'a crate::providers::tools::Tools>,
    /// The most output tokens the request allows, when it sets a limit.
    pub max_output_tokens: Option<u32>,
    /// 0 for the chain's first model, 1 for the first fallback, …
    pub hop: u32,
    pub attempt: u32,
}

/// What a call is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Billed {
    /// The provider's report, or an estimate when it reported nothing or was not believed.
    pub usage: Usage,
    /// The provider's report when it was not believed (more tokens than the model can take
    /// and give): kept for the record, never priced.
    pub reported: Option<Usage>,
}

/// One call that ended, however it ended.
pub struct CallEnd<'a> {
    pub hop: &'a Hop,
    /// None when the call failed before any text (providers do not bill those).
    pub usage: Option<Billed>,
    pub first_token_ms: Option<u64>,
}

/// A call recorded as in flight; handed back when it is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallTicket(pub i64);

pub trait Meter: Send + Sync {
    /// Checks the budgets and records the call as in flight, in one step. An error skips the
    /// hop with that error.
    fn open<'a>(&'a self, call: CallStart<'a>) -> MeterFuture<'a, Result<CallTicket, ErrorInfo>>;

    /// Settles an in-flight call with what is known. Never fails the request: a call that
    /// cannot be settled now stays in flight and is settled as estimated later.
    fn settle<'a>(&'a self, ticket: CallTicket, end: CallEnd<'a>) -> MeterFuture<'a, ()>;
}
