import { instantAt } from '../../platform/time-zone.ts';

/**
 * Calendar arithmetic on the demo district's days (YYYY-MM-DD, no time zone involved), so the
 * seeded case, plans and rota land on real school days and in the current week whatever the day
 * the demo is started. The demo district is in Colorado.
 */
export const demoTimeZone = 'America/Denver';

const parse = (day: string) => day.split('-').map(Number) as [number, number, number];

/** A calendar day plus n days. */
export function plusDays(day: string, n: number): string {
  const [y, m, d] = parse(day);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday, as the rota counts them. */
export function weekdayOf(day: string): number {
  const [y, m, d] = parse(day);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The Sunday that starts the week a day is in (the rota calendar's weeks run Sunday to Saturday). */
export function sundayOf(day: string): string {
  return plusDays(day, -weekdayOf(day));
}

/** A wall-clock time ("09:30") on a district day, as an instant. */
export function localAt(day: string, time: string): Date {
  const [y, m, d] = parse(day);
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  return instantAt(y, m, d, hour * 60 + minute, demoTimeZone);
}
