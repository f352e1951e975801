import { disparity, riskRatio, suppress, waitQuantile } from './equity.rules.ts';
import { eligibleFor, type Level, type LevelCounts, path, type Step, steps } from './equity-path.rules.ts';
import { type PathSuppression, type Reason, suppressPath } from './path-suppression.rules.ts';

/** Waits as the rollup stores them: [days (tenths), served, students]; never a row per student. */
export type Hist = [days: number, served: 0 | 1, count: number][];

/** What the equity rollup stores: counts per level and group, and wait histograms. */
export type EquityCounts = {
  /** 3: counts per level of the funnel, `follow_up_due` included (equity-path.rules.ts). Older rollups are recomputed. */
  version: 3;
  since: string;
  totals: LevelCounts;
  dimensions: { dimension: string; groups: { group: string; counts: LevelCounts }[] }[];
  waits: { step: Step; overall: Hist; dimensions: { dimension: string; groups: { group: string; hist: Hist }[] }[] }[];
  languageAccess: { group: string; reached: number; eligible: number }[];
};

export type ShownGroup = {
  group: string;
  suppressed: false;
  reached: number;
  eligible: number;
  /** Null when no one in the group was eligible: 0 of 0 is not a rate. */
  rate: number | null;
  rr: number | null;
  low: number | null;
  high: number | null;
  corrected: boolean;
  planned: boolean;
  flag: 'less' | 'more' | null;
};
export type HiddenGroup = { group: string; suppressed: true; reason: Reason };
type WaitCell = { suppressed: true; reason: Reason } | { suppressed: false; students: number; median: Quantile; p90: Quantile };
type Quantile = ReturnType<typeof waitQuantile>;
export type Highlight = { step: Step; dimension: string; group: string } & (
  | { flag: 'less' | 'more'; rr: number }
  | { flag: 'waits_longer'; days: number; overallDays: number }
);

/**
 * Rates the district's own plan sets, not a gap between groups: which grades a screening window
 * covers is chosen when it is set up, so the grade bands' "offered screening" rates are shown
 * without a ratio or a flag (the only grades offered would otherwise be "2,159 times as likely").
 */
const planned: Partial<Record<Step, readonly string[]>> = { offered_screening: ['grade_band'] };

/**
 * The dashboard from the rollup: each step with its denominator named (`of`), its district figures
 * and each group's rate and risk ratio against everyone else who was eligible for the same step
 * (Katz interval; a flag only when clear), the waits, and the highlights. Every count a reader
 * could use to identify students is hidden first (path-suppression.rules.ts); a group's ratio
 * needs the district figures, so it is shown only with them.
 */
export function equityView(counts: EquityCounts, threshold: number, options: { analyst: boolean }) {
  const hidden = suppressPath(counts, threshold, { hideTotals: options.analyst });
  const highlights: Highlight[] = [];
  const stepViews = steps.map((step) => {
    const of = eligibleFor[step];
    const totalShown = !hidden.totals.has(step) && !hidden.totals.has(of);
    const [reached, eligible] = [counts.totals[step], counts.totals[of]];
    return {
      step,
      of,
      inPath: path.includes(step),
      ...(totalShown
        ? { reached, eligible, rate: eligible ? reached / eligible : null, suppressed: false as const }
        : { reached: null, eligible: null, rate: null, suppressed: true as const }),
      dimensions: counts.dimensions.map(({ dimension, groups }) => ({
        dimension,
        groups: groups.map((g): ShownGroup | HiddenGroup => {
          const reason = reasonOf(hidden, dimension, g.group, step, of);
          if (reason) return { group: g.group, suppressed: true, reason };
          const [a, n] = [g.counts[step], g.counts[of]];
          const byPlan = planned[step]?.includes(dimension) ?? false;
          const rr = totalShown && !byPlan ? riskRatio(a, n, reached - a, eligible - n) : null;
          const flag = disparity(rr);
          if (flag && rr) highlights.push({ step, dimension, group: g.group, flag, rr: rr.rr });
          return {
            group: g.group,
            suppressed: false,
            reached: a,
            eligible: n,
            rate: n ? a / n : null,
            rr: rr?.rr ?? null,
            low: rr?.low ?? null,
            high: rr?.high ?? null,
            corrected: rr?.corrected ?? false,
            planned: byPlan,
            flag,
          };
        }),
      })),
      waits: waitsOf(counts, hidden, step, of, threshold, highlights),
    };
  });
  return { since: counts.since, threshold, steps: stepViews, highlights, languageAccess: suppress(counts.languageAccess, threshold) };
}

