import { and, desc, eq, isNotNull, isNull, max, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { instantAt, parseMoment } from '../../platform/time-zone.ts';
import { roleGrants } from '../accounts/accounts.tables.ts';
import { districts } from '../districts/districts.tables.ts';
import { supportPlans } from '../plans/plans.tables.ts';
import { students } from '../students/students.tables.ts';
import { canAddRecord } from './case.rules.ts';
import { addEvent, type CaseRow, caseFacts, withCase } from './case-access.ts';
import type {
  guardianNoticeInput,
  handoffInput,
  mandatoryReportInput,
  reentryPlanInput,
  safetyPlanInput,
  suicideAssessmentInput,
  taskInput,
  threatAssessmentInput,
} from './cases.schema.ts';
import { caseRecords, caseStudents, cases, caseTasks } from './cases.tables.ts';
import type { recordKinds } from './cases.values.ts';
import { suggestRiskLevel } from './safet.rules.ts';

type Kind = (typeof recordKinds)[number];

async function store(deps: Deps, tx: Transaction, actor: Actor, row: CaseRow, kind: Kind, content: Record<string, unknown>, summary: string) {
  if (!canAddRecord(await caseFacts(tx, row), kind)) throw badRequest('This case is closed. Reopen it (with a reason) to add to it.');
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
  await deps.audit.append(tx, actor.districtId, auditActor(actor), {
    action: `case.${kind}_recorded`,
    subjectType: 'case',
    subjectId: row.id,
    detail: { version },
  });
  return { id, version };
}

/**
 * A SAFE-T assessment. Haven's suggestion and its reasons are stored beside the clinician's level;
 * when they differ, the clinician's rationale is required and kept.
 */
export async function recordSuicideAssessment(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof suicideAssessmentInput>) {
  const suggestion = suggestRiskLevel(input);
  const differs = suggestion.level !== input.level;
  if (differs && !input.rationale) throw badRequest(`Haven suggests ${suggestion.level} (${suggestion.reasons.join('; ')}). Say why you chose ${input.level}.`);
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => ({
    ...(await store(
      deps,
      tx,
      actor,
      row,
      'suicide_assessment',
      { ...input, suggestedLevel: suggestion.level, suggestionReasons: suggestion.reasons, differs },
      `Suicide risk assessment (SAFE-T): ${input.level}${differs ? ` (Haven suggested ${suggestion.level})` : ''}.`,
    )),
    suggestion,
  }));
}

export async function recordThreatAssessment(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof threatAssessmentInput>) {
  return withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    store(deps, tx, actor, row, 'threat_assessment', input, `Threat assessment: ${input.classification}, ${input.level}.`),
  );
}

const crisisLines = {
  en: [
    '988 Suicide & Crisis Lifeline: call or text 988',
    'Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255',
    'Emergency: 911 or the nearest emergency department',
  ],
  es: [
    'Línea 988 de Prevención del Suicidio y Crisis: llame o envíe un texto al 988',
    'Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255',
    'Emergencia: 911 o la sala de emergencias más cercana',
  ],
};

/** A new version of the Stanley-Brown safety plan; section 5 always carries 988 and Colorado Crisis Services. */
export async function recordSafetyPlan(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof safetyPlanInput>) {
  const lines = crisisLines[input.language];
  const professionals = [...input.professionals.filter((p) => !lines.includes(p)), ...lines];
  return withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    store(deps, tx, actor, row, 'safety_plan', { ...input, professionals }, 'Safety plan made with the student (new version).'),
  );
}

export async function shareSafetyPlan(deps: Deps, actor: Actor, caseId: string, version: number, share: { guardianName: string; method: string }) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [plan] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'safety_plan'), eq(caseRecords.version, version)));
    if (!plan) throw notFound('That safety plan version');
    await addEvent(deps, tx, row, actor, 'safety_plan_shared', `Safety plan version ${version} shared with ${share.guardianName} (${share.method}).`);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'case.safety_plan_shared',
      subjectType: 'case',
      subjectId: row.id,
      detail: { version, method: share.method },
    });
    return { shared: true };
  });
}

