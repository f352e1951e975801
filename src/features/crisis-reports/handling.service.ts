import { and, asc, desc, eq, inArray, isNull, not, or, type SQL, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { reportsVisibleTo } from '../../access/scope.ts';
import { roleGrants, users } from '../../data/accounts.ts';
import { caseRecords, caseReports } from '../../data/cases.ts';
import { crisisTeamMembers, escalationSettings } from '../../data/crisis-teams.ts';
import { schools } from '../../data/districts.ts';
import { reportAlerts, reportMessages, reports } from '../../data/reports.ts';
import { carriesReportingDuty } from '../../data/reports.values.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, forbidden, HttpProblem, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { defaultEscalationSettings, waitAt } from '../crisis-teams/index.ts';
import { acknowledgeLinked } from './incident-ack.service.ts';
import { type ReadableReport, reportColumns } from './report-columns.ts';
import { abuseReportCloseRefusal } from './reports.rules.ts';
import { isThrottleGroupMember, leadsOpenThrottleGroup, throttleGroupSizes } from './throttled.service.ts';
import type { StoredTriageReason } from './triage.rules.ts';

type Report = ReadableReport;
/**
 * A report Haven knows the student of (a screening alert names them): each look and step is in
 * that student's access log (decision 23). Reports from people name no student record.
 */
const aboutStudent = (report: Report) => (report.studentId ? { studentId: report.studentId } : {});
/** Loads a report the actor may handle inside their district's transaction, or answers 404. */
async function reportFor(tx: Transaction, actor: Actor, id: string): Promise<Report> {
  const [report] = isUuid(id) ? await tx.select(reportColumns).from(reports).where(eq(reports.id, id)).for('update') : [];
  if (!report || !can(actor, 'report.act', { schoolId: report.schoolId })) throw notFound('That report');
  return report;
}

export type ReportFilter = { status: 'open' | 'unacknowledged' | 'overdue' | 'closed' | 'all'; school?: string | undefined };

/**
 * The reports inbox: what the actor's schools received, newest and most urgent first. A throttled
 * group is one row, its first report, with the group's size (decision 26): a flood from one
 * address cannot push other reports off the list. It stays among the open while any of it is.
 */
export async function listReports(deps: Deps, actor: Actor, filter: ReportFilter) {
  if (!can(actor, 'report.list', null)) throw notFound('The report list');
  const now = deps.clock.now();
  return withTenant(deps.db.app, actor, async (tx) => {
    const [stored] = await tx.select().from(escalationSettings).where(eq(escalationSettings.districtId, actor.districtId));
    const settings = stored ?? defaultEscalationSettings;
    const conditions: SQL[] = [reportsVisibleTo(actor), not(isThrottleGroupMember)];
    if (filter.status === 'open') conditions.push(or(inArray(reports.status, ['received', 'acknowledged']), leadsOpenThrottleGroup) as SQL);
    if (filter.status === 'unacknowledged' || filter.status === 'overdue') conditions.push(eq(reports.status, 'received'));
    if (filter.status === 'closed') conditions.push(eq(reports.status, 'closed'));
    if (filter.school && isUuid(filter.school)) conditions.push(eq(reports.schoolId, filter.school));
    const rows = await tx
      .select({ report: reportColumns, schoolName: schools.name })
      .from(reports)
      .leftJoin(schools, eq(schools.id, reports.schoolId))
      .where(and(...conditions))
      .orderBy(desc(reports.receivedAt))
      .limit(500);
    const groups = await throttleGroupSizes(
      tx,
      rows.filter(({ report }) => report.throttled && report.incidentId).map(({ report }) => report.id),
    );
    const items = rows.map(({ report, schoolName }) => ({
      id: report.id,
      receivedAt: report.receivedAt,
      school: schoolName,
      channel: report.channel,
      category: report.category,
      urgency: report.urgency,
      status: report.status,
      disposition: report.disposition,
      acknowledgedAt: report.acknowledgedAt,
      escalationStep: report.escalationStep,
      // Overdue: nobody has acknowledged it within the first step's wait.
      overdue: report.status === 'received' && now.getTime() - report.receivedAt.getTime() > waitAt(settings, report.urgency, 0) * 60_000,
      nextEscalationAt: report.nextEscalationAt,
      /** Sent over the per-address intake limit. */
      throttled: report.throttled,
      /** A throttled group this report is the first of: how many reports it holds, and how many are open. */
      throttleGroup: groups.get(report.id) ?? null,
    }));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'report.listed',
      subjectType: 'report_list',
      detail: { filter: filter.status, results: items.length },
    });
    return { items: filter.status === 'overdue' ? items.filter((i) => i.overdue) : items };
  });
}

