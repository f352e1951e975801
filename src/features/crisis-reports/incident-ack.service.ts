import { and, eq, inArray, ne } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { reportAlerts, reports } from '../../data/reports.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { withdrawAlerts } from './alerts.service.ts';
import type { ReadableReport } from './report-columns.ts';
import { coveredByAcknowledgement } from './reports.rules.ts';
import { acknowledgeThrottleGroup } from './throttled.service.ts';

type Taken = ReadableReport;

/**
 * Someone took `report` (acknowledged it, acted on it or closed it while it waited). The reports
 * linked to it as one incident that ask no more than it does, at schools the person may act for,
 * are taken by them too, each with its own audit event; otherwise every linked report of one
 * event would keep alerting the team every few minutes after a person already has it. A linked
 * report that is more urgent keeps escalating (coveredByAcknowledgement). The members of a
 * throttled group are taken as before. Alert messages not yet sent for the reports taken are
 * withdrawn. Returns how many other reports were taken.
 */
export async function acknowledgeLinked(deps: Deps, tx: Transaction, actor: Actor, report: Taken, now: Date): Promise<number> {
  const grouped = await acknowledgeThrottleGroup(deps, tx, actor, report, now);
  const others = report.incidentId ? await acknowledgeIncident(deps, tx, actor, report as Taken & { incidentId: string }, now) : [];
  await withdrawAlerts(tx, [report.id, ...others]);
  return grouped + others.length;
}

/** The incident's waiting reports this acknowledgement covers, taken; returns their ids. */
async function acknowledgeIncident(deps: Deps, tx: Transaction, actor: Actor, report: Taken & { incidentId: string }, now: Date): Promise<string[]> {
  const waiting = await tx
    .select({ id: reports.id, schoolId: reports.schoolId, urgency: reports.urgency, safetyFlag: reports.safetyFlag, studentId: reports.studentId })
    .from(reports)
    .where(and(eq(reports.incidentId, report.incidentId), ne(reports.id, report.id), eq(reports.status, 'received')))
    .for('update');
  const taken = waiting.filter((linked) => coveredByAcknowledgement(report, linked) && can(actor, 'report.act', { schoolId: linked.schoolId }));
  if (taken.length === 0) return [];
  const ids = taken.map((linked) => linked.id);
  await tx
    .update(reports)
    .set({ status: 'acknowledged', acknowledgedAt: now, acknowledgedBy: actor.userId, nextEscalationAt: null })
    .where(inArray(reports.id, ids));
  await deps.audit.appendMany(
    tx,
    actor.districtId,
    taken.map((linked) => ({
      actor: auditActor(actor),
      entry: {
        action: 'report.acknowledged',
        subjectType: 'report',
        subjectId: linked.id,
        ...(linked.studentId ? { studentId: linked.studentId } : {}),
        detail: { withIncidentOf: report.id },
      },
    })),
  );
  const alerted = await tx
    .selectDistinct({ userId: reportAlerts.userId, reportId: reportAlerts.reportId })
    .from(reportAlerts)
    .where(inArray(reportAlerts.reportId, ids));
  for (const id of ids) {
    const userIds = alerted.filter((a) => a.reportId === id && a.userId !== null).map((a) => a.userId as string);
    if (userIds.length > 0)
      await deps.live.publish(tx, { userIds, type: 'report.acknowledged', data: { reportId: id, by: actor.displayName, at: now.toISOString() } });
  }
  return ids;
}
