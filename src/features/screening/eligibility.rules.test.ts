import { describe, expect, it } from 'vitest';
import { addSchoolDays, ageOn, eligibility } from './eligibility.rules.ts';

const instruments = [{ id: 'phq-a' }, { id: 'asq', ages: { min: 8, max: null, source: null } }];
const passive = { consent: 'passive' as const, selfConsentAge: 12, noticeDays: 14 };
const active = { ...passive, consent: 'active' as const };
const student = { dateOfBirth: '2012-03-10', grade: '8' };
const base = { student, today: '2026-11-02', instruments, policy: passive, latestConsent: null, firstNoticeOn: '2026-10-01' };

describe('who may be screened', () => {
  it.each([
    ['passive: notice sent 32 days ago', {}, 'eligible'],
    ['passive: notice sent 13 days ago', { firstNoticeOn: '2026-10-20' }, 'notice_period'],
    ['passive: notice sent exactly 14 days ago', { firstNoticeOn: '2026-10-19' }, 'eligible'],
    ['passive: no notice yet', { firstNoticeOn: null }, 'notice_period'],
    ['passive: the family opted out', { latestConsent: 'opt_out' }, 'opted_out'],
    ['active: nothing recorded', { policy: active }, 'needs_consent'],
    ['active: guardian consent', { policy: active, latestConsent: 'consent' }, 'eligible'],
    ['active: consent then withdrawn', { policy: active, latestConsent: 'withdrawn' }, 'opted_out'],
    ['active: a 14-year-old consents', { policy: active, latestConsent: 'student_consent' }, 'eligible'],
    [
      'active: an 11-year-old consents',
      { policy: active, latestConsent: 'student_consent', student: { dateOfBirth: '2015-06-01', grade: '6' } },
      'needs_consent',
    ],
  ] as const)('%s → %s', (_name, change, status) => {
    expect(eligibility({ ...base, ...change } as Parameters<typeof eligibility>[0]).status).toBe(status);
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
