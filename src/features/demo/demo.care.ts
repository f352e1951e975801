import { sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import type { Role } from '../../access/roles.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import {
  completeTask,
  openCase,
  recordGuardianNotice,
  recordHandoff,
  recordReentryPlan,
  recordSafetyPlan,
  recordSuicideAssessment,
  transitionCase,
} from '../cases/index.ts';
import { createPlan, recordProgress } from '../plans/index.ts';
import { demoTimeZone, localAt, plusDays, sundayOf } from './demo.days.ts';

/** A demo account as it acts in the seed: who, in which role, at which school. */
export type DemoPerson = { userId: string; email: string; displayName: string; role: Role; schoolId: string | null };
type Student = { id: string; firstName: string; lastName: string };
type Guardian = { name: string; relationship: string };

/** The actor a demo person is when the seed records what they did (a session that passed MFA). */
export function actorOf(person: DemoPerson, districtId: string): Actor {
  return {
    userId: person.userId,
    districtId,
    displayName: person.displayName,
    email: person.email,
    grants: [{ role: person.role, schoolId: person.schoolId, partnerOrganizationId: null }],
    mfaVerified: true,
    via: 'session',
  };
}

/** The students of a class in the order its roster shows them (last name, then first). */
function byName<T extends Student>(students: readonly T[]): T[] {
  return [...students].sort((a, b) => a.lastName.localeCompare(b.lastName) || a.firstName.localeCompare(b.firstName));
}

/**
 * The care a counselor and a crisis-team member would find under way at Lincoln Middle, recorded
 * through the same services the web app calls (so every step is validated, on the case's timeline
 * and in the student's access log), each at the moment it happened:
 *
 * - the first student of Homeroom 7A: a suicide-risk case opened by Mr. Okafor two weeks before a
 *   Monday return from hospital (SAFE-T high, the guardian told at once, a warm hand-off to the
 *   emergency department), a safety plan and a re-entry plan made at the Friday meeting, and the
 *   check-ins already due done. Ms. Shah teaches 7A, so she reads the re-entry summary; a teacher
 *   of another class would not (decision 21).
 * - the second student of 7A and the first of 8A: support plans of Ms. Rivera's with weekly
 *   measures; the 7A plan asks teachers for classroom supports and is past its review date.
 */
