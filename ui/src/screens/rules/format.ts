// Numbers as the rule editor shows them.

/** A request's cost, to two significant digits: $0.000042 rather than $0.00. */
export function usd(dollars: number): string {
  if (dollars <= 0) return '$0';
  if (dollars >= 0.01) return `$${dollars.toFixed(4)}`;
  const digits = Math.min(12, 1 - Math.floor(Math.log10(dollars)));
  return `$${dollars.toFixed(digits)}`;
}
