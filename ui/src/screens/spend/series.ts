// The "spend over time" chart's data: every day (or week, or month) of the period, with zero
// where nothing was spent, one stacked series per model. Built in one pass over the ledger's
// days, so a year of twelve models stays quick.
import type { DaySpend } from '../../lib/bindings/DaySpend';
import type { SpendRange } from '../../lib/bindings/SpendRange';

export type Step = 'day' | 'week' | 'month';

export type SpendSeries = {
  step: Step;
  labels: string[];
  series: { label: string; values: number[] }[];
};

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function dayKey(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function parseDay(key: string): Date {
  const [y, m, d] = key.split('-').map(Number);
  return new Date(y, m - 1, d);
}

/** The label of the bucket a local day falls in: the day, its week's Monday, or its month. */
function bucketOf(day: Date, step: Step): string {
  if (step === 'month') return `${day.getFullYear()}-${pad(day.getMonth() + 1)}`;
  if (step === 'week') {
    const monday = new Date(day.getFullYear(), day.getMonth(), day.getDate() - ((day.getDay() + 6) % 7));
    return dayKey(monday);
  }
  return dayKey(day);
}

/** Days up to two months, weeks up to about a year and two months, months beyond. */
export function stepFor(days: number): Step {
  if (days <= 62) return 'day';
  if (days <= 434) return 'week';
  return 'month';
}

export function spendSeries(days: DaySpend[], range: SpendRange): SpendSeries {
  const first = new Date(range.from);
  const last = new Date(new Date(range.to).getTime() - 1);
  const start = new Date(first.getFullYear(), first.getMonth(), first.getDate());
  const span = Math.round((parseDay(dayKey(last)).getTime() - start.getTime()) / 86_400_000) + 1;
  const step = stepFor(span);

  const labels: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < span; i++) {
    const label = bucketOf(new Date(start.getFullYear(), start.getMonth(), start.getDate() + i), step);
    if (!index.has(label)) {
      index.set(label, labels.length);
      labels.push(label);
    }
  }

  const byModel = new Map<string, number[]>();
  for (const d of days) {
    const at = index.get(bucketOf(parseDay(d.day), step));
    if (at === undefined) continue;
    let values = byModel.get(d.model);
    if (!values) byModel.set(d.model, (values = new Array<number>(labels.length).fill(0)));
    values[at] += d.spend_nusd / 1e9;
  }
  const series = [...byModel.entries()]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([label, values]) => ({ label, values }));
  return { step, labels, series };
}
