// How numbers are shown: money with enough digits to be meaningful, durations, token counts.

export function usd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || Number.isNaN(amount)) return '—';
  if (amount === 0) return '$0';
  if (amount < 0.0001) return `$${amount.toPrecision(2)}`;
  if (amount < 0.01) return `$${amount.toFixed(5)}`;
  if (amount < 1) return `$${amount.toFixed(4)}`;
  return `$${amount.toFixed(2)}`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10000 ? 2 : 1)} s`;
}

/** A count with thousands separators: 950,000. */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function tokens(n: number): string {
  return n >= 10000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}