/** A group's step is hidden when either of its two counts is; "small" when either is small itself. */
function reasonOf(hidden: PathSuppression, dimension: string, group: string, step: Level, of: Level): Reason | null {
  const row = hidden.groups.get(dimension)?.get(group);
  const reasons = [row?.get(step), row?.get(of)].filter((r): r is Reason => r !== undefined);
  return reasons.length === 0 ? null : reasons.includes('small') ? 'small' : 'complementary';
}

/**
 * The waits of a step (Kaplan–Meier, students still waiting kept) for the students eligible for
 * it, so a group's wait is shown exactly when its eligible count is. A group waits longer when its
 * median is over 1.25 times everyone's, and at least a day more.
 */
function waitsOf(counts: EquityCounts, hidden: PathSuppression, step: Step, of: Level, threshold: number, highlights: Highlight[]) {
  const waits = counts.waits.find((w) => w.step === step);
  if (!waits) return null;
  const hiddenAs = (reason: Reason | undefined): WaitCell | null => (reason ? { suppressed: true, reason } : null);
  const overall = hiddenAs(hidden.totals.get(of)) ?? waitSummary(waits.overall, threshold);
  const dimensions = waits.dimensions.map(({ dimension, groups }) => ({
    dimension,
    groups: groups.map(({ group, hist }) => ({ group, ...(hiddenAs(hidden.groups.get(dimension)?.get(group)?.get(of)) ?? waitSummary(hist, threshold)) })),
  }));
  if (!overall.suppressed && overall.median && 'days' in overall.median) {
    const base = overall.median.days;
    for (const d of dimensions)
      for (const g of d.groups) {
        if (g.suppressed || !g.median) continue;
        const days = 'days' in g.median ? g.median.days : g.median.moreThan;
        if (days > base * 1.25 && days - base >= 1)
          highlights.push({ step, dimension: d.dimension, group: g.group, flag: 'waits_longer', days, overallDays: base });
      }
  }
  return { overall, dimensions };
}

function waitSummary(hist: Hist, threshold: number): WaitCell {
  const waits = hist.map(([days, served, count]) => ({ days, served: served === 1, count }));
  const students = waits.reduce((n, w) => n + w.count, 0);
  if (students < threshold) return { suppressed: true, reason: 'small' };
  return { suppressed: false, students, median: waitQuantile(waits, 0.5), p90: waitQuantile(waits, 0.9) };
}

export type EquityView = ReturnType<typeof equityView>;

const round = (n: number | null | undefined) => (n === null || n === undefined ? '' : Number(n.toFixed(3)));

export const equityCsvHeader = ['step', 'of', 'dimension', 'group', 'reached', 'eligible', 'rate', 'risk_ratio', 'ci_low', 'ci_high', 'disparity'];

/**
 * The CSV export: exactly the cells the screen shows, hidden ones as "suppressed", so the export
 * never says more than the dashboard (the same threshold, the same complements).
 */
export function equityCsvRows(view: EquityView): (string | number)[][] {
  return view.steps.flatMap((s) => [
    s.suppressed
      ? [s.step, s.of, 'all', 'all', 'suppressed', 'suppressed', '', '', '', '', '']
      : [s.step, s.of, 'all', 'all', s.reached, s.eligible, round(s.rate), '', '', '', ''],
    ...s.dimensions.flatMap((d) =>
      d.groups.map((g) =>
        g.suppressed
          ? [s.step, s.of, d.dimension, g.group, 'suppressed', 'suppressed', '', '', '', '', '']
          : [s.step, s.of, d.dimension, g.group, g.reached, g.eligible, round(g.rate), round(g.rr), round(g.low), round(g.high), g.flag ?? ''],
      ),
    ),
  ]);
}
