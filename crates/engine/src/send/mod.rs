//! The one send path. The app's command, `switchyard chat` and the local endpoint hand
//! [`Engine::send`] a request, its source, a sink for events and a cancellation token; it routes,
//! plans, checks budgets, carries out the chain with retries and fallback, and saves the
//! messages and the ledger as it goes, so a crash, a stop or a failure keeps what came.
mod cache;
pub mod compare;
mod events;
pub mod meter;
mod sink;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use switchyard_router::{
    decide, AttachmentLimits, CandidateStatus, Catalog, CompiledRules, Decision, ImageFacts,
    Message, Request,
};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

pub use events::{ChatEvent, SendMode, SendRequest};
pub use meter::{baseline_model, Source};

use crate::availability::{self, ModelAvailability};
use crate::budget::Budgets;
use crate::chat::attachments::{self, with_parts, Part};
use crate::chat::history;
use crate::error::{EngineError, ErrorCode};
use crate::execute::{plan, Executor, Plan};
use crate::provider::{Provider, ProviderKind};
use crate::providers::Tools;
use crate::reply::{Reply, ReplyStatus};
use crate::secrets::Secret;
use crate::settings::Settings;
use crate::store::attachments::NewFile;
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

/// The rules and catalog a send routes with; shared, so a request's copy costs two counts.
#[derive(Clone)]
pub struct Routing {
    pub rules: Arc<CompiledRules>,
    pub catalog: Arc<Catalog>,
}

impl Routing {
    pub fn new(rules: CompiledRules, catalog: Catalog) -> Self {
        Self {
            rules: Arc::new(rules),
            catalog: Arc::new(catalog),
        }
    }
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
    /// This send is one column of a compare (see [`compare`]).
    pub compare: Option<compare::Column>,
    /// The caller waits for the whole answer (the endpoint's non-streamed requests): models
    /// are asked for it whole ([`Plan::whole_answers`]).
    pub whole_answers: bool,
}

