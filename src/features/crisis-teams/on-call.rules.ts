import { minutesOfDay, wallTime } from '../../platform/time-zone.ts';

export type Shift = { memberId: string; position: 'primary' | 'secondary'; weekday: number; startsAt: string; endsAt: string };
export type Override = { memberId: string; position: 'primary' | 'secondary'; startsAt: Date; endsAt: Date };
export type OnCall = { primary: string | null; secondary: string | null };
/** Who holds a position, and whether a dated override put them there. */
export type Cover = { memberId: string; override: boolean };

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
 * Who is on call at an instant, in the district's time zone, and how: a dated override wins over
 * the weekly pattern; when several match, the first listed wins (the UI lists them in order).
 */
export function coverAt(
  shifts: readonly Shift[],
  overrides: readonly Override[],
  at: Date,
  timeZone: string,
): { primary: Cover | null; secondary: Cover | null } {
  const local = wallTime(at, timeZone);
  const minute = local.hour * 60 + local.minute;
  const find = (position: 'primary' | 'secondary'): Cover | null => {
    const override = overrides.find((o) => o.position === position && o.startsAt <= at && at < o.endsAt);
    if (override) return { memberId: override.memberId, override: true };
    const shift = shifts.find((s) => s.position === position && shiftCovers(s, local.weekday, minute));
    return shift ? { memberId: shift.memberId, override: false } : null;
  };
  return { primary: find('primary'), secondary: find('secondary') };
}

/** Who is on call at an instant (the routing of every alert asks this). */
export function onCallAt(shifts: readonly Shift[], overrides: readonly Override[], at: Date, timeZone: string): OnCall {
  const cover = coverAt(shifts, overrides, at, timeZone);
  return { primary: cover.primary?.memberId ?? null, secondary: cover.secondary?.memberId ?? null };
}
