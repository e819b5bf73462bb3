import { describe, expect, it } from 'vitest';
import type { ModelAvailability } from '../../lib/bindings/ModelAvailability';
import type { Model } from '../../lib/bindings/Model';
import { chain, model } from './fixtures';
import { nearestAvailable, substitute, unavailableIn } from './substitutes';

const priced = (id: string, provider: string, quality: number, input: number, output: number): Model => ({
  ...model(id, provider, quality),
  input,
  output,
});

const catalog = [
  priced('claude-opus-4', 'anthropic', 0.98, 15, 75),
  priced('claude-haiku', 'anthropic', 0.84, 0.8, 4),
  priced('o1', 'openai', 0.97, 15, 60),
  priced('gpt-4o', 'openai', 0.95, 2.5, 10),
  priced('gpt-4o-mini', 'openai', 0.85, 0.15, 0.6),
  priced('gpt-4.1-nano', 'openai', 0.8, 0.1, 0.4),
];

const availability = (down: Record<string, string>): ModelAvailability[] =>
  catalog.map((m) => ({
    model: m.id,
    catalog_provider: m.provider,
    available: !(m.id in down),
    provider_id: null,
    provider: null,
    reason: down[m.id] ?? '',
  }));

describe('the nearest available model', () => {
  it('keeps the quality tier and, within it, the price class', () => {
    const a = availability({ 'claude-opus-4': 'no anthropic provider is configured', 'claude-haiku': 'no anthropic provider is configured' });
    // o1 and gpt-4o are both in opus's tier; o1 is priced like it.
    expect(nearestAvailable(catalog[0], catalog, a)?.id).toBe('o1');
    // gpt-4o-mini is haiku's tier; the pricier o4-mini-like models above it are not offered.
    const withReasoner = [...catalog, priced('o4-mini', 'openai', 0.93, 1.1, 4.4)];
    const b = [...a, { ...a[0], model: 'o4-mini', available: true, reason: '' }];
    expect(nearestAvailable(catalog[1], withReasoner, b)?.id).toBe('gpt-4o-mini');
  });

  it('falls back to the closest quality when no model shares the tier', () => {
    const a = availability({ 'claude-opus-4': 'x', o1: 'x', 'gpt-4o': 'x' });
    expect(nearestAvailable(catalog[0], catalog, a)?.id).toBe('gpt-4o-mini');
  });

  it('never offers a model that cannot be called, and offers nothing when none can', () => {
    const a = availability({ 'claude-opus-4': 'x', o1: 'not served by Work (its model list has no o1)' });
    expect(nearestAvailable(catalog[0], catalog, a)?.id).toBe('gpt-4o');
    const none = availability(Object.fromEntries(catalog.map((m) => [m.id, 'no provider'])));
    expect(nearestAvailable(catalog[0], catalog, none)).toBeNull();
  });

  it('lists each unavailable model the rules name once, with its reason', () => {
    const rules = [chain('code', ['claude-opus-4', 'gpt-4o']), chain('fast', ['claude-haiku', 'claude-opus-4']), chain('default', ['gpt-4o-mini'])];
    const found = unavailableIn(rules, catalog, availability({ 'claude-opus-4': 'Claude has no API key', 'claude-haiku': 'Claude has no API key' }));
    expect(found.map((u) => [u.model, u.reason, u.substitute?.id])).toEqual([
      ['claude-opus-4', 'Claude has no API key', 'o1'],
      ['claude-haiku', 'Claude has no API key', 'gpt-4o-mini'],
    ]);
  });

  it('substitutes in every chain without naming a model twice', () => {
    const rules = [chain('code', ['claude-opus-4', 'gpt-4o']), chain('deep', ['claude-opus-4']), chain('default', ['gpt-4o-mini'])];
    const next = substitute(rules, 'claude-opus-4', 'gpt-4o');
    expect(next.map((r) => (r.then.type === 'chain' ? r.then.models : []))).toEqual([['gpt-4o'], ['gpt-4o'], ['gpt-4o-mini']]);
    expect(rules[0].then).toMatchObject({ models: ['claude-opus-4', 'gpt-4o'] });
  });
});
