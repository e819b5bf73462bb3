//! The chat: a user message in, a routed and streamed reply out, everything saved as it happens.
//! The assistant's row is written before the first token and updated as text arrives, so a
//! crash, a stop or a failure keeps what came.
mod events;
pub mod export;
mod history;
pub mod ledger;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use switchyard_router::{decide, Catalog, CompiledRules, Decision, Message, Request};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub use events::{ChatEvent, SendMode, SendRequest};

use crate::budget::Budgets;
use crate::error::EngineError;
use crate::execute::{
    plan, Executor, Hop, HopError, HopOutcome, Plan, Reply, ReplyEvent, ReplyStatus,
};
use crate::settings::Settings;
use crate::store::conversations::Conversation;
use crate::store::messages::{ChatMessage, Finished, MessageStatus, Role};
use crate::store::providers::ProviderRow;
use crate::usage::{Cost, Usage};

/// How often streamed text is written to the database.
const SAVE_EVERY: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub struct Chat {
    settings: Settings,
    executor: Executor,
    budgets: Budgets,
    /// Where the ledger rows say they came from: `app` or `cli`.
    source: &'static str,
    active: Arc<Mutex<HashMap<String, CancellationToken>>>,
}

/// The rules and catalog a send routes with.
pub struct Routing {
    pub rules: CompiledRules,
    pub catalog: Catalog,
}

