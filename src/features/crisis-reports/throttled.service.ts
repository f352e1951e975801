import { and, eq, gte, inArray, isNotNull, ne, notInArray, type SQL, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { incidents, reports } from '../../data/reports.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { type Groupable, mayJoinThrottleGroup, planThrottleGroups, throttleGroupKey, throttleGroupMinutes } from './reports.rules.ts';

/**
 * Throttled reports (decision 26). A report sent over the per-address intake limit is stored like
 * any other, but the team hears about such reports as a group: the first of a group alerts and
 * escalates as usual, later ones join its incident without an alert of their own, and whoever
 * acknowledges the first acknowledges the group. Life-safety reports are never grouped.
 *
 * A member of a group is recognisable without a column of its own: a throttled report in an
 * incident that was never alerted (no row in report_alerts). Every other report, the group's first
 * included, has at least one alert row, written in the same transaction that stored it.
 */

type Stored = Groupable & { districtId: string; incidentId?: string | null | undefined };

/** The report `r` (an alias of `reports`, written by this file only) is a member of a throttled group. */
const member = (r: string) =>
  `(${r}.throttled and ${r}.incident_id is not null and ${r}.urgency <> 'life_safety' and not exists (select 1 from report_alerts a where a.report_id = ${r}.id))`;

/** `m` is a member of the group whose first report is `lead`: same incident, place, urgency and safety flag. */
const memberOf = (lead: string, m: string) =>
  `${m}.incident_id = ${lead}.incident_id and ${m}.id <> ${lead}.id and ${m}.school_id is not distinct from ${lead}.school_id and ${m}.urgency = ${lead}.urgency and ${m}.safety_flag = ${lead}.safety_flag and ${member(m)}`;

/** SQL for the inbox: the report (of a query on `reports`) is a member of a throttled group, listed under its first. */
export const isThrottleGroupMember: SQL = sql.raw(member('reports'));

/** SQL for the inbox: the report leads a throttled group with at least one report still open. */
export const leadsOpenThrottleGroup: SQL = sql.raw(
  `(reports.throttled and exists (select 1 from reports m where ${memberOf('reports', 'm')} and m.status <> 'closed'))`,
);

/**
 * Joins each throttled report of the batch (already inserted) to its group, or makes it the first
 * of a new one. Returns the reports that joined a group, each with its group's first report: they
 * are not alerted. Runs in the district's storing transaction, before alerting, so the first of a
 * group is alerted (and found by the next batch) in the same commit.
 */
export async function groupThrottledReports(deps: Deps, tx: Transaction, districtId: string, batch: readonly Stored[]): Promise<Map<string, string>> {
  const candidates = batch.filter(mayJoinThrottleGroup);
  if (candidates.length === 0) return new Map();
  // One district's groups are decided one batch at a time, so two batches do not both start one.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`throttle-group:${districtId}`}, 0))`);
  const earliest = Math.min(...candidates.map((r) => r.receivedAt.getTime()));
  // Groups still waiting for a person. Locked: a group being acknowledged right now finishes first,
  // and is then no longer waiting, so no report joins a group after its members were acknowledged.
  const waiting = await tx
    .select({
      id: reports.id,
      schoolId: reports.schoolId,
      urgency: reports.urgency,
      safetyFlag: reports.safetyFlag,
      receivedAt: reports.receivedAt,
      incidentId: reports.incidentId,
    })
    .from(reports)
    .where(
      and(
        eq(reports.districtId, districtId),
        eq(reports.throttled, true),
        eq(reports.status, 'received'),
        ne(reports.urgency, 'life_safety'),
        isNotNull(reports.nextEscalationAt),
        gte(reports.receivedAt, new Date(earliest - throttleGroupMinutes * 60_000)),
        notInArray(
          reports.id,
          batch.map((r) => r.id),
        ),
      ),
    )
    .orderBy(reports.receivedAt)
    .for('update');
  const open = new Map(waiting.map((lead) => [throttleGroupKey(lead), lead])); // the latest per key wins
  const joins = planThrottleGroups(candidates, open);
  if (joins.size === 0) return joins;
  // Each group is one incident: the first report's own, or a new one.
  const incidentOf = new Map<string, string>();
  type Place = { incidentId?: string | null | undefined; schoolId: string | null };
  const leads = new Map<string, Place>([...waiting, ...batch].map((r): [string, Place] => [r.id, r]));
  for (const leadId of new Set(joins.values())) {
    const lead = leads.get(leadId);
    let incidentId = lead?.incidentId ?? null;
    if (!incidentId) {
      incidentId = deps.ids.uuid();
      await tx.insert(incidents).values({ id: incidentId, districtId, schoolId: lead?.schoolId ?? null, createdAt: deps.clock.now() });
      await tx.update(reports).set({ incidentId }).where(eq(reports.id, leadId));
    }
    incidentOf.set(leadId, incidentId);
  }
  const byIncident = new Map<string, string[]>();
  for (const [memberId, leadId] of joins) {
    const incidentId = incidentOf.get(leadId) as string;
    byIncident.set(incidentId, [...(byIncident.get(incidentId) ?? []), memberId]);
  }
  for (const [incidentId, ids] of byIncident) await tx.update(reports).set({ incidentId }).where(inArray(reports.id, ids));
  return joins;
}

/** How many reports each group holds (its first included) and how many of them are still open. */
export async function throttleGroupSizes(tx: Transaction, leadIds: readonly string[]): Promise<Map<string, { size: number; open: number }>> {
  if (leadIds.length === 0) return new Map();
  const { rows } = await tx.execute<{ id: string; size: number; open: number }>(
    sql`select l.id, 1 + count(m.id)::int as size, (case when l.status <> 'closed' then 1 else 0 end) + count(m.id) filter (where m.status <> 'closed')::int as open
        from reports l join reports m on ${sql.raw(memberOf('l', 'm'))}
        where l.id = any(${sql.param([...leadIds])}::uuid[]) and l.throttled
        group by l.id, l.status`,
  );
  return new Map(rows.map((r) => [r.id, { size: Number(r.size), open: Number(r.open) }]));
}

/**
 * Whoever acknowledges (or acts on, or closes) the first report of a throttled group takes the
 * group: its members still waiting are acknowledged by them too, each with its own audit event.
 * They were never alerted on their own, so without this they would wait with no escalation.
 * Returns how many were acknowledged.
 */
export async function acknowledgeThrottleGroup(
  deps: Deps,
  tx: Transaction,
  actor: Actor,
  lead: { id: string; throttled: boolean; incidentId: string | null },
  now: Date,
): Promise<number> {
  if (!lead.throttled || !lead.incidentId) return 0;
  const { rows } = await tx.execute<{ id: string; student_id: string | null }>(
    sql`update reports m set status = 'acknowledged', acknowledged_at = ${now.toISOString()}::timestamptz, acknowledged_by = ${actor.userId}
        from reports l where l.id = ${lead.id} and ${sql.raw(memberOf('l', 'm'))} and m.status = 'received'
        returning m.id, m.student_id`,
  );
  await deps.audit.appendMany(
    tx,
    actor.districtId,
    rows.map((member) => ({
      actor: auditActor(actor),
      entry: {
        action: 'report.acknowledged',
        subjectType: 'report',
        subjectId: member.id,
        ...(member.student_id ? { studentId: member.student_id } : {}),
        detail: { withThrottleGroupOf: lead.id },
      },
    })),
  );
  return rows.length;
}
