import { and, asc, eq, isNull } from 'drizzle-orm';
import { unroutedMessages } from '../../data/reports.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { channelAnswers, clip, type InboundKind, type InboundOrigin } from './inbound-channels.rules.ts';
import { channelOwner } from './inbound-channels.service.ts';

/**
 * Texts and e-mails sent to a number or address no district owns. Haven never guesses the
 * district: it stores the message (sender encrypted), answers the sender with 911 and 988, tells
 * the platform operator (without the message or the sender) and holds it until the operator
 * routes it (`haven channel route`) or closes it (`haven channel close`).
 */

export type Unrouted = {
  /** Reused from the pending report when one is held at replay, so a second replay adds nothing. */
  id?: string;
  kind: InboundKind;
  to: string;
  from: string;
  body: string;
  language: 'en' | 'es';
  /** Answer an e-mail sender through the outbox (withheld when SPF failed). A text is answered in the webhook's reply. */
  answerByEmail: boolean;
};

/** Stores a message to an unknown number or address, answers and tells the operator, in one transaction. Returns its id. */
export async function holdUnrouted(deps: Deps, message: Unrouted): Promise<string> {
  const id = message.id ?? deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    const inserted = await tx
      .insert(unroutedMessages)
      .values({
        id,
        kind: message.kind,
        toAddress: clip(message.to, 254),
        fromEncrypted: deps.secrets.encrypt(JSON.stringify({ address: message.from, answer: message.kind === 'sms' || message.answerByEmail })),
        body: clip(message.body, 5000),
        language: message.language,
        receivedAt: deps.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: unroutedMessages.id });
    if (inserted.length === 0) return; // held already (a replay after a crash)
    if (message.answerByEmail && message.kind === 'email') {
      const t = channelAnswers[message.language];
      await enqueueMessage(deps, tx, {
        districtId: null,
        message: { kind: 'email', to: message.from, subject: t.unroutedSubject, text: t.unrouted('email') },
        purpose: 'channel.unrouted_answer',
      });
    }
    await tellOperator(deps, tx, id, message.kind, message.to);
  });
  return id;
}

/** The operator's notice names the number or address and what to do, never the message or its sender. */
async function tellOperator(deps: Deps, tx: Transaction, id: string, kind: InboundKind, to: string) {
  const operator = deps.settings.operatorEmail;
  if (!operator) return;
  const what = kind === 'sms' ? 'A text message' : 'An e-mail';
  const address = to || '(no number given)';
  await enqueueMessage(deps, tx, {
    districtId: null,
    message: {
      kind: 'email',
      to: operator,
      subject: `Haven: a message to ${address}, which no district owns, is waiting`,
      text: [
        `${what} sent to ${address} arrived at ${deps.clock.now().toISOString()}. No district receives messages there, so Haven answered the sender (with 911 and 988) and is holding it for you.`,
        '',
        `See it:            npx haven channel held`,
        `Send it on:        npx haven channel route ${id} --district <slug>`,
        `Or close it:       npx haven channel close ${id} --note "why"`,
        `If ${address} should belong to a district: npx haven channel add ${kind} ${address} --district <slug>`,
      ].join('\n'),
    },
    purpose: 'channel.unrouted_notice',
  });
}

/**
 * Channel reports whose number or address no district owns (any more) are held instead of
 * placed: a report spooled while the database was down is placed by the address it was sent
 * to when it is replayed, or held, never given to the oldest district. Returns the others.
 */
export async function holdUnownedChannelReports<
  T extends { id: string; inbound?: InboundOrigin | undefined; replyAddress?: string | undefined; input: { description: string; language: 'en' | 'es' } },
>(deps: Deps, batch: readonly T[]): Promise<T[]> {
  const placeable: T[] = [];
  for (const pending of batch) {
    const inbound = pending.inbound;
    if (!inbound || (await channelOwner(deps, inbound.kind, inbound.to))) {
      placeable.push(pending);
      continue;
    }
    await holdUnrouted(deps, {
      id: pending.id,
      kind: inbound.kind,
      to: inbound.to,
      from: pending.replyAddress ?? '',
      body: pending.input.description,
      language: pending.input.language,
      answerByEmail: Boolean(inbound.reply),
    });
  }
  return placeable;
}

/** `haven channel held`: messages waiting for the operator, oldest first. */
export async function listHeld(deps: Pick<Deps, 'db'>) {
  return deps.db.system
    .select({
      id: unroutedMessages.id,
      kind: unroutedMessages.kind,
      to: unroutedMessages.toAddress,
      body: unroutedMessages.body,
      language: unroutedMessages.language,
      receivedAt: unroutedMessages.receivedAt,
    })
    .from(unroutedMessages)
    .where(isNull(unroutedMessages.resolvedAt))
    .orderBy(asc(unroutedMessages.receivedAt));
}

/**
 * A held message, with its sender decrypted, for routing it; refused when unknown or already
 * resolved. The sealed sender also says whether Haven may answer it (not an e-mail that failed SPF).
 */
export async function heldMessage(deps: Pick<Deps, 'db' | 'secrets'>, id: string) {
  const [row] = isUuid(id) ? await deps.db.system.select().from(unroutedMessages).where(eq(unroutedMessages.id, id)) : [];
  if (!row)
    throw badRequest(`No held message has the id ${id}. List them with \`haven channel held\`.`, {
      code: 'held_message_unknown',
      es: `Ningún mensaje retenido tiene el id ${id}. Vea la lista con \`haven channel held\`.`,
    });
  if (row.resolvedAt)
    throw badRequest(`The message ${id} was already ${row.reportId ? 'routed to a district' : 'closed'}.`, {
      code: 'held_message_resolved',
      es: `El mensaje ${id} ya ${row.reportId ? 'se envió a un distrito' : 'se cerró'}.`,
    });
  const sender = JSON.parse(deps.secrets.decrypt(row.fromEncrypted)) as { address: string; answer: boolean };
  return { ...row, from: sender.address, answer: sender.answer, language: row.language === 'es' ? ('es' as const) : ('en' as const) };
}

/**
 * Marks a held message resolved (routed to a report, or closed with a note) and forgets its
 * sender: the report keeps its own encrypted copy while it is open. Only an unresolved message
 * is changed, so two operators cannot both route it.
 */
export async function resolveHeld(
  deps: Pick<Deps, 'db' | 'clock'>,
  tx: Transaction | undefined,
  id: string,
  outcome: { districtId: string; reportId: string } | { note: string },
): Promise<boolean> {
  const db = tx ?? deps.db.system;
  const rows = await db
    .update(unroutedMessages)
    .set({
      resolvedAt: deps.clock.now(),
      fromEncrypted: '',
      ...('note' in outcome ? { resolvedNote: outcome.note } : { routedToDistrictId: outcome.districtId, reportId: outcome.reportId }),
    })
    .where(and(eq(unroutedMessages.id, id), isNull(unroutedMessages.resolvedAt)))
    .returning({ id: unroutedMessages.id });
  return rows.length === 1;
}

/** `haven channel close <id> --note`: the operator decides a held message needs no district (spam, a test). */
export async function closeHeld(deps: Deps, id: string, note: string) {
  if (!note.trim())
    throw badRequest('Say why the message is closed, with --note "..."', {
      code: 'close_note_required',
      es: 'Indique por qué se cierra el mensaje, con --note "..."',
    });
  await heldMessage(deps, id);
  if (!(await resolveHeld(deps, undefined, id, { note: clip(note.trim(), 2000) })))
    throw badRequest(`The message ${id} was already resolved.`, { code: 'held_message_resolved', es: `El mensaje ${id} ya se resolvió.` });
}
