//! The one send path. The app's command, `switchyard chat` and the local endpoint hand
//! [`Engine::send`] a request, its source, a sink for events and a cancellation token; it routes,
//! plans, checks budgets, carries out the chain with retries and fallback, and saves the
//! messages and the ledger as it goes, so a crash, a stop or a failure keeps what came.
mod cache;
mod events;
pub mod meter;
mod sink;

use std::collections::HashMap;
use std::time::Duration;

use switchyard_router::{
    decide, CandidateStatus, Catalog, CompiledRules, Decision, Message, Request,
};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub use events::{ChatEvent, SendMode, SendRequest};
pub use meter::{baseline_model, Source};

use crate::availability::{self, ModelAvailability};
use crate::budget::Budgets;
use crate::chat::history;
use crate::error::{EngineError, ErrorCode};
use crate::execute::{plan, Executor, Plan};
use crate::provider::Provider;
use crate::reply::{Reply, ReplyStatus};
use crate::secrets::Secret;
use crate::settings::Settings;
use crate::store::conversations::Conversation;
use crate::store::messages::{ChatMessage, Finished, MessageStatus, Role};
use cache::ProviderCache;
use meter::{Metering, RequestContext};
use sink::ChannelSink;

/// The rule a decision names when the user chose the model for the conversation (not Auto).
pub const CHOSEN_BY_YOU: &str = "chosen by you";

/// How often streamed text is written to the database.
const SAVE_EVERY: Duration = Duration::from_millis(250);

/// The engine: settings, the executor and the budgets of one database. Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    settings: Settings,
    executor: Executor,
    budgets: Budgets,
    /// Providers and keys kept in memory (see [`Engine::caching_providers`]); None reads them
    /// for every request.
    cache: Option<std::sync::Arc<ProviderCache>>,
}

/// The rules and catalog a send routes with.
#[derive(Clone)]
pub struct Routing {
    pub rules: CompiledRules,
    pub catalog: Catalog,
}

/// What a send produced: the assistant message as saved, the reply it holds, and the decision.
pub struct Sent {
    pub message: ChatMessage,
    pub reply: Reply,
    pub decision: Decision,
}

/// How one send differs from the defaults.
#[derive(Clone)]
pub struct SendOptions {
    pub source: Source,
    /// Route with these instead of the saved rules (`switchyard chat --rules FILE`).
    pub routing: Option<Routing>,
    pub max_output_tokens: Option<u32>,
    /// Who asked, for the ledger: the endpoint token's name.
    pub client: Option<String>,
}

impl SendOptions {
    pub fn from(source: Source) -> Self {
        Self {
            source,
            routing: None,
            max_output_tokens: None,
            client: None,
        }
    }
}

/// A request whose conversation the caller keeps (the local endpoint's clients): nothing is
/// saved but the ledger rows of its provider calls.
#[derive(Debug, Clone)]
pub struct Completion {
    pub messages: Vec<Message>,
    /// `auto` (the routing decides) or a catalog model id (it answers, with no fallback).
    pub model: String,
}

/// A completion with its decision made, ready for [`Engine::complete`].
pub struct Routed {
    messages: Vec<Message>,
    routing: Routing,
    providers: Vec<Provider>,
    decision: Decision,
    options: SendOptions,
}

impl Routed {
    pub fn decision(&self) -> &Decision {
        &self.decision
    }
}

/// What a completion produced.
pub struct Completed {
    pub reply: Reply,
    pub decision: Decision,
}

impl Routing {
    /// The same routing with only the enabled rule `name`, made to match every request (the
    /// endpoint's `switchyard/<rule>`); None when there is no such rule.
    pub fn only_rule(&self, name: &str) -> Option<Routing> {
        let set = self.rules.rule_set();
        let mut rule = set
            .rules
            .iter()
            .find(|r| r.enabled && r.name == name)?
            .clone();
        rule.when.clear();
        let mut only = set.clone();
        only.rules = vec![rule];
        let rules = CompiledRules::new(only).ok()?;
        Some(Routing {
            rules,
            catalog: self.catalog.clone(),
        })
    }
}

impl Engine {
    pub fn new(settings: Settings, executor: Executor) -> Self {
        Self {
            budgets: Budgets::new(settings.store.clone()),
            settings,
            executor,
            cache: None,
        }
    }