export async function safetyPlanVersion(deps: Deps, actor: Actor, caseId: string, version: number) {
  return withCase(deps, actor, caseId, 'case.read', async (tx, row) => {
    const [plan] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'safety_plan'), eq(caseRecords.version, version)));
    if (!plan) throw notFound('That safety plan version');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'case.safety_plan_printed',
      subjectType: 'case',
      subjectId: row.id,
      detail: { version },
    });
    return { plan: plan.content as z.infer<typeof safetyPlanInput>, version: plan.version, createdAt: plan.createdAt };
  });
}

/** Who was told, how and what they said; or a reason not to tell them, which an administrator must confirm. */
export async function recordGuardianNotice(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof guardianNoticeInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const summary = input.notified
      ? `Guardian notified: ${input.guardianName} by ${input.method}.`
      : 'A reason not to notify the guardian was documented; an administrator must confirm it.';
    return store(deps, tx, actor, row, 'guardian_notice', input, summary);
  });
}

export async function confirmNoNotice(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!can(actor, 'case.confirmWaiver', { schoolId: row.schoolId, assignedUserIds: row.assignedUserIds, breakGlass: false })) throw notFound('That action');
    const [latest] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'guardian_notice')))
      .orderBy(desc(caseRecords.version))
      .limit(1);
    if (latest?.content.notified !== false) throw badRequest('There is no documented reason not to notify waiting for confirmation.');
    return store(
      deps,
      tx,
      actor,
      row,
      'guardian_notice',
      { ...latest.content, confirmedBy: actor.userId, confirmedByName: actor.displayName, confirmedAt: deps.clock.now().toISOString() },
      `The reason not to notify the guardian was confirmed by ${actor.displayName}.`,
    );
  });
}

/** Opens the mandatory-report duty on a case that did not start as abuse or neglect. */
export async function requireMandatoryReport(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!canAddRecord(await caseFacts(tx, row), 'task')) throw badRequest('This case is closed. Reopen it (with a reason) to add to it.');
    const now = deps.clock.now();
    const id = deps.ids.uuid();
    await tx.insert(caseTasks).values({
      id,
      districtId: row.districtId,
      caseId: row.id,
      kind: 'mandatory_report',
      title: 'Make the mandatory report of suspected abuse or neglect (C.R.S. 19-3-304): 1-844-CO-4-KIDS, the county department, or law enforcement',
      ownerUserId: actor.userId,
      dueAt: now,
      hardDeadlineAt: new Date(now.getTime() + 24 * 3_600_000),
    });
    await addEvent(deps, tx, row, actor, 'mandatory_report_due', 'Abuse or neglect is suspected: a mandatory report is due now (24 hours at most).');
    return { taskId: id };
  });
}

/** The report as made: agency, time, reference, summary. It completes the outstanding duty. */
export async function recordMandatoryReport(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof mandatoryReportInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const stored = await store(deps, tx, actor, row, 'mandatory_report', input, `Mandatory report made (${input.agency.replaceAll('_', ' ')}).`);
    await tx
      .update(caseTasks)
      .set({ doneAt: deps.clock.now(), doneBy: actor.userId, note: 'Report made' })
      .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.kind, 'mandatory_report'), isNull(caseTasks.doneAt)));
    return stored;
  });
}

/**
 * The re-entry plan. Check-ins with the point person are scheduled weekly for the first four weeks
 * after the return, then at 60 and 90 days: the first 90 days carry the highest risk.
 */
export async function recordReentryPlan(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof reentryPlanInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [point] = await tx.select({ id: roleGrants.userId }).from(roleGrants).where(eq(roleGrants.userId, input.pointPersonUserId)).limit(1);
    if (!point) throw badRequest('The point person must be someone with a role in this district.');
    const stored = await store(deps, tx, actor, row, 'reentry_plan', input, `Re-entry plan: back on ${input.returnDate}; check-ins scheduled through day 90.`);
    const timeZone = await districtZone(tx, row.districtId);
    const [y, m, d] = input.returnDate.split('-').map(Number) as [number, number, number];
    for (const days of [0, 7, 14, 21, 28, 60, 90]) {
      const date = new Date(Date.UTC(y, m - 1, d + days));
      await tx.insert(caseTasks).values({
        id: deps.ids.uuid(),
        districtId: row.districtId,
        caseId: row.id,
        kind: 'check_in',
        title: days === 0 ? 'Check in with the student on the day they return' : `Re-entry check-in, day ${days}`,
        ownerUserId: input.pointPersonUserId,
        dueAt: instantAt(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), 9 * 60, timeZone),
      });
    }
    return stored;
  });
}

