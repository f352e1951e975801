import { and, eq } from 'drizzle-orm';
import { screeningSessions } from '../../data/screening.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { sha256 } from '../../platform/secrets.ts';
import { abandonedAfterMinutes } from './screen.service.ts';

/** `none`: no screen on this device; `answered`: too late to decline (answers are kept and scored). */
export type DeclineOutcome = 'declined' | 'none' | 'answered';

/**
 * The student chose "I'd rather not" on the first page. Taking part is voluntary, so this is
 * recorded for this window as the student's own choice: not a guardian's opt-out, not an absence,
 * never a penalty. The screen ends and its token dies; a proctor may give a new code later only
 * if the student asks. Once a question is answered the screen is no longer declined (every answer
 * is kept and scored, decision 17); the student can still skip each question.
 */
export async function declineScreen(deps: Deps, token: string | undefined): Promise<DeclineOutcome> {
  if (!token || !/^[0-9a-f]{64}$/.test(token)) return 'none';
  const [session] = await deps.db.system
    .select()
    .from(screeningSessions)
    .where(eq(screeningSessions.codeHash, sha256(token)));
  if (session?.status !== 'started') return 'none';
  if (session.startedAt && session.startedAt.getTime() + abandonedAfterMinutes * 60_000 < deps.clock.now().getTime()) return 'none';
  if (Object.values(session.answers).some((given) => Object.keys(given ?? {}).length > 0)) return 'answered';
  return withTenant(deps.db.app, { districtId: session.districtId }, async (tx) => {
    const [declined] = await tx
      .update(screeningSessions)
      .set({ status: 'declined', codeHash: null, completedAt: deps.clock.now() })
      .where(and(eq(screeningSessions.id, session.id), eq(screeningSessions.status, 'started'), eq(screeningSessions.answers, {})))
      .returning({ id: screeningSessions.id });
    if (!declined) return 'answered';
    await deps.audit.append(
      tx,
      session.districtId,
      { userId: null, label: 'student screen' },
      { action: 'screening.declined', subjectType: 'screening_session', subjectId: session.id, studentId: session.studentId },
    );
    return 'declined';
  });
}
