import { randomBytes } from 'node:crypto';
import { and, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { screeningNotices, screeningResults, screeningSessions } from '../../data/screening.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { sha256 } from '../../platform/secrets.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { consentRowsOf } from './consent.repository.ts';
import type { ConsentRow } from './consent.rules.ts';
import { formatScreenCode } from './screen.rules.ts';

/**
 * A student's sittings in a window: what is known about each (read for the roster, a code, an
 * absence) and a new one-time code. Shared by the roster, one code at a time, and a class's codes.
 */

/** What is known of a student in a window: consent, the first notice, the latest sitting, a hold. */
export type Facts = {
  consents: ConsentRow[];
  /** The district day the family was first sent the notice for this window. */
  noticeOn: string | null;
  /** `declined`: the student chose "I'd rather not"; never shown or counted as absent. */
  session: 'issued' | 'started' | 'absent' | 'declined' | null;
  screened: boolean;
  heldSessionId?: string;
};

export async function studentFacts(tx: Transaction, windowId: string, ids: string[], timeZone: string): Promise<Map<string, Facts>> {
  const facts = new Map<string, Facts>();
  if (ids.length === 0) return facts;
  const fact = (id: string) => {
    const f = facts.get(id) ?? { consents: [], noticeOn: null, session: null, screened: false };
    facts.set(id, f);
    return f;
  };
  for (const [studentId, rows] of await consentRowsOf(tx, ids, windowId)) fact(studentId).consents = rows;
  const notices = await tx
    .select({ studentId: screeningNotices.studentId, first: sql<Date>`min(${screeningNotices.sentAt})` })
    .from(screeningNotices)
    .where(and(eq(screeningNotices.windowId, windowId), inArray(screeningNotices.studentId, ids)))
    .groupBy(screeningNotices.studentId);
  // The district's day, not the database's: a notice sent on a Denver evening was sent that day.
  for (const n of notices) fact(n.studentId).noticeOn = districtDay(new Date(n.first), timeZone);
  const sessions = await tx
    .selectDistinctOn([screeningSessions.studentId], { studentId: screeningSessions.studentId, status: screeningSessions.status })
    .from(screeningSessions)
    // The latest sitting still standing: a voided one (a code replaced at the same instant, an
    // abandoned screen) never hides the one that replaced it.
    .where(and(eq(screeningSessions.windowId, windowId), inArray(screeningSessions.studentId, ids), ne(screeningSessions.status, 'void')))
    .orderBy(screeningSessions.studentId, desc(screeningSessions.issuedAt));
  for (const s of sessions) {
    if (s.status === 'completed') fact(s.studentId).screened = true;
    else if (s.status !== 'void') fact(s.studentId).session = s.status;
  }
  const screened = await tx
    .selectDistinct({ studentId: screeningResults.studentId })
    .from(screeningResults)
    .where(and(eq(screeningResults.windowId, windowId), inArray(screeningResults.studentId, ids)));
  for (const r of screened) fact(r.studentId).screened = true;
  const held = await tx
    .select({ id: screeningSessions.id, studentId: screeningSessions.studentId })
    .from(screeningSessions)
    .where(
      and(
        eq(screeningSessions.windowId, windowId),
        inArray(screeningSessions.studentId, ids),
        isNotNull(screeningSessions.heldAt),
        isNull(screeningSessions.releasedAt),
      ),
    );
  for (const h of held) fact(h.studentId).heldSessionId = h.id;
  return facts;
}

/** Codes work for 12 hours: a school day, whatever time the proctor prints them. */
export const codeHours = 12;

/**
 * A new one-time code for an eligible student: the unused code, absence or "I'd rather not"
 * before it is voided (a student who declined and now asks to take part: the new code supersedes
 * the "no"; the audit trail keeps it). Only the code's hash is stored; the code is returned once.
 */
export async function insertCode(
  tx: Transaction,
  deps: Deps,
  actor: Actor,
  sitting: { windowId: string; student: { id: string; schoolId: string }; instruments: string[] },
): Promise<{ code: string; expiresAt: Date }> {
  await tx
    .update(screeningSessions)
    .set({ status: 'void', codeHash: null })
    .where(
      and(
        eq(screeningSessions.windowId, sitting.windowId),
        eq(screeningSessions.studentId, sitting.student.id),
        inArray(screeningSessions.status, ['issued', 'absent', 'declined']),
      ),
    );
  const code = formatScreenCode(randomBytes(5));
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + codeHours * 3_600_000);
  const id = deps.ids.uuid();
  await tx.insert(screeningSessions).values({
    id,
    districtId: actor.districtId,
    windowId: sitting.windowId,
    studentId: sitting.student.id,
    schoolId: sitting.student.schoolId,
    status: 'issued',
    instrumentIds: sitting.instruments,
    codeHash: sha256(code),
    codeExpiresAt: expiresAt,
    issuedBy: actor.userId,
    issuedAt: now,
  });
  await deps.audit.append(tx, actor.districtId, auditActor(actor), {
    action: 'screening.code_issued',
    subjectType: 'screening_session',
    subjectId: id,
    studentId: sitting.student.id,
  });
  return { code, expiresAt };
}

/** Marks a student absent for the window (an unused code stops working; a new code can follow later). */
export async function insertAbsence(tx: Transaction, deps: Deps, actor: Actor, sitting: { windowId: string; student: { id: string; schoolId: string } }) {
  await tx
    .update(screeningSessions)
    .set({ status: 'void', codeHash: null })
    .where(and(eq(screeningSessions.windowId, sitting.windowId), eq(screeningSessions.studentId, sitting.student.id), eq(screeningSessions.status, 'issued')));
  await tx.insert(screeningSessions).values({
    id: deps.ids.uuid(),
    districtId: actor.districtId,
    windowId: sitting.windowId,
    studentId: sitting.student.id,
    schoolId: sitting.student.schoolId,
    status: 'absent',
    issuedBy: actor.userId,
    issuedAt: deps.clock.now(),
  });
  await deps.audit.append(tx, actor.districtId, auditActor(actor), {
    action: 'screening.absent',
    subjectType: 'screening_window',
    subjectId: sitting.windowId,
    studentId: sitting.student.id,
  });
}
