import { and, desc, eq, gt, max } from 'drizzle-orm';
import { type Actor, actorLabel, auditActor, type Grant } from '../../access/actor.ts';
import { allowingGrant, type CaseSubject, can } from '../../access/policy.ts';
import { caseAccessGrants, caseEvents, caseRecords, cases, caseTasks } from '../../data/cases.ts';
import { type recordKinds, threatActions } from '../../data/cases.values.ts';
import { escalationSettings } from '../../data/crisis-teams.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { HttpProblem, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { defaultEscalationSettings } from '../crisis-teams/index.ts';
import { districtTimeZone } from '../districts/index.ts';
import type { SchoolHours } from './case.deadlines.ts';
import { type CaseFacts, canAddRecord, safetyPlanGaps, type ThreatFacts } from './case.rules.ts';
import { caseClosed } from './case.text.ts';
import { auditCase } from './case-audit.ts';

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
        {
          code: 'break_glass_available',
          es: `${missing.extra.es} Si de verdad necesita verlo, puede romper el cristal: indique el motivo; queda registrado y se avisa al equipo.`,
        },
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

/** The latest threat assessment as the rules read it: its classification, severity and the actions it records. */
export function threatFacts(content: Record<string, unknown>): ThreatFacts {
  const actions = (content.actions ?? {}) as Record<string, unknown>;
  return {
    classification: content.classification === 'substantive' ? 'substantive' : 'transient',
    severity: content.severity === 'serious' || content.severity === 'very_serious' ? content.severity : null,
    recorded: threatActions.filter((a) => typeof actions[a] === 'string' && actions[a].trim() !== ''),
  };
}

/**
 * The facts the state machine needs, read from the case's records and tasks. The safety-plan gate
 * reads the latest SAFE-T only, and the latest safety plan's content, never merely that one exists.
 */
export async function caseFacts(tx: Transaction, row: CaseRow): Promise<CaseFacts> {
  const records = await tx
    .select({ kind: caseRecords.kind, content: caseRecords.content })
    .from(caseRecords)
    .where(eq(caseRecords.caseId, row.id))
    .orderBy(desc(caseRecords.createdAt), desc(caseRecords.version));
  const latest = (kind: (typeof records)[number]['kind']) => records.find((r) => r.kind === kind)?.content;
  const suicide = latest('suicide_assessment');
  const threat = latest('threat_assessment');
  const plan = latest('safety_plan');
  const notice = latest('guardian_notice');
  const mandatory = await tx
    .select({ doneAt: caseTasks.doneAt })
    .from(caseTasks)
    .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.kind, 'mandatory_report')));
  return {
    status: row.status,
    type: row.type,
    hasAssessment: suicide !== undefined || threat !== undefined,
    suicideRiskLevel: (suicide?.level as CaseFacts['suicideRiskLevel']) ?? null,
    safetyPlanGaps: plan ? safetyPlanGaps(plan) : null,
    threat: threat ? threatFacts(threat) : null,
    outstandingMandatoryReport: mandatory.some((t) => t.doneAt === null),
    guardianNotified: notice !== undefined && (notice.notified === true || typeof notice.confirmedBy === 'string'),
  };
}

/**
 * Adds a new version of a record to an open case, with its timeline line and an audit event for
 * each student on the case. `disclosure` is for records that tell someone outside the school about
 * the student (a hand-off): the reason gives to whom and on what basis, the detail the facts. The
 * mandatory report's event stays `case.mandatory_report_recorded`: the family's copy of the access
 * log leaves out every `case.mandatory_report…` action (C.R.S. 19-1-307).
 */
export async function storeRecord(
  deps: Deps,
  tx: Transaction,
  actor: Actor,
  row: CaseRow,
  kind: (typeof recordKinds)[number],
  content: Record<string, unknown>,
  summary: string,
  disclosure?: { reason: string; detail: Record<string, unknown> },
) {
  if (!canAddRecord(await caseFacts(tx, row), kind)) throw caseClosed();
  const [last] = await tx
    .select({ version: max(caseRecords.version) })
    .from(caseRecords)
    .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, kind)));
  const version = (last?.version ?? 0) + 1;
  const id = deps.ids.uuid();
  await tx.insert(caseRecords).values({
    id,
    districtId: row.districtId,
    caseId: row.id,
    kind,
    version,
    content,
    createdBy: actor.userId,
    createdByLabel: auditActor(actor).label,
    createdAt: deps.clock.now(),
  });
  await addEvent(deps, tx, row, actor, kind, summary);
  await auditCase(deps, tx, actor, row.id, {
    action: `case.${kind}_recorded`,
    ...(disclosure ? { reason: disclosure.reason } : {}),
    detail: { version, ...disclosure?.detail },
  });
  return { id, version };
}

export const districtZone = (tx: Transaction, districtId: string): Promise<string> => districtTimeZone(tx, districtId);

/** The district's school days and the time school ends: its alert-hours settings, or the defaults. */
export async function schoolHours(tx: Transaction, districtId: string): Promise<SchoolHours> {
  const [stored] = await tx
    .select({ hoursEnd: escalationSettings.hoursEnd, weekdays: escalationSettings.weekdays })
    .from(escalationSettings)
    .where(eq(escalationSettings.districtId, districtId));
  return stored ?? defaultEscalationSettings;
}
