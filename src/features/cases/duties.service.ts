import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { caseRecords, caseReports, caseTasks } from '../../data/cases.ts';
import type { taskKinds } from '../../data/cases.values.ts';
import { reports } from '../../data/reports.ts';
import { mandatoryReportCategories } from '../../data/reports.values.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { guardianNoticeDeadline, mandatoryReportClock } from './case.deadlines.ts';
import { canAddRecord } from './case.rules.ts';
import { caseClosed } from './case.text.ts';
import { addEvent, type CaseRow, caseFacts, districtZone, schoolHours, storeRecord, withCase } from './case-access.ts';
import type { guardianNoticeInput, mandatoryReportInput } from './cases.schema.ts';

/**
 * The case's duties to people outside it, each a task with a hard deadline that the worker reminds
 * and escalates (reminders.service.ts): telling the guardian when the suicide risk is high (the
 * same school day), and the mandatory report of suspected abuse (24 hours from when Haven first
 * had the information). Each task is completed by recording the thing itself, never by a tick.
 */

const mandatoryTitle = 'Make the mandatory report of suspected abuse or neglect (C.R.S. 19-3-304): 1-844-CO-4-KIDS, the county department, or law enforcement';
const guardianTitle = "Tell the student's guardian about the high suicide risk, or document a reason not to and have an administrator confirm it";

/** A deadline as the timeline says it, on the district's clock: "Mon, Nov 30, 5:00 PM MST". */
function onDistrictClock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at);
}

async function openTask(tx: Transaction, row: CaseRow, kind: (typeof taskKinds)[number]) {
  const [task] = await tx
    .select({ id: caseTasks.id })
    .from(caseTasks)
    .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.kind, kind), isNull(caseTasks.doneAt)))
    .limit(1);
  return task;
}

async function completeDuty(deps: Deps, tx: Transaction, actor: Actor, row: CaseRow, kind: 'mandatory_report' | 'guardian_notice', note: string) {
  await tx
    .update(caseTasks)
    .set({ doneAt: deps.clock.now(), doneBy: actor.userId, note })
    .where(and(eq(caseTasks.caseId, row.id), eq(caseTasks.kind, kind), isNull(caseTasks.doneAt)));
}

/**
 * Starts the mandatory-report clock on a case. `receivedAt` are the times the information reached
 * Haven (the reports or concerns it came from); the 24 hours run from the earliest, so a case opened
 * 20 hours after its report leaves 4. A second call while one is outstanding starts no second clock.
 */
export async function openMandatoryDuty(deps: Deps, tx: Transaction, row: CaseRow, actor: Actor, receivedAt: readonly Date[]) {
  const outstanding = await openTask(tx, row, 'mandatory_report');
  if (outstanding) return { taskId: outstanding.id };
  const clock = mandatoryReportClock(receivedAt, deps.clock.now());
  const id = deps.ids.uuid();
  await tx.insert(caseTasks).values({
    id,
    districtId: row.districtId,
    caseId: row.id,
    kind: 'mandatory_report',
    title: mandatoryTitle,
    ownerUserId: actor.userId,
    dueAt: clock.dueAt,
    hardDeadlineAt: clock.hardDeadlineAt,
  });
  const zone = await districtZone(tx, row.districtId);
  await addEvent(
    deps,
    tx,
    row,
    actor,
    'mandatory_report_due',
    `Abuse or neglect is suspected: a mandatory report is due now, and by ${onDistrictClock(clock.hardDeadlineAt, zone)} at the latest (24 hours from when the information first reached Haven, ${onDistrictClock(clock.startedAt, zone)}).`,
  );
  return { taskId: id };
}

/**
 * Opens the mandatory-report duty on a case that did not start as abuse or neglect. If the case
 * came from reports filed as abuse or neglect, the clock runs from the earliest of them; otherwise
 * (or once a report has already been made, so this is new information) it runs from now.
 */