/** Opens one report with its conversation and alert timeline; the read is audited. */
export async function openReport(deps: Deps, actor: Actor, id: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const report = await reportFor(tx, actor, id);
    const [school] = report.schoolId ? await tx.select({ id: schools.id, name: schools.name }).from(schools).where(eq(schools.id, report.schoolId)) : [];
    const messages = await tx
      .select({ id: reportMessages.id, direction: reportMessages.direction, body: reportMessages.body, at: reportMessages.at, author: users.displayName })
      .from(reportMessages)
      .leftJoin(users, eq(users.id, reportMessages.authorUserId))
      .where(eq(reportMessages.reportId, report.id))
      .orderBy(asc(reportMessages.at));
    const alerts = await tx
      // A team member without an account (a mobile crisis line, a partner on call) is named too:
      // the team must see that the crisis line was told.
      .select({
        step: reportAlerts.step,
        channel: reportAlerts.channel,
        outcome: reportAlerts.outcome,
        at: reportAlerts.at,
        person: sql<string | null>`coalesce(${users.displayName}, ${crisisTeamMembers.name})`,
      })
      .from(reportAlerts)
      .leftJoin(users, eq(users.id, reportAlerts.userId))
      .leftJoin(crisisTeamMembers, eq(crisisTeamMembers.id, reportAlerts.memberId))
      .where(eq(reportAlerts.reportId, report.id))
      .orderBy(asc(reportAlerts.at));
    const linked = report.incidentId
      ? await tx
          .select({ id: reports.id, receivedAt: reports.receivedAt, channel: reports.channel, status: reports.status, urgency: reports.urgency })
          .from(reports)
          .where(eq(reports.incidentId, report.incidentId))
          .orderBy(asc(reports.receivedAt))
      : [];
    const [acknowledger] = report.acknowledgedBy ? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, report.acknowledgedBy)) : [];
    // A staff member's concern is never anonymous: the team must know whom to follow up with.
    const [filer] = report.enteredByUserId
      ? await tx.select({ name: users.displayName, email: users.email }).from(users).where(eq(users.id, report.enteredByUserId))
      : [];
    const duty = await abuseDuty(tx, report);
    const group = (await throttleGroupSizes(tx, [report.id])).get(report.id) ?? null;
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'report.read',
      subjectType: 'report',
      subjectId: report.id,
      ...aboutStudent(report),
      reason: 'crisis report handling',
    });
    return {
      id: report.id,
      school: school ?? null,
      channel: report.channel,
      category: report.category,
      urgencyReported: report.urgencyReported,
      urgency: report.urgency,
      /** The table holds what triage wrote: coded reasons, or an older report's sentence. */
      triageReasons: report.triageReasons as StoredTriageReason[],
      description: report.description,
      about: report.aboutPerson,
      contact: report.contactEncrypted ? deps.secrets.decrypt(report.contactEncrypted) : null,
      /** The staff member who entered it (their own concern, a call or walk-in they took), if any. */
      enteredBy: filer ? { name: filer.name, email: filer.email } : null,
      canReply: report.replyAddressEncrypted !== null || report.channel === 'web' || report.channel === 'api',
      language: report.language,
      stateTipLineId: report.stateTipLineId,
      status: report.status,
      disposition: report.disposition,
      escalationStep: report.escalationStep,
      nextEscalationAt: report.nextEscalationAt,
      times: {
        receivedAt: report.receivedAt,
        acknowledgedAt: report.acknowledgedAt,
        acknowledgedBy: acknowledger?.name ?? null,
        firstActionAt: report.firstActionAt,
        studentContactedAt: report.studentContactedAt,
        connectedToHelpAt: report.connectedToHelpAt,
        closedAt: report.closedAt,
      },
      messages,
      alerts,
      incident: linked.filter((r) => r.id !== report.id),
      throttled: report.throttled,
      /** The first report of a throttled group: acknowledging it acknowledges the group. */
      throttleGroup: group,
      /** Abuse or neglect reports only: whether the duty to report was met, and who may record a finding. */
      abuseDuty: duty && { ...duty, canRecordFinding: adminGrant(actor, report) !== undefined },
    };
  });
}