    /// The same engine, keeping providers, their key state and keys in memory for `fresh_for`
    /// instead of reading the database and the keychain for every request: for the local
    /// endpoint, where keychain round trips would be most of a request's overhead. A provider or
    /// key changed elsewhere is seen within `fresh_for`.
    pub fn caching_providers(&self, fresh_for: Duration) -> Self {
        Self {
            cache: Some(std::sync::Arc::new(ProviderCache::new(fresh_for))),
            ..self.clone()
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn budgets(&self) -> &Budgets {
        &self.budgets
    }

    /// The saved rules and catalog, compiled.
    pub async fn routing(&self) -> Result<Routing, EngineError> {
        let (set, catalog) = self.settings.store.routing().await?;
        let rules = CompiledRules::new(set).map_err(|issues| {
            EngineError::coded(
                ErrorCode::InvalidRules,
                format!(
                    "The saved routing rules are not valid ({}). Fix them on the Rules screen.",
                    issues
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            )
        })?;
        Ok(Routing { rules, catalog })
    }

    /// Whether each model of `catalog` can be called now.
    pub async fn availability(
        &self,
        catalog: &Catalog,
    ) -> Result<Vec<ModelAvailability>, EngineError> {
        let providers = self.settings.list().await?;
        Ok(availability::of_models(&catalog.models, &providers))
    }

    /// What sending `request` now would route to, with nothing saved or sent: the same history,
    /// saved rules, availability and token counts as [`Engine::send`], so the composer's preview
    /// and the send agree.
    pub async fn preview(&self, request: &SendRequest) -> Result<Decision, EngineError> {
        let model_choice = normalise_model(&request.model);
        let routing = self.routing().await?;
        check_model(&model_choice, &routing)?;
        let providers = self.settings.list().await?;
        let store = &self.settings.store;
        let (system, mut messages) = match &request.conversation_id {
            Some(id) => (
                store.conversation(id).await?.system_prompt,
                history::to_messages(&store.messages(id).await?),
            ),
            None => (request.system_prompt.clone(), Vec::new()),
        };
        with_system(&mut messages, system.as_deref());
        messages.push(Message {
            role: "user".into(),
            content: request.text.clone(),
        });
        route(&messages, &model_choice, &routing, &providers)
    }

    /// Saves the user's message, routes it, streams the reply into `on_event`, and returns the
    /// assistant message as saved. Cancelling `cancel` stops the reply and keeps what came.
    pub async fn send(
        &self,
        request: SendRequest,
        options: SendOptions,
        mut on_event: impl FnMut(ChatEvent) + Send,
        cancel: CancellationToken,
    ) -> Result<Sent, EngineError> {
        if request.mode != SendMode::Regenerate && request.text.trim().is_empty() {
            return Err(EngineError::Invalid {
                field: "text".into(),
                message: "Type a message first: an empty prompt is not sent.".into(),
            });
        }
        let store = &self.settings.store;
        let model_choice = normalise_model(&request.model);
        let routing = match options.routing.clone() {
            Some(r) => r,
            None => self.routing().await?,
        };
        check_model(&model_choice, &routing)?;
        let providers = self.providers_for_calls().await?;
        let conversation = self.conversation_for(&request, &model_choice).await?;
        let user = self
            .user_message(&conversation, &request, &model_choice)
            .await?;
        let mut messages = history::to_messages(&store.messages(&conversation.id).await?);
        with_system(&mut messages, conversation.system_prompt.as_deref());
        let decision = route(&messages, &model_choice, &routing, &providers)?;

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

        let context = RequestContext {
            source: options.source,
            conversation_id: Some(conversation.id.clone()),
            message_id: Some(assistant.id),
            task: Some(decision.task.as_str().to_string()),
            rule: Some(decision.rule.clone()),
            tier: Some(decision.complexity.tier.as_str().to_string()),
            complexity_score: Some(decision.complexity.score),
            client: options.client.clone(),
        };
        let names = provider_names(&providers);
        let (tx, rx) = mpsc::unbounded_channel();
        let run = self.carry_out(
            &decision, &routing, &providers, &messages, &options, context, tx, &cancel,
        );
        let (reply, saved) = tokio::join!(run, self.relay(&assistant, rx, &mut on_event));
        let reply = reply?;
        saved?;
        let message = self
            .finish(&assistant, &reply, &names, &mut on_event)
            .await?;
        Ok(Sent {
            message,
            reply,
            decision,
        })
    }

    /// Routes a conversation the caller keeps (the local endpoint's clients): the first half
    /// of [`Engine::complete`], so the caller knows the decision before any text.
    pub async fn route_completion(
        &self,
        completion: Completion,
        options: SendOptions,
    ) -> Result<Routed, EngineError> {
        if !completion
            .messages
            .iter()
            .any(|m| m.role == "user" && !m.content.trim().is_empty())
        {
            return Err(EngineError::Invalid {
                field: "messages".into(),
                message: "The request has no user message with text: an empty prompt is not sent."
                    .into(),
            });
        }
        let routing = match &options.routing {
            Some(r) => r.clone(),
            None => self.routing().await?,
        };
        let model_choice = normalise_model(&completion.model);
        check_model(&model_choice, &routing)?;
        let providers = self.providers_for_calls().await?;
        let decision = route(&completion.messages, &model_choice, &routing, &providers)?;
        Ok(Routed {
            messages: completion.messages,
            routing,
            providers,
            decision,
            options,
        })
    }

    /// Answers a routed conversation through the same budgets, retries, fallback and ledger
    /// as [`Engine::send`], saving nothing but the ledger. Events are `Started`, `Text` and
    /// `Hop`. Cancelling `cancel` stops the reply; what was used is billed.
    pub async fn complete(
        &self,
        routed: Routed,
        mut on_event: impl FnMut(ChatEvent) + Send,
        cancel: CancellationToken,
    ) -> Result<Completed, EngineError> {
        let Routed {
            messages,
            routing,
            providers,
            decision,
            options,
        } = routed;
        let context = RequestContext {
            source: options.source,
            conversation_id: None,
            message_id: None,
            task: Some(decision.task.as_str().to_string()),
            rule: Some(decision.rule.clone()),
            tier: Some(decision.complexity.tier.as_str().to_string()),
            complexity_score: Some(decision.complexity.score),
            client: options.client.clone(),
        };
        let (tx, mut rx) = mpsc::unbounded_channel();
        let run = self.carry_out(
            &decision, &routing, &providers, &messages, &options, context, tx, &cancel,
        );
        let forward = async {
            while let Some(event) = rx.recv().await {
                on_event(event);
            }
        };
        let (reply, ()) = tokio::join!(run, forward);
        Ok(Completed {
            reply: reply?,
            decision,
        })
    }

    /// The providers with their key state and the secret header values calls need (which
    /// only the keychain holds).
    async fn providers_for_calls(&self) -> Result<Vec<Provider>, EngineError> {
        match &self.cache {
            Some(cache) => Ok(cache.get(&self.settings).await?.providers.clone()),
            None => read_providers(&self.settings).await,
        }
    }

    /// The keys of the enabled providers `chain` may use. A key that cannot be read leaves its
    /// provider out; availability has already said why.
    async fn keys_for(
        &self,
        chain: &[String],
        catalog: &Catalog,
        providers: &[Provider],
    ) -> HashMap<String, Secret> {
        let cached = match &self.cache {
            Some(cache) => cache.get(&self.settings).await.ok(),
            None => None,
        };
        let mut keys = HashMap::new();
        for id in chain {
            let Some(model) = catalog.find(id) else {
                continue;
            };
            let found = availability::of_model(model, providers);
            let Some(provider) = found.provider_id.filter(|_| found.available) else {
                continue;
            };
            if keys.contains_key(&provider) {
                continue;
            }
            let key = match &cached {
                Some(snapshot) => snapshot.keys.get(&provider).cloned(),
                None => self.settings.key(&provider).await.ok().flatten(),
            };
            if let Some(key) = key {
                keys.insert(provider, key);
            }
        }
        keys
    }
}

/// The providers with their key state and the secret header values calls need (which only the
/// keychain holds).
async fn read_providers(settings: &Settings) -> Result<Vec<Provider>, EngineError> {
    let mut providers = settings.list().await?;
    for row in settings.providers_for_calls().await? {
        if let Some(p) = providers.iter_mut().find(|p| p.id == row.id) {
            p.row = row;
        }
    }
    Ok(providers)
}

impl Engine {
    /// Carries out a decision: its chain (with the rule's models that cannot be called shown
    /// as skipped, and a budget's downgrade target), the budgets and ledger through the meter,
    /// events into `tx`.
    #[allow(clippy::too_many_arguments)]
    async fn carry_out(
        &self,
        decision: &Decision,
        routing: &Routing,
        providers: &[Provider],
        messages: &[Message],
        options: &SendOptions,
        context: RequestContext,
        tx: mpsc::UnboundedSender<ChatEvent>,
        cancel: &CancellationToken,
    ) -> Result<Reply, EngineError> {
        let store = &self.settings.store;
        let mut chain = plan::chain(decision);
        // The rule's models that cannot be called now still show in the tries, as skipped and why.
        chain.extend(unavailable_in_chain(decision, routing));
        self.budgets
            .extend_chain(&mut chain, &routing.catalog)
            .await?;
        let keys = self.keys_for(&chain, &routing.catalog, providers).await;
        let plan = Plan::new(&chain, &routing.catalog, providers, &keys);
        let baseline = store.baseline_setting().await?;
        let metering = Metering::new(
            store.clone(),
            routing.catalog.clone(),
            context,
            baseline.as_deref(),
        );
        let mut sink = ChannelSink::new(tx, provider_names(providers));
        Ok(self
            .executor
            .execute(
                &plan,
                messages,
                options.max_output_tokens,
                Some(&metering),
                &mut sink,
                cancel,
            )
            .await)
    }

    /// Forwards the executor's events to the caller, saving the text as it grows.
    async fn relay(
        &self,
        assistant: &ChatMessage,
        mut rx: mpsc::UnboundedReceiver<ChatEvent>,
        on_event: &mut (impl FnMut(ChatEvent) + Send),
    ) -> Result<(), EngineError> {
        let store = &self.settings.store;
        let mut text = String::new();
        let mut last_save = Instant::now();
        let mut saved_len = 0;
        while let Some(event) = rx.recv().await {
            match &event {
                ChatEvent::Started { model, provider } => {
                    store
                        .save_progress(assistant.id, &text, Some(model), Some(provider))
                        .await?;
                }
                ChatEvent::Text { delta } => {
                    text.push_str(delta);
                    if last_save.elapsed() >= SAVE_EVERY {
                        store.save_progress(assistant.id, &text, None, None).await?;
                        last_save = Instant::now();
                        saved_len = text.len();
                    }
                }
                _ => {}
            }
            on_event(event);
        }
        if text.len() != saved_len {
            store.save_progress(assistant.id, &text, None, None).await?;
        }
        Ok(())
    }

    async fn finish(
        &self,
        assistant: &ChatMessage,
        reply: &Reply,
        names: &HashMap<String, String>,
        on_event: &mut (impl FnMut(ChatEvent) + Send),
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        let status = match reply.status {
            _ if reply.stopped() => MessageStatus::Stopped,
            ReplyStatus::Complete => MessageStatus::Complete,
            ReplyStatus::Partial => MessageStatus::Partial,
            ReplyStatus::Failed => MessageStatus::Failed,
        };
        let mut details = serde_json::to_value(reply).expect("replies serialize");
        // The text is the message's content; keeping it twice would double every reply's size.
        details["text"] = serde_json::Value::String(String::new());
        let provider = reply
            .provider
            .as_ref()
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.clone()));
        let saved = store
            .finish_message(
                assistant.id,
                Finished {
                    content: &reply.text,
                    status,
                    model: reply.model.as_deref(),
                    provider: provider.as_deref(),
                    details: Some(&details),
                },
            )
            .await?;
        store.touch_conversation(&assistant.conversation_id).await?;
        on_event(ChatEvent::Done {
            message: Box::new(saved.clone()),
        });
        Ok(saved)
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
                if c.model != model && !request.model_once {
                    return store.set_conversation_model(id, model).await;
                }
                Ok(c)
            }
            None => {
                let model = if request.model_once { "auto" } else { model };
                let created = store.create_conversation(&request.text, model).await?;
                match request.system_prompt.as_deref() {
                    Some(system) => {
                        store
                            .set_conversation_system_prompt(&created.id, Some(system))
                            .await
                    }
                    None => Ok(created),
                }
            }
        }
    }

    async fn user_message(
        &self,
        conversation: &Conversation,
        request: &SendRequest,
        model: &str,
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        if request.mode == SendMode::New {
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
}

/// Puts the conversation's system prompt first, where every provider format expects it.
fn with_system(messages: &mut Vec<Message>, system: Option<&str>) {
    if let Some(text) = system.map(str::trim).filter(|t| !t.is_empty()) {
        messages.insert(
            0,
            Message {
                role: "system".into(),
                content: text.into(),
            },
        );
    }
}

/// A model the user named must be in the catalog.
fn check_model(model: &str, routing: &Routing) -> Result<(), EngineError> {
    if model != "auto" && routing.catalog.find(model).is_none() {
        return Err(EngineError::Invalid {
            field: "model".into(),
            message: format!(
                "'{model}' is not in the model catalog. Choose Auto or a listed model."
            ),
        });
    }
    Ok(())
}

fn provider_names(providers: &[Provider]) -> HashMap<String, String> {
    providers
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

fn normalise_model(model: &str) -> String {
    let m = model.trim();
    if m.is_empty() || m.eq_ignore_ascii_case("auto") {
        "auto".into()
    } else {
        m.to_string()
    }
}

/// The models of the deciding rule's chain that the router left out because they cannot be
/// called now, in the rule's order.
fn unavailable_in_chain(decision: &Decision, routing: &Routing) -> Vec<String> {
    let Some(rule) = routing
        .rules
        .rule_set()
        .rules
        .iter()
        .find(|r| r.name == decision.rule)
    else {
        return Vec::new();
    };
    let switchyard_router::Action::Chain(action) = &rule.then else {
        return Vec::new();
    };
    action
        .models
        .iter()
        .filter(|m| {
            decision.trace.candidates.iter().any(|c| {
                &c.model == *m
                    && c.status == CandidateStatus::Excluded
                    && c.note.starts_with("unavailable")
            })
        })
        .cloned()
        .collect()
}

/// Auto asks the router, told which models cannot be called now; a chosen model still gets the
/// router's trace, with the choice first.
pub fn route(
    messages: &[Message],
    model: &str,
    routing: &Routing,
    providers: &[Provider],
) -> Result<Decision, EngineError> {
    let mut request = Request {
        messages: messages.to_vec(),
        ..Request::default()
    };
    request.unavailable = availability::unavailable_set(availability::of_models(
        routing.catalog.enabled(),
        providers,
    ));
    request.count_openai_tokens();
    let mut decision = decide(&request, &routing.rules, &routing.catalog).map_err(|e| {
        let info = crate::routing::route_error(&e);
        EngineError::coded(info.code, info.message)
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
        decision.rule = CHOSEN_BY_YOU.into();
        // The trace shows the model the user chose as the one chosen, Auto's picks as weighed.
        for c in &mut decision.trace.candidates {
            c.status = if c.model == chosen.id {
                CandidateStatus::Chosen
            } else if matches!(
                c.status,
                CandidateStatus::Chosen | CandidateStatus::Fallback
            ) {
                CandidateStatus::Considered
            } else {
                c.status
            };
        }
    }
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use switchyard_router::{presets, CandidateStatus, CompiledRules, Message};

    use super::*;
    use crate::store::rules::RoutingConfig;

    fn routing() -> Routing {
        Routing {
            rules: CompiledRules::new(presets::smart_router()).unwrap(),
            catalog: RoutingConfig::bundled().catalog,
        }
    }

    fn ask(text: &str) -> Vec<Message> {
        vec![Message {
            role: "user".into(),
            content: text.into(),
        }]
    }

    #[test]
    fn a_chosen_model_is_the_one_the_trace_marks_chosen() {
        let prompt = ask("Fix this Python function: def f(xs): return sum(xs) / len(xs)");
        let auto = route(&prompt, "auto", &routing(), &[]).unwrap();
        assert_ne!(auto.model, "gpt-4o-mini");
        let pinned = route(&prompt, "gpt-4o-mini", &routing(), &[]).unwrap();
        assert_eq!(pinned.model, "gpt-4o-mini");
        assert!(pinned.fallbacks.is_empty());
        assert!(pinned.trace.reason.starts_with("You chose gpt-4o-mini"));
        let chosen: Vec<&str> = pinned
            .trace
            .candidates
            .iter()
            .filter(|c| c.status == CandidateStatus::Chosen)
            .map(|c| c.model.as_str())
            .collect();
        assert!(chosen.is_empty() || chosen == ["gpt-4o-mini"], "{chosen:?}");
        assert!(pinned
            .trace
            .candidates
            .iter()
            .all(|c| c.status != CandidateStatus::Fallback));
    }

    #[test]
    fn models_of_the_rule_that_cannot_be_called_are_kept_to_be_shown_skipped() {
        use crate::provider::{KeyInfo, ProviderKind, ProviderRow};
        let provider = |preset: &str| Provider {
            row: ProviderRow {
                id: format!("id-{preset}"),
                name: format!("My {preset}"),
                kind: ProviderKind::OpenaiCompatible,
                preset: preset.into(),
                base_url: "http://localhost".into(),
                headers: Vec::new(),
                enabled: true,
                header_secrets: Vec::new(),
            },
            headers: Vec::new(),
            key: KeyInfo::Set {
                last4: "abcd".into(),
            },
            models: None,
        };
        let providers = [provider("openai"), provider("anthropic")];
        let prompt = ask("Fix this Python function: def f(xs): return sum(xs) / len(xs)");
        let decision = route(&prompt, "auto", &routing(), &providers).unwrap();
        assert_eq!(decision.rule, "code");
        assert!(!plan::chain(&decision).contains(&"deepseek-v3".to_string()));
        assert_eq!(unavailable_in_chain(&decision, &routing()), ["deepseek-v3"]);
    }
}
