/**
 * Equity measures, computed honestly (reference: equity-methods.md). Pure, so every formula is a
 * table test: rates and risk ratios against everyone else in the district with Katz 95%
 * intervals, disparity flags only when the whole interval is on one side of 1 and beyond a
 * practical threshold, Kaplan–Meier medians that keep students still waiting, and small-cell
 * suppression (primary and complementary) applied before anything leaves the server.
 */

export type RiskRatio = { rr: number; low: number; high: number; corrected: boolean };

/**
 * Risk ratio of group (a of n) against the rest (c of m), with the Katz log interval. When a or c
 * is 0, 0.5 is added to every cell (Haldane–Anscombe) and the result says so. No ratio when either
 * side had no one eligible, or when no one at all reached the step: there is nothing to compare,
 * and the correction would make a ratio out of two zeros.
 */
export function riskRatio(a: number, n: number, c: number, m: number): RiskRatio | null {
  if (n === 0 || m === 0 || a + c === 0) return null;
  const corrected = a === 0 || c === 0;
  const [a2, n2, c2, m2] = corrected ? [a + 0.5, n + 1, c + 0.5, m + 1] : [a, n, c, m];
  const rr = a2 / n2 / (c2 / m2);
  const se = Math.sqrt(1 / a2 - 1 / n2 + 1 / c2 - 1 / m2);
  return { rr, low: Math.exp(Math.log(rr) - 1.96 * se), high: Math.exp(Math.log(rr) + 1.96 * se), corrected };
}

/** A disparity: the whole interval below 1 and under `below` (or above 1 and over `above`). */
export function disparity(r: RiskRatio | null, thresholds = { below: 0.8, above: 1.25 }): 'less' | 'more' | null {
  if (!r) return null;
  if (r.high < 1 && r.rr < thresholds.below) return 'less';
  if (r.low > 1 && r.rr > thresholds.above) return 'more';
  return null;
}

/**
 * Kaplan–Meier: each wait is days and whether it ended (served) or is still going (censored),
 * optionally with a count (a histogram of waits, as the dashboard rollup stores them).
 * Returns the time at which the estimated share still waiting falls to 1 − q (q = 0.5 for the
 * median, 0.9 for the 90th percentile), or `{ moreThan }` when it never does in the data.
 */
export function waitQuantile(waits: { days: number; served: boolean; count?: number }[], q: number): { days: number } | { moreThan: number } | null {
  const total = waits.reduce((n, w) => n + (w.count ?? 1), 0);
  if (total === 0) return null;
  const sorted = [...waits].sort((x, y) => x.days - y.days || Number(y.served) - Number(x.served));
  let atRisk = total;
  let survival = 1;
  let i = 0;
  while (i < sorted.length) {
    const t = (sorted[i] as { days: number }).days;
    let events = 0;
    let leaving = 0;
    while (i < sorted.length && (sorted[i] as { days: number }).days === t) {
      const w = sorted[i] as { served: boolean; count?: number };
      if (w.served) events += w.count ?? 1;
      leaving += w.count ?? 1;
      i += 1;
    }
    if (events > 0) survival *= 1 - events / atRisk;
    if (survival <= 1 - q + 1e-12) return { days: t };
    atRisk -= leaving;
  }
  return { moreThan: (sorted.at(-1) as { days: number }).days };
}

export { type Cell, type HiddenCell, type ShownCell, suppress } from '../../access/small-cells.rules.ts';

const races = new Set(['american_indian_alaska_native', 'asian', 'black_african_american', 'native_hawaiian_pacific_islander', 'white']);

/**
 * The one category a student is counted in, by the federal standard (US ED, 72 FR 59266, 2007):
 * Hispanic or Latino of any race is counted as Hispanic or Latino; otherwise two or more races
 * when the export says so in its own field or lists two or more races; otherwise the one race.
 * Ethnicity plus one race is never "two or more".
 */
export function federalCategory(codes: readonly string[]): string {
  if (codes.includes('hispanic_latino')) return 'hispanic_latino';
  const listed = codes.filter((c) => races.has(c));
  if (codes.includes('two_or_more_races') || listed.length > 1) return 'two_or_more';
  return listed[0] ?? 'not_recorded';
}
