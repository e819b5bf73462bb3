// Models the rules name that cannot be called now (no provider, no key, not served, disabled),
// and for each the nearest model that can: the same quality tier and price class, from the catalog.
import type { ModelAvailability } from '../../lib/bindings/ModelAvailability';
import type { Model } from '../../lib/bindings/Model';
import type { Rule } from '../../lib/bindings/Rule';

export type Unavailable = { model: string; reason: string; substitute: Model | null };

/** Dollars per million tokens in and out together: the price class compares their ratio. */
const price = (m: Model) => m.input + m.output;

/** Models whose qualities differ by at most this much are in one quality tier. */
const TIER = 0.03;

/**
 * The available model nearest to `target`: one of the same quality tier (within 0.03) when
 * there is one, the closest in price among those; otherwise the closest in quality, then price.
 * Null when nothing can be called.
 */
export function nearestAvailable(target: Model, models: Model[], availability: ModelAvailability[]): Model | null {
  const callable = new Set(availability.filter((a) => a.available).map((a) => a.model));
  const priceGap = (c: Model) => Math.abs(Math.log2((price(c) + 1e-6) / (price(target) + 1e-6)));
  const qualityGap = (c: Model) => Math.abs(c.quality - target.quality);
  // Sort keys, smallest first: in the tier or not, then the gap that matters for each.
  const key = (c: Model): [number, number, number] =>
    qualityGap(c) <= TIER + 1e-9 ? [0, priceGap(c), qualityGap(c)] : [1, qualityGap(c), priceGap(c)];
  let best: Model | null = null;
  let bestKey: [number, number, number] | null = null;
  for (const c of models) {
    if (c.id === target.id || !c.enabled || !callable.has(c.id)) continue;
    const k = key(c);
    const better =
      !bestKey ||
      k[0] < bestKey[0] ||
      (k[0] === bestKey[0] && (k[1] < bestKey[1] || (k[1] === bestKey[1] && (k[2] < bestKey[2] || (k[2] === bestKey[2] && c.id < best!.id)))));
    if (better) {
      best = c;
      bestKey = k;
    }
  }
  return best;
}

/** The models named by the chain actions of `rules`, in first-seen order. */
export function modelsNamed(rules: Rule[]): string[] {
  const seen = new Set<string>();
  for (const r of rules) if (r.then.type === 'chain') for (const m of r.then.models) seen.add(m);
  return [...seen];
}

/** Each model `rules` name that the catalog has but cannot be called now, with a substitute. */
export function unavailableIn(rules: Rule[], models: Model[], availability: ModelAvailability[]): Unavailable[] {
  const byId = new Map(availability.map((a) => [a.model, a]));
  const out: Unavailable[] = [];
  for (const id of modelsNamed(rules)) {
    const found = byId.get(id);
    const model = models.find((m) => m.id === id);
    // A model missing from the catalog is a validation problem, listed with the others.
    if (!found || found.available || !model) continue;
    out.push({ model: id, reason: found.reason, substitute: nearestAvailable(model, models, availability) });
  }
  return out;
}

/** `rules` with `from` replaced by `to` in every chain; where the chain has `to` already, `from` goes. */
export function substitute(rules: Rule[], from: string, to: string): Rule[] {
  return rules.map((r) => {
    if (r.then.type !== 'chain' || !r.then.models.includes(from)) return r;
    const models = r.then.models.includes(to)
      ? r.then.models.filter((m) => m !== from)
      : r.then.models.map((m) => (m === from ? to : m));
    return { ...r, then: { ...r.then, models } };
  });
}
