import { describe, expect, it } from 'vitest';
import { closeLines, hiddenCounts, hiddenParts, tooSmall } from './small-cells.rules.ts';

describe('one count', () => {
  it.each([
    [0, false],
    [1, true],
    [9, true],
    [10, false],
    [250, false],
  ])('%i students, threshold 10: hidden %s', (n, hidden) => {
    expect(tooSmall(n, 10)).toBe(hidden);
  });
});

describe('counts in one row, with the parts of a whole', () => {
  const pairs = [
    ['screened', 'enrolled'],
    ['followedUp', 'positives'],
  ] as const;
  it.each([
    ['nothing small', { enrolled: 300, screened: 240, positives: 40, followedUp: 25 }, []],
    ['a small count, and 0% of it (0 of 4 says all four)', { enrolled: 300, screened: 240, positives: 4, followedUp: 0 }, ['positives', 'followedUp']],
    ['a small remainder: 38 of 40 says 2 were not', { enrolled: 300, screened: 240, positives: 40, followedUp: 38 }, ['followedUp']],
    ['all of a whole is fine when the whole is large', { enrolled: 300, screened: 300, positives: 40, followedUp: 40 }, []],
    ['zero is shown: it names no one', { enrolled: 300, screened: 0, positives: 0, followedUp: 0 }, []],
    ['a small whole hides its parts too', { enrolled: 6, screened: 6, positives: 0, followedUp: 0 }, ['enrolled', 'screened']],
  ] as const)('%s', (_, counts, hidden) => {
    expect([...hiddenCounts(counts, pairs, 10)].sort()).toEqual([...hidden].sort());
  });
});

describe('groups of one measure (the bands of an instrument)', () => {
  it.each([
    ['none small', { minimal: 120, mild: 40, moderate: 22 }, []],
    ['one small band takes the next-smallest with it', { minimal: 120, mild: 40, moderate: 22, severe: 3 }, ['moderate', 'severe']],
    ['two small bands hide each other', { minimal: 120, mild: 40, moderate: 4, severe: 3 }, ['moderate', 'severe']],
    ['an empty band stays shown', { minimal: 120, mild: 40, severe: 0 }, []],
  ] as const)('%s', (_, parts, hidden) => {
    expect([...hiddenParts(parts, 10)].sort()).toEqual([...hidden].sort());
  });
});

describe('complementary suppression over lines with a known sum', () => {
  const sizes: Record<string, number> = { lincoln: 40, aspen: 3, hill: 25, 'lincoln/es': 12, 'lincoln/en': 28, 'aspen/es': 3, 'hill/es': 11, 'hill/en': 14 };
  const size = (cell: string) => sizes[cell] ?? 0;
  it.each([
    ['no line hides exactly one: nothing more to hide', ['aspen', 'hill'], [['lincoln', 'aspen', 'hill']], ['aspen', 'hill']],
    ['a line hiding one cell hides its smallest other cell', ['aspen'], [['lincoln', 'aspen', 'hill']], ['aspen', 'hill']],
    [
      'hiding spreads until every line hides none or two or more',
      ['aspen/es'],
      [
        ['lincoln/es', 'aspen/es', 'hill/es'],
        ['hill', 'hill/es', 'hill/en'],
      ],
      ['aspen/es', 'hill/en', 'hill/es'],
    ],
    ['a line of one cell is its own total', ['aspen'], [['aspen']], ['aspen']],
    ['an empty cell is the last choice of complement', ['aspen'], [['aspen', 'empty', 'hill']], ['aspen', 'hill']],
  ] as const)('%s', (_, hidden, lines, expected) => {
    expect([...closeLines(new Set(hidden), lines, size)].sort()).toEqual([...expected].sort());
  });
});
