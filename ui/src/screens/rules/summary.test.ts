import { describe, expect, it } from 'vitest';
import type { Action } from '../../lib/bindings/Action';
import { describeAction } from './summary';

describe('rule summaries', () => {
  it('name each tier of a cost-aware bound, or give one number when all are equal', () => {
    const tiered = {
      type: 'cheapest',
      min_quality: { trivial: 0.8, simple: 0.8, moderate: 0.9, complex: 0.95 },
      providers: [],
    } as Action;
    expect(describeAction(tiered)).toBe(
      'cheapest model meeting quality 0.8 (trivial), 0.8 (simple), 0.9 (moderate), 0.95 (complex)',
    );
    const flat = { type: 'cheapest', min_quality: { trivial: 0.9, simple: 0.9, moderate: 0.9, complex: 0.9 }, providers: [] } as Action;
    expect(describeAction(flat)).toBe('cheapest model meeting quality 0.9');
  });
});
