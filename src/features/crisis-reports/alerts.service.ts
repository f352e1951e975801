import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import { insertMany } from '../../platform/db/bulk.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import type { LiveEvent } from '../../platform/notify/live.ts';
import { roleGrants, users } from '../accounts/accounts.tables.ts';
import { loadRoutingContext } from '../crisis-teams/crisis-teams.repository.ts';
import { type Member, recipientsAt } from '../crisis-teams/routing.rules.ts';
import { reportAlerts, reports } from './crisis-reports.tables.ts';
import { chain, escalatesAroundTheClock, nextEscalationAt, stepName, withinSchoolHours } from './escalation.rules.ts';

/** What alerting needs to know about a report. */
type Report = Pick<typeof reports.$inferSelect, 'id' | 'districtId' | 'schoolId' | 'urgency' | 'category' | 'escalationStep' | 'receivedAt' | 'safetyFlag'>;

/** A message to send once the transaction that decided it has committed. */
export type Outbound = {
  reportId: string;
  districtId: string;
  step: number;
  memberId: string | null;
  userId: string | null;
  channel: 'email' | 'sms' | 'voice';
  to: string;
  subject: string;
  text: string;
};

type Plan = { step: number; skipped: number[]; members: Member[]; due: Date; afterHours: boolean };

/** What an alert outside school hours adds for a report that speaks of suicide or a threat. */
export const afterHoursGuidance =
  'Outside school hours: if a student may be in danger now, call 911. Colorado Crisis Services (1-844-493-8255, or text TALK to 38255) answers day and night and can send a mobile crisis team.';

/**
 * Alerts the people at each report's current step of the chain and schedules the next step.
 * Steps with nobody on them are passed at once, so a gap in the rota never stalls a report; at
 * the end, with nobody on district call, the district's administrators are alerted instead.
 * In-app alerts, live events and the escalation timers are written in the caller's transaction,
 * a few statements for the whole batch (a hoax wave brings hundreds of reports a minute); e-mail
 * and SMS are returned to be sent after commit.
 */
export async function alertReports(deps: Deps, tx: Transaction, batch: readonly Report[], now: Date): Promise<Outbound[]> {
  const outbound: Outbound[] = [];
  const alertRows: (typeof reportAlerts.$inferInsert)[] = [];
  const events: LiveEvent[] = [];
  const timers: { id: string; step: number; due: Date }[] = [];
  // Reports at the same place, urgency and step go to the same people at the same time: decide once.
  const plans = new Map<string, Plan>();
  const admins = new Map<string, Member[]>();
  for (const report of batch) {
    const context = await loadRoutingContext(tx, report.districtId, report.schoolId, now);
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
      const to = { reportId: report.id, districtId: report.districtId, step, memberId: member.id || null, userId: member.userId };
      if (member.email) outbound.push({ ...to, channel: 'email', to: member.email, subject: `${urgencyLabel} report at ${where}: please acknowledge`, text });
      if (member.phone && (report.urgency !== 'routine' || report.safetyFlag)) outbound.push({ ...to, channel: 'sms', to: member.phone, subject: '', text });
      // Life-safety also rings the phone: a text can go unseen, a ringing phone rarely does.
      if (member.phone && report.urgency === 'life_safety') {
        outbound.push({
          ...to,
          channel: 'voice',
          to: member.phone,
          subject: '',
          text: `This is Haven. A life-safety report at ${where} is waiting for a person. Open Haven and acknowledge it now.`,
        });
      }
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
  return outbound;
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

/** Sends e-mail and SMS alerts after commit and records each outcome; a failure never blocks the rest. */
export async function deliver(deps: Deps, outbound: readonly Outbound[]): Promise<void> {
  if (outbound.length === 0) return;
  const outcomes: (typeof reportAlerts.$inferInsert)[] = [];
  const send = async (message: Outbound) => {
    let outcome: 'sent' | 'failed' = 'sent';
    try {
      if (message.channel === 'email') await deps.mailer.send({ to: message.to, subject: message.subject, text: message.text });
      else if (message.channel === 'voice') await deps.sms.call(message.to, message.text);
      else await deps.sms.send(message.to, message.text);
    } catch {
      outcome = 'failed';
    }
    const { reportId, districtId, step, memberId, userId, channel } = message;
    outcomes.push({ id: deps.ids.uuid(), districtId, reportId, step, memberId, userId, channel, outcome, at: deps.clock.now() });
  };
  // A few at a time: a burst must not open hundreds of SMTP connections at once.
  const queue = [...outbound];
  await Promise.all(
    Array.from({ length: Math.min(deliveryConcurrency, queue.length) }, async () => {
      for (let message = queue.shift(); message; message = queue.shift()) await send(message);
    }),
  );
  // Recording the outcomes must never undo what was already sent or stored.
  await insertMany(deps.db.system, reportAlerts, outcomes).catch(() => undefined);
}

const deliveryConcurrency = 8;

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
