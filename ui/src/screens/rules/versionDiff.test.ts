import { describe, expect, it } from 'vitest';
import { chain, config, model } from './fixtures';
import { describeDiff, diffVersions } from './versionDiff';

describe('what a restore changes', () => {
  it('names rules added, removed, changed and moved, and catalog edits', () => {
    const now = config();
    const then = config();
    then.rules.rules = [chain('default', ['gpt-4o-mini']), chain('writing', ['gpt-4o'])];
    then.rules.rules[0].enabled = false;
    then.catalog.models = [...then.catalog.models.slice(1), model('o1', 'openai', 0.97)];
    then.catalog.models[0].quality = 0.9;
    const d = diffVersions(now, then);
    expect(d).toMatchObject({
      added: ['writing'],
      removed: ['code'],
      changed: ['default'],
      modelsAdded: ['o1'],
      modelsRemoved: ['claude-opus-4'],
      modelsChanged: ['gpt-4o'],
      otherSettings: false,
    });
    expect(describeDiff(d)).toEqual([
      'Rules added: “writing”',
      'Rules removed: “code”',
      'Rules changed: “default”',
      'Catalog models added: o1',
      'Catalog models removed: claude-opus-4',
      'Catalog models edited: gpt-4o',
    ]);
  });

  it('sees a new order and keyword edits, and nothing when the versions are the same', () => {
    const now = config();
    now.rules.rules.splice(1, 0, chain('fast', ['gpt-4o-mini']));
    const then = structuredClone(now);
    expect(describeDiff(diffVersions(now, then))).toEqual([]);
    then.rules.rules = [then.rules.rules[1], then.rules.rules[0], then.rules.rules[2]];
    then.rules.detector.default_task = 'code';
    expect(describeDiff(diffVersions(now, then))).toEqual(['Rules in a different order', 'Task keywords or complexity settings differ']);
  });
});