export async function seedDemoCare(
  deps: Deps,
  input: {
    districtId: string;
    people: Map<string, DemoPerson>;
    homeroom7a: Student[];
    homeroom8a: Student[];
    guardianOf: (studentId: string) => Guardian | undefined;
  },
) {
  const person = (email: string) => {
    const found = input.people.get(email);
    if (!found) throw new Error(`demo account ${email} is missing`);
    return actorOf(found, input.districtId);
  };
  const okafor = person('crisis@demo.haven.test');
  const rivera = person('counselor@demo.haven.test');
  /** Deps whose clock reads the moment a step happened. */
  const at = (when: Date): Deps => ({ ...deps, clock: { now: () => when } });
  const today = districtDay(deps.clock.now(), demoTimeZone);
  // Back on the Monday of last week; the re-entry meeting the Friday before; the crisis twelve days before the return.
  const returnDate = plusDays(sundayOf(today), -6);
  const meetingDay = plusDays(returnDate, -3);
  const crisisDay = plusDays(returnDate, -12);

  const [returning, anxious] = byName(input.homeroom7a);
  const [eighthGrader] = byName(input.homeroom8a);
  if (!returning || !anxious || !eighthGrader) throw new Error('the demo homerooms are empty');
  const guardian = input.guardianOf(returning.id) ?? { name: 'the guardian', relationship: 'guardian' };

  const { id: caseId } = await openCase(at(localAt(crisisDay, '10:20')), okafor, {
    type: 'suicide_risk',
    summary: `A friend told Ms. Shah that ${returning.firstName} had written about wanting to die; ${returning.firstName} was brought to the counseling office.`,
    studentIds: [returning.id],
    reportIds: [],
    abuseSuspected: false,
  });
  await transitionCase(at(localAt(crisisDay, '10:25')), okafor, caseId, { action: 'start_assessing' });
  await recordSuicideAssessment(at(localAt(crisisDay, '10:50')), okafor, caseId, {
    riskFactors: ['current_ideation', 'hopelessness_agitation', 'social_isolation'],
    protectiveFactors: ['connected_to_family', 'connected_to_school'],
    inquiry: { ideation: 'active', plan: true, behaviour: 'none', intent: true },
    level: 'high',
    interventions: 'Stayed with the student; called the guardian to come in; warm hand-off to the emergency department.',
  });
  await recordGuardianNotice(at(localAt(crisisDay, '11:00')), okafor, caseId, {
    notified: true,
    guardianName: guardian.name,
    method: 'phone',
    at: localAt(crisisDay, '10:55').toISOString(),
    response: 'Came to school at once and went with the student to the emergency department.',
  });
  await recordHandoff(at(localAt(crisisDay, '11:40')), okafor, caseId, {
    target: 'emergency_department',
    at: localAt(crisisDay, '11:35').toISOString(),
    outcome: 'transported',
    note: 'The guardian drove; the hospital social worker had a summary from Mr. Okafor by phone.',
  });
  await transitionCase(at(localAt(crisisDay, '12:00')), okafor, caseId, { action: 'start_safety_planning', reason: 'Admitted to hospital' });
  await recordSafetyPlan(at(localAt(meetingDay, '09:30')), okafor, caseId, {
    language: 'en',
    madeWithStudent: true,
    warningSigns: ['Staying in my room and skipping meals', 'Thinking nobody would notice if I was gone'],
    copingStrategies: ['Drawing', 'Walking the dog', 'Music with headphones'],
    distractions: ['The library at lunch', 'Texting my cousin'],
    peopleToAsk: [`${guardian.name} (${guardian.relationship.replace('_', ' ')})`, 'Ms. Rivera, school counselor'],
    professionals: ['Front Range Family Counseling: 303-555-0170'],
    environmentSafety: ['Medicines locked away at home (the family agreed)'],
    reasonForLiving: 'My little brother and my art',
  });
  await recordReentryPlan(at(localAt(meetingDay, '10:45')), okafor, caseId, {
    returnDate,
    meetingAt: localAt(meetingDay, '10:00').toISOString(),
    participants: [`${guardian.name} (${guardian.relationship.replace('_', ' ')})`, returning.firstName, 'Sam Okafor', 'Elena Rivera', 'Marcus Bell'],
    safetyPlanReviewed: true,
    supports: 'Half days the first week; extended time on work missed, no make-up tests for two weeks; a pass to the counseling office any period.',
    pointPersonUserId: rivera.userId,
    consider504Referral: true,
    teacherSummary: `${returning.firstName} is back after an absence for health reasons. Until the end of the month: extra time on missed work and no make-up tests yet; let ${returning.firstName} go to the counseling office with the pass, no questions asked; tell Ms. Rivera the same day about a missed class or a hard day.`,
    namedStaffUserIds: [],
  });
  await transitionCase(at(localAt(meetingDay, '11:00')), okafor, caseId, { action: 'start_monitoring', reason: 'Back at school on the re-entry plan' });
  // The point person has done the check-ins already due; the next ones are ahead of her.
  const { rows: due } = await deps.db.system.execute<{ id: string; dueAt: Date }>(
    sql`select id, due_at as "dueAt" from case_tasks where case_id = ${caseId} and kind = 'check_in' and done_at is null and due_at < ${deps.clock.now()} order by due_at`,
  );
  for (const task of due)
    await completeTask(
      at(new Date(new Date(task.dueAt).getTime() + 30 * 60_000)),
      rivera,
      caseId,
      task.id,
      'Attending all classes; using the pass about once a day.',
    );

  // Measures are taken on Thursdays, the last one last week; plans start on school days.
  const lastThursday = plusDays(sundayOf(today), -3);
  const anxiousStart = plusDays(lastThursday, -31);
  const { id: anxiousPlan } = await createPlan(at(localAt(anxiousStart, '14:00')), rivera, anxious.id, {
    tier: 2,
    concern: 'Worry before tests and presentations; leaves class for the nurse’s office two or three times a week.',
    goals: [{ description: 'Stays in class through tests and presentations', measure: 'times leaving class per week', baseline: 3, target: 0 }],
    interventions: [
      { code: 'counseling_group', frequency: 'weekly' },
      { code: 'classroom_accommodations', frequency: 'daily' },
    ],
    teacherAsks: 'A seat near the door; a five-minute break pass during tests; a quiet check-in at the start of class rather than being called on first.',
    startDate: anxiousStart,
    reviewEveryDays: 30,
  });
  for (const [days, value] of [
    [-21, 3],
    [-14, 2],
    [-7, 2],
    [0, 1],
  ] as const) {
    const day = plusDays(lastThursday, days);
    await recordProgress(at(localAt(day, '15:30')), rivera, anxiousPlan, { goalId: 'g1', measuredOn: day, value });
  }

  const cicoStart = plusDays(sundayOf(today), -20);
  const { id: cicoPlan } = await createPlan(at(localAt(cicoStart, '13:00')), rivera, eighthGrader.id, {
    tier: 2,
    concern: 'Missing assignments and conflicts with classmates since moving to Lincoln in October.',
    goals: [{ description: 'Meets daily behaviour expectations', measure: 'daily point-card percentage', baseline: 55, target: 80 }],
    interventions: [{ code: 'check_in_check_out', frequency: 'daily' }],
    startDate: cicoStart,
    reviewEveryDays: 28,
  });
  for (const [days, value] of [
    [-7, 62],
    [0, 71],
  ] as const) {
    const day = plusDays(lastThursday, days);
    await recordProgress(at(localAt(day, '15:30')), rivera, cicoPlan, { goalId: 'g1', measuredOn: day, value });
  }
  return { caseId, returningStudentId: returning.id, supportPlanIds: [anxiousPlan, cicoPlan] };
}
