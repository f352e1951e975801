import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { acknowledgeReport, closeReport, receiveReport, recordAction } from '../crisis-reports/index.ts';
import { actorOf, type DemoPerson } from './demo.care.ts';
import { demoTimeZone, localAt, plusDays, sundayOf } from './demo.days.ts';

/**
 * The reports Lincoln Middle's crisis team would find this week, each taken through the same
 * intake and handling services a real one goes through (routing, alerts, timed steps, audit
 * events), at the moment it happened, so the Reports page, a report's timeline and the response
 * times on the leadership page all have something true to show:
 *
 * - last Tuesday, a web report about bullying on the bus: acknowledged in 9 minutes, the student
 *   seen the next morning, closed as resolved;
 * - last Thursday, a teacher's own concern about a student who stopped eating lunch: the counselor
 *   acknowledged it and met the student, still open;
 * - last evening, a Spanish report from a friend ("está muy triste"), after hours: the crisis-team
 *   member on call acknowledged it in 6 minutes and called the family; still open, the student
 *   not yet seen.
 *
 * All are acknowledged, so no escalation is running when the demo starts; the alert chain itself
 * is what a new report (the public form) shows.
 */
export async function seedDemoReports(deps: Deps, input: { districtId: string; people: Map<string, DemoPerson> }) {
  const person = (email: string) => {
    const found = input.people.get(email);
    if (!found) throw new Error(`demo account ${email} is missing`);
    return found;
  };
  const okafor = actorOf(person('crisis@demo.haven.test'), input.districtId);
  const rivera = actorOf(person('counselor@demo.haven.test'), input.districtId);
  const shah = person('teacher@demo.haven.test');
  /** Deps whose clock reads the moment a step happened. */
  const at = (when: Date): Deps => ({ ...deps, clock: { now: () => when } });
  const today = districtDay(deps.clock.now(), demoTimeZone);
  const lastWeek = plusDays(sundayOf(today), -7);
  const [tuesday, wednesday, thursday, yesterday] = [plusDays(lastWeek, 2), plusDays(lastWeek, 3), plusDays(lastWeek, 4), plusDays(today, -1)];
  const place = { district: 'demo', school: 'lincoln-ms' };

  const bus = await receiveReport(at(localAt(tuesday, '15:40')), 'web', {
    ...place,
    description: 'Some 8th graders on bus 14 keep taking a 6th grader’s backpack and calling him names every afternoon. He sits alone now.',
    category: 'bullying_harassment',
    urgency: 'routine',
    language: 'en',
  });
  await acknowledgeReport(at(localAt(tuesday, '15:49')), okafor, bus.id);
  await recordAction(
    at(localAt(wednesday, '08:15')),
    okafor,
    bus.id,
    'student_contacted',
    'Met the student before first period; the bus driver and the assistant principal are told.',
  );
  await closeReport(
    at(localAt(wednesday, '14:30')),
    okafor,
    bus.id,
    'resolved',
    'Seats assigned on bus 14; the two students met the assistant principal; checked in with the student, who feels safer.',
  );

  const lunch = await receiveReport(
    at(localAt(thursday, '12:35')),
    'staff_concern',
    {
      ...place,
      description: 'A student in my 3rd period has not eaten lunch all week and put her head down in class every day. She used to be chatty.',
      category: 'mental_health_worry',
      urgency: 'routine',
      language: 'en',
    },
    { enteredByUserId: shah.userId, enteredByLabel: shah.displayName },
  );
  await acknowledgeReport(at(localAt(thursday, '13:05')), rivera, lunch.id);
  await recordAction(
    at(localAt(thursday, '14:10')),
    rivera,
    lunch.id,
    'student_contacted',
    'Talked with her during 6th period; planning a screening and a call home.',
  );

  const friend = await receiveReport(at(localAt(yesterday, '19:12')), 'web', {
    ...place,
    description: 'Mi amiga está muy triste desde hace semanas, no come y dice que nadie la quiere. Hoy no contestó mis mensajes. Va en séptimo grado.',
    category: 'mental_health_worry',
    urgency: 'urgent',
    language: 'es',
  });
  await acknowledgeReport(at(localAt(yesterday, '19:18')), okafor, friend.id);
  await recordAction(
    at(localAt(yesterday, '19:40')),
    okafor,
    friend.id,
    'first_action',
    'Called the family (in Spanish, with the district interpreter line); she is home and safe tonight. Meeting her first thing tomorrow.',
  );
}
