import { instantAt, minutesOfDay, wallTime } from '../../platform/time-zone.ts';
import { type Cover, coverAt, type Override, type Shift } from './on-call.rules.ts';

/**
 * The rota as a week on the calendar, in the district's time zone: each day cut where anyone's
 * cover starts or ends, and for each piece who is primary and secondary, whether an override put
 * them there, and whether nobody is on call (a gap: an alert then reaches no one on this team
 * first). It asks `coverAt`, the same rule that routes alerts, at each cut, so the calendar shows
 * what routing would do, including a member no longer active (routing skips them: a gap).
 */
export type RotaCover = Cover & { active: boolean };
export type RotaSegment = { from: string; to: string; primary: RotaCover | null; secondary: RotaCover | null; gap: boolean };
export type RotaDay = { date: string; weekday: number; segments: RotaSegment[] };

const pad = (n: number) => String(n).padStart(2, '0');
const parse = (day: string) => day.split('-').map(Number) as [number, number, number];

/** A calendar day plus n days (YYYY-MM-DD, no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = parse(day);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The Sunday that starts the week a day is in (weeks run Sunday to Saturday, as the rota's weekdays do). */
export function weekStart(day: string): string {
  const [y, m, d] = parse(day);
  return addDays(day, -new Date(Date.UTC(y, m - 1, d)).getUTCDay());
}

/** One local day of cover, from midnight to midnight (23 or 25 hours when the clocks change). */
export function dayRota(
  shifts: readonly Shift[],
  overrides: readonly Override[],
  day: string,
  timeZone: string,
  isActive: (memberId: string) => boolean,
): RotaDay {
  const [y, m, d] = parse(day);
  const start = instantAt(y, m, d, 0, timeZone);
  const [ny, nm, nd] = parse(addDays(day, 1));
  const end = instantAt(ny, nm, nd, 0, timeZone);
  const cuts = new Set<number>([start.getTime(), end.getTime()]);
  for (const minute of new Set(shifts.flatMap((s) => [minutesOfDay(s.startsAt), minutesOfDay(s.endsAt)])))
    cuts.add(instantAt(y, m, d, minute, timeZone).getTime());
  for (const o of overrides) for (const t of [o.startsAt.getTime(), o.endsAt.getTime()]) cuts.add(t);
  const times = [...cuts].filter((t) => t >= start.getTime() && t <= end.getTime()).sort((a, b) => a - b);
  const label = (t: number) => {
    if (t === end.getTime()) return '24:00';
    const local = wallTime(new Date(t), timeZone);
    return `${pad(local.hour)}:${pad(local.minute)}`;
  };
  const withActive = (c: Cover | null): RotaCover | null => (c ? { ...c, active: isActive(c.memberId) } : null);
  const segments: RotaSegment[] = [];
  for (let i = 0; i < times.length - 1; i++) {
    const from = times[i] as number;
    const cover = coverAt(shifts, overrides, new Date(from), timeZone);
    const primary = withActive(cover.primary);
    const secondary = withActive(cover.secondary);
    const segment = { from: label(from), to: label(times[i + 1] as number), primary, secondary, gap: !primary?.active && !secondary?.active };
    const last = segments.at(-1);
    if (last && same(last.primary, primary) && same(last.secondary, secondary)) last.to = segment.to;
    else segments.push(segment);
  }
  return { date: day, weekday: new Date(Date.UTC(y, m - 1, d)).getUTCDay(), segments };
}

/** The seven days of the week starting `sunday`. */
export function weekRota(
  shifts: readonly Shift[],
  overrides: readonly Override[],
  sunday: string,
  timeZone: string,
  isActive: (memberId: string) => boolean,
): RotaDay[] {
  return Array.from({ length: 7 }, (_, i) => dayRota(shifts, overrides, addDays(sunday, i), timeZone, isActive));
}

const same = (a: RotaCover | null, b: RotaCover | null) => a?.memberId === b?.memberId && a?.override === b?.override && a?.active === b?.active;
