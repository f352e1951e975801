import { describe, expect, it } from 'vitest';
import { type ConsentRow, schoolYearOf } from './consent.rules.ts';
import { addSchoolDays, ageOn, eligibility, resultRefusal } from './eligibility.rules.ts';

const instruments = [{ id: 'phq-a' }, { id: 'asq', ages: { min: 8, max: null, source: null } }];
const passive = { consent: 'passive' as const, selfConsentAge: 12, noticeDays: 14 };
const active = { ...passive, consent: 'active' as const };
const student = { dateOfBirth: '2012-03-10', grade: '8' };
const fall = { id: 'fall', opensOn: '2026-10-26' };
const spring = { id: 'spring', opensOn: '2027-03-01' };
/** A consent row as recorded: for the fall window unless said otherwise, on the given day. */
const row = (kind: ConsentRow['kind'], day: string, scope: Partial<ConsentRow> = {}): ConsentRow => ({
  kind,
  windowId: 'fall',
  schoolYear: '2026-27',
  instrumentId: null,
  recordedAt: `${day}T12:00:00Z`,
  ...scope,
});
const base = { student, today: '2026-11-02', window: fall, instruments, policy: passive, consents: [] as ConsentRow[], firstNoticeOn: '2026-10-01' };
type Input = Parameters<typeof eligibility>[0];

describe('who may be screened', () => {
  it.each([
    ['passive: notice sent 32 days ago', {}, 'eligible'],
    ['passive: notice sent 13 days ago', { firstNoticeOn: '2026-10-20' }, 'notice_period'],
    ['passive: notice sent exactly 14 days ago', { firstNoticeOn: '2026-10-19' }, 'eligible'],
    ['passive: no notice yet', { firstNoticeOn: null }, 'notice_period'],
    ['passive: the family opted out', { consents: [row('opt_out', '2026-10-05')] }, 'opted_out'],
    ['active: nothing recorded', { policy: active }, 'needs_consent'],
    ['active: guardian consent', { policy: active, consents: [row('consent', '2026-10-05')] }, 'eligible'],
    ['active: consent then withdrawn', { policy: active, consents: [row('consent', '2026-10-05'), row('withdrawn', '2026-10-20')] }, 'opted_out'],
    ['active: a 14-year-old consents', { policy: active, consents: [row('student_consent', '2026-10-05')] }, 'eligible'],
    [
      'active: an 11-year-old consents',
      { policy: active, consents: [row('student_consent', '2026-10-05')], student: { dateOfBirth: '2015-06-01', grade: '6' } },
      'needs_consent',
    ],
  ] as const)('%s → %s', (_name, change, status) => {
    expect(eligibility({ ...base, ...change } as Input).status).toBe(status);
  });
  it.each([
    ['2026-10-20', 'The family was first told 13 days ago and has 14 days to opt out; screening can start on 2026-11-03.'],
    ['2026-11-01', 'The family was first told yesterday and has 14 days to opt out; screening can start on 2026-11-15.'],
    ['2026-11-02', 'The family was first told today and has 14 days to opt out; screening can start on 2026-11-16.'],
    // A notice sent on a Denver evening was once dated the next (UTC) day: "told -1 of 14 days ago".
    ['2026-11-03', 'The family was first told today and has 14 days to opt out; screening can start on 2026-11-17.'],
  ])('the notice period, first notice on %s, in words a proctor reads: %s', (firstNoticeOn, reason) => {
    expect(eligibility({ ...base, firstNoticeOn })).toMatchObject({ status: 'notice_period', reason });
  });

  it('the ASQ is left out below age 8, the day before the birthday too', () => {
    expect(eligibility({ ...base, student: { dateOfBirth: '2018-11-03', grade: '2' } }).instruments).toEqual(['phq-a']);
    expect(eligibility({ ...base, student: { dateOfBirth: '2018-11-02', grade: '2' } }).instruments).toEqual(['phq-a', 'asq']);
  });

  it('without a birth date the age is estimated from the grade, and says so', () => {
    const result = eligibility({ ...base, student: { dateOfBirth: null, grade: '2' } });
    expect(result).toMatchObject({ instruments: ['phq-a'], ageEstimated: true });
  });

  it('a window with only instruments too old for the student screens nobody', () => {
    expect(
      eligibility({ ...base, instruments: [{ id: 'asq', ages: { min: 8, max: null, source: null } }], student: { dateOfBirth: '2020-01-01', grade: '1' } })
        .status,
    ).toBe('no_instrument');
  });

  it('counts age in whole years', () => {
    expect(ageOn('2012-03-10', '2026-03-09')).toBe(13);
    expect(ageOn('2012-03-10', '2026-03-10')).toBe(14);
  });
});

