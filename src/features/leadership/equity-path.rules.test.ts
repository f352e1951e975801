import { describe, expect, it } from 'vitest';
import { type Level, type LevelCounts, levels, levelsOf, path, type StudentFacts } from './equity-path.rules.ts';
import { equityCsvRows, equityView } from './equity-view.rules.ts';
import { type PathTable, suppressPath } from './path-suppression.rules.ts';

/**
 * Counts in this order: enrolled, offered, screened, positive, in time, referred, seen, reported,
 * plan, improved. Every positive student's follow-up is due (each was followed up, or is late)
 * unless `due` says otherwise.
 */
const order = levels.filter((l) => l !== 'follow_up_due');
const row = (...n: number[]): LevelCounts => {
  const counts = Object.fromEntries(order.map((l, i) => [l, n[i] ?? 0])) as LevelCounts;
  return { ...counts, follow_up_due: counts.positive };
};
const due = (counts: LevelCounts, followUpDue: number): LevelCounts => ({ ...counts, follow_up_due: followUpDue });

/**
 * A small synthetic district (threshold 10), counted by hand. Lincoln's seventh grade (58) was
 * offered screening, Aspen's third grade (12) never was. Spanish speakers (30): 20 screened, 10
 * positive, all followed up late. English speakers (25 at Lincoln, 12 at Aspen): 25 screened, 12
 * positive, all 12 followed up in time and referred, none seen yet. Somali speakers (3): all
 * screened, 2 positive, followed up late. Nobody reported about, no plans, no rescreens.
 */
const totals = row(70, 58, 48, 24, 12, 12, 0, 0, 0, 0);
const district: PathTable = {
  totals,
  dimensions: [
    { dimension: 'gender', groups: [{ group: 'unspecified', counts: totals }] },
    {
      dimension: 'home_language',
      groups: [
        { group: 'en', counts: row(37, 25, 25, 12, 12, 12, 0, 0, 0, 0) },
        { group: 'es', counts: row(30, 30, 20, 10, 0, 0, 0, 0, 0, 0) },
        { group: 'so', counts: row(3, 3, 3, 2, 0, 0, 0, 0, 0, 0) },
      ],
    },
    {
      dimension: 'grade_band',
      groups: [
        { group: '6-8', counts: row(58, 58, 48, 24, 12, 12, 0, 0, 0, 0) },
        { group: 'K-5', counts: row(12, 0, 0, 0, 0, 0, 0, 0, 0, 0) },
      ],
    },
  ],
};

const hiddenLevels = (map: Map<Level, string> | undefined) => Object.fromEntries([...(map ?? new Map()).entries()].sort());

describe('the path is a true funnel', () => {
  const none: StudentFacts = {
    inWindow: false,
    screened: false,
    positive: false,
    followUpDue: false,
    followedUpInTime: false,
    referred: false,
    seen: false,
    reported: false,
    plan: false,
    improved: false,
  };
  it.each([
    ['never offered screening', none, ['enrolled']],
    ['offered, not screened', { ...none, inWindow: true }, ['enrolled', 'offered_screening']],
    ['screened outside a window (an emergency screen): offered by being screened', { ...none, screened: true }, ['enrolled', 'offered_screening', 'screened']],
    [
      'positive, followed up late, then referred and seen: not "referred" in the funnel',
      { ...none, inWindow: true, screened: true, positive: true, referred: true, seen: true },
      ['enrolled', 'offered_screening', 'screened', 'positive'],
    ],
    [
      'the whole path, and a plan beside it',
      { ...none, inWindow: true, screened: true, positive: true, followUpDue: true, followedUpInTime: true, referred: true, seen: true, plan: true },
      ['enrolled', 'offered_screening', 'screened', 'positive', 'follow_up_due', 'followed_up_in_time', 'referred', 'first_appointment', 'plan_in_place'],
    ],
    [
      'positive yesterday, follow-up due next week: not yet counted for "followed up in time", nor after it',
      { ...none, inWindow: true, screened: true, positive: true, referred: true },
      ['enrolled', 'offered_screening', 'screened', 'positive'],
    ],
    [
      'positive, follow-up day passed without one: due, and not in time',
      { ...none, inWindow: true, screened: true, positive: true, followUpDue: true },
      ['enrolled', 'offered_screening', 'screened', 'positive', 'follow_up_due'],
    ],
    ['reported about, never screened', { ...none, reported: true }, ['enrolled', 'reported']],
    ['a plan without a positive screen is not counted under "of those positive"', { ...none, plan: true }, ['enrolled']],
  ] as const)('%s', (_name, facts, expected) => {
    expect([...levelsOf(facts)].sort()).toEqual([...expected].sort());
  });

  it("each step's eligible students are the ones who reached the step before it", () => {
    const view = equityView({ version: 3, since: '2025-11-28T15:00:00.000Z', totals, dimensions: district.dimensions, waits: [], languageAccess: [] }, 10, {
      analyst: false,
    });
    const funnel = view.steps.filter((s) => s.inPath);
    expect(funnel.map((s) => s.step)).toEqual(path);
    funnel.slice(1).forEach((s, i) => {
      expect(s.eligible, s.step).toBe(funnel[i]?.reached);
    });
    expect(funnel.map((s) => [s.step, s.reached, s.eligible])).toEqual([
      ['offered_screening', 58, 70],
      ['screened', 48, 58],
      ['positive', 24, 48],
      ['followed_up_in_time', 12, 24],
      ['referred', 12, 12],
      ['first_appointment', 0, 12],
    ]);
  });
});