export async function requireMandatoryReport(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!canAddRecord(await caseFacts(tx, row), 'task')) throw caseClosed();
    const [made] = await tx
      .select({ id: caseRecords.id })
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'mandatory_report')))
      .limit(1);
    const abuseReports = made
      ? []
      : await tx
          .select({ receivedAt: reports.receivedAt })
          .from(caseReports)
          .innerJoin(reports, eq(reports.id, caseReports.reportId))
          .where(and(eq(caseReports.caseId, row.id), inArray(reports.category, [...mandatoryReportCategories])));
    return openMandatoryDuty(
      deps,
      tx,
      row,
      actor,
      abuseReports.map((r) => r.receivedAt),
    );
  });
}

/** The report as made: agency, time, reference, summary. It completes the outstanding duty. */
export async function recordMandatoryReport(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof mandatoryReportInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const stored = await storeRecord(deps, tx, actor, row, 'mandatory_report', input, `Mandatory report made (${input.agency.replaceAll('_', ' ')}).`);
    await completeDuty(deps, tx, actor, row, 'mandatory_report', 'Report made');
    return stored;
  });
}

/**
 * A high suicide risk starts the guardian-notice clock: due now, late after the end of the school
 * day (case.deadlines.ts). Nothing starts when the guardian already knows (or an administrator
 * confirmed a reason not to tell them), or when the clock is already running.
 */
export async function openGuardianDuty(deps: Deps, tx: Transaction, row: CaseRow, actor: Actor) {
  if ((await caseFacts(tx, row)).guardianNotified || (await openTask(tx, row, 'guardian_notice'))) return;
  const now = deps.clock.now();
  const zone = await districtZone(tx, row.districtId);
  const deadline = guardianNoticeDeadline(now, await schoolHours(tx, row.districtId), zone);
  await tx.insert(caseTasks).values({
    id: deps.ids.uuid(),
    districtId: row.districtId,
    caseId: row.id,
    kind: 'guardian_notice',
    title: guardianTitle,
    ownerUserId: actor.userId,
    dueAt: now,
    hardDeadlineAt: deadline,
  });
  await addEvent(
    deps,
    tx,
    row,
    actor,
    'guardian_notice_due',
    `The suicide risk is high: tell the guardian (or document a reason not to, for an administrator to confirm) by ${onDistrictClock(deadline, zone)}, the end of the school day.`,
  );
}

/** Who was told, how and what they said; or a reason not to tell them, which an administrator must confirm. */
export async function recordGuardianNotice(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof guardianNoticeInput>) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const summary = input.notified
      ? `Guardian notified: ${input.guardianName} by ${input.method}.`
      : 'A reason not to notify the guardian was documented; an administrator must confirm it.';
    const stored = await storeRecord(deps, tx, actor, row, 'guardian_notice', input, summary);
    if (input.notified) await completeDuty(deps, tx, actor, row, 'guardian_notice', `Guardian notified: ${input.guardianName}`);
    return stored;
  });
}

/** An administrator confirms the documented reason not to notify; that also meets the guardian-notice duty. */
export async function confirmNoNotice(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    if (!can(actor, 'case.confirmWaiver', { schoolId: row.schoolId, assignedUserIds: row.assignedUserIds, breakGlass: false })) throw notFound('That action');
    const [latest] = await tx
      .select()
      .from(caseRecords)
      .where(and(eq(caseRecords.caseId, row.id), eq(caseRecords.kind, 'guardian_notice')))
      .orderBy(desc(caseRecords.version))
      .limit(1);
    if (latest?.content.notified !== false)
      throw badRequest('There is no documented reason not to notify waiting for confirmation.', {
        code: 'no_waiver_to_confirm',
        es: 'No hay ningún motivo documentado para no avisar que esté esperando confirmación.',
      });
    const stored = await storeRecord(
      deps,
      tx,
      actor,
      row,
      'guardian_notice',
      { ...latest.content, confirmedBy: actor.userId, confirmedByName: actor.displayName, confirmedAt: deps.clock.now().toISOString() },
      `The reason not to notify the guardian was confirmed by ${actor.displayName}.`,
    );
    await completeDuty(deps, tx, actor, row, 'guardian_notice', `Reason not to notify confirmed by ${actor.displayName}`);
    return stored;
  });
}