export async function recordHandoff(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof handoffInput>) {
  return withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    store(deps, tx, actor, row, 'handoff', input, `Warm hand-off to ${input.target.replaceAll('_', ' ')}: ${input.outcome}.`),
  );
}

async function districtZone(tx: Transaction, districtId: string): Promise<string> {
  const [d] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
  return d?.timeZone ?? 'America/Denver';
}

/** A task with an owner and a due time; a wall-clock time is read in the district's time zone. */
export async function addTask(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof taskInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!canAddRecord(await caseFacts(tx, row), 'task')) throw badRequest('This case is closed. Reopen it (with a reason) to add to it.');
    const dueAt = parseMoment(input.due, await districtZone(tx, row.districtId));
    if (Number.isNaN(dueAt.getTime())) throw badRequest('The due time is not a real date and time.');
    const id = deps.ids.uuid();
    await tx
      .insert(caseTasks)
      .values({ id, districtId: row.districtId, caseId: row.id, kind: 'general', title: input.title, ownerUserId: input.ownerUserId ?? actor.userId, dueAt });
    await addEvent(deps, tx, row, actor, 'task_added', `Task: ${input.title}.`);
    return { id, dueAt: dueAt.toISOString() };
  });
}

export async function completeTask(deps: Deps, actor: Actor, caseId: string, taskId: string, note: string | undefined) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [task] = isUuid(taskId)
      ? await tx
          .select()
          .from(caseTasks)
          .where(and(eq(caseTasks.id, taskId), eq(caseTasks.caseId, row.id)))
      : [];
    if (!task) throw notFound('That task');
    if (task.kind === 'mandatory_report') throw badRequest('Record the mandatory report itself (agency, time, reference); that completes this task.');
    if (task.doneAt) throw badRequest('This task is already done.');
    await tx
      .update(caseTasks)
      .set({ doneAt: deps.clock.now(), doneBy: actor.userId, note: note ?? null })
      .where(eq(caseTasks.id, task.id));
    await addEvent(deps, tx, row, actor, 'task_done', `Done: ${task.title}${note ? ` (${note})` : ''}.`);
    return { done: true };
  });
}

/**
 * For anyone who teaches the student: what an open re-entry plan asks of them (the return date and
 * the need-to-know summary), and nothing clinical. The case itself stays out of reach.
 */
export async function teacherNotes(deps: Deps, actor: Actor, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'student.read', { schoolId: student.schoolId })) throw notFound('That student');
    const plans = await tx
      .select({ content: caseRecords.content, createdAt: caseRecords.createdAt })
      .from(caseRecords)
      .innerJoin(caseStudents, eq(caseStudents.caseId, caseRecords.caseId))
      .innerJoin(cases, eq(cases.id, caseRecords.caseId))
      .where(and(eq(caseStudents.studentId, student.id), eq(caseRecords.kind, 'reentry_plan'), ne(cases.status, 'closed')))
      .orderBy(desc(caseRecords.createdAt))
      .limit(1);
    const asks = await tx
      .select({ teacherAsks: supportPlans.teacherAsks, startDate: supportPlans.startDate, createdAt: supportPlans.createdAt })
      .from(supportPlans)
      .where(and(eq(supportPlans.studentId, student.id), eq(supportPlans.status, 'active'), isNotNull(supportPlans.teacherAsks)));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.teacher_notes_read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
    });
    return [
      ...plans.map((p) => ({
        kind: 'reentry' as const,
        returnDate: p.content.returnDate as string,
        teacherSummary: p.content.teacherSummary as string,
        since: p.createdAt.toISOString(),
      })),
      ...asks.map((a) => ({
        kind: 'support_plan' as const,
        returnDate: a.startDate,
        teacherSummary: a.teacherAsks as string,
        since: a.createdAt.toISOString(),
      })),
    ];
  });
}