/**
 * A person says "I have this". Only this stops the escalation: reading a report does not. Everyone
 * who was alerted hears who took it.
 */
export async function acknowledgeReport(deps: Deps, actor: Actor, id: string) {
  const now = deps.clock.now();
  return withTenant(deps.db.app, actor, async (tx) => {
    const report = await reportFor(tx, actor, id);
    if (report.status !== 'received') return { acknowledgedAt: report.acknowledgedAt };
    await tx
      .update(reports)
      .set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.userId, nextEscalationAt: null })
      .where(eq(reports.id, report.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'report.acknowledged',
      subjectType: 'report',
      subjectId: report.id,
      ...aboutStudent(report),
      detail: { afterMs: now.getTime() - report.receivedAt.getTime() },
    });
    await acknowledgeLinked(deps, tx, actor, report, now);
    const alerted = await tx.selectDistinct({ userId: reportAlerts.userId }).from(reportAlerts).where(eq(reportAlerts.reportId, report.id));
    await deps.live.publish(tx, {
      userIds: alerted.map((a) => a.userId).filter((u): u is string => u !== null),
      type: 'report.acknowledged',
      data: { reportId: report.id, by: actor.displayName, at: now.toISOString() },
    });
    return { acknowledgedAt: now };
  });
}

/** A note for the team only; the reporter never sees it. */
async function addTeamNote(deps: Deps, tx: Transaction, report: Report, actor: Actor, body: string, at: Date) {
  await tx
    .insert(reportMessages)
    .values({ id: deps.ids.uuid(), districtId: report.districtId, reportId: report.id, direction: 'internal_note', body, authorUserId: actor.userId, at });
}

const actionColumn = { first_action: 'firstActionAt', student_contacted: 'studentContactedAt', connected_to_help: 'connectedToHelpAt' } as const;

/** Records a step of the response; any action also counts as the first action and as acknowledging. */
export async function recordAction(deps: Deps, actor: Actor, id: string, action: keyof typeof actionColumn, note: string | undefined) {
  const now = deps.clock.now();
  await withTenant(deps.db.app, actor, async (tx) => {
    const report = await reportFor(tx, actor, id);
    if (report.status === 'closed')
      throw badRequest('This report is closed. Reopen it from a new report if something new happened.', {
        code: 'report_closed',
        es: 'Este reporte está cerrado. Si pasó algo nuevo, regístrelo en un reporte nuevo.',
      });
    const change: Partial<Report> = { [actionColumn[action]]: report[actionColumn[action]] ?? now, firstActionAt: report.firstActionAt ?? now };
    if (report.status === 'received')
      Object.assign(change, { status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.userId, nextEscalationAt: null });
    await tx.update(reports).set(change).where(eq(reports.id, report.id));
    if (report.status === 'received') await acknowledgeLinked(deps, tx, actor, report, now);
    if (note) await addTeamNote(deps, tx, report, actor, note, now);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: `report.${action}`,
      subjectType: 'report',
      subjectId: report.id,
      ...aboutStudent(report),
    });
  });
}

