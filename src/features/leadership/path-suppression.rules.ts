import { childrenOf, eligibleFor, type Level, type LevelCounts, levels, type Step, steps } from './equity-path.rules.ts';

/**
 * Small-cell suppression for the equity path (reference: equity-methods.md, "Small numbers and
 * re-identification"), applied on the server before JSON or CSV leaves it.
 *
 * The table: one row per group of each dimension (and the district's row), one column per level
 * of the funnel (equity-path.rules.ts). A step shows two of a row's counts, reached and eligible,
 * so a count is hidden once and stays hidden wherever it would appear. What a reader knows beside
 * the shown counts: in each dimension the groups add up to the district's count (a column), and
 * along a row each level lies between its denominator and the largest of its own steps (the
 * funnel). Suppression:
 *
 * 1. Primary: a count of 1 to threshold − 1; every count of a group smaller than the threshold
 *    (its 0% and 100% disclose each member); 0 of a small denominator; and a small remainder
 *    (38 of 40 says 2 were not reached), by hiding the count reached.
 * 2. Complementary: while some hidden count can be worked out exactly, by subtraction from its
 *    column's total and the other shown counts, or from the counts shown around it in its row, one
 *    more count of that column or row is hidden (with any count that would then be pinned between
 *    equal neighbours). The one chosen leaves the hidden count a range of at least `threshold`
 *    where it can (else at least two values), and among those is the smallest.
 *
 * Zero is shown: it names no one. A count that only zeros around it pin (a district total of 0)
 * has nothing to protect and is left. District administrators see the district's row; for
 * analysts it is suppressed like any group (decision 23).
 */
export type Reason = 'small' | 'complementary';

export type PathTable = { totals: LevelCounts; dimensions: { dimension: string; groups: { group: string; counts: LevelCounts }[] }[] };

export type PathSuppression = {
  totals: Map<Level, Reason>;
  /** dimension → group → the hidden levels of that group. */
  groups: Map<string, Map<string, Map<Level, Reason>>>;
};

type Row = { dimension: string | null; group: string; counts: LevelCounts; hidden: Map<Level, Reason>; mayHide: boolean };
type Cell = { row: Row; level: Level };

const infinity = 1e12;

