/**
 * How long something has waited, said to a person. Pure, and free of the server, so the web app
 * uses the same rules. Days are calendar days in the district's time zone (`YYYY-MM-DD`, from
 * `districtDay`): an instant's UTC date is the next day on a Denver evening, which is how a queue
 * once said "Waiting -1 day". A wait is never negative: a start still to come has waited 0 days.
 */

export type DurationLanguage = 'en' | 'es';

/** Whole calendar days from one day to another; negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar day `days` after (or before, when negative) a day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days waited since a day, as of today: 0 for today, and 0 (never less) for a day still to come. */
export function daysWaited(since: string, today: string): number {
  return Math.max(0, daysBetween(since, today));
}

/** A number of days: "1 day", "3 days"; "1 día", "3 días". A negative count is said as 0. */
export function dayCount(days: number, lang: DurationLanguage = 'en'): string {
  const n = Math.max(0, Math.round(days));
  if (lang === 'es') return n === 1 ? '1 día' : `${n} días`;
  return n === 1 ? '1 day' : `${n} days`;
}

/** When something happened, from the days since: "today", "yesterday", "3 days ago"; "hoy", "ayer", "hace 3 días". */
export function daysAgo(days: number, lang: DurationLanguage = 'en'): string {
  const n = Math.max(0, Math.round(days));
  if (n === 0) return lang === 'es' ? 'hoy' : 'today';
  if (n === 1) return lang === 'es' ? 'ayer' : 'yesterday';
  return lang === 'es' ? `hace ${dayCount(n, 'es')}` : `${dayCount(n, 'en')} ago`;
}

/** School days (Monday to Friday) after `from` up to and including `to`. */
export function schoolDaysBetween(from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) {
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

/** The day `count` school days (Monday to Friday) after `day`; the follow-up due date. */
export function addSchoolDays(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  let left = count;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}

/** Whole years between a birth date and a day, both `YYYY-MM-DD`. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
