import { minutesOfDay, wallTime } from '../../platform/time-zone.ts';

export type Shift = { memberId: string; position: 'primary' | 'secondary'; weekday: number; startsAt: string; endsAt: string };
export type Override = { memberId: string; position: 'primary' | 'secondary'; startsAt: Date; endsAt: Date };
export type OnCall = { primary: string | null; secondary: string | null };

/** True when a weekly shift covers the local weekday and minute; an end before the start runs past midnight. */
function shiftCovers(shift: Shift, weekday: number, minute: number): boolean {
  const start = minutesOfDay(shift.startsAt);
  const end = minutesOfDay(shift.endsAt);
  if (start < end) return shift.weekday === weekday && minute >= start && minute < end;
  if (start === end) return shift.weekday === weekday; // a whole day
  const previousDay = (weekday + 6) % 7;
  return (shift.weekday === weekday && minute >= start) || (shift.weekday === previousDay && minute < end);
}

/**
 * Who is on call at an instant, in the district's time zone: a dated override wins over the
 * weekly pattern; when several match, the first listed wins (the UI lists them in order).
 */
export function onCallAt(shifts: readonly Shift[], overrides: readonly Override[], at: Date, timeZone: string): OnCall {
  const local = wallTime(at, timeZone);
  const minute = local.hour * 60 + local.minute;
  const find = (position: 'primary' | 'secondary') =>
    overrides.find((o) => o.position === position && o.startsAt <= at && at < o.endsAt)?.memberId ??
    shifts.find((s) => s.position === position && shiftCovers(s, local.weekday, minute))?.memberId ??
    null;
  return { primary: find('primary'), secondary: find('secondary') };
}