describe('school years run July to June', () => {
  it.each([
    ['2026-07-01', '2026-27'],
    ['2027-06-30', '2026-27'],
    ['2026-06-30', '2025-26'],
    ['2099-09-01', '2099-00'],
  ])('%s is in %s', (day, year) => {
    expect(schoolYearOf(day)).toBe(year);
  });
});

describe('follow-up due dates count school days', () => {
  it.each([
    ['2026-11-02', 5, '2026-11-09'], // Monday -> next Monday
    ['2026-11-06', 1, '2026-11-09'], // Friday -> Monday
    ['2026-11-07', 5, '2026-11-13'], // Saturday -> Friday
    ['2026-11-02', 0, '2026-11-02'],
  ])('%s + %i school days is %s', (day, count, due) => {
    expect(addSchoolDays(day, count)).toBe(due);
  });

  it.each([
    ['2014-11-02', 'phq-a is not given at 12, only at 13–18', ['asq']],
    ['2013-11-02', 'both at 13', ['phq-a', 'asq']],
    ['2007-11-01', 'phq-a is not given at 19', ['asq']],
  ])('the PHQ-A is given only within its validated ages (born %s: %s)', (dateOfBirth, _why, expected) => {
    const ranged = [{ id: 'phq-a', ages: { min: 13, max: 18, source: 'Johnson 2002' } }, instruments[1] as (typeof instruments)[number]];
    expect(eligibility({ ...base, instruments: ranged, student: { dateOfBirth, grade: '7' } }).instruments).toEqual(expected);
  });

  it('says which ages each instrument is for when none fits', () => {
    const result = eligibility({
      ...base,
      instruments: [{ id: 'phq-a', ages: { min: 13, max: 18, source: 'Johnson 2002' } }],
      student: { dateOfBirth: '2016-01-01', grade: '4' },
    });
    expect(result).toMatchObject({ status: 'no_instrument', reason: 'No instrument in this window is validated at age 10 (PHQ-A: ages 13–18).' });
  });
});