impl SendOptions {
    pub fn from(source: Source) -> Self {
        Self {
            source,
            routing: None,
            max_output_tokens: None,
            client: None,
            compare: None,
            whole_answers: false,
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
    /// The tools the model may call: only models that call tools are routed to.
    pub tools: Option<Tools>,
}

/// A completion with its decision made, ready for [`Engine::complete`].
pub struct Routed {
    messages: Vec<Message>,
    tools: Option<Tools>,
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
            rules: Arc::new(rules),
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

    /// The same engine, keeping providers, their key state and keys, and the send settings in
    /// memory for `fresh_for` instead of reading the database and the keychain for every
    /// request: for the local endpoint, where those round trips would be most of a request's
    /// overhead. A provider, key, baseline or downgrade budget changed elsewhere is seen within
    /// `fresh_for`; every call's budget check still reads the database.
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
        Ok(Routing::new(rules, catalog))
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
    /// files, saved rules, availability and token counts as [`Engine::send`], so the composer's
    /// preview and the send agree (an attachment a model or provider cannot take is the same
    /// error here as there).
    pub async fn preview(&self, request: &SendRequest) -> Result<Decision, EngineError> {
        let model_choice = normalise_model(&request.model);
        let routing = self.routing().await?;
        check_model(&model_choice, &routing)?;
        let files = prepare_files(request)?;
        let providers = self.settings.list().await?;
        let messages = self.outgoing(request, &files, None).await?;
        let decision = route(
            &messages,
            &model_choice,
            Pick::of(request),
            &routing,
            &providers,
        )?;
        check_limits(&decision, &messages, &routing.catalog, &providers)?;
        Ok(decision)
    }

    /// The conversation as it will be sent, before anything is saved: the system prompt, the
    /// saved messages with their files (up to the last user message when answering again, with
    /// its new text when editing it), and the new message with its files.
    async fn outgoing(
        &self,
        request: &SendRequest,
        files: &[NewFile],
        answers: Option<i64>,
    ) -> Result<Vec<Message>, EngineError> {
        let store = &self.settings.store;
        let (system, mut history, saved) = match &request.conversation_id {
            Some(id) => (
                store.conversation(id).await?.system_prompt,
                store.messages(id).await?,
                store.attachments_of(id).await?,
            ),
            None => (request.system_prompt.clone(), Vec::new(), Vec::new()),
        };
        let mut edited = None;
        if let Some(user_id) = answers {
            // A compared column answers a saved user message, not the routed answer streaming
            // beside it.
            history.retain(|m| m.id <= user_id);
        } else if request.mode != SendMode::New {
            let last = history
                .iter()
                .rposition(|m| m.role == Role::User)
                .ok_or_else(nothing_to_answer)?;
            history.truncate(last + 1);
            if request.mode == SendMode::EditLast {
                history[last].content = request.text.clone();
            }
            edited = Some(history[last].id);
        }
        let mut bytes = Vec::with_capacity(saved.len());
        for a in &saved {
            bytes.push(store.attachment_bytes(a).await?);
        }
        let mut parts: HashMap<i64, Vec<Part<'_>>> = HashMap::new();
        for (a, b) in saved.iter().zip(&bytes) {
            parts.entry(a.message_id).or_default().push(Part {
                name: &a.name,
                kind: a.kind,
                mime_type: &a.mime_type,
                bytes: b,
            });
        }
        let new_parts: Vec<Part<'_>> = files
            .iter()
            .map(|f| Part {
                name: &f.name,
                kind: f.kind,
                mime_type: &f.mime_type,
                bytes: &f.bytes,
            })
            .collect();
        if edited.is_some() || answers.is_some() {
            if let Some(id) = edited {
                parts.entry(id).or_default().extend(new_parts);
            }
            let mut messages = history::to_messages(&history, &parts);
            with_system(&mut messages, system.as_deref());
            return Ok(messages);
        }
        let mut messages = history::to_messages(&history, &parts);
        with_system(&mut messages, system.as_deref());
        let (content, images) = with_parts(&request.text, &new_parts);
        messages.push(Message {
            role: "user".into(),
            content,
            images,
            ..Message::default()
        });
        Ok(messages)
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
        let answering_again = request.mode == SendMode::Regenerate
            || options.compare.is_some_and(|c| c.answers.is_some());
        if !answering_again && request.text.trim().is_empty() && request.attachments.is_empty() {
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
        let files = prepare_files(&request)?;
        let providers = self.providers_for_calls().await?;
        // Routed and checked before anything is saved: a file no model or provider can take
        // is an error that loses nothing.
        let answers = options.compare.and_then(|c| c.answers);
        let messages = self.outgoing(&request, &files, answers).await?;
        let decision = route(
            &messages,
            &model_choice,
            Pick::of(&request),
            &routing,
            &providers,
        )?;
        check_limits(&decision, &messages, &routing.catalog, &providers)?;
        let conversation = self.conversation_for(&request, &model_choice).await?;
        let user = self
            .user_message(&conversation, &request, &model_choice, &options)
            .await?;
        store
            .add_attachments(&conversation.id, user.id, &files)
            .await?;
        let attachments = store
            .attachments_of(&conversation.id)
            .await?
            .into_iter()
            .filter(|a| a.message_id == user.id)
            .collect();

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
        if let Some(column) = options.compare {
            store
                .mark_compared(assistant.id, user.id, column.column)
                .await?;
        }
        let assistant = store.message(assistant.id).await?;
        on_event(ChatEvent::Accepted {
            conversation: conversation.clone(),
            user: Box::new(user),
            assistant: Box::new(assistant.clone()),
            attachments,
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
            &decision,
            &routing,
            &providers,
            (&messages, None),
            &options,
            context,
            tx,
            &cancel,
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
            .any(|m| m.role == "user" && (!m.content.trim().is_empty() || !m.images.is_empty()))
        {
            return Err(EngineError::Invalid {
                field: "messages".into(),
                message: "The request has no user message with text or an image: an empty prompt \
                          is not sent."
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
        let tools =
            completion.tools.is_some() || completion.messages.iter().any(Message::uses_tools);
        let decision = route_offering(
            &completion.messages,
            &model_choice,
            Pick::Request,
            &routing,
            &providers,
            tools,
        )?;
        // The chosen provider's limits on images, as for the chat.
        check_limits(
            &decision,
            &completion.messages,
            &routing.catalog,
            &providers,
        )?;
        Ok(Routed {
            messages: completion.messages,
            tools: completion.tools,
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
            tools,
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
            &decision,
            &routing,
            &providers,
            (&messages, tools.as_ref()),
            &options,
            context,
            tx,
            &cancel,
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
        (messages, tools): (&[Message], Option<&Tools>),
        options: &SendOptions,
        context: RequestContext,
        tx: mpsc::UnboundedSender<ChatEvent>,
        cancel: &CancellationToken,
    ) -> Result<Reply, EngineError> {
        let store = &self.settings.store;
        let mut chain = plan::chain(decision);
        // The rule's models that cannot be called now still show in the tries, as skipped and why.
        chain.extend(unavailable_in_chain(decision, routing));
        let (baseline, downgrades) = match &self.cache {
            Some(cache) => cache.get(&self.settings).await?.send.clone(),
            None => store.send_settings().await?,
        };
        if downgrades {
            self.budgets
                .extend_chain(&mut chain, &routing.catalog)
                .await?;
        }
        let keys = self.keys_for(&chain, &routing.catalog, providers).await;
        let mut plan = Plan::new(&chain, &routing.catalog, providers, &keys);
        plan.whole_answers = options.whole_answers;
        let (source, client) = (context.source, context.client.clone());
        let metering = Metering::new(
            store.clone(),
            routing.catalog.clone(),
            context,
            baseline.as_deref(),
        );
        let mut sink = ChannelSink::new(tx, provider_names(providers));
        let reply = self
            .executor
            .execute(
                &plan,
                messages,
                options.max_output_tokens,
                tools,
                Some(&metering),
                &mut sink,
                cancel,
            )
            .await;
        // Spend counts the models passed over beside the calls; the reply stands either way.
        if let Err(e) = store
            .record_skipped(source.as_str(), client.as_deref(), &reply.hops)
            .await
        {
            tracing::warn!(error = %e, "could not record the skipped models of a request");
        }
        Ok(reply)
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
        options: &SendOptions,
    ) -> Result<ChatMessage, EngineError> {
        let store = &self.settings.store;
        if let Some(user_id) = options.compare.and_then(|c| c.answers) {
            let user = store.message(user_id).await?;
            if user.role != Role::User || user.conversation_id != conversation.id {
                return Err(EngineError::Invalid {
                    field: "compare".into(),
                    message: "A compared answer must answer a message of its conversation.".into(),
                });
            }
            return Ok(user);
        }
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
            .ok_or_else(nothing_to_answer)?;
        if request.mode == SendMode::Regenerate && request.model_once {
            compare::record_regenerate(store, &conversation.id, last_user.id, model).await?;
        }
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

fn nothing_to_answer() -> EngineError {
    EngineError::Invalid {
        field: "mode".into(),
        message: "There is no message to answer again in this conversation.".into(),
    }
}

/// The request's files, checked. Answering again sends the saved files and takes no new ones.
fn prepare_files(request: &SendRequest) -> Result<Vec<NewFile>, EngineError> {
    if request.mode == SendMode::Regenerate && !request.attachments.is_empty() {
        return Err(EngineError::Invalid {
            field: "attachments".into(),
            message: "Answering again sends the message's own files; attach new ones to a new \
                      message."
                .into(),
        });
    }
    request
        .attachments
        .iter()
        .map(attachments::prepare)
        .collect()
}

/// The images of `messages`: how many, and the first one's name.
fn images_in(messages: &[Message]) -> (u32, Option<&str>) {
    let all = messages.iter().flat_map(|m| &m.images);
    let first = all.clone().next().map(|i| i.name.as_str());
    (u32::try_from(all.count()).unwrap_or(u32::MAX), first)
}

/// The chosen model's provider's limits on images (size, count, types, request size), checked
/// against every image the conversation sends. The error names the limit and the file.
fn check_limits(
    decision: &Decision,
    messages: &[Message],
    catalog: &Catalog,
    providers: &[Provider],
) -> Result<(), EngineError> {
    let images: Vec<ImageFacts<'_>> = messages
        .iter()
        .flat_map(|m| &m.images)
        .map(|i| ImageFacts {
            name: &i.name,
            media_type: &i.media_type,
            bytes: base64_len(&i.data),
        })
        .collect();
    if images.is_empty() {
        return Ok(());
    }
    let Some(model) = catalog.find(&decision.model) else {
        return Ok(());
    };
    let kind = availability::of_model(model, providers)
        .provider_id
        .and_then(|id| providers.iter().find(|p| p.id == id))
        .map(|p| p.row.kind);
    let format = match kind {
        Some(ProviderKind::Anthropic) => "anthropic",
        Some(ProviderKind::Gemini) => "gemini",
        Some(_) => "openai",
        None => model.provider.as_str(),
    };
    let text: u64 = messages.iter().map(|m| m.content.len() as u64).sum();
    AttachmentLimits::of(format)
        .check(&model.id, &images, text)
        .map_err(|message| EngineError::Invalid {
            field: "attachments".into(),
            message,
        })
}

/// How many bytes padded base64 decodes to.
fn base64_len(data: &str) -> u64 {
    let pad = data.bytes().rev().take_while(|b| *b == b'=').count();
    (data.len() / 4 * 3).saturating_sub(pad) as u64
}

/// Puts the conversation's system prompt first, where every provider format expects it.
fn with_system(messages: &mut Vec<Message>, system: Option<&str>) {
    if let Some(text) = system.map(str::trim).filter(|t| !t.is_empty()) {
        messages.insert(
            0,
            Message {
                role: "system".into(),
                content: text.into(),
                ..Default::default()
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

/// What to say when the model the user chose cannot read the conversation's images.
fn cannot_read_images(
    chosen: &switchyard_router::Model,
    images: u32,
    first: Option<&str>,
    routing: &Routing,
) -> EngineError {
    let what = match (images, first.filter(|n| !n.is_empty())) {
        (1, Some(name)) => format!("an image ({name})"),
        (1, None) => "an image".to_string(),
        (n, _) => format!("{n} images"),
    };
    let other = routing
        .catalog
        .enabled()
        .filter(|m| m.vision)
        .max_by_key(|m| m.provider == chosen.provider)
        .map(|m| format!(" such as {}", m.id))
        .unwrap_or_default();
    EngineError::Invalid {
        field: "model".into(),
        message: format!(
            "{} cannot read images, and this conversation sends {what}. Choose Auto or a model \
             that reads images{other}, or remove the image. Nothing was sent.",
            chosen.id
        ),
    }
}

/// What to say when the model the client named cannot call tools and the request offers them.
fn cannot_call_tools(chosen: &switchyard_router::Model, routing: &Routing) -> EngineError {
    let other = routing
        .catalog
        .enabled()
        .filter(|m| m.tools)
        .max_by_key(|m| m.provider == chosen.provider)
        .map(|m| format!(" such as {}", m.id))
        .unwrap_or_default();
    EngineError::Invalid {
        field: "tools".into(),
        message: format!(
            "{} cannot call tools, and this request offers tools (or carries tool calls). Choose \
             auto or a model that calls tools{other}, or send the request without tools. \
             Nothing was sent.",
            chosen.id
        ),
    }
}

/// How far a model the user picked reaches, as the trace says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// The conversation's model: every message goes to it until the user changes it.
    Conversation,
    /// One message only (the composer's "Use X for this message"); the next goes back.
    Message,
    /// The model a local-endpoint request names.
    Request,
}

impl Pick {
    /// Which pick `request` makes: one message when `model_once` is set.
    pub fn of(request: &SendRequest) -> Self {
        if request.model_once {
            Pick::Message
        } else {
            Pick::Conversation
        }
    }

    fn scope(self) -> &'static str {
        match self {
            Pick::Conversation => "for this conversation",
            Pick::Message => "for this message",
            Pick::Request => "in this request",
        }
    }
}

/// Auto asks the router, told which models cannot be called now; a picked model still gets
/// the router's trace, with the pick and how far it reaches first.
pub fn route(
    messages: &[Message],
    model: &str,
    pick: Pick,
    routing: &Routing,
    providers: &[Provider],
) -> Result<Decision, EngineError> {
    route_offering(messages, model, pick, routing, providers, false)
}

/// [`route`] for a request that may offer tools: then only models that call tools answer.
pub fn route_offering(
    messages: &[Message],
    model: &str,
    pick: Pick,
    routing: &Routing,
    providers: &[Provider],
    tools: bool,
) -> Result<Decision, EngineError> {
    let (images, first_image) = images_in(messages);
    // The router counts images; it never needs their bytes.
    let mut request = Request {
        messages: messages
            .iter()
            .map(|m| Message::text(m.role.clone(), m.content.clone()))
            .collect(),
        images,
        tools,
        ..Request::default()
    };
    request.unavailable = availability::unavailable_set(availability::of_models(
        routing.catalog.enabled(),
        providers,
    ));
    request.count_openai_tokens();
    let mut decision = decide(&request, &routing.rules, &routing.catalog).map_err(|e| {
        let no_fit = matches!(e, switchyard_router::RouteError::NoModelFits { .. });
        if no_fit && tools {
            return EngineError::Invalid {
                field: "tools".into(),
                message: "No model that calls tools can answer now: none in the catalog is \
                          enabled, callable and marked as calling tools. Mark the ones that do \
                          (Rules → Model catalog → Tools), or send the request without tools."
                    .into(),
            };
        }
        if no_fit && images > 0 {
            return EngineError::Invalid {
                field: "images".into(),
                message: "No model that reads images can answer now: none in the catalog is \
                          enabled, callable and marked as reading images. Mark the ones that do \
                          (Rules → Model catalog → Images), or send the request without images."
                    .into(),
            };
        }
        let info = crate::routing::route_error(&e);
        EngineError::coded(info.code, info.message)
    })?;
    if model != "auto" {
        let chosen = routing.catalog.find(model).expect("checked by the caller");
        if images > 0 && !chosen.vision {
            return Err(cannot_read_images(chosen, images, first_image, routing));
        }
        if tools && !chosen.tools {
            return Err(cannot_call_tools(chosen, routing));
        }
        decision.trace.reason = format!(
            "You picked {} {}. Auto would have picked {} ({}).",
            chosen.id,
            pick.scope(),
            decision.model,
            decision.trace.reason
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
        Routing::new(
            CompiledRules::new(presets::smart_router()).unwrap(),
            RoutingConfig::bundled().catalog,
        )
    }

    fn ask(text: &str) -> Vec<Message> {
        vec![Message {
            role: "user".into(),
            content: text.into(),
            ..Default::default()
        }]
    }

    #[test]
    fn tools_go_only_to_models_that_call_them_or_are_refused_saying_so() {
        let prompt = ask("What is the weather in Oslo?");
        let d = route_offering(&prompt, "auto", Pick::Request, &routing(), &[], true).unwrap();
        assert!(routing().catalog.get(&d.model).unwrap().tools);
        let pinned = route_offering(&prompt, "deepseek-r1", Pick::Request, &routing(), &[], true)
            .unwrap_err();
        assert_eq!(pinned.field(), Some("tools"));
        assert!(
            pinned
                .to_string()
                .starts_with("deepseek-r1 cannot call tools"),
            "{pinned}"
        );
        assert!(route_offering(
            &prompt,
            "deepseek-r1",
            Pick::Request,
            &routing(),
            &[],
            false
        )
        .is_ok());
        // A catalog where nothing calls tools: a clear refusal, not a routing failure.
        let mut catalog = RoutingConfig::bundled().catalog;
        for m in &mut catalog.models {
            m.tools = false;
        }
        let none = Routing::new(
            CompiledRules::new(presets::smart_router()).unwrap(),
            catalog,
        );
        let e = route_offering(&prompt, "auto", Pick::Request, &none, &[], true).unwrap_err();
        assert_eq!(e.field(), Some("tools"));
        assert!(e.to_string().contains("No model that calls tools"), "{e}");
    }

    #[test]
    fn images_with_no_model_that_reads_them_are_a_refusal_of_the_input() {
        let mut prompt = ask("What is in this picture?");
        prompt[0].images.push(switchyard_router::Image {
            name: "messages[0].content[1]".into(),
            media_type: "image/png".into(),
            data: "iVBORw0KGgo=".into(),
        });
        let d = route_offering(&prompt, "auto", Pick::Request, &routing(), &[], false).unwrap();
        assert!(routing().catalog.get(&d.model).unwrap().vision);
        let mut catalog = RoutingConfig::bundled().catalog;
        for m in &mut catalog.models {
            m.vision = false;
        }
        let none = Routing::new(
            CompiledRules::new(presets::smart_router()).unwrap(),
            catalog,
        );
        let e = route_offering(&prompt, "auto", Pick::Request, &none, &[], false).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.field(), Some("images"));
        assert!(e.to_string().contains("No model that reads images"), "{e}");
    }

    #[test]
    fn a_chosen_model_is_the_one_the_trace_marks_chosen() {
        let prompt = ask("Fix this Python function: def f(xs): return sum(xs) / len(xs)");
        let auto = route(&prompt, "auto", Pick::Conversation, &routing(), &[]).unwrap();
        assert_ne!(auto.model, "gpt-4o-mini");
        let pinned = route(&prompt, "gpt-4o-mini", Pick::Conversation, &routing(), &[]).unwrap();
        assert_eq!(pinned.model, "gpt-4o-mini");
        assert!(pinned.fallbacks.is_empty());
        assert!(
            pinned.trace.reason.starts_with(
                "You picked gpt-4o-mini for this conversation. Auto would have picked "
            ),
            "{}",
            pinned.trace.reason
        );
        // A pick for one message says so, with the same verb.
        let once = route(&prompt, "gpt-4o-mini", Pick::Message, &routing(), &[]).unwrap();
        assert!(
            once.trace
                .reason
                .starts_with("You picked gpt-4o-mini for this message. Auto would have picked "),
            "{}",
            once.trace.reason
        );
        assert!(
            !once.trace.reason.contains("conversation"),
            "{}",
            once.trace.reason
        );
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
        let decision = route(&prompt, "auto", Pick::Conversation, &routing(), &providers).unwrap();
        assert_eq!(decision.rule, "code");
        assert!(!plan::chain(&decision).contains(&"deepseek-v3".to_string()));
        assert_eq!(unavailable_in_chain(&decision, &routing()), ["deepseek-v3"]);
    }
}
