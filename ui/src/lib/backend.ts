// The one door to the Rust side. Components call these typed functions, never `invoke` directly,
// so tests can stand in for the backend with `mockIPC`.
import { Channel, invoke } from '@tauri-apps/api/core';
import { openUrl } from '@tauri-apps/plugin-opener';
import type { Attachment } from './bindings/Attachment';
import type { AppError } from './bindings/AppError';
import type { ErrorCode } from './bindings/ErrorCode';
import type { AppInfo } from './bindings/AppInfo';
import type { Assistant } from './bindings/Assistant';
import type { ChatResume } from './bindings/ChatResume';
import type { Preferences } from './bindings/Preferences';
import type { ChatEvent } from './bindings/ChatEvent';
import type { Decision } from './bindings/Decision';
import type { ChatMessage } from './bindings/ChatMessage';
import type { Conversation } from './bindings/Conversation';
import type { ExportFormat } from './bindings/ExportFormat';
import type { SearchHit } from './bindings/SearchHit';
import type { SendRequest } from './bindings/SendRequest';
import type { ConnectionReport } from './bindings/ConnectionReport';
import type { KeychainStatus } from './bindings/KeychainStatus';
import type { LocalServer } from './bindings/LocalServer';
import type { Provider } from './bindings/Provider';
import type { ProviderInput } from './bindings/ProviderInput';
import type { ProviderPreset } from './bindings/ProviderPreset';
import type { Catalog } from './bindings/Catalog';
import type { CatalogImport } from './bindings/CatalogImport';
import type { ModelAvailability } from './bindings/ModelAvailability';
import type { Preview } from './bindings/Preview';
import type { Grid } from './bindings/Grid';
import type { CellRef } from './bindings/CellRef';
import type { GridUsage } from './bindings/GridUsage';
import type { Request } from './bindings/Request';
import type { RoutingConfig } from './bindings/RoutingConfig';
import type { RoutingPreset } from './bindings/RoutingPreset';
import type { RuleVersion } from './bindings/RuleVersion';
import type { SavedRouting } from './bindings/SavedRouting';
import type { ReplayReport } from './bindings/ReplayReport';
import type { Baseline } from './bindings/Baseline';
import type { Budget } from './bindings/Budget';
import type { BudgetStatus } from './bindings/BudgetStatus';
import type { Dashboard } from './bindings/Dashboard';
import type { SpendFilter } from './bindings/SpendFilter';
import type { SpendRange } from './bindings/SpendRange';
import type { SpendRow } from './bindings/SpendRow';
import type { EndpointStatus } from './bindings/EndpointStatus';
import type { TokenName } from './bindings/TokenName';
import type { CompareEvent } from './bindings/CompareEvent';
import type { ComparePick } from './bindings/ComparePick';
import type { CompareRequest } from './bindings/CompareRequest';
import type { QualityReport } from './bindings/QualityReport';
import type { Suggestion } from './bindings/Suggestion';
import type { Thresholds } from './bindings/Thresholds';
import type { Thumb } from './bindings/Thumb';
import { externalLink } from './links';

/** Failures the UI meets before Rust answers: the IPC call failed, or the browser did not open. */
export type UiErrorCode = 'ipc' | 'open_failed';

/** An error from a command, with the stable code the UI branches on. */
export class BackendError extends Error {
  /** A Rust error code, or one of the UI's own when the call itself could not be made. */
  readonly code: ErrorCode | UiErrorCode;
  readonly field?: string;

  constructor(e: AppError | { code: UiErrorCode; message: string; field?: string }) {
    super(e.message);
    this.code = e.code;
    this.field = e.field;
  }
}

function isAppError(e: unknown): e is AppError {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (isAppError(e)) throw new BackendError(e);
    throw new BackendError({ code: 'ipc', message: String(e) });
  }
}

