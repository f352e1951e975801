import { and, desc, eq, gt } from 'drizzle-orm';
import { type Actor, actorLabel, auditActor, type Grant } from '../../access/actor.ts';
import { allowingGrant, type CaseSubject, can } from '../../access/policy.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { HttpProblem, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { CaseFacts } from './case.rules.ts';
import { caseAccessGrants, caseEvents, caseRecords, cases, caseTasks } from './cases.tables.ts';

export type CaseRow = typeof cases.$inferSelect;
export async function caseSubject(tx: Transaction, actor: Actor, row: CaseRow, now: Date): Promise<CaseSubject> {
  const [glass] = await tx
    .select({ id: caseAccessGrants.id })
    .from(caseAccessGrants)
    .where(and(eq(caseAccessGrants.caseId, row.id), eq(caseAccessGrants.userId, actor.userId), gt(caseAccessGrants.expiresAt, now)))
    .limit(1);
  return { schoolId: row.schoolId, assignedUserIds: row.assignedUserIds, breakGlass: glass !== undefined };
}

/**
 * Runs `work` on a case the actor may read (or act on), in one transaction. A refused or unknown
 * id is audited and answers 404; people who could break the glass are told they can.
 */
export async function withCase<T>(
  deps: Deps,
  actor: Actor,
  caseId: string,
  action: 'case.read' | 'case.act',
  work: (tx: Transaction, row: CaseRow, grant: Grant, subject: CaseSubject) => Promise<T>,
): Promise<T> {
  const outcome = await withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(caseId) ? await tx.select().from(cases).where(eq(cases.id, caseId)) : [];
    const subject = row ? await caseSubject(tx, actor, row, deps.clock.now()) : undefined;
    const grant = row && subject ? allowingGrant(actor, action, subject) : undefined;
    if (!row || !subject || !grant) {
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'case.read.denied',
        subjectType: 'case',
        subjectId: caseId.slice(0, 64),
        detail: { reason: row ? 'not_permitted' : 'not_found_in_district' },
      });
      return { denied: true as const, breakGlass: Boolean(row && subject && can(actor, 'case.breakGlass', subject)) };
    }
    return { denied: false as const, value: await work(tx, row, grant, subject) };
  });
  if (outcome.denied) {
    const missing = notFound('That case');
    if (outcome.breakGlass)
      throw new HttpProblem(
        404,
        missing.title,
        `${missing.detail} If you must see it, you can break the glass: give a reason, it is recorded and the team is told.`,
        { code: 'break_glass_available' },
      );
    throw missing;
  }
  return outcome.value;
}

/** Appends a line to the case timeline. */
export async function addEvent(deps: Deps, tx: Transaction, row: CaseRow, actor: Actor | null, kind: string, summary: string) {
  await tx.insert(caseEvents).values({
    id: deps.ids.uuid(),
    districtId: row.districtId,
    caseId: row.id,
    at: deps.clock.now(),
    actorUserId: actor?.userId ?? null,
    actorLabel: actor ? actorLabel(actor) : 'Haven',
    kind,
    summary,
  });
}

/** The facts the state machine needs, read from the case's records and tasks. */
export async function caseFacts(tx: Transaction, row: CaseRow): Promise<CaseFacts> {
  const records = await tx
    .select({ kind: caseRecords.kind, content: caseRecords.content })
    .from(caseRecords)
    .where(eq(caseRecords.caseId, row.id))
    .orderBy(desc(caseRecords.createdAt), desc(caseRecords.version));
  const assessment = records.find((r) => r.kind === 'suicide_assessment' || r.kind === 'threat_assessment');
  const notice = records.find((r) => r.kind === 'guardian_notice');
  const mandatory = await tx
    .select({ doneAt: caseTasks.doneAt })
    .from(caseTasks)
    .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.kind, 'mandatory_report')));
  return {
    status: row.status,
    type: row.type,
    hasAssessment: assessment !== undefined,
    riskLevel: (assessment?.content.level as CaseFacts['riskLevel']) ?? null,
    hasSafetyPlan: records.some((r) => r.kind === 'safety_plan'),
    outstandingMandatoryReport: mandatory.some((t) => t.doneAt === null),
    guardianNotified: notice !== undefined && (notice.content.notified === true || typeof notice.content.confirmedBy === 'string'),
  };
}
