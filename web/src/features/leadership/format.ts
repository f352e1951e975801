import { dayLabel } from '../../ui/labels';

/**
 * Numbers on the leadership pages as the reader writes them: a superintendent reading Spanish sees
 * "1,5" and "12 %", never "1.5" and "12%", and money is always US dollars with its sign. One place,
 * so no figure on these pages is printed with `String(n)` or a hand-made "%".
 */

/** A count or a measure, with the reader's digit grouping and decimal mark; `digits` decimals at most. */
export function num(n: number, language: string, digits = 0): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(n);
}

/** A share (0.123) as a percentage in the reader's language ("12%", "12 %"), or a dash when there is nothing to divide. */
export function pct(share: number | null, language: string, digits = 0): string {
  if (share === null) return '—';
  return new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: digits }).format(share);
}

/** Whole US dollars from cents, in the reader's language ("$180,000", "180.000 US$"). */
export function money(cents: number, language: string): string {
  return new Intl.NumberFormat(language, { style: 'currency', currency: 'USD', maximumFractionDigits: 0, minimumFractionDigits: 0 }).format(
    Math.round(cents / 100),
  );
}

/** A calendar date (YYYY-MM-DD) as the reader writes it ("Dec 20, 2026", "20 dic 2026"). */
export const day = dayLabel;

/** A risk ratio with its 95% interval, two decimals each: "0.67 (0.45–0.98)", "0,67 (0,45–0,98)". */
export function ratio(rr: number, low: number | null, high: number | null, language: string): string {
  const two = new Intl.NumberFormat(language, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const interval = low === null || high === null ? '' : ` (${two.format(low)}–${two.format(high)})`;
  return `${two.format(rr)}${interval}`;
}

/**
 * The separators a number field should use, from the reader's language ("1,000.5" or "1.000,5"),
 * so a Spanish reader types an amount as they read it on the page.
 */
export function separators(language: string): { thousandSeparator: string; decimalSeparator: string } {
  const parts = new Intl.NumberFormat(language, { useGrouping: 'always' }).formatToParts(12345.6);
  return {
    thousandSeparator: parts.find((p) => p.type === 'group')?.value ?? ',',
    decimalSeparator: parts.find((p) => p.type === 'decimal')?.value ?? '.',
  };
}
