import { describe, expect, it } from 'vitest';
import type { DaySpend } from '../../lib/bindings/DaySpend';
import { rangeFor } from './period';
import { spendSeries, stepFor } from './series';

function day(dayKey: string, model: string, dollars: number): DaySpend {
  return { day: dayKey, model, requests: 1, spend_nusd: dollars * 1e9, baseline_nusd: 0 };
}

describe('spendSeries', () => {
  it('has every day of the period, with zero where nothing was spent', () => {
    const range = rangeFor('7d', new Date(2026, 10, 25, 15, 0));
    const s = spendSeries([day('2026-11-20', 'b', 2), day('2026-11-25', 'a', 1), day('2026-11-25', 'b', 0.5)], range);
    expect(s.step).toBe('day');
    expect(s.labels).toEqual(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25']);
    expect(s.series).toEqual([
      { label: 'a', values: [0, 0, 0, 0, 0, 0, 1] },
      { label: 'b', values: [0, 2, 0, 0, 0, 0, 0.5] },
    ]);
  });

  it('sums a long period by week from Monday, and a longer one by month', () => {
    const year = rangeFor('custom', new Date(2026, 10, 25), '2025-11-26', '2026-11-25');
    const s = spendSeries([day('2026-11-23', 'a', 1), day('2026-11-25', 'a', 2), day('2026-11-22', 'a', 4)], year);
    expect(s.step).toBe('week');
    // 2025-11-26 is a Wednesday: its week starts on Monday the 24th.
    expect(s.labels[0]).toBe('2025-11-24');
    expect(s.labels.slice(-2)).toEqual(['2026-11-16', '2026-11-23']);
    expect(s.series[0].values.slice(-2)).toEqual([4, 3]);

    const two = rangeFor('custom', new Date(2026, 10, 25), '2024-12-01', '2026-11-25');
    const m = spendSeries([day('2026-11-02', 'a', 1), day('2026-11-25', 'a', 2)], two);
    expect(m.step).toBe('month');
    expect(m.labels).toHaveLength(24);
    expect(m.labels[0]).toBe('2024-12');
    expect(m.series[0].values[23]).toBe(3);
  });

  it('orders models by name with numbers in order', () => {
    const range = rangeFor('today', new Date(2026, 10, 25, 9));
    const s = spendSeries([day('2026-11-25', 'model-10', 1), day('2026-11-25', 'model-2', 1)], range);
    expect(s.series.map((x) => x.label)).toEqual(['model-2', 'model-10']);
    expect(stepFor(62)).toBe('day');
    expect(stepFor(63)).toBe('week');
  });
});
