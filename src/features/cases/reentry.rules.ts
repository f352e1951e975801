import { districtDay } from '../../platform/time-zone.ts';

/**
 * School re-entry after a suicide attempt or a psychiatric hospitalisation, as pure rules on the
 * district's calendar days ('YYYY-MM-DD'): when the point person checks in with the student, and
 * when the re-entry meeting may be. No I/O, no clock: the service passes the district's school
 * weekdays (its alert-hours settings) and time zone.
 */

/** The highest-risk window after the return: check-ins run through this day and never past it. */
export const reentryWindowDays = 90;

// Source: Haven's school re-entry reference (suicide attempt or hospitalisation): check-ins at least weekly the first month; the first 90 days carry the highest risk.
/**
 * Days after the return on which a check-in is planned: the day they come back, weekly to day 28,
 * every two weeks after that, and day 90, which closes the window (the team then decides whether
 * check-ins continue).
 */
export const plannedCheckInDays = [0, 7, 14, 21, 28, 42, 56, 70, 84, 90] as const;

/** A scheduled check-in: its calendar day, how many days after the return it is, and the day it was planned for. */
export type CheckIn = { date: string; day: number; plannedDay: number };

const dayMs = 86_400_000;
const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a real calendar day, or null (2026-02-30 is not a day). */
function dayNumber(date: string): number | null {
  const match = dayPattern.exec(date);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(y, m - 1, d);
  const back = new Date(utc);
  return back.getUTCFullYear() === y && back.getUTCMonth() === m - 1 && back.getUTCDate() === d ? utc / dayMs : null;
}

const isoDay = (n: number) => new Date(n * dayMs).toISOString().slice(0, 10);
const weekdayOf = (n: number) => new Date(n * dayMs).getUTCDay();
const spoken = (n: number, language: 'en' | 'es' = 'en') =>
  new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', { dateStyle: 'full', timeZone: 'UTC' }).format(new Date(n * dayMs));

/** True when the string is a real calendar day written YYYY-MM-DD. */
export function isCalendarDay(date: string): boolean {
  return dayNumber(date) !== null;
}

/**
 * The check-ins of a re-entry plan. A planned day that is not a school day (a weekend, or a day the
 * district has no school: `schoolWeekdays`, 0 = Sunday) moves to the next school day; if that
 * would be past day 90 it moves back to the previous school day instead, so the last check-in is
 * never later than day 90. Two planned days that land on the same school day become one check-in.
 * With no school days configured at all the planned calendar days are kept: a check-in on a
 * Saturday is better than none. Haven knows no holiday calendar, so a check-in may fall on one.
 */
export function reentryCheckIns(returnDate: string, schoolWeekdays: readonly number[]): CheckIn[] {
  const start = dayNumber(returnDate);
  if (start === null) return [];
  const isSchoolDay = (day: number) => schoolWeekdays.includes(weekdayOf(start + day));
  const byDay = new Map<number, CheckIn>();
  for (const plannedDay of plannedCheckInDays) {
    const day = nearestSchoolDay(plannedDay, isSchoolDay);
    if (!byDay.has(day)) byDay.set(day, { date: isoDay(start + day), day, plannedDay });
  }
  return [...byDay.values()].sort((a, b) => a.day - b.day);
}

function nearestSchoolDay(planned: number, isSchoolDay: (day: number) => boolean): number {
  for (let day = planned; day <= reentryWindowDays; day++) if (isSchoolDay(day)) return day;
  for (let day = planned - 1; day >= 0; day--) if (isSchoolDay(day)) return day;
  return planned;
}

/** The title of a check-in task as the case page lists it (the first and the last say what they are for). */
export function checkInTitle(checkIn: CheckIn, index: number, count: number): string {
  if (index === 0) return 'Check in with the student on their first day back';
  if (index === count - 1) return `Re-entry check-in, day ${checkIn.day}: the end of the first ${reentryWindowDays} days`;
  return `Re-entry check-in, day ${checkIn.day}`;
}

/** The title of the re-entry meeting's task: it is due at the meeting, on or before the return. */
export function reentryMeetingTitle(returnDate: string): string {
  return `Hold the re-entry meeting (on or before the return to school, ${returnDate})`;
}

/**
 * Why a re-entry plan's dates are refused, in words a counselor can act on, or null when they are
 * fine. The return date must be a real day, and the re-entry meeting must be on or before it
 * (its day read in the district's time zone): the supports, the safety plan and what staff are
 * told have to be agreed before the student walks back in. In Spanish when the reader reads Spanish.
 */
export function reentryDatesRefusal(plan: { returnDate: string; meetingAt: Date }, timeZone: string, language: 'en' | 'es' = 'en'): string | null {
  const back = dayNumber(plan.returnDate);
  const es = language === 'es';
  if (back === null)
    return es
      ? `La fecha de regreso ${plan.returnDate} no es una fecha real. Escríbala así: 2026-12-07.`
      : `The return date ${plan.returnDate} is not a real date. Write it like 2026-12-07.`;
  const meeting = dayNumber(districtDay(plan.meetingAt, timeZone));
  if (meeting === null || meeting <= back) return null;
  if (es)
    return `La reunión de reincorporación es el ${spoken(meeting, 'es')}, después de que el estudiante regrese el ${spoken(back, 'es')}. Haga la reunión el día del regreso o antes, para que los apoyos estén listos cuando llegue.`;
  return `The re-entry meeting is on ${spoken(meeting)}, after the student returns on ${spoken(back)}. Hold the meeting on or before the day they come back, so their supports are in place when they walk in.`;
}
