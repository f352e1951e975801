/**
 * Small-cell protection for the counts analysts see outside the equity dashboard (the screening
 * window dashboard, referral measures, equity step totals). Built on `suppress` (below)
 * and the district's `small_cell_threshold`, so every dashboard hides the same cells: a count of
 * 1 to threshold − 1, a part whose complement in its whole is that small (40 of 43 says 3), and,
 * because a shown total lets one hidden cell be recovered by subtraction, enough other cells that
 * no line with a known sum hides exactly one. Zero is shown: it names no one. Pure: table tests.
 */

export type Cell = { group: string; reached: number; eligible: number };
export type ShownCell = Cell & { suppressed: false; rate: number };
export type HiddenCell = { group: string; suppressed: true; reason: 'small' | 'complementary' | 'extreme' };

/**
 * Suppresses cells a reader could use to identify students: fewer than `threshold` eligible or
 * reached (but not zero reached in a large group), rates of 0% or 100% in groups under the
 * threshold, and — because a shown total lets one suppressed cell be recovered by subtraction —
 * the next-smallest cell of the same dimension when exactly one was suppressed.
 */
export function suppress(cells: Cell[], threshold: number): (ShownCell | HiddenCell)[] {
  const reasons = new Map<string, HiddenCell['reason']>();
  for (const c of cells) {
    if (c.eligible < threshold) reasons.set(c.group, c.reached === 0 || c.reached === c.eligible ? 'extreme' : 'small');
    else if (c.reached > 0 && c.reached < threshold) reasons.set(c.group, 'small');
    else if (c.eligible - c.reached > 0 && c.eligible - c.reached < threshold) reasons.set(c.group, 'small');
  }
  if (reasons.size === 1) {
    const next = cells.filter((c) => !reasons.has(c.group)).sort((x, y) => x.eligible - y.eligible)[0];
    if (next) reasons.set(next.group, 'complementary');
  }
  return cells.map((c) => {
    const reason = reasons.get(c.group);
    return reason ? { group: c.group, suppressed: true, reason } : { ...c, suppressed: false, rate: c.eligible ? c.reached / c.eligible : 0 };
  });
}

/** Is this one count too small to show (1 to threshold − 1)? */
export const tooSmall = (n: number, threshold: number) => n > 0 && n < threshold;

/**
 * The counts to hide in one row of figures: each count too small by itself, and each part of a
 * `[part, whole]` pair that `suppress` hides (a small remainder, or 0% / 100% of a small whole).
 */
export function hiddenCounts(counts: Record<string, number>, pairs: readonly (readonly [string, string])[], threshold: number): Set<string> {
  const hidden = new Set(Object.keys(counts).filter((key) => tooSmall(counts[key] as number, threshold)));
  for (const [part, whole] of pairs) {
    const reached = counts[part] ?? 0;
    const eligible = counts[whole] ?? 0;
    if (eligible === 0 || hidden.has(part)) continue;
    const [cell] = suppress([{ group: part, reached, eligible }], threshold);
    if (cell?.suppressed) hidden.add(part);
  }
  return hidden;
}

/**
 * Complementary suppression over lines: each line is a set of cells whose sum a reader knows or
 * can find (a total shown here, or on another view). While some line hides exactly one of its
 * cells, the smallest shown cell of that line is hidden too (a non-empty one when there is one: a
 * hidden zero hides little); hiding only grows, so it ends. A line of one cell is its own total
 * and is left as it is.
 */
export function closeLines(hidden: ReadonlySet<string>, lines: readonly (readonly string[])[], size: (cell: string) => number): Set<string> {
  const out = new Set(hidden);
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      if (line.filter((cell) => out.has(cell)).length !== 1) continue;
      const next = line
        .filter((cell) => !out.has(cell))
        .sort((a, b) => Number(size(a) === 0) - Number(size(b) === 0) || size(a) - size(b) || a.localeCompare(b))[0];
      if (next === undefined) continue;
      out.add(next);
      changed = true;
    }
  }
  return out;
}

/**
 * Cells of one measure split into groups (e.g. the bands of one instrument): those `suppress` hides
 * as small, and the next-smallest when only one would be hidden. Empty groups stay shown.
 */
export function hiddenParts(parts: Record<string, number>, threshold: number): Set<string> {
  const cells = Object.entries(parts)
    .filter(([, n]) => n > 0)
    .map(([group, n]) => ({ group, reached: n, eligible: n }));
  return new Set(
    suppress(cells, threshold)
      .filter((c) => c.suppressed)
      .map((c) => c.group),
  );
}
