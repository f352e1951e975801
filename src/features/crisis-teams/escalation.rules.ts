import type { urgencies } from '../../data/reports.values.ts';

type Urgency = (typeof urgencies)[number];

import { instantAt, minutesOfDay, wallTime } from '../../platform/time-zone.ts';

/** The chain, in order. After the last step the district on-call is alerted again at each wait. */
export const chain = ['primary', 'secondary', 'school_administrator', 'district_on_call'] as const;
export type ChainStep = (typeof chain)[number];

export function stepName(step: number): ChainStep {
  return chain[Math.min(step, chain.length - 1)] as ChainStep;
}

export type EscalationSettings = {
  waitMinutes: Record<Urgency, number[]>;
  hoursStart: string;
  hoursEnd: string;
  weekdays: number[];
};

/** Defaults a district starts with: life-safety moves up every 5 minutes, around the clock. */
export const defaultEscalationSettings: EscalationSettings = {
  waitMinutes: { life_safety: [5, 5, 5, 10], urgent: [15, 15, 30, 60], routine: [60, 120, 240, 480] },
  hoursStart: '07:00',
  hoursEnd: '17:00',
  weekdays: [1, 2, 3, 4, 5],
};

export function waitAt(settings: EscalationSettings, urgency: Urgency, step: number): number {
  const waits = settings.waitMinutes[urgency];
  return waits[Math.min(step, waits.length - 1)] ?? 15;
}

/**
 * Alerts that never wait for office hours: life-safety, and any alert carrying a suicide or
 * threat flag (a screening answer, a report in those categories or speaking of harm), whatever
 * its urgency. A student at risk on Friday at 16:50 is not a Monday-morning task.
 */
export function escalatesAroundTheClock(report: { urgency: Urgency; safetyFlag: boolean }): boolean {
  return report.urgency === 'life_safety' || report.safetyFlag;
}

/** True inside the district's school hours (its alert hours on its school days), local time. */
export function withinSchoolHours(settings: Pick<EscalationSettings, 'hoursStart' | 'hoursEnd' | 'weekdays'>, at: Date, timeZone: string): boolean {
  const local = wallTime(at, timeZone);
  const minute = local.hour * 60 + local.minute;
  return settings.weekdays.includes(local.weekday) && minute >= minutesOfDay(settings.hoursStart) && minute < minutesOfDay(settings.hoursEnd);
}

/**
 * When the step after `step` is due if nobody acknowledges. Alerts that escalate around the clock
 * count every minute; the rest (routine, and urgent reports with no safety flag) count only
 * minutes inside the district's alert hours, so a routine report on Friday night reaches the next
 * person on Monday morning, not at 3 a.m.
 */
export function nextEscalationAt(input: {
  urgency: Urgency;
  safetyFlag: boolean;
  step: number;
  from: Date;
  settings: EscalationSettings;
  timeZone: string;
}): Date {
  let remaining = waitAt(input.settings, input.urgency, input.step) * 60_000;
  if (escalatesAroundTheClock(input)) return new Date(input.from.getTime() + remaining);
  const open = minutesOfDay(input.settings.hoursStart);
  const close = minutesOfDay(input.settings.hoursEnd);
  let cursor = input.from;
  for (let day = 0; day < 400; day++) {
    const local = wallTime(cursor, input.timeZone);
    const dayStart = instantAt(local.year, local.month, local.day, 0, input.timeZone);
    if (input.settings.weekdays.includes(local.weekday) && close > open) {
      const windowStart = instantAt(local.year, local.month, local.day, open, input.timeZone);
      const windowEnd = instantAt(local.year, local.month, local.day, close, input.timeZone);
      const from = new Date(Math.max(cursor.getTime(), windowStart.getTime()));
      if (from < windowEnd) {
        const available = windowEnd.getTime() - from.getTime();
        if (remaining <= available) return new Date(from.getTime() + remaining);
        remaining -= available;
      }
    }
    // Move to the start of the next local day (25 h later, then back to its midnight).
    const next = wallTime(new Date(dayStart.getTime() + 25 * 3_600_000), input.timeZone);
    cursor = instantAt(next.year, next.month, next.day, 0, input.timeZone);
  }
  // No alert hours configured at all: fall back to counting every minute rather than never.
  return new Date(input.from.getTime() + waitAt(input.settings, input.urgency, input.step) * 60_000);
}

/** The (linear-interpolated) percentile of durations, or null with no data. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const index = (sorted.length - 1) * p;
  const low = Math.floor(index);
  const high = Math.ceil(index);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (index - low);
}
