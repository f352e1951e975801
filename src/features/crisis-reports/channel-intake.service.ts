import { and, eq, inArray } from 'drizzle-orm';
import { reports } from '../../data/reports.ts';
import { isDatabaseUnavailable, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { dropNul } from '../../platform/errors.ts';
import { enqueueMessage, type OutboxMessage } from '../../platform/outbox/outbox.ts';
import { sha256 } from '../../platform/secrets.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import { appendFromReporter } from './conversation.service.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import { channelAnswers, clip, findFollowUpCodes, guessLanguage, type InboundKind, normalizeAddress } from './inbound-channels.rules.ts';
import { channelOwner } from './inbound-channels.service.ts';
import { receiveReport } from './intake.service.ts';
import { conversationReference, replyAddressHash } from './store.service.ts';
import { heldMessage, holdUnrouted, resolveHeld } from './unrouted.service.ts';

export type ChannelMessage = {
  kind: InboundKind;
  /** The number or address it was sent to (SMS `To`, SMTP RCPT TO): the only thing that decides its district. */
  to: string;
  /** The sender: a carrier-verified number, or the SMTP envelope sender. */
  from: string;
  text: string;
  /** E-mail only: answer by e-mail (through the outbox). False when the sender's SPF check failed, so Haven sends no backscatter. */
  answerByEmail?: boolean;
};

export type ChannelOutcome = { outcome: 'received' | 'continued' | 'held'; language: 'en' | 'es'; answer: string };

const open = ['received', 'acknowledged'] as const;

/**
 * A text or e-mail, routed by the number or address it was sent to. It continues an open report
 * of that district (a text: the same sender's number, which the carrier vouches for; an e-mail:
 * only when it carries the report's follow-up code, since a From address is easily forged), or
 * becomes a new report there. Sent to a number or address no district owns, it is held for the
 * operator. When the database is down it is spooled with the address it was sent to and placed
 * by it on replay. Returns the answer (the SMS webhook's reply; e-mail answers go by the outbox).
 */
export async function receiveFromChannel(deps: Deps, message: ChannelMessage): Promise<ChannelOutcome> {
  const body = clip((dropNul(message.text) as string).trim(), 5000) || '(empty message)';
  const language = guessLanguage(body);
  const t = channelAnswers[language];
  const normalized = normalizeAddress(message.kind, message.to);
  const to = normalized.ok ? normalized.address : message.to.trim();
  const answerByEmail = message.kind === 'email' && message.answerByEmail !== false;
  let districtId: string | undefined;
  let databaseDown = false;
  try {
    districtId = await channelOwner(deps, message.kind, to);
  } catch (error) {
    if (!isDatabaseUnavailable(error)) throw error;
    databaseDown = true; // spooled below, with the address it was sent to
  }
  if (!districtId && !databaseDown) {
    await holdUnrouted(deps, { kind: message.kind, to, from: message.from, body, language, answerByEmail });
    return { outcome: 'held', language, answer: t.unrouted(message.kind) };
  }
  if (districtId) {
    const continued = await continueConversation(deps, districtId, message, body, language, answerByEmail);
    if (continued) return { outcome: 'continued', language, answer: t.appended };
  }
  const input: ReportInput = { description: body, category: 'other', urgency: 'routine', language };
  const received = await receiveReport(deps, message.kind, input, {
    replyAddress: message.from,
    inbound: { kind: message.kind, to },
    answerWith: answerByEmail ? (code) => emailAnswer(message.from, language, code, t.received(code)) : undefined,
  });
  return { outcome: 'received', language, answer: t.received(received.followUpCode) };
}

function emailAnswer(to: string, language: 'en' | 'es', code: string, text: string): OutboxMessage {
  const t = channelAnswers[language];
  return { kind: 'email', to, subject: t.subject(code), text: `${text}\n\n${t.replyHint}` };
}

/** Adds the message to an open report of the channel's district, if it continues one. Returns whether it did. */
async function continueConversation(
  deps: Deps,
  districtId: string,
  message: ChannelMessage,
  body: string,
  language: 'en' | 'es',
  answerByEmail: boolean,
): Promise<boolean> {
  const inDistrict = and(eq(reports.districtId, districtId), inArray(reports.status, [...open]));
  let code: string | null = null;
  let report: typeof reports.$inferSelect | undefined;
  if (message.kind === 'sms') {
    [report] = await deps.db.system
      .select()
      .from(reports)
      .where(and(inDistrict, eq(reports.channel, 'sms'), eq(reports.replyAddressHash, replyAddressHash(deps, message.from))));
  } else {
    const codes = findFollowUpCodes(message.text);
    if (codes.length > 0) {
      const hashes = new Map(codes.map((c) => [sha256(c), c]));
      [report] = await deps.db.system
        .select()
        .from(reports)
        .where(and(inDistrict, inArray(reports.followUpCodeHash, [...hashes.keys()])));
      code = report ? (hashes.get(report.followUpCodeHash) ?? null) : null;
      // A reply to the team's own e-mail carries the conversation's reference instead, and must
      // come from the report's own reply address.
      if (!report) {
        const fromSender = await deps.db.system
          .select()
          .from(reports)
          .where(and(inDistrict, eq(reports.channel, 'email'), eq(reports.replyAddressHash, replyAddressHash(deps, message.from))));
        report = fromSender.find((r) => codes.includes(conversationReference(deps, r.id)));
      }
    }
  }
  if (!report) return false;
  await appendFromReporter(deps, report, body);
  if (answerByEmail && code) {
    const answer = emailAnswer(message.from, language, code, channelAnswers[language].appended);
    await withTenant(deps.db.app, { districtId }, (tx) => enqueueMessage(deps, tx, { districtId, message: answer, purpose: 'report.channel_answer' }));
  }
  return true;
}

/**
 * `haven channel route <id> --district <slug>`: the operator sends a held message to the district
 * it was meant for. It becomes a report there like any other (alerting its team), the sender is
 * told it has reached a school team, with a follow-up code, and the held copy forgets the sender.
 */
export async function routeHeld(deps: Deps, id: string, districtSlug: string): Promise<{ reportId: string; districtSlug: string }> {
  const held = await heldMessage(deps, id);
  const district = await findDistrictBySlug(deps, districtSlug);
  const input: ReportInput = { description: held.body, category: 'other', urgency: 'routine', language: held.language, district: district.slug };
  const received = await receiveReport(deps, held.kind, input, held.from ? { replyAddress: held.from } : {});
  await deps.db.system.transaction(async (tx) => {
    if (!(await resolveHeld(deps, tx, id, { districtId: district.id, reportId: received.id }))) return;
    const t = channelAnswers[held.language];
    const text = t.nowRouted(received.followUpCode);
    if (held.from && held.answer) {
      const answer: OutboxMessage =
        held.kind === 'sms' ? { kind: 'sms', to: held.from, text } : emailAnswer(held.from, held.language, received.followUpCode, text);
      await enqueueMessage(deps, tx, { districtId: district.id, message: answer, purpose: 'report.channel_answer' });
    }
    await deps.audit.append(
      tx,
      district.id,
      { userId: null, label: 'system: command line' },
      { action: 'channel.message_routed', subjectType: 'report', subjectId: received.id, detail: { kind: held.kind, to: held.toAddress } },
    );
  });
  return { reportId: received.id, districtSlug: district.slug };
}