export function suppressPath(table: PathTable, threshold: number, options: { hideTotals: boolean }): PathSuppression {
  const totals: Row = { dimension: null, group: '', counts: table.totals, hidden: new Map(), mayHide: options.hideTotals };
  const lines = table.dimensions.map((d) => ({
    dimension: d.dimension,
    rows: d.groups.map((g): Row => ({ dimension: d.dimension, group: g.group, counts: g.counts, hidden: new Map(), mayHide: true })),
  }));
  const rows = [totals, ...lines.flatMap((l) => l.rows)];
  const small = (n: number) => n > 0 && n < threshold;

  for (const row of rows) if (row.mayHide) primary(row, small);

  const hidden = (c: Cell) => c.row.hidden.has(c.level);
  const lower = (row: Row, level: Level): number =>
    row.hidden.has(level) ? Math.max(0, ...childrenOf(level).map((child) => lower(row, child))) : row.counts[level];
  const upper = (row: Row, level: Level): number =>
    !row.hidden.has(level) ? row.counts[level] : level === 'enrolled' ? infinity : upper(row, eligibleFor[level as Step]);
  /**
   * What a reader can say of a hidden count: the funnel around it (its row), and each column it
   * adds up in, as ranges; the count is exposed when together they leave one value.
   */
  const ranges = (x: Cell): [number, number][] => {
    const row: [number, number] = [lower(x.row, x.level), upper(x.row, x.level)];
    const columns = lines
      .filter((line) => x.row === totals || x.row.dimension === line.dimension)
      .map((line): [number, number] => {
        if (x.row === totals) return [sum(line.rows, (g) => lower(g, x.level)), sum(line.rows, (g) => upper(g, x.level))];
        const others = line.rows.filter((g) => g !== x.row);
        return [lower(totals, x.level) - sum(others, (g) => upper(g, x.level)), upper(totals, x.level) - sum(others, (g) => lower(g, x.level))];
      });
    return [row, ...columns.map(([lo, hi]): [number, number] => [Math.max(lo, row[0]), Math.min(hi, row[1])])];
  };
  const spread = ([lo, hi]: [number, number]) => Math.max(0, Math.min(hi, infinity) - lo);
  const width = (x: Cell) => {
    const all = ranges(x);
    return spread([Math.max(...all.map((r) => r[0])), Math.min(...all.map((r) => r[1]))]);
  };
  /** How many of the ways to read x each pin it to one value (a district count may be pinned by several dimensions). */
  const pins = (x: Cell) => ranges(x).filter((r) => spread(r) === 0).length;
  /** Shown counts whose hiding could widen x's range: its row, and the columns it is part of. */
  const candidates = (x: Cell): Cell[] => {
    const inRow = levels.map((level) => ({ row: x.row, level }));
    const inColumns = lines
      .filter((line) => x.row === totals || line.dimension === x.row.dimension)
      .flatMap((line) => [...line.rows, totals].map((row) => ({ row, level: x.level })));
    return [...inRow, ...inColumns].filter((c) => c.row.mayHide && !hidden(c));
  };

  /** The shown count below a level that pins it from beneath (its own step, or one further down through hidden ones). */
  const pinningStep = (row: Row, level: Level, value: number): Cell | null => {
    for (const child of childrenOf(level)) {
      if (!row.hidden.has(child)) {
        if (row.counts[child] === value) return { row, level: child };
      } else if (lower(row, child) === value) {
        const deeper = pinningStep(row, child, value);
        if (deeper) return deeper;
      }
    }
    return null;
  };
  /**
   * What hiding c takes with it: a count hidden between a shown denominator and a shown step of
   * the same value (12 positive, 12 followed up, 12 referred) is still known, so the step below
   * it goes too, until each is free. And a population counted only as a denominator (follow-ups
   * due) that equals its parent goes with it: it is usually the same number, and would give it back.
   */
  const bundleOf = (c: Cell): Cell[] => {
    const bundle = [c];
    c.row.hidden.set(c.level, 'complementary');
    for (let i = 0; i < bundle.length; i++) {
      const b = bundle[i] as Cell;
      for (const child of childrenOf(b.level))
        if (!steps.includes(child) && !b.row.hidden.has(child) && b.row.counts[child] === b.row.counts[b.level] && b.row.mayHide) {
          b.row.hidden.set(child, 'complementary');
          bundle.push({ row: b.row, level: child });
        }
      const value = lower(b.row, b.level);
      if (value !== upper(b.row, b.level) || value === 0) continue;
      const pin = pinningStep(b.row, b.level, value);
      if (!pin) continue;
      pin.row.hidden.set(pin.level, 'complementary');
      bundle.push(pin);
    }
    for (const b of bundle) b.row.hidden.delete(b.level);
    return bundle;
  };
  /**
   * The complement for an exposed count: the bundle that leaves it a range of at least `threshold`
   * values if one does (the smallest such), else one that leaves it at least two (the smallest),
   * else one that frees it in one more of the columns pinning it, else none. Group counts before
   * district counts, so the district's row stays shown where it can.
   */
  const complementFor = (x: Cell): Cell[] | null => {
    const pinned = pins(x);
    const scored = candidates(x).map((c) => {
      const bundle = bundleOf(c);
      for (const b of bundle) b.row.hidden.set(b.level, 'complementary');
      const scores = { bundle, w: width(x), p: pins(x), district: bundle.some((b) => b.row === totals), size: sum(bundle, (b) => b.row.counts[b.level]) };
      for (const b of bundle) b.row.hidden.delete(b.level);
      return scores;
    });
    type Scored = (typeof scored)[number];
    const order = (a: Scored, b: Scored) =>
      Number(a.district) - Number(b.district) ||
      a.size - b.size ||
      `${a.bundle[0]?.row.group}|${a.bundle[0]?.level}`.localeCompare(`${b.bundle[0]?.row.group}|${b.bundle[0]?.level}`);
    const wide = scored.filter((s) => s.w >= threshold).sort(order)[0];
    const some = scored.filter((s) => s.w > 0).sort(order)[0];
    const fewerPins = scored.filter((s) => s.p < pinned).sort(order)[0];
    return (wide ?? some ?? fewerPins)?.bundle ?? null;
  };

  const settled = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const row of rows)
      for (const level of [...row.hidden.keys()]) {
        const x = { row, level };
        const id = `${row.dimension}|${row.group}|${level}`;
        if (settled.has(id) || width(x) > 0) continue;
        // Nobody in the district reached this level: every group's 0 says nothing about anyone.
        const districtZero = row !== totals && !totals.hidden.has(level) && totals.counts[level] === 0;
        const bundle = districtZero ? null : complementFor(x);
        if (!bundle) {
          settled.add(id);
          continue;
        }
        for (const b of bundle) b.row.hidden.set(b.level, 'complementary');
        changed = true;
      }
  }
  return {
    totals: totals.hidden,
    groups: new Map(lines.map((line) => [line.dimension, new Map(line.rows.map((row) => [row.group, row.hidden]))])),
  };
}

/**
 * 1. Primary suppression along one row, denominators first: a small count; every count of a small
 * group; 0 of a small denominator; a small remainder (hiding the count reached).
 */
function primary(row: Row, small: (n: number) => boolean): void {
  if (row.dimension !== null && small(row.counts.enrolled)) {
    for (const level of levels) row.hidden.set(level, 'small');
    return;
  }
  // `levels` lists every denominator before the steps taken of it.
  for (const level of levels) {
    const n = row.counts[level];
    if (small(n)) row.hidden.set(level, 'small');
    else if (level !== 'enrolled') {
      const parent = eligibleFor[level as Step];
      const of = row.counts[parent];
      if (n === 0 && small(of)) row.hidden.set(level, 'small');
      else if (!row.hidden.has(parent) && small(of - n)) row.hidden.set(level, 'small');
    }
  }
}

const sum = <T>(items: readonly T[], f: (item: T) => number) => items.reduce((n, item) => n + f(item), 0);
