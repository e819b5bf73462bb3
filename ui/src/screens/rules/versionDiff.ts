// What restoring a saved version would change, compared with the rules in use: shown before the
// restore so the user confirms knowing what changes.
import type { RoutingConfig } from '../../lib/bindings/RoutingConfig';

export type VersionDiff = {
  added: string[];
  removed: string[];
  changed: string[];
  /** Whether the order of the rules both have differs. */
  reordered: boolean;
  modelsAdded: string[];
  modelsRemoved: string[];
  modelsChanged: string[];
  /** Task keywords, complexity or router settings differ. */
  otherSettings: boolean;
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function byKey<T>(items: T[], key: (t: T) => string): Map<string, T> {
  return new Map(items.map((t) => [key(t), t]));
}

/** What changes when `next` replaces `current`. */
export function diffVersions(current: RoutingConfig, next: RoutingConfig): VersionDiff {
  const now = byKey(current.rules.rules, (r) => r.name);
  const then = byKey(next.rules.rules, (r) => r.name);
  const kept = (names: string[], other: Map<string, unknown>) => names.filter((n) => other.has(n));
  const nowModels = byKey(current.catalog.models, (m) => m.id);
  const thenModels = byKey(next.catalog.models, (m) => m.id);
  const { rules: _a, ...nowRest } = current.rules;
  const { rules: _b, ...thenRest } = next.rules;
  return {
    added: [...then.keys()].filter((n) => !now.has(n)),
    removed: [...now.keys()].filter((n) => !then.has(n)),
    changed: [...then.keys()].filter((n) => now.has(n) && !same(now.get(n), then.get(n))),
    reordered: !same(kept([...now.keys()], then), kept([...then.keys()], now)),
    modelsAdded: [...thenModels.keys()].filter((id) => !nowModels.has(id)),
    modelsRemoved: [...nowModels.keys()].filter((id) => !thenModels.has(id)),
    modelsChanged: [...thenModels.keys()].filter((id) => nowModels.has(id) && !same(nowModels.get(id), thenModels.get(id))),
    otherSettings: !same(nowRest, thenRest),
  };
}

/** The diff in short lines for the confirmation; empty when nothing differs. */
export function describeDiff(d: VersionDiff): string[] {
  const names = (xs: string[]) => xs.map((x) => `“${x}”`).join(', ');
  const lines: string[] = [];
  if (d.added.length) lines.push(`Rules added: ${names(d.added)}`);
  if (d.removed.length) lines.push(`Rules removed: ${names(d.removed)}`);
  if (d.changed.length) lines.push(`Rules changed: ${names(d.changed)}`);
  if (d.reordered) lines.push('Rules in a different order');
  if (d.modelsAdded.length) lines.push(`Catalog models added: ${d.modelsAdded.join(', ')}`);
  if (d.modelsRemoved.length) lines.push(`Catalog models removed: ${d.modelsRemoved.join(', ')}`);
  if (d.modelsChanged.length) lines.push(`Catalog models edited: ${d.modelsChanged.join(', ')}`);
  if (d.otherSettings) lines.push('Task keywords or complexity settings differ');
  return lines;
}