/**
 * The first line of an administrator's finding of no reasonable cause, stored as a team note (the
 * reports table has no column for it). Only a note that starts so and whose author is an
 * administrator for the report's school counts: anyone else's note with the same words does not.
 */
const findingMarker = 'Finding: no reasonable cause to suspect abuse or neglect.';
const adminRoles = ['district_admin', 'school_admin'] as const;

/** A school administrator of the report's school, or a district administrator; they alone record a finding. */
function adminGrant(actor: Actor, report: Report) {
  return allowingGrant(actor, 'case.confirmWaiver', { schoolId: report.schoolId, assignedUserIds: [], breakGlass: false });
}

/**
 * Where a report of suspected abuse stands against the duty to report (C.R.S. 19-3-304): a
 * mandatory report recorded on a case opened from it, or an administrator's finding. Null for
 * other categories.
 */
async function abuseDuty(tx: Transaction, report: Report) {
  if (!carriesReportingDuty(report.category)) return null;
  const [made] = await tx
    .select({ id: caseRecords.id })
    .from(caseReports)
    .innerJoin(caseRecords, and(eq(caseRecords.caseId, caseReports.caseId), eq(caseRecords.kind, 'mandatory_report')))
    .where(eq(caseReports.reportId, report.id))
    .limit(1);
  const notes = (
    await tx
      .select({ body: reportMessages.body, at: reportMessages.at, authorUserId: reportMessages.authorUserId, author: users.displayName })
      .from(reportMessages)
      .leftJoin(users, eq(users.id, reportMessages.authorUserId))
      .where(and(eq(reportMessages.reportId, report.id), eq(reportMessages.direction, 'internal_note')))
      .orderBy(asc(reportMessages.at))
  ).filter((n) => n.body.startsWith(findingMarker) && n.authorUserId !== null);
  const authors = [...new Set(notes.map((n) => n.authorUserId as string))];
  const admins = authors.length
    ? await tx
        .select({ userId: roleGrants.userId })
        .from(roleGrants)
        .where(
          and(
            inArray(roleGrants.userId, authors),
            inArray(roleGrants.role, [...adminRoles]),
            report.schoolId ? or(isNull(roleGrants.schoolId), eq(roleGrants.schoolId, report.schoolId)) : isNull(roleGrants.schoolId),
          ),
        )
    : [];
  const finding = notes.find((n) => admins.some((a) => a.userId === n.authorUserId));
  return {
    mandatoryReportRecorded: made !== undefined,
    finding: finding ? { by: finding.author ?? '', at: finding.at, reasoning: finding.body.split('\nReasoning: ').slice(1).join('\nReasoning: ') } : null,
  };
}

/**
 * An administrator records that a report of suspected abuse gives no reasonable cause to suspect
 * it, with their reasoning. The duty to report rests on reasonable cause, so this, or a mandatory
 * report, is what lets such a report close. Kept as a team note (who, when, why) and audited.
 */
