//! Compare: one message answered by the routed model and by one to three others at once, each
//! through [`Engine::send`] (so each call meets the same budgets and writes its own ledger
//! rows); the user then picks the better answer or "about the same", and the conversation
//! continues with the chosen one. The others stay in the conversation as alternatives, shown
//! but never sent upstream.
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use super::{ChatEvent, Engine, SendOptions, SendRequest, Sent};
use crate::error::EngineError;
use crate::store::messages::{ChatMessage, MessageStatus, Role};
use crate::store::votes::{NewVote, VoteKind};
use crate::store::Store;

/// The most models a message can be compared with besides the routed one.
pub const MOST_OTHERS: usize = 3;

/// Which column of a compare a send is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// 0 for the routed model.
    pub column: u32,
    /// The user message a compared column (1..) answers; None for the routed column, which
    /// saves the user message.
    pub answers: Option<i64>,
}

/// A message to compare: sent as `send` is, and also to each of `models`.
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct CompareRequest {
    pub send: SendRequest,
    /// One to three catalog model ids to compare the routed answer with.
    pub models: Vec<String>,
}

/// One event of one column.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CompareEvent {
    pub column: u32,
    pub event: ChatEvent,
}

/// The user's pick: a compared answer, or None for "about the same".
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct ComparePick {
    /// The user message the compare answered.
    #[ts(type = "number")]
    pub compare_of: i64,
    #[ts(type = "number | null")]
    pub chosen: Option<i64>,
}

