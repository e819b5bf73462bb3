//! Past requests from the ledger's calls, and each one routed again as the router first saw it.
use std::collections::HashMap;

use switchyard_router::batch::{default_threads, map_ordered};
use switchyard_router::{decide, Catalog, CompiledRules, Message, Request, RouteError, Usage};

use super::{Choice, ReplayOptions};
use crate::chat::history::is_said;
use crate::send::CHOSEN_BY_YOU;
use crate::store::replay::{PastCall, PastConversation};

/// Outcomes of a call that produced the reply the user saw.
const ANSWERING: [&str; 4] = ["answered", "partial", "stopped", "interrupted"];

/// One past request: its calls, summed.
#[derive(Debug, Clone)]
pub(super) struct PastRequest {
    /// Its first call (the model the decision sent it to first).
    pub first: PastCall,
    /// Every call's cost, fallbacks and corrections included.
    pub paid_nusd: i64,
    /// The tokens of the call that answered, when any did and they are believable.
    pub answer: Option<Usage>,
}

impl PastRequest {
    pub fn before(&self) -> Choice {
        Choice {
            model: self.first.model.clone(),
            rule: self.first.rule.clone().unwrap_or_default(),
            task: self.first.task.clone().unwrap_or_default(),
        }
    }

    /// The user chose the model for the conversation: the rules did not route it.
    pub fn pinned(&self) -> bool {
        self.first.rule.as_deref() == Some(CHOSEN_BY_YOU)
    }
}

/// What routing a past request again gave.
#[derive(Debug, Clone)]
pub(super) enum Outcome {
    Routed(Choice),
    /// The user chose the model; not routed.
    Pinned,
    /// Its conversation or prompt is gone.
    Deleted,
    /// No enabled model fits it.
    NoModelFits,
    /// Its prompt was never saved (no message to rebuild it from).
    NotStored,
}

/// The ledger's calls grouped into requests, oldest first. A call of the app or the CLI names
/// the assistant message it answered, which groups a request's calls exactly; the endpoint's
/// calls name none, so each request there starts at a first call (hop 0, attempt 1) and takes
/// the calls after it.
pub(super) fn requests(calls: Vec<PastCall>) -> Vec<PastRequest> {
    let mut out: Vec<PastRequest> = Vec::new();
    let mut by_message: HashMap<i64, usize> = HashMap::new();
    let mut last_unlinked: Option<usize> = None;
    for call in calls {
        let at = match call.message_id {
            Some(m) => by_message.get(&m).copied(),
            None => {
                let starts = call.outcome != "correction" && call.hop == 0 && call.attempt == 1;
                if starts {
                    None
                } else {
                    last_unlinked
                }
            }
        };
        let answer = answer_tokens(&call);
        match at {
            Some(i) => {
                let r = &mut out[i];
                r.paid_nusd = r.paid_nusd.saturating_add(call.cost_nusd);
                if answer.is_some() {
                    r.answer = answer;
                }
            }
            None => {
                if let Some(m) = call.message_id {
                    by_message.insert(m, out.len());
                } else {
                    last_unlinked = Some(out.len());
                }
                out.push(PastRequest {
                    paid_nusd: call.cost_nusd,
                    answer,
                    first: call,
                });
            }
        }
    }
    out
}

/// The tokens a call answered with: none for a call that did not answer, and none when the
/// provider's report was not believed (the `implausible` flag).
fn answer_tokens(call: &PastCall) -> Option<Usage> {
    let answered = ANSWERING.contains(&call.outcome.as_str());
    let tokens = call.input_tokens > 0 || call.output_tokens > 0;
    (answered && tokens && call.usage_flag.is_none()).then_some(Usage {
        input_tokens: call.input_tokens,
        output_tokens: call.output_tokens,
        cached_input_tokens: call.cached_tokens,
        reasoning_tokens: call.reasoning_tokens,
        estimated: call.cost_estimated,
    })
}

/// The requests of one conversation, by index, in message order.
struct Work<'a> {
    conversation: &'a PastConversation,
    requests: Vec<usize>,
}

/// Every request routed again, by index into `requests`. Each conversation is rebuilt once,
/// message by message, and each request in it is decided on its history so far (system prompt
/// included), as the send path built it; conversations are spread over every core by the
/// router's batch path. Token counts are the fast approximation.
pub(super) fn route(
    requests: &[PastRequest],
    conversations: &[PastConversation],
    rules: &CompiledRules,
    catalog: &Catalog,
    options: &ReplayOptions,
) -> Vec<Outcome> {
    let mut outcomes = vec![Outcome::NotStored; requests.len()];
    let index: HashMap<&str, usize> = conversations
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), i))
        .collect();
    let mut work: Vec<Work> = conversations
        .iter()
        .map(|conversation| Work {
            conversation,
            requests: Vec::new(),
        })
        .collect();
    for (i, r) in requests.iter().enumerate() {
        if r.first.message_id.is_none() {
            continue;
        }
        let found = r
            .first
            .conversation_id
            .as_deref()
            .and_then(|c| index.get(c));
        match found {
            Some(&c) => work[c].requests.push(i),
            None => outcomes[i] = Outcome::Deleted,
        }
    }
    for w in &mut work {
        w.requests.sort_by_key(|&i| requests[i].first.message_id);
    }
    let routed = map_ordered(&work, default_threads(), |w| {
        replay_conversation(w, requests, rules, catalog, options)
    });
    for (w, results) in work.iter().zip(routed) {
        for (&i, outcome) in w.requests.iter().zip(results) {
            outcomes[i] = outcome;
        }
    }
    outcomes
}

fn replay_conversation(
    work: &Work,
    requests: &[PastRequest],
    rules: &CompiledRules,
    catalog: &Catalog,
    options: &ReplayOptions,
) -> Vec<Outcome> {
    let c = work.conversation;
    let mut request = Request {
        unavailable: options.unavailable.clone(),
        ..Request::default()
    };
    if let Some(system) = c
        .system_prompt
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        request.messages.push(Message::text("system", system));
    }
    let mut next = 0;
    let mut asked = false;
    let mut out = Vec::with_capacity(work.requests.len());
    for &i in &work.requests {
        let r = &requests[i];
        let upto = r.first.message_id.unwrap_or(i64::MAX);
        while let Some(m) = c.messages.get(next).filter(|m| m.id < upto) {
            // A plain-ASCII reply comes without its text (the store read only its length):
            // as many spaces stand in for it, which the router counts as the same tokens
            // (a quarter per ASCII byte), and it reads no reply's words, only the last
            // user message's.
            let content = match &m.content {
                Some(text) if is_said(m.user, m.failed, text) => Some(text.clone()),
                Some(_) => None,
                None => Some(" ".repeat(m.bytes)),
            };
            if let Some(content) = content {
                request.messages.push(Message::text(
                    if m.user { "user" } else { "assistant" },
                    content,
                ));
                asked |= m.user;
            }
            next += 1;
        }
        out.push(if r.pinned() {
            Outcome::Pinned
        } else if !asked {
            Outcome::Deleted
        } else {
            match decide(&request, rules, catalog) {
                Ok(d) => Outcome::Routed(Choice {
                    model: d.model,
                    rule: d.rule,
                    task: d.task.as_str().to_string(),
                }),
                Err(RouteError::NoModelFits { .. }) => Outcome::NoModelFits,
                // Checked before routing: the catalog has an enabled model and the
                // conversation a message.
                Err(RouteError::EmptyConversation | RouteError::NoEnabledModel) => Outcome::Deleted,
            }
        });
    }
    out
}
