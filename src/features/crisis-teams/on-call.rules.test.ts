import { describe, expect, it } from 'vitest';
import { onCallAt, type Shift } from './on-call.rules.ts';

const tz = 'America/Denver';
const shifts: Shift[] = [
  { memberId: 'rivera', position: 'primary', weekday: 1, startsAt: '07:00', endsAt: '17:00' },
  { memberId: 'okafor', position: 'secondary', weekday: 1, startsAt: '07:00', endsAt: '17:00' },
  { memberId: 'okafor', position: 'primary', weekday: 1, startsAt: '17:00', endsAt: '07:00' },
];

describe('who is on call', () => {
  it('Monday 10:00 Denver: Ms. Rivera primary, Mr. Okafor secondary', () => {
    expect(onCallAt(shifts, [], new Date('2026-11-30T17:00:00Z'), tz)).toEqual({ primary: 'rivera', secondary: 'okafor' });
  });
  it('an overnight shift covers the early hours of the next day', () => {
    expect(onCallAt(shifts, [], new Date('2026-12-01T09:00:00Z'), tz)).toEqual({ primary: 'okafor', secondary: null }); // Tue 02:00
  });
  it('nobody on Sunday afternoon', () => {
    expect(onCallAt(shifts, [], new Date('2026-11-29T21:00:00Z'), tz)).toEqual({ primary: null, secondary: null });
  });
  it('a dated override wins over the weekly pattern', () => {
    const overrides = [
      { memberId: 'park', position: 'primary' as const, startsAt: new Date('2026-11-30T14:00:00Z'), endsAt: new Date('2026-12-01T00:00:00Z') },
    ];
    expect(onCallAt(shifts, overrides, new Date('2026-11-30T17:00:00Z'), tz).primary).toBe('park');
  });
  it('follows the local clock across the daylight-saving change', () => {
    // Monday 2026-03-09, after clocks went forward: 07:30 Denver is 13:30 UTC (UTC-6).
    expect(onCallAt(shifts, [], new Date('2026-03-09T13:30:00Z'), tz).primary).toBe('rivera');
  });
});
