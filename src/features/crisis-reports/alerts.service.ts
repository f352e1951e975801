import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { roleGrants, users } from '../../data/accounts.ts';
import { reportAlerts, reports } from '../../data/reports.ts';
import { insertMany } from '../../platform/db/bulk.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import type { LiveEvent } from '../../platform/notify/live.ts';
import { pushToUser } from '../../platform/notify/push.ts';
import { type SourceHandlers, sendNow } from '../../platform/outbox/outbox.sender.ts';
import { type Enqueue, enqueueMessages, type OutboxMessage } from '../../platform/outbox/outbox.ts';
import {
  chain,
  escalatesAroundTheClock,
  loadRoutingContext,
  type Member,
  nextEscalationAt,
  recipientsAt,
  stepName,
  withinSchoolHours,
} from '../crisis-teams/index.ts';

/** What alerting needs to know about a report. */
type Report = Pick<typeof reports.$inferSelect, 'id' | 'districtId' | 'schoolId' | 'urgency' | 'category' | 'escalationStep' | 'receivedAt' | 'safetyFlag'>;

/** An alert message, in the outbox with the transaction that decided it, to send the moment it commits. */
/** What to send once the alerting transaction has committed: outbox messages, and Web Push to each person alerted. */
export type Outbound =
  | { outboxId: string; reportId: string; channel: 'email' | 'sms' | 'voice' }
  | { reportId: string; channel: 'push'; districtId: string; userId: string };

/** What an alert message is for: the report, step and person its outcome is recorded against. */
type AlertTarget = { reportId: string; districtId: string; step: number; memberId: string | null; userId: string | null };

/** The outbox source of alert messages; the id names the report, step and person (no personal data). */
const alertSource = 'report_alert';
const alertSourceId = (t: AlertTarget) => [t.reportId, t.step, t.memberId ?? '', t.userId ?? ''].join(':');

type Plan = { step: number; skipped: number[]; members: Member[]; due: Date; afterHours: boolean };

/** What an alert outside school hours adds for a report that speaks of suicide or a threat. */
export const afterHoursGuidance =
  'Outside school hours: if a student may be in danger now, call 911. Colorado Crisis Services (1-844-493-8255, or text TALK to 38255) answers day and night and can send a mobile crisis team.';

/**
 * Alerts the people at each report's current step of the chain and schedules the next step.
 * Steps with nobody on them are passed at once, so a gap in the rota never stalls a report; at
 * the end, with nobody on district call, the district's administrators are alerted instead.
 * In-app alerts, live events, the escalation timers and the e-mails, texts and calls (in the
 * outbox) are written in the caller's transaction, a few statements for the whole batch (a hoax
 * wave brings hundreds of reports a minute). The messages are returned for `deliver` to send the
 * moment the transaction commits.
 */
