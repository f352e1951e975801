import { instantAt, minutesOfDay, wallTime } from '../../platform/time-zone.ts';

/**
 * The clocks of a crisis case, as pure functions of instants (no I/O, no Date.now()): the
 * mandatory report's 24 hours, the guardian notice's school day, and whether a task is late.
 */

const hour = 3_600_000;

/**
 * The mandatory-report clock (C.R.S. 19-3-304: as soon as possible, 24 hours at most) runs from
 * the moment anyone in Haven first had the information, that is the earliest received time of the
 * reports or concerns it came from, not the moment someone opened a case. The report is due at
 * once; the hard deadline is 24 hours after that first moment (and may already have passed).
 */
export function mandatoryReportClock(receivedAt: readonly Date[], now: Date): { startedAt: Date; dueAt: Date; hardDeadlineAt: Date } {
  const started = Math.min(now.getTime(), ...receivedAt.map((d) => d.getTime()));
  return { startedAt: new Date(started), dueAt: now, hardDeadlineAt: new Date(started + 24 * hour) };
}

/** The district's school days (0 = Sunday) and the local time school ends ("16:30" or "16:30:00"). */
export type SchoolHours = { hoursEnd: string; weekdays: readonly number[] };

/**
 * When the guardian of a student at high suicide risk must have been told, or an administrator must
 * have confirmed a reason not to tell them: the end of the school day on which the high risk was
 * recorded; if it was recorded after school ended or on a day without school, the end of the next
 * school day. School days and hours are the district's (its alert-hours settings, in its time
 * zone). Haven knows no holiday calendar, so a deadline may fall on a holiday: earlier, not later.
 */
export function guardianNoticeDeadline(recordedAt: Date, hours: SchoolHours, timeZone: string): Date {
  const end = minutesOfDay(hours.hoursEnd);
  let local = wallTime(recordedAt, timeZone);
  for (let day = 0; day < 14; day++) {
    if (hours.weekdays.includes(local.weekday)) {
      const closes = instantAt(local.year, local.month, local.day, end, timeZone);
      if (closes > recordedAt) return closes;
    }
    // Noon of the next calendar day: never skipped or repeated by a clock change.
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
    local = wallTime(instantAt(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 12 * 60, timeZone), timeZone);
  }
  // No school days configured at all: a day, rather than never.
  return new Date(recordedAt.getTime() + 24 * hour);
}

export type TaskState = 'done' | 'overdue' | 'due' | 'upcoming';

/**
 * Where a task stands. A task with a hard deadline (the mandatory report, the guardian notice) is
 * due from its due time and overdue only once the deadline passes; any other task is overdue as
 * soon as its due time passes.
 */
export function taskState(task: { dueAt: Date; hardDeadlineAt: Date | null; doneAt: Date | null }, now: Date): TaskState {
  if (task.doneAt) return 'done';
  if ((task.hardDeadlineAt ?? task.dueAt) < now) return 'overdue';
  return task.dueAt <= now ? 'due' : 'upcoming';
}