describe('"followed up in time" counts only the follow-ups that were due', () => {
  it('leaves out positives whose due day has not come: 12 in time of the 18 due, not of the 22 positive', () => {
    // Spanish speakers: 10 positive, 4 of them screened this week and not due yet; the 6 due were late.
    const es = due(row(30, 30, 20, 10, 0, 0, 0, 0, 0, 0), 6);
    const en = row(37, 25, 25, 12, 12, 12, 0, 0, 0, 0);
    const district = due(row(67, 55, 45, 22, 12, 12, 0, 0, 0, 0), 18);
    const dimensions = [
      {
        dimension: 'home_language',
        groups: [
          { group: 'en', counts: en },
          { group: 'es', counts: es },
        ],
      },
    ];
    const view = equityView({ version: 3, since: '2025-11-28T15:00:00.000Z', totals: district, dimensions, waits: [], languageAccess: [] }, 3, {
      analyst: false,
    });
    const inTime = view.steps.find((s) => s.step === 'followed_up_in_time');
    expect(inTime).toMatchObject({ of: 'follow_up_due', reached: 12, eligible: 18, rate: 12 / 18 });
    // es: 0 of 6 against en's 12 of 12: corrected, (0.5/7) / (12.5/13) = 0.0743; SE = sqrt(1/0.5 −
    // 1/7 + 1/12.5 − 1/13) = 1.3639, so the interval reaches 0.0743 × e^(1.96 × 1.3639) = 1.076: no flag.
    const [enShown, esShown] = inTime?.dimensions[0]?.groups ?? [];
    expect(enShown).toMatchObject({ reached: 12, eligible: 12 });
    expect(esShown).toMatchObject({ reached: 0, eligible: 6, rate: 0, corrected: true, flag: null });
    expect(esShown && !esShown.suppressed && [esShown.rr, esShown.high]).toEqual([expect.closeTo(0.0743, 4), expect.closeTo(1.076, 3)]);
    // The next step is still taken of the one before it on the path.
    expect(view.steps.find((s) => s.step === 'referred')).toMatchObject({ of: 'followed_up_in_time', reached: 12, eligible: 12 });
  });
});

describe('a grade never offered screening', () => {
  const view = equityView({ version: 3, since: '2025-11-28T15:00:00.000Z', totals, dimensions: district.dimensions, waits: [], languageAccess: [] }, 10, {
    analyst: false,
  });
  const band = (step: string) => view.steps.find((s) => s.step === step)?.dimensions.find((d) => d.dimension === 'grade_band')?.groups;
  it("shows that it was not offered, as the district's plan, with no ratio or flag (not 25.8 times as likely)", () => {
    const [middle, elementary] = band('offered_screening') ?? [];
    expect(middle).toMatchObject({ reached: 58, eligible: 58, rate: 1, rr: null, low: null, high: null, planned: true, flag: null });
    expect(elementary).toMatchObject({ reached: 0, eligible: 12, rate: 0, rr: null, planned: true, flag: null });
    expect(view.highlights.filter((h) => h.dimension === 'grade_band')).toEqual([]);
  });
  it('has no one eligible to be screened, so no rate and no ratio there (not 48 of 58 against 0 of 12)', () => {
    expect(band('screened')).toEqual([
      {
        group: '6-8',
        suppressed: false,
        reached: 48,
        eligible: 58,
        rate: 48 / 58,
        rr: null,
        low: null,
        high: null,
        corrected: false,
        planned: false,
        flag: null,
      },
      { group: 'K-5', suppressed: false, reached: 0, eligible: 0, rate: null, rr: null, low: null, high: null, corrected: false, planned: false, flag: null },
    ]);
  });
});

