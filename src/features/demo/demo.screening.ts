import { and, eq, inArray } from 'drizzle-orm';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { addSchoolDays } from '../screening/eligibility.rules.ts';
import { shippedInstruments } from '../screening/library.ts';
import { screeningNotices, screeningResults, screeningSessions, screeningWindows } from '../screening/screening.tables.ts';
import { students } from '../students/students.tables.ts';
import type { seededRandom } from './demo.seed.ts';

/**
 * A screening window at Lincoln Middle, half-way through: notices sent three weeks ago, most of
 * grades 6–8 screened with the PHQ-A, a few moderate results waiting in the follow-up queue. No
 * demo answer is a suicide-risk answer, so the crisis inbox starts quiet.
 */
export async function seedDemoScreening(deps: Deps, tx: Transaction, districtId: string, lincolnId: string, random: ReturnType<typeof seededRandom>) {
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
    createdAt: shift(-30),
  });
  const roster = await tx
    .select()
    .from(students)
    .where(and(eq(students.schoolId, lincolnId), inArray(students.grade, ['6', '7', '8'])));
  const phqa = shippedInstruments().get('phq-a');
  if (!phqa) return;
  for (const student of roster) {
    await tx
      .insert(screeningNotices)
      .values({ id: deps.ids.uuid(), districtId, windowId, studentId: student.id, channel: 'email', language: 'en', sentAt: shift(-21) });
    if (!random.chance(0.7)) continue;
    const level = random.next();
    const answers: Record<string, unknown> = { past_year: 'no', difficulty: 0, past_month_thoughts: 'no', lifetime_attempt: 'no', q9: 0 };
    for (let i = 1; i <= 8; i++) answers[`q${i}`] = level < 0.08 ? 1 + Math.floor(random.next() * 2) : Math.floor(random.next() * 2);
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
