import { describe, expect, it } from 'vitest';
import { addDays, dayCount, daysAgo, daysBetween, daysWaited } from './durations.ts';
import { districtDay } from './time-zone.ts';

describe('days between two district days', () => {
  it.each([
    ['2026-11-28', '2026-11-28', 0],
    ['2026-11-28', '2026-11-29', 1],
    ['2026-11-29', '2026-11-28', -1],
    ['2026-02-28', '2026-03-01', 1],
    // Across the clock change (Denver, 1 November 2026): still whole days.
    ['2026-10-31', '2026-11-02', 2],
    ['2026-12-31', '2027-01-01', 1],
  ])('%s → %s is %i', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('adds days across months and years', () => {
    expect(addDays('2026-11-28', 14)).toBe('2026-12-12');
    expect(addDays('2026-12-25', 7)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});

describe('a wait is never negative', () => {
  it.each([
    ['since today', '2026-11-28', 0],
    ['since yesterday', '2026-11-27', 1],
    ['since three weeks ago', '2026-11-07', 21],
    ['since tomorrow (a plan that starts next week, a date typed ahead)', '2026-11-29', 0],
    ['since next month', '2026-12-28', 0],
  ])('waiting %s, as of 2026-11-28: %i days', (_name, since, days) => {
    expect(daysWaited(since, '2026-11-28')).toBe(days);
  });

  it('an alert raised on a Denver evening has waited 0 days that evening, where its UTC date said -1', () => {
    const raised = new Date('2026-11-28T18:30:00-07:00'); // 01:30 UTC on the 29th
    const now = new Date('2026-11-28T20:00:00-07:00');
    expect(raised.toISOString().slice(0, 10)).toBe('2026-11-29');
    expect(daysWaited(raised.toISOString().slice(0, 10), districtDay(now, 'America/Denver'))).toBe(0);
    expect(daysWaited(districtDay(raised, 'America/Denver'), districtDay(now, 'America/Denver'))).toBe(0);
  });
});

describe('durations said to a person', () => {
  it.each([
    [0, 'en', '0 days', 'today'],
    [1, 'en', '1 day', 'yesterday'],
    [3, 'en', '3 days', '3 days ago'],
    [-1, 'en', '0 days', 'today'],
    [0, 'es', '0 días', 'hoy'],
    [1, 'es', '1 día', 'ayer'],
    [14, 'es', '14 días', 'hace 14 días'],
    [-2, 'es', '0 días', 'hoy'],
  ] as const)('%i days in %s: "%s", "%s"', (days, lang, count, ago) => {
    expect(dayCount(days, lang)).toBe(count);
    expect(daysAgo(days, lang)).toBe(ago);
  });
});
