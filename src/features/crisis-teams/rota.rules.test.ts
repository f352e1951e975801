import { describe, expect, it } from 'vitest';
import type { Shift } from './on-call.rules.ts';
import { dayRota, weekRota, weekStart } from './rota.rules.ts';

const tz = 'America/Denver';
const weekdays = [1, 2, 3, 4, 5];
/** Lincoln's rota: Ms. Rivera primary in school hours, Mr. Okafor secondary then, and primary every night. */
const shifts: Shift[] = [
  ...weekdays.map((weekday) => ({ memberId: 'rivera', position: 'primary' as const, weekday, startsAt: '07:00', endsAt: '17:00' })),
  ...weekdays.map((weekday) => ({ memberId: 'okafor', position: 'secondary' as const, weekday, startsAt: '07:00', endsAt: '17:00' })),
  ...[0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ memberId: 'okafor', position: 'primary' as const, weekday, startsAt: '17:00', endsAt: '07:00' })),
];
const active = () => true;
const by = (memberId: string, override = false) => ({ memberId, override, active: true });

describe('the week of a day', () => {
  it.each([
    ['2026-11-29', '2026-11-29'], // a Sunday starts its own week
    ['2026-12-02', '2026-11-29'],
    ['2026-12-05', '2026-11-29'],
    ['2027-01-01', '2026-12-27'], // across the new year
  ])('%s is in the week of Sunday %s', (day, sunday) => {
    expect(weekStart(day)).toBe(sunday);
  });
});

describe('a day of cover', () => {
  it('a school day: Mr. Okafor overnight, the pair in school hours, Mr. Okafor from five', () => {
    expect(dayRota(shifts, [], '2026-12-01', tz, active).segments).toEqual([
      { from: '00:00', to: '07:00', primary: by('okafor'), secondary: null, gap: false },
      { from: '07:00', to: '17:00', primary: by('rivera'), secondary: by('okafor'), gap: false },
      { from: '17:00', to: '24:00', primary: by('okafor'), secondary: null, gap: false },
    ]);
  });

  it('a Sunday: nobody on call from 07:00 to 17:00 is a gap', () => {
    expect(dayRota(shifts, [], '2026-11-29', tz, active).segments).toEqual([
      { from: '00:00', to: '07:00', primary: by('okafor'), secondary: null, gap: false },
      { from: '07:00', to: '17:00', primary: null, secondary: null, gap: true },
      { from: '17:00', to: '24:00', primary: by('okafor'), secondary: null, gap: false },
    ]);
  });

  it('an override is marked, and wins over the weekly pattern for its hours only', () => {
    // Ms. Park covers Tuesday 12:00–15:00 Denver (19:00–22:00 UTC) as primary.
    const overrides = [
      { memberId: 'park', position: 'primary' as const, startsAt: new Date('2026-12-01T19:00:00Z'), endsAt: new Date('2026-12-01T22:00:00Z') },
    ];
    expect(dayRota(shifts, overrides, '2026-12-01', tz, active).segments.slice(1, 4)).toEqual([
      { from: '07:00', to: '12:00', primary: by('rivera'), secondary: by('okafor'), gap: false },
      { from: '12:00', to: '15:00', primary: by('park', true), secondary: by('okafor'), gap: false },
      { from: '15:00', to: '17:00', primary: by('rivera'), secondary: by('okafor'), gap: false },
    ]);
  });

  it('a member no longer active leaves a gap, as routing skips them', () => {
    const segments = dayRota(shifts, [], '2026-12-01', tz, (id) => id !== 'okafor').segments;
    expect(segments[0]).toEqual({ from: '00:00', to: '07:00', primary: { memberId: 'okafor', override: false, active: false }, secondary: null, gap: true });
    expect(segments[1]?.gap).toBe(false);
  });

  it('follows the local clock on the day the clocks go back (25 hours, still midnight to midnight)', () => {
    // Sunday 1 November 2026: 02:00 MDT becomes 01:00 MST.
    expect(dayRota(shifts, [], '2026-11-01', tz, active).segments.map((s) => [s.from, s.to, s.gap])).toEqual([
      ['00:00', '07:00', false],
      ['07:00', '17:00', true],
      ['17:00', '24:00', false],
    ]);
  });
});

describe('a week', () => {
  it('has seven days from Sunday, with the weekend gaps and none on school days', () => {
    const week = weekRota(shifts, [], '2026-11-29', tz, active);
    expect(week.map((d) => [d.date, d.weekday, d.segments.filter((s) => s.gap).map((s) => `${s.from}–${s.to}`)])).toEqual([
      ['2026-11-29', 0, ['07:00–17:00']],
      ['2026-11-30', 1, []],
      ['2026-12-01', 2, []],
      ['2026-12-02', 3, []],
      ['2026-12-03', 4, []],
      ['2026-12-04', 5, []],
      ['2026-12-05', 6, ['07:00–17:00']],
    ]);
  });
});