export const backend = {
  listConversations: () => call<Conversation[]>('list_conversations'),
  conversationMessages: (id: string) => call<ChatMessage[]>('conversation_messages', { id }),
  conversationAttachments: (id: string) => call<Attachment[]>('conversation_attachments', { id }),
  /** An image attachment as a data: URL, for its thumbnail. */
  attachmentImage: (id: number) => call<string>('attachment_image', { id }),
  renameConversation: (id: string, title: string) =>
    call<Conversation>('rename_conversation', { id, title }),
  deleteConversation: (id: string) => call<void>('delete_conversation', { id }),
  /** Streams the reply's events to `onEvent`; resolves with the saved reply when it ends. */
  sendMessage: (request: SendRequest, onEvent: (event: ChatEvent) => void) => {
    const channel = new Channel<ChatEvent>();
    channel.onmessage = onEvent;
    return call<ChatMessage>('send_message', { request, onEvent: channel });
  },
  setSystemPrompt: (id: string, text: string | null) => call<Conversation>('set_system_prompt', { id, text }),
  listAssistants: () => call<Assistant[]>('list_assistants'),
  saveAssistant: (assistant: Assistant) => call<Assistant>('save_assistant', { assistant }),
  deleteAssistant: (id: number) => call<void>('delete_assistant', { id }),
  appInfo: () => call<AppInfo>('app_info'),
  openDataFolder: () => call<void>('open_data_folder'),
  preferences: () => call<Preferences>('preferences'),
  setPreferences: (preferences: Preferences) => call<Preferences>('set_preferences', { preferences }),
  /** Opens the system save dialog; resolves with the path written, or null when cancelled. */
  exportEverything: () => call<string | null>('export_everything'),
  chatResume: () => call<ChatResume>('chat_resume'),
  chatDraft: (conversationId: string | null) => call<string>('chat_draft', { conversationId }),
  saveDraft: (conversationId: string | null, text: string) => call<void>('save_draft', { conversationId, text }),
  /** What sending `request` now would route to; nothing is saved or sent. */
  previewSend: (request: SendRequest) => call<Decision>('preview_send', { request }),
  stopMessage: (conversationId: string) => call<boolean>('stop_message', { conversationId }),
  searchMessages: (query: string) => call<SearchHit[]>('search_messages', { query }),
  chatModels: () => call<ModelAvailability[]>('chat_models'),
  exportConversation: (id: string, format: ExportFormat) =>
    call<string>('export_conversation', { id, format }),
  /** Opens the system save dialog; resolves with the path written, or null when cancelled. */
  saveConversationExport: (id: string, format: ExportFormat) =>
    call<string | null>('save_conversation_export', { id, format }),
  listProviders: () => call<Provider[]>('list_providers'),
  providerPresets: () => call<ProviderPreset[]>('provider_presets'),
  keychainStatus: () => call<KeychainStatus>('keychain_status'),
  addProvider: (input: ProviderInput, key: string | null) =>
    call<Provider>('add_provider', { input, key }),
  updateProvider: (id: string, input: ProviderInput) =>
    call<Provider>('update_provider', { id, input }),
  setProviderEnabled: (id: string, enabled: boolean) =>
    call<Provider>('set_provider_enabled', { id, enabled }),
  /** Resolves to a warning when the provider was removed but its key could not be deleted. */
  removeProvider: (id: string) => call<string | null>('remove_provider', { id }),
  setProviderKey: (id: string, key: string) => call<Provider>('set_provider_key', { id, key }),
  deleteProviderKey: (id: string) => call<Provider>('delete_provider_key', { id }),
  testProviderConnection: (id: string) =>
    call<ConnectionReport>('test_provider_connection', { id }),
  localServers: () => call<LocalServer[]>('local_servers'),
  savedRouting: () => call<SavedRouting>('saved_routing'),
  saveRouting: (config: RoutingConfig, note: string) =>
    call<SavedRouting>('save_routing', { config, note }),
  ruleVersions: () => call<RuleVersion[]>('rule_versions'),
  ruleVersion: (id: number) => call<RoutingConfig>('rule_version', { id }),
  restoreRuleVersion: (id: number) => call<SavedRouting>('restore_rule_version', { id }),
  routingPresets: () => call<RoutingPreset[]>('routing_presets'),
  bundledCatalog: () => call<Catalog>('bundled_catalog'),
  previewRouting: (draft: RoutingConfig, requests: Request[]) =>
    call<Preview>('preview_routing', { draft, requests }),
  routingGrid: (draft: RoutingConfig) => call<Grid>('routing_grid', { draft }),
  assignGridCells: (draft: RoutingConfig, cells: CellRef[], models: string[]) =>
    call<RoutingConfig>('assign_grid_cells', { draft, cells, models }),
  modelAvailability: (catalog: Catalog) =>
    call<ModelAvailability[]>('model_availability', { catalog }),
  importRulesToml: (text: string) => call<RoutingConfig>('import_rules_toml', { text }),
  exportRulesToml: (config: RoutingConfig) => call<string>('export_rules_toml', { config }),
  /** Opens the system save dialog; resolves with the path written, or null when cancelled. */
  saveRulesToml: (config: RoutingConfig) => call<string | null>('save_rules_toml', { config }),
  importLitellmPrices: (json: string, catalog: Catalog) =>
    call<CatalogImport>('import_litellm_prices', { json, catalog }),
  /** The rules on screen (saved or not) replayed over the ledger's requests of `range`. */
  replayRules: (draft: RoutingConfig, range: SpendRange) =>
    call<ReplayReport>('replay_rules', { draft, range }),
  spendDashboard: (range: SpendRange) => call<Dashboard>('spend_dashboard', { range }),
  spendRequests: (filter: SpendFilter) => call<SpendRow[]>('spend_requests', { filter }),
  gridUsage: (range: SpendRange) => call<GridUsage>('grid_usage', { range }),
  /** Opens the system save dialog; resolves with the path written, or null when cancelled. */
  saveSpendCsv: (filter: SpendFilter) => call<string | null>('save_spend_csv', { filter }),
  budgetStatus: () => call<BudgetStatus[]>('budget_status'),
  saveBudget: (budget: Budget) => call<Budget>('save_budget', { budget }),
  deleteBudget: (id: number) => call<void>('delete_budget', { id }),
  baseline: () => call<Baseline>('baseline'),
  setBaseline: (model: string | null) => call<void>('set_baseline', { model }),
  endpointStatus: () => call<EndpointStatus>('endpoint_status'),
  setEndpoint: (enabled: boolean, port: number) =>
    call<EndpointStatus>('set_endpoint', { enabled, port }),
  endpointTokens: () => call<TokenName[]>('endpoint_tokens'),
  /** Resolves with the new token's value: shown once, never stored by the page. */
  createEndpointToken: (name: string) => call<string>('create_endpoint_token', { name }),
  revokeEndpointToken: (name: string) => call<void>('revoke_endpoint_token', { name }),
  /**
   * Sends to the routed model and to `request.models` at once, each column's events to
   * `onEvent`; resolves with the compared answers as saved, by column. Stop with `stopMessage`.
   */
  compareMessage: (request: CompareRequest, onEvent: (event: CompareEvent) => void) => {
    const channel = new Channel<CompareEvent>();
    channel.onmessage = onEvent;
    return call<ChatMessage[]>('compare_message', { request, onEvent: channel });
  },
  /** `chosen: null` is "about the same". Resolves with the compared answers as saved. */
  pickCompared: (pick: ComparePick) => call<ChatMessage[]>('pick_compared', { pick }),
  /** Toggles the thumb; resolves with the reply as saved. */
  thumbReply: (messageId: number, thumb: Thumb) =>
    call<ChatMessage>('thumb_reply', { messageId, thumb }),
  qualityReport: (range: SpendRange) => call<QualityReport>('quality_report', { range }),
  qualitySuggestions: (range: SpendRange) =>
    call<Suggestion[]>('quality_suggestions', { range }),
  acceptSuggestion: (key: string, range: SpendRange) =>
    call<RuleVersion>('accept_suggestion', { key, range }),
  dismissSuggestion: (key: string, range: SpendRange) =>
    call<void>('dismiss_suggestion', { key, range }),
  qualityThresholds: () => call<Thresholds>('quality_thresholds'),
  setQualityThresholds: (thresholds: Thresholds) =>
    call<Thresholds>('set_quality_thresholds', { thresholds }),
  /**
   * Opens an http, https or mailto link from a reply in the system browser or mail client;
   * resolves false (and opens nothing) for any other link.
   */
  openExternal: async (href: string): Promise<boolean> => {
    const url = externalLink(href);
    if (url === null) return false;
    try {
      await openUrl(url);
    } catch (e) {
      throw new BackendError({ code: 'open_failed', message: `Could not open ${url}: ${String(e)}` });
    }
    return true;
  },
};

export type Backend = typeof backend;