/// The task and rule a reply was routed under, from its saved decision.
pub(crate) fn task_and_rule(message: &ChatMessage) -> (String, Option<String>) {
    let decision = message.decision.as_ref();
    let field = |name: &str| {
        decision
            .and_then(|d| d.get(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    (
        field("task").unwrap_or_else(|| "general".into()),
        field("rule"),
    )
}

impl Engine {
    /// Sends `request` as [`Engine::send`] does and, once the user message is saved, to each
    /// of `models` at once. Events come tagged with their column (0: the routed model);
    /// cancelling `cancel` stops every column, keeping what arrived. Returns every column's
    /// result, in column order.
    pub async fn compare(
        &self,
        request: CompareRequest,
        options: SendOptions,
        mut on_event: impl FnMut(CompareEvent) + Send,
        cancel: CancellationToken,
    ) -> Result<Vec<Result<Sent, EngineError>>, EngineError> {
        let CompareRequest { send, models } = request;
        let routing = self.routing().await?;
        if models.is_empty() || models.len() > MOST_OTHERS {
            return Err(EngineError::Invalid {
                field: "models".into(),
                message: format!(
                    "Pick one to {MOST_OTHERS} models to compare with (you picked {}).",
                    models.len()
                ),
            });
        }
        for (i, m) in models.iter().enumerate() {
            if routing.catalog.find(m).is_none() {
                return Err(EngineError::Invalid {
                    field: "models".into(),
                    message: format!("'{m}' is not in the model catalog. Pick a listed model."),
                });
            }
            if models[..i].contains(m) {
                return Err(EngineError::Invalid {
                    field: "models".into(),
                    message: format!("'{m}' is picked twice. Pick each model once."),
                });
            }
        }
        let (tx, mut rx) = mpsc::unbounded_channel::<CompareEvent>();
        let (accepted_tx, accepted_rx) = oneshot::channel::<(String, i64)>();
        let routed = {
            let tx = tx.clone();
            let mut accepted = Some(accepted_tx);
            let options = SendOptions {
                compare: Some(Column {
                    column: 0,
                    answers: None,
                }),
                ..options.clone()
            };
            let cancel = cancel.clone();
            let send = send.clone();
            async move {
                self.send(
                    send,
                    options,
                    move |event| {
                        if let ChatEvent::Accepted {
                            conversation, user, ..
                        } = &event
                        {
                            if let Some(a) = accepted.take() {
                                let _ = a.send((conversation.id.clone(), user.id));
                            }
                        }
                        let _ = tx.send(CompareEvent { column: 0, event });
                    },
                    cancel,
                )
                .await
            }
        };
        let others = {
            let tx = tx.clone();
            let cancel = cancel.clone();
            async move {
                // The routed send failed before saving the user message: nothing to compare.
                let Ok((conversation, user)) = accepted_rx.await else {
                    return Vec::new();
                };
                let columns = models.into_iter().enumerate().map(|(i, model)| {
                    let tx = tx.clone();
                    let column = i as u32 + 1;
                    let request = SendRequest {
                        conversation_id: Some(conversation.clone()),
                        text: String::new(),
                        model,
                        mode: super::SendMode::New,
                        model_once: true,
                        system_prompt: None,
                        attachments: Vec::new(),
                    };
                    let options = SendOptions {
                        compare: Some(Column {
                            column,
                            answers: Some(user),
                        }),
                        ..options.clone()
                    };
                    self.send(
                        request,
                        options,
                        move |event| {
                            let _ = tx.send(CompareEvent { column, event });
                        },
                        cancel.clone(),
                    )
                });
                futures_util::future::join_all(columns).await
            }
        };
        drop(tx);
        let run = async { tokio::join!(routed, others) };
        let forward = async {
            while let Some(event) = rx.recv().await {
                on_event(event);
            }
        };
        let ((first, rest), ()) = tokio::join!(run, forward);
        let first = first?;
        let mut all = vec![Ok(first)];
        all.extend(rest);
        Ok(all)
    }

    /// Records the user's pick among the answers of a compare and makes the chosen answer
    /// (the routed one for "about the same") the one the conversation continues with. Picking
    /// again replaces the earlier pick. Returns the answers as saved, by column.
    pub async fn pick_compared(&self, pick: &ComparePick) -> Result<Vec<ChatMessage>, EngineError> {
        let store = &self.settings.store;
        let answers = store.compared(pick.compare_of).await?;
        let routed = answers
            .iter()
            .find(|m| m.compare_column == Some(0))
            .ok_or_else(|| {
                EngineError::NotFound(format!(
                    "Message {} was not compared: there is nothing to pick.",
                    pick.compare_of
                ))
            })?;
        if answers.iter().any(|m| m.status == MessageStatus::Streaming) {
            return Err(EngineError::Invalid {
                field: "chosen".into(),
                message: "The answers are still arriving: pick once they have ended.".into(),
            });
        }
        let chosen = match pick.chosen {
            Some(id) => {
                answers
                    .iter()
                    .find(|m| m.id == id)
                    .ok_or_else(|| EngineError::Invalid {
                        field: "chosen".into(),
                        message: format!("Message {id} is not one of this compare's answers."),
                    })?
            }
            None => routed,
        };
        if chosen.status == MessageStatus::Failed {
            return Err(EngineError::Invalid {
                field: "chosen".into(),
                message: "That answer failed: pick one that has text.".into(),
            });
        }
        let (task, rule) = task_and_rule(routed);
        let routed_model = routed.model.clone().unwrap_or_default();
        let mut votes = Vec::new();
        for other in answers.iter().filter(|m| m.compare_column != Some(0)) {
            let Some(other_model) = other.model.as_deref() else {
                continue;
            };
            if other.status == MessageStatus::Failed || other_model == routed_model {
                continue;
            }
            let result = match pick.chosen {
                None => "tie",
                Some(id) if id == routed.id => "win",
                Some(id) if id == other.id => "loss",
                // Two answers neither of which was the routed one: no result between them.
                Some(_) => continue,
            };
            votes.push((other_model.to_string(), result));
        }
        let new_votes: Vec<NewVote> = votes
            .iter()
            .map(|(other, result)| NewVote {
                kind: VoteKind::Compare,
                conversation_id: Some(&routed.conversation_id),
                message_id: Some(routed.id),
                compare_of: Some(pick.compare_of),
                task: &task,
                rule: rule.as_deref(),
                model: &routed_model,
                other_model: Some(other),
                result,
            })
            .collect();
        if new_votes.is_empty() {
            // Nothing to compare against (every other answer failed): the pick still stands.
            store
                .record_votes(&[NewVote {
                    kind: VoteKind::Compare,
                    conversation_id: Some(&routed.conversation_id),
                    message_id: Some(routed.id),
                    compare_of: Some(pick.compare_of),
                    task: &task,
                    rule: rule.as_deref(),
                    model: &routed_model,
                    other_model: None,
                    result: if pick.chosen.is_none() { "tie" } else { "win" },
                }])
                .await?;
        } else {
            store.record_votes(&new_votes).await?;
        }
        store.choose_compared(pick.compare_of, chosen.id).await?;
        store.compared(pick.compare_of).await
    }
}

/// "Regenerate with…" another model: a signal against the model of the reply being replaced,
/// for its task. Nothing is recorded when the same model answers again.
pub(crate) async fn record_regenerate(
    store: &Store,
    conversation: &str,
    last_user: i64,
    new_model: &str,
) -> Result<(), EngineError> {
    let replaced = store
        .messages(conversation)
        .await?
        .into_iter()
        .find(|m| m.id > last_user && m.role == Role::Assistant && !m.alternative);
    let Some(replaced) = replaced else {
        return Ok(());
    };
    let Some(model) = replaced.model.as_deref() else {
        return Ok(());
    };
    if new_model == "auto" || model == new_model {
        return Ok(());
    }
    let (task, rule) = task_and_rule(&replaced);
    store
        .record_votes(&[NewVote {
            kind: VoteKind::Regenerate,
            conversation_id: Some(conversation),
            message_id: Some(replaced.id),
            compare_of: None,
            task: &task,
            rule: rule.as_deref(),
            model,
            other_model: Some(new_model),
            result: "loss",
        }])
        .await
}
