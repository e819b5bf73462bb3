// Plain-words summaries of rules for the table: what a rule tests and what it does.
import type { Action } from '../../lib/bindings/Action';
import type { Condition } from '../../lib/bindings/Condition';
import type { Rule } from '../../lib/bindings/Rule';

type Bounds = { min?: number | null; max?: number | null };

function range(b: Bounds, unit: string): string {
  const { min, max } = b;
  if (min != null && max != null) return `${min}–${max} ${unit}`;
  if (min != null) return `≥ ${min} ${unit}`;
  if (max != null) return `≤ ${max} ${unit}`;
  return `any ${unit}`;
}

function oneOf(values: string[]): string {
  if (values.length === 0) return 'nothing';
  if (values.length === 1) return values[0];
  return `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

export function describeCondition(c: Condition): string {
  if ('task' in c) return `task is ${oneOf(c.task)}`;
  if ('tier' in c) return `complexity is ${oneOf(c.tier)}`;
  if ('score' in c) return `complexity score ${range(c.score, '').trim()}`;
  if ('keywords' in c) return `mentions ${oneOf(c.keywords.filter((k) => k.trim()).map((k) => `“${k.trim()}”`))}`;
  if ('regex' in c) return `matches /${c.regex}/`;
  if ('has_code' in c) return c.has_code ? 'has code' : 'has no code';
  if ('asks_json' in c) return c.asks_json ? 'asks for JSON' : 'does not ask for JSON';
  if ('prompt_tokens' in c) return `prompt of ${range(c.prompt_tokens, 'tokens')}`;
  if ('messages' in c) return `conversation of ${range(c.messages, 'messages')}`;
  return `tagged #${c.tag.replace(/^#/, '')}`;
}

export function describeAction(a: Action): string {
  if (a.type === 'chain') {
    if (a.models.length === 0) return 'no model';
    const [first, ...rest] = a.models;
    const fallbacks = rest.length ? `, then ${rest.join(', ')}` : '';
    return `${first}${fallbacks}${a.prefer_cost ? ' (cheapest first)' : ''}`;
  }
  const q = a.min_quality;
  const providers = a.providers ?? [];
  const from = providers.length ? ` from ${oneOf(providers)}` : '';
  // One bound for every tier reads as one number; otherwise each tier is named.
  const same = q.trivial === q.simple && q.simple === q.moderate && q.moderate === q.complex;
  const bounds = same
    ? `${q.trivial}`
    : `${q.trivial} (trivial), ${q.simple} (simple), ${q.moderate} (moderate), ${q.complex} (complex)`;
  return `cheapest model${from} meeting quality ${bounds}`;
}

export function describeRule(rule: Rule, isDefault: boolean): string {
  const when = rule.when.length
    ? `When ${rule.when.map(describeCondition).join(' and ')}`
    : isDefault
      ? 'Everything else'
      : 'Always';
  return `${when} → ${describeAction(rule.then)}`;
}