export async function alertReports(deps: Deps, tx: Transaction, batch: readonly Report[], now: Date): Promise<Outbound[]> {
  const messages: (Enqueue & { target: AlertTarget })[] = [];
  const alertRows: (typeof reportAlerts.$inferInsert)[] = [];
  const events: LiveEvent[] = [];
  const timers: { id: string; step: number; due: Date }[] = [];
  const pushes: Outbound[] = [];
  // Reports at the same place, urgency and step go to the same people at the same time: decide once.
  const plans = new Map<string, Plan>();
  const admins = new Map<string, Member[]>();
  for (const report of batch) {
    const context = await loadRoutingContext(deps, tx, report.districtId, report.schoolId, now);
    const afterHours = escalatesAroundTheClock(report) && !withinSchoolHours(context.settings, now, context.timeZone);
    const key = `${report.districtId}|${report.schoolId}|${report.urgency}|${report.safetyFlag}|${report.escalationStep}`;
    let plan = plans.get(key);
    if (!plan) {
      let step = report.escalationStep;
      const skipped: number[] = [];
      let found = recipientsAt(step, context, now, { afterHours });
      while (found.members.length === 0 && step < chain.length - 1) {
        skipped.push(step);
        step += 1;
        found = recipientsAt(step, context, now, { afterHours });
      }
      let members = found.members;
      if (members.length === 0) {
        members = admins.get(report.districtId) ?? (await districtAdministrators(tx, report.districtId));
        admins.set(report.districtId, members);
      }
      const due = nextEscalationAt({
        urgency: report.urgency,
        safetyFlag: report.safetyFlag,
        step,
        from: now,
        settings: context.settings,
        timeZone: context.timeZone,
      });
      plan = { step, skipped, members, due, afterHours };
      plans.set(key, plan);
    }
    const { step, members } = plan;
    const base = { districtId: report.districtId, reportId: report.id, step, at: now };
    for (const skippedStep of plan.skipped) alertRows.push({ ...base, id: deps.ids.uuid(), step: skippedStep, channel: 'in_app', outcome: 'no_recipient' });
    const where = context.schoolName ?? 'school not given';
    const urgencyLabel = report.urgency.replace('_', '-').toUpperCase();
    const link = `${deps.settings.publicUrl}/reports/${report.id}`;
    const userIds = [...new Set(members.map((m) => m.userId).filter((id): id is string => id !== null))];
    for (const member of members) {
      if (member.userId)
        alertRows.push({ ...base, id: deps.ids.uuid(), memberId: member.id || null, userId: member.userId, channel: 'in_app', outcome: 'sent' });
      // Messages name the urgency, category and school only: report text stays inside Haven.
      const text = `Haven: ${urgencyLabel} report (${report.category.replaceAll('_', ' ')}) at ${where}, waiting for a person to acknowledge it. Open: ${link}${plan.afterHours ? `\n${afterHoursGuidance}` : ''}`;
      const target: AlertTarget = { reportId: report.id, districtId: report.districtId, step, memberId: member.id || null, userId: member.userId };
      const alert = (message: OutboxMessage) =>
        messages.push({
          districtId: report.districtId,
          message,
          purpose: 'report.alert',
          source: { type: alertSource, id: alertSourceId(target) },
          sendAfterCommit: true,
          target,
        });
      if (member.email) alert({ kind: 'email', to: member.email, subject: `${urgencyLabel} report at ${where}: please acknowledge`, text });
      // A phone channel with no provider is recorded as not set up rather than queued to fail: the
      // team sees on the report why no text came, and nothing waits in the outbox for hours.
      const byPhone = (kind: 'sms' | 'voice', message: OutboxMessage) =>
        (kind === 'sms' ? deps.sms.configured : deps.sms.calls)
          ? alert(message)
          : alertRows.push({ ...base, id: deps.ids.uuid(), memberId: member.id || null, userId: member.userId, channel: kind, outcome: 'not_set_up' });
      if (member.phone && (report.urgency !== 'routine' || report.safetyFlag)) byPhone('sms', { kind: 'sms', to: member.phone, text });
      // Life-safety also rings the phone: a text can go unseen, a ringing phone rarely does.
      if (member.phone && report.urgency === 'life_safety')
        byPhone('voice', {
          kind: 'voice',
          to: member.phone,
          text: `This is Haven. A life-safety report at ${where} is waiting for a person. Open Haven and acknowledge it now.`,
        });
    }
    events.push({
      userIds,
      type: 'report.alert',
      data: {
        reportId: report.id,
        urgency: report.urgency,
        category: report.category,
        school: where,
        step: stepName(step),
        receivedAt: report.receivedAt.toISOString(),
        afterHours: plan.afterHours,
      },
    });
    for (const userId of userIds) pushes.push({ reportId: report.id, channel: 'push', districtId: report.districtId, userId });
    timers.push({ id: report.id, step, due: plan.due });
  }
  await insertMany(tx, reportAlerts, alertRows);
  await deps.live.publishMany(tx, events);
  if (timers.length > 0) {
    await tx.execute(sql`
      update reports set escalation_step = t.step, next_escalation_at = t.due
      from unnest(${sql.param(timers.map((t) => t.id))}::uuid[], ${sql.param(timers.map((t) => t.step))}::int[], ${sql.param(timers.map((t) => t.due.toISOString()))}::timestamptz[]) as t(id, step, due)
      where reports.id = t.id`);
  }
  const ids = await enqueueMessages(deps, tx, messages);
  return [...messages.map((m, i) => ({ outboxId: ids[i] as string, reportId: m.target.reportId, channel: m.message.kind })), ...pushes];
}

