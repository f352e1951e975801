import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { roleGrants, users } from '../accounts/accounts.tables.ts';
import { loadRoutingContext } from '../crisis-teams/crisis-teams.repository.ts';
import { type Member, recipientsAt } from '../crisis-teams/routing.rules.ts';
import { reportAlerts, reports } from './crisis-reports.tables.ts';
import { chain, nextEscalationAt } from './escalation.rules.ts';

type Report = typeof reports.$inferSelect;

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

/**
 * Alerts the people at the report's current step of the chain and schedules the next step.
 * Steps with nobody on them are passed at once, so a gap in the rota never stalls a report; at
 * the end, with nobody on district call, the district's administrators are alerted instead.
 * In-app alerts and the escalation timer are written in the caller's transaction; e-mail and SMS
 * are returned to be sent after commit.
 */
export async function alertCurrentStep(deps: Deps, tx: Transaction, report: Report, now: Date): Promise<Outbound[]> {
  const context = await loadRoutingContext(tx, report.districtId, report.schoolId, now);
  let step = report.escalationStep;
  let found = recipientsAt(step, context, now);
  while (found.members.length === 0 && step < chain.length - 1) {
    await tx
      .insert(reportAlerts)
      .values({ id: deps.ids.uuid(), districtId: report.districtId, reportId: report.id, step, channel: 'in_app', outcome: 'no_recipient', at: now });
    step += 1;
    found = recipientsAt(step, context, now);
  }
  let members: Member[] = found.members;
  if (members.length === 0) members = await districtAdministrators(tx, report.districtId);

  const where = context.schoolName ?? 'school not given';
  const urgencyLabel = report.urgency.replace('_', '-').toUpperCase();
  const link = `${deps.settings.publicUrl}/reports/${report.id}`;
  const outbound: Outbound[] = [];
  const userIds = [...new Set(members.map((m) => m.userId).filter((id): id is string => id !== null))];
  for (const member of members) {
    if (member.userId) {
      await tx.insert(reportAlerts).values({
        id: deps.ids.uuid(),
        districtId: report.districtId,
        reportId: report.id,
        step,
        memberId: member.id || null,
        userId: member.userId,
        channel: 'in_app',
        outcome: 'sent',
        at: now,
      });
    }
    // Messages name the urgency, category and school only: report text stays inside Haven.
    const text = `Haven: ${urgencyLabel} report (${report.category.replaceAll('_', ' ')}) at ${where}, waiting for a person to acknowledge it. Open: ${link}`;
    const base = { reportId: report.id, districtId: report.districtId, step, memberId: member.id || null, userId: member.userId };
    if (member.email) outbound.push({ ...base, channel: 'email', to: member.email, subject: `${urgencyLabel} report at ${where}: please acknowledge`, text });
    if (member.phone && report.urgency !== 'routine') outbound.push({ ...base, channel: 'sms', to: member.phone, subject: '', text });
    // Life-safety also rings the phone: a text can go unseen, a ringing phone rarely does.
    if (member.phone && report.urgency === 'life_safety') {
      outbound.push({
        ...base,
        channel: 'voice',
        to: member.phone,
        subject: '',
        text: `This is Haven. A life-safety report at ${where} is waiting for a person. Open Haven and acknowledge it now.`,
      });
    }
  }
  await deps.live.publish(tx, {
    userIds,
    type: 'report.alert',
    data: {
      reportId: report.id,
      urgency: report.urgency,
      category: report.category,
      school: where,
      step: chain[Math.min(step, chain.length - 1)],
      receivedAt: report.receivedAt.toISOString(),
    },
  });
  const due = nextEscalationAt({ urgency: report.urgency, step, from: now, settings: context.settings, timeZone: context.timeZone });
  await tx.update(reports).set({ escalationStep: step, nextEscalationAt: due }).where(eq(reports.id, report.id));
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
  for (const message of outbound) {
    let outcome: 'sent' | 'failed' = 'sent';
    try {
      if (message.channel === 'email') await deps.mailer.send({ to: message.to, subject: message.subject, text: message.text });
      else if (message.channel === 'voice') await deps.sms.call(message.to, message.text);
      else await deps.sms.send(message.to, message.text);
    } catch {
      outcome = 'failed';
    }
    // Recording the outcome must never undo what was already sent or stored.
    await deps.db.system
      .insert(reportAlerts)
      .values({
        id: deps.ids.uuid(),
        districtId: message.districtId,
        reportId: message.reportId,
        step: message.step,
        memberId: message.memberId,
        userId: message.userId,
        channel: message.channel,
        outcome,
        at: deps.clock.now(),
      })
      .catch(() => undefined);
  }
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
    for (const report of due) {
      const next = { ...report, escalationStep: report.escalationStep + 1 };
      outbound.push(...(await alertCurrentStep(deps, tx, next, now)));
    }
    return due.length;
  });
  await deliver(deps, outbound);
  return moved;
}
