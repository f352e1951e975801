import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { reportAlerts, reportMessages, reports } from '../../data/reports.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sendNow } from '../../platform/outbox/outbox.sender.ts';
import { enqueueMessage, type OutboxMessage } from '../../platform/outbox/outbox.ts';
import { sha256 } from '../../platform/secrets.ts';
import { channelAnswers } from './inbound-channels.rules.ts';
import { routeQueuedReport } from './intake.service.ts';
import { reportColumns } from './report-columns.ts';
import { normalizeFollowUpCode, reporterStatus } from './reports.rules.ts';
import { conversationReference, replyAddressHash } from './store.service.ts';

/**
 * The two-way conversation with a reporter who may stay anonymous: the team writes, the reporter
 * reads it with their follow-up code (or receives it by SMS or e-mail when they wrote that way),
 * and answers. Internal notes never leave the team.
 */
export async function sendMessage(deps: Deps, actor: Actor, id: string, body: string, direction: 'to_reporter' | 'internal_note') {
  const now = deps.clock.now();
  const outgoing = await withTenant(deps.db.app, actor, async (tx) => {
    const [report] = isUuid(id) ? await tx.select(reportColumns).from(reports).where(eq(reports.id, id)) : [];
    if (!report || !can(actor, 'report.act', { schoolId: report.schoolId })) throw notFound('That report');
    if (direction === 'to_reporter' && report.status === 'closed')
      throw badRequest('This report is closed; the reporter can no longer be reached through it.', {
        code: 'report_closed',
        es: 'Este reporte está cerrado; ya no es posible comunicarse con quien lo hizo a través de él.',
      });
    await tx
      .insert(reportMessages)
      .values({ id: deps.ids.uuid(), districtId: report.districtId, reportId: report.id, direction, body, authorUserId: actor.userId, at: now });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: `report.message.${direction}`, subjectType: 'report', subjectId: report.id });
    if (direction !== 'to_reporter' || !report.replyAddressEncrypted) return null;
    const address = deps.secrets.decrypt(report.replyAddressEncrypted);
    const message: OutboxMessage | null =
      report.channel === 'sms'
        ? { kind: 'sms', to: address, text: body }
        : report.channel === 'email'
          ? teamEmail(address, report.language === 'es' ? 'es' : 'en', conversationReference(deps, report.id), body)
          : null;
    // Stored with the message itself, so the reporter's answer is never lost to a provider that is down.
    return message ? enqueueMessage(deps, tx, { districtId: report.districtId, message, purpose: 'report.reply', sendAfterCommit: true }) : null;
  });
  // Someone may be waiting on the other end: sent now, in this request; the outbox retries a failure.
  if (outgoing) await sendNow(deps, [outgoing]);
}

/** The team's e-mail to a reporter: its reference in the subject, so the reporter's reply continues the report. */
function teamEmail(to: string, language: 'en' | 'es', reference: string, body: string): OutboxMessage {
  const t = channelAnswers[language];
  return { kind: 'email', to, subject: t.teamSubject(reference), text: `${body}\n\n${t.teamReplyHint}` };
}

async function reportByCode(deps: Deps, code: string) {
  const normalized = normalizeFollowUpCode(code);
  if (!normalized) return undefined;
  const hash = sha256(normalized);
  const find = () => deps.db.system.select().from(reports).where(eq(reports.followUpCodeHash, hash));
  const [report] = await find();
  if (report) return report;
  // Sent during a burst and still waiting in the intake queue: route it now and answer.
  return (await routeQueuedReport(deps, hash)) ? (await find())[0] : undefined;
}

const unknownCode = () => notFound('A report with that follow-up code');

/** What a reporter may see: a status and the messages between them and the team. */
export async function followUp(deps: Deps, code: string) {
  const report = await reportByCode(deps, code);
  if (!report) throw unknownCode();
  const messages = await deps.db.system
    .select({ direction: reportMessages.direction, body: reportMessages.body, at: reportMessages.at })
    .from(reportMessages)
    .where(and(eq(reportMessages.reportId, report.id), inArray(reportMessages.direction, ['from_reporter', 'to_reporter'])))
    .orderBy(asc(reportMessages.at));
  return { status: reporterStatus(report), receivedAt: report.receivedAt, language: report.language, messages };
}

/** The reporter adds information; the people handling the report are told at once. */
export async function addReporterMessage(deps: Deps, code: string, body: string) {
  const report = await reportByCode(deps, code);
  if (!report) throw unknownCode();
  if (report.status === 'closed')
    throw badRequest('This report is closed. If something new is happening, please make a new report.', {
      code: 'report_closed',
      es: 'Este reporte está cerrado. Si está pasando algo nuevo, haga un reporte nuevo.',
    });
  await appendFromReporter(deps, report, body);
}

/** An SMS or e-mail from an address with an open report continues that report's conversation. */
export async function findOpenConversation(deps: Deps, address: string) {
  const [report] = await deps.db.system
    .select()
    .from(reports)
    .where(and(eq(reports.replyAddressHash, replyAddressHash(deps, address)), inArray(reports.status, ['received', 'acknowledged'])));
  return report;
}

export async function appendFromReporter(deps: Deps, report: typeof reports.$inferSelect, body: string) {
  const now = deps.clock.now();
  await withTenant(deps.db.app, { districtId: report.districtId }, async (tx) => {
    await tx
      .insert(reportMessages)
      .values({ id: deps.ids.uuid(), districtId: report.districtId, reportId: report.id, direction: 'from_reporter', body, at: now });
    await deps.audit.append(
      tx,
      report.districtId,
      { userId: null, label: `reporter via ${report.channel}` },
      { action: 'report.message.from_reporter', subjectType: 'report', subjectId: report.id },
    );
    const alerted = await tx.selectDistinct({ userId: reportAlerts.userId }).from(reportAlerts).where(eq(reportAlerts.reportId, report.id));
    const userIds = [...new Set([...alerted.map((a) => a.userId), report.acknowledgedBy].filter((u): u is string => !!u))];
    await deps.live.publish(tx, { userIds, type: 'report.message', data: { reportId: report.id, at: now.toISOString() } });
  });
}
