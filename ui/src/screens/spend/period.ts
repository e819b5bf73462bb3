// The period picker's choices as ledger time ranges: half-open, ISO UTC, on the user's calendar.
import type { OffsetChange } from '../../lib/bindings/OffsetChange';
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
    utc_offset_minutes: offsetAt(start.getTime()),
    offset_changes: offsetChanges(start, end),
  };
}

const QUARTER_HOUR = 15 * 60 * 1000;

/** Minutes east of UTC of this computer's clock at an instant. */
function offsetAt(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/** Where the clock moves (daylight saving time) between two local midnights: each day whose
 * next midnight has another offset is searched by quarter-hour, the step of every real change. */
export function offsetChanges(start: Date, end: Date): OffsetChange[] {
  const changes: OffsetChange[] = [];
  let day = start;
  while (day < end) {
    const next = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
    let offset = offsetAt(day.getTime());
    if (offsetAt(next.getTime()) !== offset) {
      for (let t = day.getTime() + QUARTER_HOUR; t <= next.getTime(); t += QUARTER_HOUR) {
        if (offsetAt(t) !== offset) {
          offset = offsetAt(t);
          changes.push({ at_ms: t, utc_offset_minutes: offset });
        }
      }
    }
    day = next;
  }
  return changes;
}

/** Nano-dollars to dollars, for display only. */
export function dollars(nusd: number): number {
  return nusd / 1e9;
}
