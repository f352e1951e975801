import { and, asc, eq, inArray } from 'drizzle-orm';
import { screeningConsents, screeningNotices, screeningProctorClasses, screeningResults, screeningSessions, screeningWindows } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { addSchoolDays, shippedInstruments } from '../screening/index.ts';
import type { seededRandom } from './demo.seed.ts';

/**
 * A screening window at Lincoln Middle, half-way through: notices sent three weeks ago, most of
 * grades 6–8 screened with the PHQ-A, a few moderate results waiting in the follow-up queue. No
 * demo answer is a suicide-risk answer, so the crisis inbox starts quiet. The demo teacher proctors
 * her homeroom (decision 31), so her sign-in shows her class with the students still to screen.
 */
export async function seedDemoScreening(
  deps: Deps,
  tx: Transaction,
  ids: { districtId: string; lincolnId: string; proctor: { userId: string; classId: string } },
  random: ReturnType<typeof seededRandom>,
) {
  const { districtId, lincolnId, proctor } = ids;
  const now = deps.clock.now();
  const shift = (days: number) => new Date(now.getTime() + days * 86_400_000);
  const windowId = deps.ids.uuid();
  await tx.insert(screeningWindows).values({
    id: windowId,
    districtId,
    name: 'Fall wellness check',
    schoolIds: [lincolnId],
    grades: ['6', '7', '8'],
    instrumentIds: ['phq-a'],
    opensOn: districtDay(shift(-7), 'America/Denver'),
    closesOn: districtDay(shift(14), 'America/Denver'),
    proctorUserIds: [proctor.userId],
    createdAt: shift(-30),
  });
  await tx
    .insert(screeningProctorClasses)
    .values({ id: deps.ids.uuid(), districtId, windowId, userId: proctor.userId, classId: proctor.classId, createdAt: shift(-8) });
  const roster = await tx
    .select()
    .from(students)
    .where(and(eq(students.schoolId, lincolnId), inArray(students.grade, ['6', '7', '8'])))
    // In seeded order, so the same students draw the same answers on every run.
    .orderBy(asc(students.localId));
  const phqa = shippedInstruments().get('phq-a');
  if (!phqa) return;
  const opensOn = districtDay(shift(-7), 'America/Denver');
  let selfHarmShown = false;
  for (const [index, student] of roster.entries()) {
    await tx
      .insert(screeningNotices)
      .values({ id: deps.ids.uuid(), districtId, windowId, studentId: student.id, channel: 'email', language: 'en', sentAt: shift(-21) });
    const screened = random.chance(0.7);
    const answer = guardianAnswer(index, screened);
    if (answer)
      await tx.insert(screeningConsents).values({
        id: deps.ids.uuid(),
        districtId,
        studentId: student.id,
        kind: answer,
        source: index % 3 === 0 ? 'email' : 'paper',
        windowId,
        schoolYear: schoolYear(opensOn),
        recordedAt: shift(-14),
      });
    if (!screened) continue;
    const level = random.next();
    const answers: Record<string, unknown> = { past_year: 'no', difficulty: 0, past_month_thoughts: 'no', lifetime_attempt: 'no', q9: 0 };
    for (let i = 1; i <= 8; i++) answers[`q${i}`] = level < 0.08 ? 1 + Math.floor(random.next() * 2) : Math.floor(random.next() * 2);
    // One student answered the self-harm item, and nothing is in place for him yet: the counselor's
    // "Needs support now" has someone on it (set without a draw, so later answers stay as they were).
    if (!selfHarmShown && index >= 10) {
      answers.q9 = 1;
      selfHarmShown = true;
    }
    const result = phqa.score(answers);
    const at = shift(-Math.floor(random.next() * 6));
    const sessionId = deps.ids.uuid();
    await tx.insert(screeningSessions).values({
      id: sessionId,
      districtId,
      windowId,
      studentId: student.id,
      schoolId: lincolnId,
      status: 'completed',
      instrumentIds: ['phq-a'],
      answers: { 'phq-a': answers },
      issuedAt: at,
      startedAt: at,
      completedAt: at,
    });
    const positive = result.flags.includes('positive');
    await tx.insert(screeningResults).values({
      id: deps.ids.uuid(),
      districtId,
      studentId: student.id,
      schoolId: lincolnId,
      windowId,
      sessionId,
      instrumentId: 'phq-a',
      instrumentVersion: result.version,
      source: 'screen',
      answers,
      score: result.score,
      band: result.band,
      flags: result.flags,
      actions: result.actions,
      prorated: result.prorated,
      valid: result.valid,
      administeredAt: at,
      followUpDueOn: positive ? addSchoolDays(districtDay(at, 'America/Denver'), 5) : null,
    });
  }
  return { windowId };
}

/**
 * The district asks for a guardian's consent (active consent, the default): every screened student
 * had it; of the others most forms are back (codes to print on screening day), about one in four
 * is not (consent forms for the proctor to mark) and a few families opted out. By position, not
 * by a draw, so the screening answers and referrals drawn after stay as they were.
 */
function guardianAnswer(index: number, screened: boolean): 'consent' | 'opt_out' | null {
  if (screened) return 'consent';
  if (index % 23 === 0) return 'opt_out';
  return index % 4 === 1 ? null : 'consent';
}

/** The school year (July to June, "2026-27") a day falls in, as consent rows name it. */
function schoolYear(day: string): string {
  const year = Number(day.slice(0, 4));
  const start = Number(day.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}
