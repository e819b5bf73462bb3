// The condition kinds the router supports, with the label the form shows and a starting value.
import type { Condition } from '../../lib/bindings/Condition';
import type { Task } from '../../lib/bindings/Task';
import type { Tier } from '../../lib/bindings/Tier';

export const TASKS: Task[] = [
  'reasoning',
  'math',
  'code',
  'writing',
  'analysis',
  'translation',
  'classification',
  'extraction',
  'summarization',
  'formatting',
];

export const TIERS: Tier[] = ['trivial', 'simple', 'moderate', 'complex'];

export const CONDITION_KINDS = [
  { kind: 'task', label: 'Task is one of' },
  { kind: 'tier', label: 'Complexity tier is one of' },
  { kind: 'score', label: 'Complexity score in range' },
  { kind: 'keywords', label: 'Mentions any keyword' },
  { kind: 'regex', label: 'Matches a regular expression' },
  { kind: 'has_code', label: 'Code present' },
  { kind: 'asks_json', label: 'Asks for JSON' },
  { kind: 'prompt_tokens', label: 'Prompt tokens in range' },
  { kind: 'messages', label: 'Conversation length in range' },
  { kind: 'tag', label: 'Explicit #tag' },
] as const;

export type ConditionKind = (typeof CONDITION_KINDS)[number]['kind'];

export function kindOf(c: Condition): ConditionKind {
  return Object.keys(c)[0] as ConditionKind;
}

export function labelOf(kind: ConditionKind): string {
  return CONDITION_KINDS.find((k) => k.kind === kind)?.label ?? kind;
}

export function newCondition(kind: ConditionKind): Condition {
  switch (kind) {
    case 'task':
      return { task: ['code'] };
    case 'tier':
      return { tier: ['complex'] };
    case 'score':
      return { score: { min: 2 } };
    case 'keywords':
      return { keywords: [] };
    case 'regex':
      return { regex: '' };
    case 'has_code':
      return { has_code: true };
    case 'asks_json':
      return { asks_json: true };
    case 'prompt_tokens':
      return { prompt_tokens: { min: 1000 } };
    case 'messages':
      return { messages: { min: 10 } };
    case 'tag':
      return { tag: '' };
  }
}
