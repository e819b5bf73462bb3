import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rangeFor } from './period';

describe('rangeFor across a daylight saving change', () => {
  // Node reads TZ again whenever it is set.
  beforeAll(() => {
    vi.stubEnv('TZ', 'Europe/Berlin');
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('runs in Berlin time', () => {
    expect(new Date(2026, 6, 1).getTimezoneOffset()).toBe(-120);
    expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(-60);
  });

  it('names the instant the clock moves', () => {
    const r = rangeFor('custom', new Date(2026, 2, 31), '2026-03-27', '2026-03-31');
    expect(r.from).toBe('2026-03-26T23:00:00.000Z');
    expect(r.to).toBe('2026-03-31T22:00:00.000Z');
    expect(r.utc_offset_minutes).toBe(60);
    // 02:00 CET on 29 March is 03:00 CEST: 01:00 UTC.
    expect(r.offset_changes).toEqual([{ at_ms: Date.UTC(2026, 2, 29, 1), utc_offset_minutes: 120 }]);
  });

  it('finds both changes in a year and none in a quiet month', () => {
    const year = rangeFor('custom', new Date(2026, 11, 31), '2026-01-01', '2026-12-31');
    expect(year.offset_changes.map((c) => [new Date(c.at_ms).toISOString(), c.utc_offset_minutes])).toEqual([
      ['2026-03-29T01:00:00.000Z', 120],
      ['2026-10-25T01:00:00.000Z', 60],
    ]);
    expect(rangeFor('custom', new Date(2026, 5, 30), '2026-06-01', '2026-06-30').offset_changes).toEqual([]);
  });
});