describe('consent belongs to a window', () => {
  it.each([
    ['active: consent for the fall window, in fall', { policy: active, consents: [row('consent', '2026-10-05')] }, 'eligible'],
    [
      'active: consent for the fall window does not carry to spring',
      { policy: active, window: spring, consents: [row('consent', '2026-10-05')] },
      'needs_consent',
    ],
    [
      'active: the student assents in fall; spring asks again',
      { policy: active, window: spring, consents: [row('student_consent', '2026-10-05')] },
      'needs_consent',
    ],
    [
      'passive: an opt-out of fall leaves spring to the notice',
      { window: spring, today: '2027-03-15', firstNoticeOn: '2027-02-01', consents: [row('opt_out', '2026-10-05')] },
      'eligible',
    ],
    [
      'passive: an opt-out for the school year covers spring',
      { window: spring, today: '2027-03-15', firstNoticeOn: '2027-02-01', consents: [row('opt_out', '2026-10-05', { windowId: null })] },
      'opted_out',
    ],
    [
      'passive: a school-year opt-out ends with the school year',
      {
        window: { id: 'next-fall', opensOn: '2027-10-25' },
        today: '2027-11-01',
        firstNoticeOn: '2027-10-01',
        consents: [row('opt_out', '2026-10-05', { windowId: null })],
      },
      'eligible',
    ],
    [
      'an opt-out from before windows stands in a later year',
      {
        window: { id: 'next-fall', opensOn: '2027-10-25' },
        today: '2027-11-01',
        firstNoticeOn: '2027-10-01',
        consents: [row('opt_out', '2025-10-05', { windowId: null, schoolYear: null })],
      },
      'opted_out',
    ],
    [
      'a consent from before windows that matched none reaches no window',
      { policy: active, consents: [row('consent', '2025-10-05', { windowId: null, schoolYear: null })] },
      'needs_consent',
    ],
    ['a school-year row never grants consent', { policy: active, consents: [row('consent', '2026-10-05', { windowId: null })] }, 'needs_consent'],
    [
      'the family opts out for the year, then consents to the spring window',
      { policy: active, window: spring, consents: [row('opt_out', '2026-10-05', { windowId: null }), row('consent', '2027-02-10', { windowId: 'spring' })] },
      'eligible',
    ],
  ] as const)('%s → %s', (_name, change, status) => {
    expect(eligibility({ ...base, ...change } as Input).status).toBe(status);
  });

  it.each([
    ['the guardian opted out, then the student assented', [row('opt_out', '2026-10-05'), row('student_consent', '2026-10-20')]],
    ['the student assented, then the guardian opted out', [row('student_consent', '2026-10-05'), row('opt_out', '2026-10-20')]],
    [
      'the guardian opted out for the year, then the student assented for the window',
      [row('opt_out', '2026-09-01', { windowId: null }), row('student_consent', '2026-10-20')],
    ],
  ])("a guardian's opt-out wins over the student's assent: %s", (_name, consents) => {
    for (const policy of [active, passive]) {
      expect(eligibility({ ...base, policy, consents })).toMatchObject({ status: 'opted_out', instruments: [] });
    }
  });

  it('an opt-out of one instrument leaves the others, and says why', () => {
    const result = eligibility({ ...base, policy: active, consents: [row('consent', '2026-10-05'), row('opt_out', '2026-10-06', { instrumentId: 'asq' })] });
    expect(result).toMatchObject({ status: 'eligible', instruments: ['phq-a'], reason: 'Not the ASQ: The family opted out of the ASQ of this window.' });
  });

  it('consent for one instrument gives that one only under active consent', () => {
    const result = eligibility({ ...base, policy: active, consents: [row('consent', '2026-10-05', { instrumentId: 'phq-a' })] });
    expect(result).toMatchObject({ status: 'eligible', instruments: ['phq-a'], reason: 'Not the ASQ: no consent for it.' });
  });

  it('names the school year a whole-year opt-out was for', () => {
    const result = eligibility({ ...base, consents: [row('opt_out', '2026-09-01', { windowId: null })] });
    expect(result.reason).toBe('The family opted out for all screening in the 2026-27 school year.');
  });
});

describe('results entered by staff or imported check consent too', () => {
  const open = { ...fall, name: 'Fall wellness check', firstNoticeOn: '2026-10-01' };
  const entry = { student, day: '2026-11-02', instrumentId: 'phq-a', policy: active, windows: [open], consents: [] as ConsentRow[] };
  it.each([
    ['in a window, active, no consent', {}, 'Fall wellness check: Written consent from a guardian for this window is needed'],
    ['in a window, with consent', { consents: [row('consent', '2026-10-05')] }, null],
    [
      'in a window, the family opted out',
      { policy: passive, consents: [row('opt_out', '2026-10-05')] },
      'Fall wellness check: The family opted out of this window.',
    ],
    [
      'two windows overlap: consent for one is enough',
      { windows: [open, { ...open, id: 'other', name: 'Other' }], consents: [row('consent', '2026-10-05')] },
      null,
    ],
    [
      'two windows overlap: an opt-out of either is honored',
      {
        windows: [{ ...open, id: 'other', name: 'Other' }, open],
        consents: [row('consent', '2026-10-05', { windowId: 'other' }), row('opt_out', '2026-10-06')],
      },
      'Fall wellness check: The family opted out of this window.',
    ],
    ['outside windows, nothing recorded', { windows: [] }, null],
    ['outside windows, a fall-window opt-out does not reach', { windows: [], consents: [row('opt_out', '2026-10-05')] }, null],
    [
      'outside windows, a school-year opt-out stands',
      { windows: [], consents: [row('opt_out', '2026-09-01', { windowId: null })] },
      'The family opted out for all screening',
    ],
  ] as const)('%s', (_name, change, refusal) => {
    const result = resultRefusal({ ...entry, ...change } as Parameters<typeof resultRefusal>[0]);
    if (refusal === null) expect(result).toBeNull();
    else expect(result).toContain(refusal);
  });
});

