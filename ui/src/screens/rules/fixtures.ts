// Test data and a stand-in for the rule editor's commands, shared by the rule editor's tests.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Decision } from '../../lib/bindings/Decision';
import type { Issue } from '../../lib/bindings/Issue';
import type { Model } from '../../lib/bindings/Model';
import type { Preview } from '../../lib/bindings/Preview';
import type { Request } from '../../lib/bindings/Request';
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';
import type { RoutingPreset } from '../../lib/bindings/RoutingPreset';
import type { Rule } from '../../lib/bindings/Rule';
import type { RuleSet } from '../../lib/bindings/RuleSet';
import type { RuleVersion } from '../../lib/bindings/RuleVersion';
import type { ReplayedRequest } from '../../lib/bindings/ReplayedRequest';
import type { ReplayReport } from '../../lib/bindings/ReplayReport';
import type { SavedRouting } from '../../lib/bindings/SavedRouting';

export function model(id: string, provider: string, quality: number): Model {
  return { id, provider, input: 1, output: 4, cached_input: null, reasoning: null, context_window: 128000, quality, enabled: true, vision: true, tools: true };
}

export const chain = (name: string, models: string[], when: Rule['when'] = []): Rule => ({
  name,
  enabled: true,
  when,
  then: { type: 'chain', models, prefer_cost: false },
});

export function config(): RoutingConfig {
  // The rule editor reads only the keyword lists of the detector; the rest is passed through.
  const rules = {
    settings: {},
    complexity: {},
    detector: { tasks: [{ task: 'code', keywords: { debug: 2, refactor: 2 } }], default_task: 'writing', honor_tags: true },
    rules: [chain('code', ['claude-opus-4', 'gpt-4o'], [{ task: ['code'] }]), chain('default', ['gpt-4o-mini'])],
  } as unknown as RuleSet;
  return {
    rules,
    catalog: {
      prices_taken: '2025-06-01',
      models: [model('claude-opus-4', 'anthropic', 0.98), model('gpt-4o', 'openai', 0.95), model('gpt-4o-mini', 'openai', 0.85)],
    },
  };
}

export function decision(modelId: string, rule: string): Decision {
  return {
    model: modelId,
    provider: 'openai',
    api_model: modelId,
    fallbacks: [],
    task: 'code',
    complexity: { score: 2.5, tier: 'moderate' },
    rule,
    prompt_tokens: 42,
    estimated_cost_usd: 0.000042,
    trace: {
      tasks: { task: 'code', forced_by_tag: null, scores: [{ task: 'code', score: 3, evidence: [] }] },
      features: {},
      complexity: { score: 2.5, tier: 'moderate', factors: [{ name: 'code', detail: 'a code block', weight: 1, value: 1, contribution: 1 }] },
      tokens: { approx: 42, openai_exact: null },
      rules: [{ rule, outcome: 'matched', detail: 'task is code' }],
      candidates: [{ model: modelId, provider: 'openai', quality: 0.95, context_window: 128000, prompt_tokens: 42, estimated_cost_usd: 0.000042, status: 'chosen', note: '' }],
      reason: `${modelId} is the first usable model of rule ${rule}.`,
    },
  } as unknown as Decision;
}

/** What the fake router finds wrong: unknown chain models and unclosed regex groups. */
function check(c: RoutingConfig): Issue[] {
  const ids = new Set(c.catalog.models.map((m) => m.id));
  const issues: Issue[] = [];
  for (const rule of c.rules.rules) {
    rule.when.forEach((cond, i) => {
      if ('regex' in cond && cond.regex.split('(').length !== cond.regex.split(')').length)
        issues.push({ kind: 'invalid_regex', rule: rule.name, field: `when[${i}].regex`, message: 'invalid regex: unclosed group' });
    });
    if (rule.then.type === 'chain')
      rule.then.models.forEach((m, i) => {
        if (!ids.has(m))
          issues.push({ kind: 'unknown_model', rule: rule.name, field: `then.models[${i}]`, message: `unknown model \`${m}\`: it is not in the catalog` });
      });
  }
  return issues;
}

/** Decides like a two-rule table: prompts that mention code go to the code rule. */
function route(c: RoutingConfig, requests: Request[]): Preview {
  const issues = check(c);
  const compiles = !issues.some((i) => i.kind === 'invalid_regex');
  const outcomes = compiles
    ? requests.map((r) => {
        const text = r.messages[r.messages.length - 1].content.toLowerCase();
        const rule = c.rules.rules.find((x) => x.when.length === 0 || (/python|code|function/.test(text) && x.enabled)) ?? c.rules.rules[c.rules.rules.length - 1];
        const first = rule.then.type === 'chain' ? rule.then.models[0] : 'gpt-4o-mini';
        return { kind: 'decided' as const, decision: decision(first, rule.name) };
      })
    : [];
  return { issues, compiles, outcomes };
}

/** The fake ledger: two code requests made on claude-opus-4 under rule `code`, one writing
 * request on gpt-4o-mini, one endpoint request. Replayed, code requests go to the code rule's
 * first model. */