describe('small counts and their complements (threshold 10)', () => {
  it('hides the Somali group everywhere, and in each column a count that leaves it a range of 10 or more', () => {
    const hidden = suppressPath(district, 10, { hideTotals: false });
    const language = hidden.groups.get('home_language');
    expect(hiddenLevels(language?.get('so'))).toEqual(Object.fromEntries(levels.map((l) => [l, 'small'])));
    // enrolled: hiding es (30) would leave Somali 0–3 (es offered 30 shows es ≥ 30); en (37) leaves 0–15.
    // offered: en would leave 0–3; es leaves 3–13. screened: both leave 13 values; es is smaller.
    // positive: en would leave 0–2; es leaves 0–12. In time: Somali 0 of 2 is 12 − 12 − 0; en's 12
    // sits between its 12 positive and 12 referred, so hiding it takes the referral count with it.
    expect(hiddenLevels(language?.get('en'))).toEqual({ enrolled: 'complementary', followed_up_in_time: 'complementary', referred: 'complementary' });
    // es's follow-ups due (10) equal its positives, so hiding one hides the other.
    expect(hiddenLevels(language?.get('es'))).toEqual({
      offered_screening: 'complementary',
      positive: 'complementary',
      follow_up_due: 'complementary',
      screened: 'complementary',
    });
    // Nobody in the district was seen, reported about, on a plan or rescreened: those zeros name no one.
    expect(hidden.totals.size).toBe(0);
    expect(hidden.groups.get('grade_band')?.get('6-8')?.size).toBe(0);
    expect(hidden.groups.get('gender')?.get('unspecified')?.size).toBe(0);
  });

  it('hides a small remainder by the count reached: 38 of 40 says 2 were not', () => {
    const table: PathTable = {
      totals: row(100, 100, 78, 20),
      dimensions: [
        {
          dimension: 'iep',
          groups: [
            { group: 'yes', counts: row(40, 40, 38, 10) },
            { group: 'no', counts: row(60, 60, 40, 10) },
          ],
        },
      ],
    };
    const hidden = suppressPath(table, 10, { hideTotals: false }).groups.get('iep');
    // yes: screened hidden (small remainder: 38 of 40); 78 − no's 40 would give it back, so no's
    // screened goes too: no is 10–60 (its 10 positive, its 60 offered), so yes is 18–40.
    expect(hiddenLevels(hidden?.get('yes'))).toEqual({ screened: 'small' });
    expect(hiddenLevels(hidden?.get('no'))).toEqual({ screened: 'complementary' });
  });

  it('for analysts, hides a small district count too; a zero beside it then gives nothing back', () => {
    const table: PathTable = {
      totals: row(100, 100, 100, 4),
      dimensions: [
        {
          dimension: 'iep',
          groups: [
            { group: 'yes', counts: row(30, 30, 30, 0) },
            { group: 'no', counts: row(70, 70, 70, 4) },
          ],
        },
        {
          dimension: 'gender',
          groups: [
            { group: 'female', counts: row(50, 50, 50, 2) },
            { group: 'male', counts: row(50, 50, 50, 2) },
          ],
        },
      ],
    };
    const analyst = suppressPath(table, 10, { hideTotals: true });
    // 4 positive is small, and so is each 0 of those 4 (0% of a small number names them all).
    const small = { positive: 'small', follow_up_due: 'small', followed_up_in_time: 'small', plan_in_place: 'small', improved: 'small' };
    expect(hiddenLevels(analyst.totals)).toEqual(small);
    // iep: no's 4 is small; yes's 0 stays: with the district's 4 hidden, 0 + no's gives nothing
    // back (no is anywhere from 0 to 70). gender: both 2s are small.
    expect(hiddenLevels(analyst.groups.get('iep')?.get('no'))).toEqual(small);
    expect(hiddenLevels(analyst.groups.get('iep')?.get('yes'))).toEqual({});
    expect(hiddenLevels(analyst.groups.get('gender')?.get('female'))).toEqual(small);
    const admin = suppressPath(table, 10, { hideTotals: false });
    expect(admin.totals.size).toBe(0);
    // District administrators see the 4, so yes's 0 would give no's 4 back (4 − 0): yes's 0 is
    // hidden too (it could be anything up to its 30 screened), which leaves no's anywhere from 0 to 4.
    expect(hiddenLevels(admin.groups.get('iep')?.get('yes'))).toEqual({ positive: 'complementary', follow_up_due: 'complementary' });
  });
});

describe('the CSV export shows exactly the cells the screen shows', () => {
  it('writes every hidden cell as "suppressed" and no count under the threshold', () => {
    const view = equityView({ version: 3, since: '2025-11-28T15:00:00.000Z', totals, dimensions: district.dimensions, waits: [], languageAccess: [] }, 10, {
      analyst: true,
    });
    const rows = equityCsvRows(view);
    expect(rows.filter((r) => r[0] === 'screened' && r[2] === 'home_language')).toEqual([
      ['screened', 'offered_screening', 'home_language', 'en', 25, 25, 1, 1.435, 1.146, 1.797, 'more'],
      ['screened', 'offered_screening', 'home_language', 'es', 'suppressed', 'suppressed', '', '', '', '', ''],
      ['screened', 'offered_screening', 'home_language', 'so', 'suppressed', 'suppressed', '', '', '', '', ''],
    ]);
    for (const r of rows) for (const cell of r.slice(4, 6)) expect(typeof cell === 'number' && cell > 0 && cell < 10, r.join(',')).toBe(false);
  });
});
