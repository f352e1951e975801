import { describe, expect, it } from 'vitest';
import { disparity, federalCategory, riskRatio, suppress, waitQuantile } from './equity.rules.ts';

describe('risk ratios against the rest of the district (Katz interval)', () => {
  it('computes the ratio and its 95% interval', () => {
    // 20 of 100 English learners followed up vs 60 of 150 others: 0.2 / 0.4 = 0.5.
    const r = riskRatio(20, 100, 60, 150);
    expect(r?.rr).toBeCloseTo(0.5, 10);
    // SE = sqrt(1/20 - 1/100 + 1/60 - 1/150) = sqrt(0.05) ≈ 0.2236
    expect(r?.low).toBeCloseTo(0.5 * Math.exp(-1.96 * Math.sqrt(0.05)), 6);
    expect(r?.high).toBeCloseTo(0.5 * Math.exp(1.96 * Math.sqrt(0.05)), 6);
    expect(r?.corrected).toBe(false);
  });

  it('adds 0.5 to every cell when a count is zero, and says so', () => {
    const r = riskRatio(0, 30, 40, 200);
    expect(r?.corrected).toBe(true);
    expect(r?.rr).toBeCloseTo(0.5 / 31 / (40.5 / 201), 10);
  });

  it.each([
    ['a clear gap', riskRatio(20, 100, 60, 150), 'less'],
    ['an interval crossing 1', riskRatio(3, 12, 60, 150), null],
    ['significant but within the practical threshold', riskRatio(900, 1000, 950, 1000), null],
    ['a group reached more often', riskRatio(80, 100, 40, 150), 'more'],
    ['no one eligible', riskRatio(0, 0, 10, 20), null],
  ] as const)('flags %s: %s', (_name, r, expected) => {
    expect(disparity(r)).toBe(expected);
  });
});

describe('waits with students still waiting (Kaplan–Meier)', () => {
  it('keeps censored students in the risk set, so the median is not understated', () => {
    const served = [2, 3, 4].map((days) => ({ days, served: true }));
    const waiting = [5, 6, 7].map((days) => ({ days, served: false }));
    // Ignoring those still waiting would give a median of 3 days; KM: S(2)=5/6, S(3)=4/6, S(4)=3/6 → median 4.
    expect(waitQuantile([...served, ...waiting], 0.5)).toEqual({ days: 4 });
    expect(waitQuantile([...served, ...waiting], 0.9)).toEqual({ moreThan: 7 });
  });
  it('gives the same answer from a histogram of waits', () => {
    const histogram = [
      { days: 2, served: true, count: 2 },
      { days: 3, served: false, count: 2 },
    ];
    const listed = [2, 2].map((days) => ({ days, served: true })).concat([3, 3].map((days) => ({ days, served: false })));
    expect(waitQuantile(histogram, 0.5)).toEqual(waitQuantile(listed, 0.5));
    expect(waitQuantile(histogram, 0.5)).toEqual({ days: 2 });
  });
  it('when fewer than half have been served, says "more than"', () => {
    expect(waitQuantile([{ days: 1, served: true }, ...[3, 8, 9].map((days) => ({ days, served: false }))], 0.5)).toEqual({ moreThan: 9 });
    expect(waitQuantile([], 0.5)).toBeNull();
  });
});

describe('small-cell suppression', () => {
  it('hides small counts, extreme rates in small groups, and one more cell when only one was hidden', () => {
    const shown = suppress(
      [
        { group: 'en', reached: 120, eligible: 400 },
        { group: 'es', reached: 40, eligible: 150 },
        { group: 'so', reached: 3, eligible: 7 },
      ],
      10,
    );
    expect(shown).toEqual([
      { group: 'en', reached: 120, eligible: 400, suppressed: false, rate: 0.3 },
      { group: 'es', suppressed: true, reason: 'complementary' },
      { group: 'so', suppressed: true, reason: 'small' },
    ]);
  });
  it.each([
    ['0% in a small group', { reached: 0, eligible: 6 }, 'extreme'],
    ['100% in a small group', { reached: 6, eligible: 6 }, 'extreme'],
    ['a small numerator in a large group', { reached: 4, eligible: 300 }, 'small'],
    ['a small remainder in a large group', { reached: 296, eligible: 300 }, 'small'],
  ] as const)('hides %s', (_name, cell, reason) => {
    const [first] = suppress([{ group: 'g', ...cell }, ...['a', 'b'].map((group) => ({ group, reached: 50, eligible: 100 }))], 10);
    expect(first).toEqual({ group: 'g', suppressed: true, reason });
  });
  it('shows 0% in a large group: nobody is identified by it', () => {
    expect(
      suppress(
        [
          { group: 'g', reached: 0, eligible: 300 },
          { group: 'h', reached: 50, eligible: 100 },
        ],
        10,
      )[0],
    ).toMatchObject({ suppressed: false, rate: 0 });
  });
});

describe('counting race and ethnicity by the federal standard', () => {
  it.each([
    [['hispanic_latino'], 'hispanic_latino'],
    [['hispanic_latino', 'white'], 'hispanic_latino'],
    [['hispanic_latino', 'white', 'asian'], 'hispanic_latino'],
    [['white'], 'white'],
    [['white', 'black_african_american'], 'two_or_more'],
    [['two_or_more_races'], 'two_or_more'],
    [['two_or_more_races', 'hispanic_latino'], 'hispanic_latino'],
    [[], 'not_recorded'],
  ])('%j is counted as %s', (codes, expected) => {
    expect(federalCategory(codes)).toBe(expected);
  });
});
