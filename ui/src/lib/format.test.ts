import { describe, expect, it } from 'vitest';
import { usd } from './format';

describe('usd', () => {
  it('shows cents from a dollar up, with separators', () => {
    expect(usd(1)).toBe('$1.00');
    expect(usd(12.345)).toBe('$12.35');
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(1234567.891)).toBe('$1,234,567.89');
  });

  it('shows two significant digits below a dollar, never $0.00 for a real amount', () => {
    expect(usd(0.5)).toBe('$0.50');
    expect(usd(0.0472)).toBe('$0.047');
    expect(usd(0.00472)).toBe('$0.0047');
    expect(usd(0.001)).toBe('$0.001');
    expect(usd(0.000000123)).toBe('$0.00000012');
    expect(usd(0.999)).toBe('$1.00');
    expect(usd(0.00999)).toBe('$0.01');
  });

  it('zero, negatives and missing values', () => {
    expect(usd(0)).toBe('$0.00');
    expect(usd(-0.0472)).toBe('-$0.047');
    expect(usd(-2.5)).toBe('-$2.50');
    expect(usd(null)).toBe('—');
    expect(usd(Number.NaN)).toBe('—');
  });
});