impl Chat {
    pub fn new(settings: Settings, executor: Executor, source: &'static str) -> Self {
        Self {
            budgets: Budgets::new(settings.store.clone()),
            settings,
            executor,
            source,
            active: Arc::default(),
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// Stops the reply streaming in `conversation_id`; false when none is.
    pub fn stop(&self, conversation_id: &str) -> bool {
        let token = self
            .active
            .lock()
            .expect("active map")
            .remove(conversation_id);
        token.map(|t| t.cancel()).is_some()
    }

    pub async fn routing(&self) -> Result<Routing, EngineError> {
        let (set, catalog) = self.settings.store.routing().await?;
        let rules = CompiledRules::new(set).map_err(|issues| EngineError::Invalid {
            field: "rules".into(),
            message: format!(
                "The saved routing rules are not valid ({}). Fix them on the Rules screen.",
                issues
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        })?;
        Ok(Routing { rules, catalog })
    }

    /// Saves the user's message, routes it, streams the reply through `on_event`, and returns the
    /// assistant message as saved.
    pub async fn send(
        &self,
        request: SendRequest,
        mut on_event: impl FnMut(ChatEvent) + Send,
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        let model_choice = normalise_model(&request.model);
        let routing = self.routing().await?;
        if model_choice != "auto" && routing.catalog.find(&model_choice).is_none() {
            return Err(EngineError::Invalid {
                field: "model".into(),
                message: format!(
                    "'{model_choice}' is not in the model catalog. Choose Auto or a listed model."
                ),
            });
        }
        let conversation = self.conversation_for(&request, &model_choice).await?;
        let user = self
            .user_message(&conversation, &request, &model_choice)
            .await?;
        let history = store.messages(&conversation.id).await?;
        let messages = history::to_messages(&history);

        let decision = route(&messages, &model_choice, &routing)?;
        let assistant = store
            .insert_message(
                &conversation.id,
                Role::Assistant,
                "",
                MessageStatus::Streaming,
                Some(&model_choice),
            )
            .await?;
        let decision_json = serde_json::to_value(&decision).expect("decisions serialize");
        store
            .set_message_decision(assistant.id, &decision_json)
            .await?;
        let assistant = store.message(assistant.id).await?;
        on_event(ChatEvent::Accepted {
            conversation: conversation.clone(),
            user: Box::new(user),
            assistant: Box::new(assistant.clone()),
        });

        let providers = store.list_providers().await?;
        let mut chain = plan::chain(&decision);
        self.budgets
            .extend_chain(&mut chain, &routing.catalog)
            .await?;
        // Held until the ledger rows are written, so the reservation outlives the reply.
        let gate = Arc::new(self.budgets.gate(routing.catalog.clone()));
        let plan = match Plan::from_settings(&self.settings, &chain, &routing.catalog).await {
            Ok(plan) => plan,
            Err(e) => {
                let reply = failed_reply(e.code(), &e.to_string());
                return self
                    .finish(
                        &assistant,
                        &reply,
                        false,
                        &decision,
                        &routing.catalog,
                        &providers,
                        &mut on_event,
                    )
                    .await;
            }
        };

        let token = CancellationToken::new();
        self.active
            .lock()
            .expect("active map")
            .insert(conversation.id.clone(), token.clone());
        let result = self
            .stream(
                &assistant,
                plan,
                messages,
                &providers,
                &token,
                gate.clone(),
                &mut on_event,
            )
            .await;
        self.active
            .lock()
            .expect("active map")
            .remove(&conversation.id);
        let (reply, stopped) = result?;
        let saved = self
            .finish(
                &assistant,
                &reply,
                stopped,
                &decision,
                &routing.catalog,
                &providers,
                &mut on_event,
            )
            .await;
        drop(gate);
        saved
    }

    async fn conversation_for(
        &self,
        request: &SendRequest,
        model: &str,
    ) -> Result<Conversation, EngineError> {
        let store = &self.settings.store;
        match &request.conversation_id {
            Some(id) => {
                let c = store.conversation(id).await?;
                if c.model != model {
                    return store.set_conversation_model(id, model).await;
                }
                Ok(c)
            }
            None => store.create_conversation(&request.text, model).await,
        }
    }

    async fn user_message(
        &self,
        conversation: &Conversation,
        request: &SendRequest,
        model: &str,
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        let empty = || EngineError::Invalid {
            field: "text".into(),
            message: "Type a message first.".into(),
        };
        if request.mode == SendMode::New {
            if request.text.trim().is_empty() {
                return Err(empty());
            }
            return store
                .insert_message(
                    &conversation.id,
                    Role::User,
                    &request.text,
                    MessageStatus::Complete,
                    Some(model),
                )
                .await;
        }
        let last_user = store
            .messages(&conversation.id)
            .await?
            .into_iter()
            .rev()
            .find(|m| m.role == Role::User)
            .ok_or_else(|| EngineError::Invalid {
                field: "mode".into(),
                message: "There is no message to answer again in this conversation.".into(),
            })?;
        if request.mode == SendMode::EditLast {
            if request.text.trim().is_empty() {
                return Err(empty());
            }
            store
                .update_message_content(last_user.id, &request.text)
                .await?;
        }
        store
            .delete_messages_after(&conversation.id, last_user.id)
            .await?;
        store.touch_conversation(&conversation.id).await?;
        store.message(last_user.id).await
    }

    /// Streams the plan's reply, saving text as it comes. Returns the reply and whether the user
    /// stopped it.
    #[allow(clippy::too_many_arguments)]
    async fn stream(
        &self,
        assistant: &ChatMessage,
        plan: Plan,
        messages: Vec<Message>,
        providers: &[ProviderRow],
        token: &CancellationToken,
        gate: Arc<crate::budget::RequestGate>,
        on_event: &mut (impl FnMut(ChatEvent) + Send),
    ) -> Result<(Reply, bool), EngineError> {
        let store = &self.settings.store;
        let started = Instant::now();
        let targets = plan.targets.clone();
        let mut events = self
            .executor
            .stream_gated(plan, messages.clone(), None, Some(gate));
        let mut text = String::new();
        let mut answering: Option<(String, String)> = None;
        let mut first_token_ms = None;
        let mut hops: Vec<Hop> = Vec::new();
        let mut last_save = Instant::now();
        let mut saved_len = 0;
        loop {
            let event = tokio::select! {
                _ = token.cancelled() => break,
                event = events.next() => event,
            };
            match event {
                Some(ReplyEvent::Started { model, provider }) => {
                    answering = Some((model.clone(), provider.clone()));
                    let name = provider_name(providers, &provider);
                    store
                        .save_progress(assistant.id, &text, Some(&model), Some(&name))
                        .await?;
                    on_event(ChatEvent::Started {
                        model,
                        provider: name,
                    });
                }
                Some(ReplyEvent::Text { delta }) => {
                    first_token_ms.get_or_insert_with(|| started.elapsed().as_millis() as u64);
                    text.push_str(&delta);
                    on_event(ChatEvent::Text { delta });
                    if last_save.elapsed() >= SAVE_EVERY {
                        store.save_progress(assistant.id, &text, None, None).await?;
                        last_save = Instant::now();
                        saved_len = text.len();
                    }
                }
                Some(ReplyEvent::Hop { hop }) => {
                    hops.push(hop.clone());
                    on_event(ChatEvent::Hop { hop });
                }
                Some(ReplyEvent::Done { reply }) => return Ok((*reply, false)),
                None => break,
            }
        }
        // Stopped by the user (or the stream ended without its last event): keep what arrived.
        drop(events);
        if text.len() != saved_len {
            store.save_progress(assistant.id, &text, None, None).await?;
        }
        let latency_ms = started.elapsed().as_millis() as u64;
        let model = answering
            .as_ref()
            .and_then(|(id, _)| targets.iter().find(|t| &t.model.id == id));
        let usage = Usage::estimate(&messages, &text);
        let mut reply = Reply {
            status: if text.is_empty() {
                ReplyStatus::Failed
            } else {
                ReplyStatus::Partial
            },
            model: answering.as_ref().map(|(m, _)| m.clone()),
            provider: answering.as_ref().map(|(_, p)| p.clone()),
            text,
            finish: None,
            usage: model.map(|_| usage),
            cost: model.map(|t| Cost::of(&t.model, &usage)),
            hops,
            latency_ms,
            first_token_ms,
            error: Some(crate::execute::ReplyError {
                code: "stopped".into(),
                message: "Stopped by you.".into(),
            }),
            failing_keys: Vec::new(),
        };
        if let Some((model, provider)) = &answering {
            reply.hops.push(Hop {
                model: model.clone(),
                provider: provider.clone(),
                attempt: 1,
                outcome: HopOutcome::Partial,
                error: Some(HopError {
                    code: "stopped".into(),
                    message: "Stopped by you.".into(),
                    status: None,
                }),
                latency_ms,
                retry_in_ms: None,
            });
        }
        Ok((reply, true))
    }

    #[allow(clippy::too_many_arguments)]
    async fn finish(
        &self,
        assistant: &ChatMessage,
        reply: &Reply,
        stopped: bool,
        decision: &Decision,
        catalog: &Catalog,
        providers: &[ProviderRow],
        on_event: &mut (impl FnMut(ChatEvent) + Send),
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        let status = match (stopped, reply.status) {
            (true, _) => MessageStatus::Stopped,
            (false, ReplyStatus::Complete) => MessageStatus::Complete,
            (false, ReplyStatus::Partial) => MessageStatus::Partial,
            (false, ReplyStatus::Failed) => MessageStatus::Failed,
        };
        let mut details = serde_json::to_value(reply).expect("replies serialize");
        // The text is the message's content; keeping it twice would double every reply's size.
        details["text"] = serde_json::Value::String(String::new());
        let saved = store
            .finish_message(
                assistant.id,
                Finished {
                    content: &reply.text,
                    status,
                    model: reply.model.as_deref(),
                    provider: reply
                        .provider
                        .as_deref()
                        .map(|id| provider_name(providers, id))
                        .as_deref(),
                    details: Some(&details),
                },
            )
            .await?;
        let baseline = store.baseline_setting().await?;
        let cx = ledger::Context {
            source: self.source,
            baseline: baseline.as_deref(),
            conversation_id: Some(&assistant.conversation_id),
            message_id: Some(assistant.id),
            decision: Some(decision),
            catalog,
            providers,
            stopped,
        };
        store.record_usage(&ledger::rows(reply, &cx)).await?;
        store.touch_conversation(&assistant.conversation_id).await?;
        on_event(ChatEvent::Done {
            message: Box::new(saved.clone()),
        });
        Ok(saved)
    }
}

/// Messages show the provider's name; the ledger keeps its id too.
pub(crate) fn provider_name(providers: &[ProviderRow], id: &str) -> String {
    providers
        .iter()
        .find(|p| p.id == id)
        .map_or_else(|| id.to_string(), |p| p.name.clone())
}

fn normalise_model(model: &str) -> String {
    let m = model.trim();
    if m.is_empty() || m.eq_ignore_ascii_case("auto") {
        "auto".into()
    } else {
        m.to_string()
    }
}

/// Auto asks the router; a chosen model still gets the router's trace, with the choice first.
fn route(messages: &[Message], model: &str, routing: &Routing) -> Result<Decision, EngineError> {
    let mut request = Request {
        messages: messages.to_vec(),
        ..Request::default()
    };
    request.count_openai_tokens();
    let mut decision =
        decide(&request, &routing.rules, &routing.catalog).map_err(|e| EngineError::Invalid {
            field: "text".into(),
            message: e.to_string(),
        })?;
    if model != "auto" {
        let chosen = routing.catalog.find(model).expect("checked by the caller");
        decision.trace.reason = format!(
            "You chose {} for this conversation. Auto would have picked {} ({}).",
            chosen.id, decision.model, decision.trace.reason
        );
        decision.model = chosen.id.clone();
        decision.provider = chosen.provider.clone();
        decision.api_model = chosen.api_name().to_string();
        decision.fallbacks.clear();
        decision.rule = "chosen by you".into();
    }
    Ok(decision)
}

fn failed_reply(code: &str, message: &str) -> Reply {
    Reply {
        status: ReplyStatus::Failed,
        model: None,
        provider: None,
        text: String::new(),
        finish: None,
        usage: None,
        cost: None,
        hops: Vec::new(),
        latency_ms: 0,
        first_token_ms: None,
        error: Some(crate::execute::ReplyError {
            code: code.into(),
            message: message.into(),
        }),
        failing_keys: Vec::new(),
    }
}