/** The last resort when no one is on call: every district administrator, in-app and by e-mail. */
async function districtAdministrators(tx: Transaction, districtId: string): Promise<Member[]> {
  const rows = await tx
    .selectDistinct({ userId: users.id, name: users.displayName, email: users.email })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.districtId, districtId), eq(roleGrants.role, 'district_admin'), isNull(roleGrants.schoolId), isNull(users.disabledAt)));
  return rows.map((r) => ({ id: '', userId: r.userId, name: r.name, teamRole: 'administrator', email: r.email, phone: null, active: true }));
}

/**
 * Sends alert messages the moment the transaction that decided them has committed, in the same
 * request: a crisis team must not wait for the worker's next pass. Each outcome is recorded on the
 * report (sent or failed) as it happens; a failed one is retried by the outbox, and recorded
 * `sent` when it finally goes.
 */
export async function deliver(deps: Deps, outbound: readonly Outbound[]): Promise<void> {
  if (outbound.length === 0) return;
  const messages = outbound.flatMap((o) => ('outboxId' in o ? [o.outboxId] : []));
  const pushes = outbound.flatMap((o) => (o.channel === 'push' ? [o] : []));
  await Promise.all([
    messages.length > 0 ? sendNow(deps, messages, { sources: alertOutboxSources(deps) }) : undefined,
    // Web Push reaches a locked phone; it adds to the in-app alert, e-mail, text and call, which
    // carry the escalation. pushToUser records each device's failure on its subscription and never
    // throws for a push service's answer; a database error reading subscriptions must not turn a
    // stored, alerted report into an error for its sender, so it is settled, not thrown.
    Promise.allSettled(pushes.map((p) => pushToUser(deps, { districtId: p.districtId, userId: p.userId }, { kind: 'report.alert', reportId: p.reportId }))),
  ]);
}

/**
 * Records each alert message's outcome on its report: every success, and the first failure (the
 * retries that follow are the outbox's; the report shows that it did not go, then that it did).
 */
export function alertOutboxSources(deps: Pick<Deps, 'ids'>): SourceHandlers {
  return {
    [alertSource]: async (tx, settled) => {
      const rows = settled
        .filter((s) => s.ok || s.attempt === 1)
        .flatMap((s) => {
          const [reportId, step, memberId, userId] = s.sourceId.split(':');
          if (!reportId || !s.districtId) return [];
          return [
            {
              id: deps.ids.uuid(),
              districtId: s.districtId,
              reportId,
              step: Number(step),
              memberId: memberId || null,
              userId: userId || null,
              channel: s.kind,
              outcome: s.ok ? ('sent' as const) : ('failed' as const),
              at: s.at,
            },
          ];
        });
      await insertMany(tx, reportAlerts, rows);
    },
  };
}

/**
 * Once a person has taken reports, their alert messages still waiting to be sent or retried
 * ("please acknowledge") are withdrawn: a text arriving hours later about a report someone already
 * has would send people looking for a crisis that is in hand, and teach them to ignore alerts.
 */
export async function withdrawAlerts(tx: Transaction, reportIds: readonly string[]): Promise<void> {
  if (reportIds.length === 0) return;
  await tx.execute(sql`
    update outbox set status = 'withdrawn', last_error = null
    where status in ('pending', 'failed') and source_type = ${alertSource}
      and split_part(source_id, ':', 1) = any(${sql.param([...reportIds])}::text[])`);
}

/**
 * Moves every report whose wait has run out to the next step of its chain. Runs on every server
 * every second; `FOR UPDATE SKIP LOCKED` lets several servers share the work without alerting twice.
 * The timers are rows, so they survive restarts: a server that was down catches up when it starts.
 */
export async function runDueEscalations(deps: Deps, now: Date, limit = 20): Promise<number> {
  const outbound: Outbound[] = [];
  const moved = await deps.db.system.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.status, 'received'), lte(reports.nextEscalationAt, now)))
      .orderBy(asc(reports.nextEscalationAt))
      .limit(limit)
      .for('update', { skipLocked: true });
    outbound.push(
      ...(await alertReports(
        deps,
        tx,
        due.map((report) => ({ ...report, escalationStep: report.escalationStep + 1 })),
        now,
      )),
    );
    return due.length;
  });
  await deliver(deps, outbound);
  return moved;
}
