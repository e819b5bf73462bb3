//! The replay's figures: moves, cost per task, requests per rule, what was left out.
use std::collections::{BTreeMap, HashMap};

use switchyard_router::{Catalog, Cost};

use super::rebuild::{Outcome, PastRequest};
use super::{
    Basis, BasisCounts, Choice, Move, NotReplayed, ReplayOptions, ReplayReport, ReplayedRequest,
    RuleCount, TaskCost, Unreplayable,
};
use crate::store::replay::PastConversation;
use crate::store::spend::SpendRange;

/// The estimate under the rules replayed, and what it rests on. Not moved: what was paid.
/// Moved: the answer's recorded tokens at the new model's catalog price (the reply a different
/// model writes differs, so this is an estimate); with no tokens known, what was paid.
fn estimate(r: &PastRequest, after: &Choice, catalog: &Catalog) -> (i64, Basis) {
    if after.model == r.first.model {
        return (r.paid_nusd, Basis::AsPaid);
    }
    match (r.answer, catalog.find(&after.model)) {
        (Some(usage), Some(model)) => {
            let cost = i64::try_from(Cost::of(model, &usage).total.0).unwrap_or(i64::MAX);
            let basis = if usage.estimated {
                Basis::RepricedEstimate
            } else {
                Basis::Repriced
            };
            (cost, basis)
        }
        _ => (r.paid_nusd, Basis::NoTokens),
    }
}

