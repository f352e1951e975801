import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInTitle, isCalendarDay, plannedCheckInDays, reentryCheckIns, reentryDatesRefusal } from './reentry.rules.ts';

const monToFri = [1, 2, 3, 4, 5];
const monToThu = [1, 2, 3, 4];
const dates = (returnDate: string, weekdays: readonly number[]) => reentryCheckIns(returnDate, weekdays).map((c) => `${c.date} (${c.day})`);

describe('re-entry check-ins: weekly for four weeks, then every two weeks, on school days through day 90', () => {
  it('plans the day of return, weekly to day 28, fortnightly after, and day 90', () => {
    expect(plannedCheckInDays).toEqual([0, 7, 14, 21, 28, 42, 56, 70, 84, 90]);
  });

  it.each([
    [
      'back on a Friday: every planned day is a school day',
      '2026-12-04',
      monToFri,
      [
        '2026-12-04 (0)',
        '2026-12-11 (7)',
        '2026-12-18 (14)',
        '2026-12-25 (21)',
        '2027-01-01 (28)',
        '2027-01-15 (42)',
        '2027-01-29 (56)',
        '2027-02-12 (70)',
        '2027-02-26 (84)',
        '2027-03-04 (90)',
      ],
    ],
    [
      'back on a Monday: day 90 is a Sunday, so the last check-in moves back to Friday, day 88',
      '2026-12-07',
      monToFri,
      [
        '2026-12-07 (0)',
        '2026-12-14 (7)',
        '2026-12-21 (14)',
        '2026-12-28 (21)',
        '2027-01-04 (28)',
        '2027-01-18 (42)',
        '2027-02-01 (56)',
        '2027-02-15 (70)',
        '2027-03-01 (84)',
        '2027-03-05 (88)',
      ],
    ],
    [
      'a return date on a Saturday: each check-in moves to Monday; day 90 is a Friday and stays',
      '2026-12-05',
      monToFri,
      [
        '2026-12-07 (2)',
        '2026-12-14 (9)',
        '2026-12-21 (16)',
        '2026-12-28 (23)',
        '2027-01-04 (30)',
        '2027-01-18 (44)',
        '2027-02-01 (58)',
        '2027-02-15 (72)',
        '2027-03-01 (86)',
        '2027-03-05 (90)',
      ],
    ],
    [
      'a return date on a Sunday: Mondays, and day 90 (a Saturday) moves back to Friday rather than past day 90',
      '2026-12-06',
      monToFri,
      [
        '2026-12-07 (1)',
        '2026-12-14 (8)',
        '2026-12-21 (15)',
        '2026-12-28 (22)',
        '2027-01-04 (29)',
        '2027-01-18 (43)',
        '2027-02-01 (57)',
        '2027-02-15 (71)',
        '2027-03-01 (85)',
        '2027-03-05 (89)',
      ],
    ],
    [
      "a four-day school week (Monday–Thursday, the district's setting): day 90 moves back to Thursday, not Friday",
      '2026-12-07',
      monToThu,
      [
        '2026-12-07 (0)',
        '2026-12-14 (7)',
        '2026-12-21 (14)',
        '2026-12-28 (21)',
        '2027-01-04 (28)',
        '2027-01-18 (42)',
        '2027-02-01 (56)',
        '2027-02-15 (70)',
        '2027-03-01 (84)',
        '2027-03-04 (87)',
      ],
    ],
    [
      'school on Wednesdays only: day 90 would move back onto day 86, so they are one check-in',
      '2026-12-07',
      [3],
      [
        '2026-12-09 (2)',
        '2026-12-16 (9)',
        '2026-12-23 (16)',
        '2026-12-30 (23)',
        '2027-01-06 (30)',
        '2027-01-20 (44)',
        '2027-02-03 (58)',
        '2027-02-17 (72)',
        '2027-03-03 (86)',
      ],
    ],
    [
      'no school days configured: the planned calendar days are kept rather than lost',
      '2026-12-07',
      [],
      [
        '2026-12-07 (0)',
        '2026-12-14 (7)',
        '2026-12-21 (14)',
        '2026-12-28 (21)',
        '2027-01-04 (28)',
        '2027-01-18 (42)',
        '2027-02-01 (56)',
        '2027-02-15 (70)',
        '2027-03-01 (84)',
        '2027-03-07 (90)',
      ],
    ],
    ['a date that does not exist schedules nothing (the plan is refused before)', '2026-02-30', monToFri, []],
  ])('%s', (_, returnDate, weekdays, expected) => {
    expect(dates(returnDate, weekdays)).toEqual(expected);
  });

  it('for any return date in a Monday–Friday district: school days only, in order, at least weekly the first month, never past day 90', () => {
    const day = fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(day, (d) => {
        const checkIns = reentryCheckIns(d.toISOString().slice(0, 10), monToFri);
        expect(checkIns).toHaveLength(plannedCheckInDays.length);
        for (const c of checkIns) expect(monToFri).toContain(new Date(`${c.date}T12:00:00Z`).getUTCDay());
        const days = checkIns.map((c) => c.day);
        expect(days[0]).toBeLessThanOrEqual(2);
        expect(days.at(-1)).toBeGreaterThanOrEqual(88);
        expect(days.at(-1)).toBeLessThanOrEqual(90);
        for (let i = 1; i < days.length; i++) {
          const gap = (days[i] ?? 0) - (days[i - 1] ?? 0);
          expect(gap).toBeGreaterThan(0);
          expect(gap).toBeLessThanOrEqual((checkIns[i]?.plannedDay ?? 0) <= 28 ? 9 : 16);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('names the first and the last check-in for what they are', () => {
    const checkIns = reentryCheckIns('2026-12-07', monToFri);
    expect(checkIns.map((c, i) => checkInTitle(c, i, checkIns.length))).toEqual([
      'Check in with the student on their first day back',
      'Re-entry check-in, day 7',
      'Re-entry check-in, day 14',
      'Re-entry check-in, day 21',
      'Re-entry check-in, day 28',
      'Re-entry check-in, day 42',
      'Re-entry check-in, day 56',
      'Re-entry check-in, day 70',
      'Re-entry check-in, day 84',
      'Re-entry check-in, day 88: the end of the first 90 days',
    ]);
  });
});

describe('the re-entry meeting is on or before the return date', () => {
  const denver = 'America/Denver';
  it.each([
    ['the morning of the return', '2026-12-07', '2026-12-07T08:00:00-07:00', null],
    ['the week before', '2026-12-07', '2026-12-01T15:30:00-07:00', null],
    ['7 p.m. the evening of the return in Denver (already the next day in UTC)', '2026-12-07', '2026-12-08T02:00:00Z', null],
    [
      'the day after the return',
      '2026-12-07',
      '2026-12-08T08:00:00-07:00',
      'The re-entry meeting is on Tuesday, December 8, 2026, after the student returns on Monday, December 7, 2026. Hold the meeting on or before the day they come back, so their supports are in place when they walk in.',
    ],
    [
      'a return date that does not exist',
      '2026-02-30',
      '2026-02-27T08:00:00-07:00',
      'The return date 2026-02-30 is not a real date. Write it like 2026-12-07.',
    ],
  ])('%s', (_, returnDate, meetingAt, refusal) => {
    expect(reentryDatesRefusal({ returnDate, meetingAt: new Date(meetingAt) }, denver)).toBe(refusal);
  });

  it('reads the meeting day in the district: the same instant is a day late in UTC', () => {
    expect(reentryDatesRefusal({ returnDate: '2026-12-07', meetingAt: new Date('2026-12-08T02:00:00Z') }, 'UTC')).toMatch(
      /^The re-entry meeting is on Tuesday/,
    );
  });

  it.each([
    ['2026-12-07', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2026-13-01', false],
    ['7 Dec 2026', false],
  ])('%s is a calendar day: %s', (date, real) => {
    expect(isCalendarDay(date)).toBe(real);
  });
});