export function replay(draft: RoutingConfig): ReplayReport {
  const to = draft.rules.rules.find((r) => r.name === 'code')?.then;
  const model = to && to.type === 'chain' ? to.models[0] : 'claude-opus-4';
  const moved = model !== 'claude-opus-4';
  const request = (id: number, conversation: string): ReplayedRequest => ({
    request_id: id,
    message_id: id * 2,
    at: '2025-07-01T10:00:00Z',
    source: 'app',
    conversation_id: conversation,
    conversation_title: `Title of ${conversation}`,
    before: { model: 'claude-opus-4', rule: 'code', task: 'code' },
    after: { model, rule: 'code', task: 'code' },
    paid_nusd: 30_000_000,
    estimated_nusd: moved ? 2_000_000 : 30_000_000,
    basis: moved ? 'repriced' : 'as_paid',
  });
  const estimated = moved ? 4_000_000 : 60_000_000;
  return {
    from: '2025-06-01T00:00:00Z',
    to: '2025-07-02T00:00:00Z',
    requests: 4,
    replayed: 3,
    moved: moved ? 2 : 0,
    chosen_by_user: 0,
    not_replayed: [{ source: 'endpoint', reason: 'not_stored', requests: 1, paid_nusd: 5_000_000 }],
    moves: moved
      ? [{ from: 'claude-opus-4', to: model, task: 'code', rule: 'code', count: 2, paid_nusd: 60_000_000, estimated_nusd: estimated, requests: [request(7, 'c-7'), request(3, 'c-3')] }]
      : [],
    tasks: [
      { task: 'code', requests: 2, moved: moved ? 2 : 0, paid_nusd: 60_000_000, estimated_nusd: estimated, difference_nusd: estimated - 60_000_000 },
      { task: 'writing', requests: 1, moved: 0, paid_nusd: 1_000_000, estimated_nusd: 1_000_000, difference_nusd: 0 },
    ],
    rules: [
      { rule: 'code', requests: 2, moved: moved ? 2 : 0 },
      { rule: 'default', requests: 1, moved: 0 },
    ],
    paid_nusd: 61_000_000,
    estimated_nusd: estimated + 1_000_000,
    basis: { as_paid: moved ? 1 : 3, repriced: moved ? 2 : 0, repriced_estimate: 0, no_tokens: 0 },
  };
}

export type Call = { cmd: string; args: Record<string, unknown> };

export function fakeRulesBackend(opts: { saved?: RoutingConfig; versions?: RuleVersion[] } = {}) {
  const calls: Call[] = [];
  const versions: RuleVersion[] = [...(opts.versions ?? [])];
  const contents = new Map<number, RoutingConfig>();
  let current: SavedRouting = { version: versions[0] ?? null, config: opts.saved ?? config() };
  if (current.version) contents.set(current.version.id, current.config);
  const presets: RoutingPreset[] = [
    { id: 'complexity_based', label: 'Complexity-based', description: 'One model per tier.', rules: [chain('complex', ['claude-opus-4'], [{ tier: ['complex'] }]), chain('trivial', ['gpt-4o-mini'])] },
  ];
  const saveAs = (c: RoutingConfig, note: string) => {
    const v: RuleVersion = { id: versions.length + 1, saved_at: '2025-07-01T10:00:00Z', note, rule_count: c.rules.rules.length, model_count: c.catalog.models.length };
    versions.unshift(v);
    contents.set(v.id, structuredClone(c));
    current = { version: v, config: structuredClone(c) };
    return current;
  };
  mockIPC((cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    switch (cmd) {
      case 'saved_routing':
        return current;
      case 'rule_versions':
        return versions;
      case 'routing_presets':
        return presets;
      case 'model_availability':
        return (args.catalog as RoutingConfig['catalog']).models.map((m) => ({
          model: m.id,
          available: m.provider === 'openai',
          provider: m.provider === 'openai' ? 'Work' : null,
          reason: m.provider === 'openai' ? '' : `no ${m.provider} provider is configured`,
        }));
      case 'preview_routing':
        return route(args.draft as RoutingConfig, args.requests as Request[]);
      case 'save_routing': {
        const c = args.config as RoutingConfig;
        if (check(c).length) throw { code: 'invalid_input', message: 'refused' };
        return saveAs(c, args.note as string);
      }
      case 'rule_version':
        return structuredClone(contents.get(args.id as number)!);
      case 'restore_rule_version':
        return saveAs(contents.get(args.id as number)!, `Restored version ${args.id}`);
      case 'import_rules_toml':
        throw {
          code: 'invalid_rules',
          message: 'rule `code`, field `then.models[0]`: unknown model `gpt-9`: it is not in the catalog',
          field: 'rules.code.then.models[0]',
        };
      case 'export_rules_toml':
        return '[[rules]]\nname = "code"\n';
      case 'bundled_catalog':
        return config().catalog;
      case 'replay_rules':
        return replay(args.draft as RoutingConfig);
      default:
        throw { code: 'unknown', message: `unexpected command ${cmd}` };
    }
  });
  return { calls, versions };
}