export async function recordNoCauseFinding(deps: Deps, actor: Actor, id: string, reasoning: string) {
  const now = deps.clock.now();
  return withTenant(deps.db.app, actor, async (tx) => {
    const report = await reportFor(tx, actor, id);
    const grant = adminGrant(actor, report);
    if (!grant)
      throw forbidden('Only a school or district administrator may record a finding of no reasonable cause to suspect abuse.', {
        code: 'no_cause_admin_only',
        es: 'Solo una persona administradora de la escuela o del distrito puede registrar que no hay motivo razonable para sospechar abuso.',
      });
    if (!carriesReportingDuty(report.category))
      throw badRequest('A finding of no reasonable cause is recorded only on a report of suspected abuse, neglect or sexual assault.', {
        code: 'no_cause_wrong_category',
        es: 'La conclusión de que no hay motivo razonable solo se registra en un reporte de sospecha de abuso, negligencia o agresión sexual.',
      });
    if (report.status === 'closed') throw badRequest('This report is already closed.', { code: 'report_closed', es: 'Este reporte ya está cerrado.' });
    const duty = await abuseDuty(tx, report);
    if (duty?.mandatoryReportRecorded)
      throw conflict('A mandatory report has already been made from this report; a finding of no reasonable cause would contradict it.', {
        code: 'mandatory_report_made',
        es: 'Ya se hizo un reporte obligatorio a partir de este reporte; registrar que no hay motivo razonable lo contradiría.',
      });
    if (duty?.finding)
      throw conflict(`${duty.finding.by} already recorded a finding on this report.`, {
        code: 'finding_already_recorded',
        es: `${duty.finding.by} ya registró una conclusión en este reporte.`,
      });
    const messageId = deps.ids.uuid();
    const body = `${findingMarker}\nRecorded by ${actor.displayName} (${grant.role.replace('_', ' ')}).\nReasoning: ${reasoning}`;
    await tx
      .insert(reportMessages)
      .values({ id: messageId, districtId: report.districtId, reportId: report.id, direction: 'internal_note', body, authorUserId: actor.userId, at: now });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'report.no_cause_finding',
      subjectType: 'report',
      subjectId: report.id,
      ...aboutStudent(report),
      // The reasoning stays in the report (it may name people); the audit keeps who, when, as what.
      detail: { role: grant.role, messageId },
    });
    return { by: actor.displayName, at: now };
  });
}

/**
 * Closes a report with a disposition (nothing is deleted) and purges the reporter's reply address.
 * A report of suspected abuse or neglect closes, by any disposition, only once the duty to report
 * was met (abuseReportCloseRefusal): 409 with a message that says what to do otherwise.
 */
export async function closeReport(deps: Deps, actor: Actor, id: string, disposition: NonNullable<Report['disposition']>, note: string | undefined) {
  const now = deps.clock.now();
  await withTenant(deps.db.app, actor, async (tx) => {
    const report = await reportFor(tx, actor, id);
    if (report.status === 'closed') throw badRequest('This report is already closed.', { code: 'report_closed', es: 'Este reporte ya está cerrado.' });
    const duty = await abuseDuty(tx, report);
    const refusal = abuseReportCloseRefusal({
      category: report.category,
      mandatoryReportRecorded: duty?.mandatoryReportRecorded ?? false,
      noCauseFinding: Boolean(duty?.finding),
    });
    if (refusal)
      throw new HttpProblem(409, 'The duty to report is not met', refusal, {
        code: 'mandatory_report_required',
        es: 'Este reporte trata de un posible abuso o negligencia. Antes de cerrarlo, registre el reporte obligatorio (C.R.S. 19-3-304) en un caso abierto a partir de él, o una persona administradora debe registrar que no hay motivo razonable para sospechar abuso.',
      });
    await tx
      .update(reports)
      .set({
        status: 'closed',
        disposition,
        closedAt: now,
        acknowledgedAt: report.acknowledgedAt ?? now,
        acknowledgedBy: report.acknowledgedBy ?? actor.userId,
        nextEscalationAt: null,
        replyAddressEncrypted: null,
        replyAddressHash: null,
      })
      .where(eq(reports.id, report.id));
    // Closing the first of a throttled group is someone taking the group: the rest wait no longer unseen.
    if (report.status === 'received') await acknowledgeLinked(deps, tx, actor, report, now);
    if (note) await addTeamNote(deps, tx, report, actor, note, now);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'report.closed',
      subjectType: 'report',
      subjectId: report.id,
      ...aboutStudent(report),
      detail: { disposition },
    });
  });
}
