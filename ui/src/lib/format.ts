// How numbers are shown: money with enough digits to be meaningful, durations, token counts.

/**
 * Money, the one rule every screen uses (the engine's messages follow the same rule, in
 * crates/engine/src/money.rs): from $1 up, cents with thousands separators ($1,234.50); below $1,
 * two significant digits and at least two decimals ($0.50, $0.047, $0.0047, $0.001), so a
 * sub-cent amount never reads as $0.00; zero is $0.00. Amounts are rounded half up in whole
 * nano-dollars, the ledger's unit, so this and the engine print the same text for the same amount.
 */
export function usd(amount: number | null | undefined): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const nano = Math.round(Math.abs(amount) * 1e9);
  const sign = amount < 0 && nano > 0 ? '-' : '';
  return `${sign}$${nanoText(nano)}`;
}

/** `nano` (whole nano-dollars, at least 0) as dollars without the sign, by the rule above. */
function nanoText(nano: number): string {
  // Cents from a dollar up; else two significant digits, at least 2 and at most 9 decimals.
  const decimals = nano >= 1e9 || nano === 0 ? 2 : Math.min(9, Math.max(2, 11 - String(nano).length));
  const unit = 10 ** (9 - decimals);
  const rounded = Math.floor((nano + Math.floor(unit / 2)) / unit);
  const scale = 10 ** decimals;
  const whole = String(Math.floor(rounded / scale)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  // Trailing zeros past the second decimal go: 0.0010 → 0.001.
  const fraction = String(rounded % scale).padStart(decimals, '0').replace(/(\d\d\d*?)0+$/, '$1');
  return `${whole}.${fraction}`;
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