describe("the roster's reasons come in parts, for the reader's language", () => {
  const ranged = [{ id: 'phq-a', ages: { min: 13, max: 18, source: 'Johnson 2002' } }, instruments[1] as (typeof instruments)[number]];
  it.each([
    [
      'an opt-out of the window',
      { consents: [row('opt_out', '2026-10-05')] },
      [{ code: 'opted_out_window', values: { instrument: null, schoolYear: '2026-27', leftOut: [] } }],
    ],
    [
      'consent withdrawn',
      { policy: active, consents: [row('consent', '2026-10-05'), row('withdrawn', '2026-10-20')] },
      [{ code: 'withdrawn_window', values: { instrument: null, schoolYear: '2026-27', leftOut: [] } }],
    ],
    [
      'an opt-out of the school year',
      { consents: [row('opt_out', '2026-09-01', { windowId: null })] },
      [{ code: 'opted_out_year', values: { instrument: null, schoolYear: '2026-27', leftOut: [] } }],
    ],
    [
      'an opt-out from before windows',
      { consents: [row('opt_out', '2025-10-05', { windowId: null, schoolYear: null })] },
      [{ code: 'opted_out_standing', values: { instrument: null, schoolYear: '2026-27', leftOut: [] } }],
    ],
    [
      'an opt-out of the ASQ alone, the PHQ-A consented',
      { policy: active, consents: [row('consent', '2026-10-05'), row('opt_out', '2026-10-06', { instrumentId: 'asq' })] },
      [{ code: 'opted_out_window', values: { instrument: 'asq', schoolYear: '2026-27', leftOut: ['asq'] } }],
    ],
    [
      'consent for the PHQ-A only',
      { policy: active, consents: [row('consent', '2026-10-05', { instrumentId: 'phq-a' })] },
      [{ code: 'no_consent_for', values: { instruments: ['asq'] } }],
    ],
    ['written consent needed', { policy: active }, [{ code: 'needs_consent', values: { selfConsentAge: 12 } }]],
    ['no notice sent yet', { firstNoticeOn: null }, [{ code: 'no_notice', values: {} }]],
    [
      'the notice period running',
      { firstNoticeOn: '2026-10-20' },
      [{ code: 'notice_period', values: { waitedDays: 13, noticeDays: 14, startsOn: '2026-11-03' } }],
    ],
    [
      'no instrument for a 6-year-old whose age comes from the grade',
      { student: { dateOfBirth: null, grade: '1' }, instruments: ranged },
      [
        {
          code: 'no_instrument',
          values: {
            age: 6,
            estimated: true,
            ranges: [
              { instrument: 'phq-a', min: 13, max: 18 },
              { instrument: 'asq', min: 8, max: null },
            ],
          },
        },
      ],
    ],
    ['nothing in the way', {}, []],
  ] as const)('%s', (_name, change, words) => {
    expect(eligibility({ ...base, ...change } as Input).words).toEqual(words);
  });

  it('the English reason is the same words, one sentence after another', () => {
    const result = eligibility({ ...base, student: { dateOfBirth: null, grade: '1' }, instruments: ranged });
    expect(result.reason).toBe('No instrument in this window is validated at age 6 (estimated from the grade) (PHQ-A: ages 13–18; ASQ: ages 8 and over).');
  });
});