pub(super) fn build(
    range: &SpendRange,
    requests: Vec<PastRequest>,
    conversations: &[PastConversation],
    outcomes: Vec<Outcome>,
    catalog: &Catalog,
    options: &ReplayOptions,
) -> ReplayReport {
    let titles: HashMap<&str, &str> = conversations
        .iter()
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let mut report = ReplayReport {
        from: range.from.clone(),
        to: range.to.clone(),
        requests: requests.len() as u64,
        replayed: 0,
        moved: 0,
        chosen_by_user: 0,
        not_replayed: Vec::new(),
        moves: Vec::new(),
        tasks: Vec::new(),
        rules: Vec::new(),
        paid_nusd: 0,
        estimated_nusd: 0,
        basis: BasisCounts::default(),
    };
    let mut skipped: BTreeMap<(String, Unreplayable), (u64, i64)> = BTreeMap::new();
    let mut tasks: BTreeMap<String, TaskCost> = BTreeMap::new();
    let mut rules: BTreeMap<String, RuleCount> = BTreeMap::new();
    // The moved requests, oldest first: (request, decision now, estimate, basis).
    let mut moved_list: Vec<(usize, Choice, i64, Basis)> = Vec::new();
    for (i, (r, outcome)) in requests.iter().zip(outcomes).enumerate() {
        let after = match outcome {
            Outcome::Routed(after) => after,
            Outcome::Pinned => {
                report.chosen_by_user += 1;
                r.before()
            }
            Outcome::Deleted | Outcome::NoModelFits | Outcome::NotStored => {
                let reason = match outcome {
                    Outcome::Deleted => Unreplayable::Deleted,
                    Outcome::NoModelFits => Unreplayable::NoModelFits,
                    _ => Unreplayable::NotStored,
                };
                let entry = skipped.entry((r.first.source.clone(), reason)).or_default();
                entry.0 += 1;
                entry.1 = entry.1.saturating_add(r.paid_nusd);
                continue;
            }
        };
        let (estimated, basis) = estimate(r, &after, catalog);
        let moved = after.model != r.first.model;
        report.replayed += 1;
        report.moved += u64::from(moved);
        report.paid_nusd = report.paid_nusd.saturating_add(r.paid_nusd);
        report.estimated_nusd = report.estimated_nusd.saturating_add(estimated);
        match basis {
            Basis::AsPaid => report.basis.as_paid += 1,
            Basis::Repriced => report.basis.repriced += 1,
            Basis::RepricedEstimate => report.basis.repriced_estimate += 1,
            Basis::NoTokens => report.basis.no_tokens += 1,
        }
        if !tasks.contains_key(&after.task) {
            tasks.insert(
                after.task.clone(),
                TaskCost {
                    task: after.task.clone(),
                    requests: 0,
                    moved: 0,
                    paid_nusd: 0,
                    estimated_nusd: 0,
                    difference_nusd: 0,
                },
            );
        }
        let task = tasks.get_mut(&after.task).expect("inserted above");
        task.requests += 1;
        task.moved += u64::from(moved);
        task.paid_nusd = task.paid_nusd.saturating_add(r.paid_nusd);
        task.estimated_nusd = task.estimated_nusd.saturating_add(estimated);
        if !rules.contains_key(&after.rule) {
            rules.insert(
                after.rule.clone(),
                RuleCount {
                    rule: after.rule.clone(),
                    requests: 0,
                    moved: 0,
                },
            );
        }
        let rule = rules.get_mut(&after.rule).expect("inserted above");
        rule.requests += 1;
        rule.moved += u64::from(moved);
        if moved {
            moved_list.push((i, after, estimated, basis));
        }
    }
    // Moves by (from, to, task, rule), each with its requests' places in `moved_list`.
    type Key<'a> = (&'a str, &'a str, &'a str, &'a str);
    let mut groups: HashMap<Key<'_>, (Move, Vec<usize>)> = HashMap::new();
    for (at, (i, after, estimated, _)) in moved_list.iter().enumerate() {
        let r = &requests[*i];
        let key = (
            r.first.model.as_str(),
            after.model.as_str(),
            after.task.as_str(),
            after.rule.as_str(),
        );
        let (m, members) = groups.entry(key).or_insert_with(|| {
            let m = Move {
                from: r.first.model.clone(),
                to: after.model.clone(),
                task: after.task.clone(),
                rule: after.rule.clone(),
                count: 0,
                paid_nusd: 0,
                estimated_nusd: 0,
                requests: Vec::new(),
            };
            (m, Vec::new())
        });
        m.count += 1;
        m.paid_nusd = m.paid_nusd.saturating_add(r.paid_nusd);
        m.estimated_nusd = m.estimated_nusd.saturating_add(*estimated);
        members.push(at);
    }
    // Only the requests listed are built: the newest (requests are oldest first).
    report.moves = groups
        .into_values()
        .map(|(mut m, members)| {
            let keep = options.requests_per_move.unwrap_or(usize::MAX);
            m.requests = members
                .iter()
                .rev()
                .take(keep)
                .map(|&at| {
                    let (i, after, estimated, basis) = &moved_list[at];
                    let r = &requests[*i];
                    let conversation_id = r.first.conversation_id.clone().unwrap_or_default();
                    ReplayedRequest {
                        request_id: r.first.id,
                        message_id: r.first.message_id.unwrap_or_default(),
                        at: r.first.at.clone(),
                        source: r.first.source.clone(),
                        conversation_title: titles
                            .get(conversation_id.as_str())
                            .map(|t| (*t).to_string())
                            .unwrap_or_default(),
                        conversation_id,
                        before: r.before(),
                        after: after.clone(),
                        paid_nusd: r.paid_nusd,
                        estimated_nusd: *estimated,
                        basis: *basis,
                    }
                })
                .collect();
            m
        })
        .collect();
    report.not_replayed = skipped
        .into_iter()
        .map(|((source, reason), (requests, paid_nusd))| NotReplayed {
            source,
            reason,
            requests,
            paid_nusd,
        })
        .collect();
    report.moves.sort_by(|a, b| {
        b.count.cmp(&a.count).then_with(|| {
            (&a.from, &a.to, &a.task, &a.rule).cmp(&(&b.from, &b.to, &b.task, &b.rule))
        })
    });
    report.tasks = tasks
        .into_values()
        .map(|mut t| {
            t.difference_nusd = t.estimated_nusd.saturating_sub(t.paid_nusd);
            t
        })
        .collect();
    report.tasks.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then_with(|| a.task.cmp(&b.task))
    });
    report.rules = rules.into_values().collect();
    report.rules.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then_with(|| a.rule.cmp(&b.rule))
    });
    report
}
