// The period picker's choices as ledger time ranges: half-open, ISO UTC, on the user's calendar.
import type { SpendRange } from '../../lib/bindings/SpendRange';

export type Period = 'today' | '7d' | '30d' | 'month' | 'custom';

export const PERIODS: { id: Period; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: 'month', label: 'This month' },
  { id: 'custom', label: 'Custom' },
];

function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

/** `custom` takes `from` and `to` as `YYYY-MM-DD`, both days included. */
export function rangeFor(period: Period, now: Date, from = '', to = ''): SpendRange {
  const today = startOfDay(now);
  const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  let start = today;
  let end = tomorrow;
  if (period === '7d') start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6);
  if (period === '30d') start = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 29);
  if (period === 'month') start = new Date(today.getFullYear(), today.getMonth(), 1);
  if (period === 'custom' && from && to) {
    const [fy, fm, fd] = from.split('-').map(Number);
    const [ty, tm, td] = to.split('-').map(Number);
    start = new Date(fy, fm - 1, fd);
    end = new Date(ty, tm - 1, td + 1);
  }
  return {
    from: start.toISOString(),
    to: end.toISOString(),
    utc_offset_minutes: -now.getTimezoneOffset(),
  };
}

/** Nano-dollars to dollars, for display only. */
export function dollars(nusd: number): number {
  return nusd / 1e9;
}
