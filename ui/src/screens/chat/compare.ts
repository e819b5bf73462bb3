// How a conversation's messages are laid out when some replies were compared: the answers of
// one compare become one row of side-by-side columns.
import type { ChatMessage } from '../../lib/bindings/ChatMessage';

export type Row =
  | { kind: 'message'; message: ChatMessage }
  | { kind: 'compare'; compareOf: number; answers: ChatMessage[] };

/** The most models a message is compared with besides the routed one (the engine's limit). */
export const MOST_OTHERS = 3;

/** Messages in order, with each compare's answers gathered (by column) where its first answer is. */
export function groupRows(messages: ChatMessage[]): Row[] {
  const rows: Row[] = [];
  const groups = new Map<number, ChatMessage[]>();
  for (const m of messages) {
    if (m.role === 'assistant' && m.compare_of !== null) {
      let answers = groups.get(m.compare_of);
      if (!answers) {
        answers = [];
        groups.set(m.compare_of, answers);
        rows.push({ kind: 'compare', compareOf: m.compare_of, answers });
      }
      answers.push(m);
    } else {
      rows.push({ kind: 'message', message: m });
    }
  }
  for (const answers of groups.values()) answers.sort((a, b) => (a.compare_column ?? 0) - (b.compare_column ?? 0));
  return rows;
}

/** What the user decided: nothing yet, one answer, or "about the same". */
export function verdictOf(answers: ChatMessage[]): { picked: number | null; tie: boolean; decided: boolean } {
  const verdict = answers.find((a) => a.verdict !== null)?.verdict ?? null;
  if (verdict === null) return { picked: null, tie: false, decided: false };
  const chosen = answers.find((a) => !a.alternative)?.id ?? null;
  return { picked: verdict === 'tie' ? null : chosen, tie: verdict === 'tie', decided: true };
}

/** The models a compare starts with: the baseline, unless it is the only pick that cannot be called. */
export function defaultCompareModels(baseline: string | null, available: string[]): string[] {
  if (baseline && available.includes(baseline)) return [baseline];
  return available.length > 0 ? [available[0]] : [];
}
