import { and, asc, eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { inboundChannels } from '../../data/reports.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, HttpProblem, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage, type OutboxMessage } from '../../platform/outbox/outbox.ts';
import { type InboundKind, type InboundOrigin, kindOfAddress, normalizeAddress } from './inbound-channels.rules.ts';

/**
 * The numbers and addresses each district receives texts and e-mail on. A message is routed by
 * the one it was sent to, so each belongs to exactly one district (a unique index across all of
 * them); a district administrator manages their own, the platform operator any (command line).
 */

type AuditedBy = { userId: string | null; label: string };
export type InboundChannel = { id: string; kind: InboundKind; address: string; createdAt: Date };

const commandLine: AuditedBy = { userId: null, label: 'system: command line' };

function normalizedOrRefused(kind: InboundKind, raw: string): string {
  const result = normalizeAddress(kind, raw);
  if (!result.ok) throw badRequest(result.en, { es: result.es, code: 'channel.invalid_address' });
  return result.address;
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === '23505') return true;
  }
  return false;
}

/** The district that owns a number or address, or undefined: the one lookup that routes a message. */
export async function channelOwner(deps: Pick<Deps, 'db'>, kind: InboundKind, raw: string): Promise<string | undefined> {
  const normalized = normalizeAddress(kind, raw);
  if (!normalized.ok) return undefined;
  const [row] = await deps.db.system
    .select({ districtId: inboundChannels.districtId })
    .from(inboundChannels)
    .where(and(eq(inboundChannels.kind, kind), eq(inboundChannels.address, normalized.address)));
  return row?.districtId;
}

/**
 * Adds a channel inside `tx` (acting for `districtId`). Another district's number is refused
 * without naming that district: the unique index answers, so the district's own transaction
 * never reads another district's rows.
 */
async function insertChannel(deps: Deps, tx: Transaction, districtId: string, kind: InboundKind, address: string, by: AuditedBy): Promise<InboundChannel> {
  const [mine] = await tx
    .select({ id: inboundChannels.id })
    .from(inboundChannels)
    .where(and(eq(inboundChannels.districtId, districtId), eq(inboundChannels.kind, kind), eq(inboundChannels.address, address)));
  if (mine) {
    throw new HttpProblem(409, 'Conflict', `${address} is already set up for this district.`, {
      es: `${address} ya está configurado para este distrito.`,
      code: 'channel.already_yours',
    });
  }
  const row = { id: deps.ids.uuid(), districtId, kind, address, createdAt: deps.clock.now(), createdBy: by.userId };
  try {
    await tx.insert(inboundChannels).values(row);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new HttpProblem(409, 'Conflict', `This ${kind === 'sms' ? 'number' : 'address'} already belongs to another district.`, {
      es: kind === 'sms' ? 'Este número ya pertenece a otro distrito.' : 'Esta dirección ya pertenece a otro distrito.',
      code: 'channel.taken',
    });
  }
  await deps.audit.append(tx, districtId, by, { action: 'channel.added', subjectType: 'inbound_channel', subjectId: row.id, detail: { kind, address } });
  return { id: row.id, kind, address, createdAt: row.createdAt };
}

function requireConfigure(actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
}

/** The district's own numbers and addresses (district administrators). */
export async function listChannels(deps: Deps, actor: Actor): Promise<InboundChannel[]> {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, (tx) =>
    tx
      .select({ id: inboundChannels.id, kind: inboundChannels.kind, address: inboundChannels.address, createdAt: inboundChannels.createdAt })
      .from(inboundChannels)
      .orderBy(asc(inboundChannels.kind), asc(inboundChannels.address)),
  );
}

/** A district administrator adds a number or address; audited in the district's trail. */
export async function addChannel(deps: Deps, actor: Actor, input: { kind: InboundKind; address: string }): Promise<InboundChannel> {
  requireConfigure(actor);
  const address = normalizedOrRefused(input.kind, input.address);
  return withTenant(deps.db.app, actor, (tx) => insertChannel(deps, tx, actor.districtId, input.kind, address, auditActor(actor)));
}

/** A district administrator removes one of their numbers or addresses; later messages to it are held for the operator. */
export async function removeChannel(deps: Deps, actor: Actor, id: string): Promise<void> {
  requireConfigure(actor);
  await withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(id) ? await tx.delete(inboundChannels).where(eq(inboundChannels.id, id)).returning() : [];
    if (!row) throw notFound('That number or address');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'channel.removed',
      subjectType: 'inbound_channel',
      subjectId: row.id,
      detail: { kind: row.kind, address: row.address },
    });
  });
}

/** `haven channel add`: the operator gives a district a number or address. */
export async function addChannelForDistrict(deps: Deps, districtId: string, kind: InboundKind, raw: string, by: AuditedBy = commandLine) {
  const address = normalizedOrRefused(kind, raw);
  return deps.db.system.transaction((tx) => insertChannel(deps, tx, districtId, kind, address, by));
}

/** `haven channel list`: every channel with its district's slug, or one district's. */
export async function listAllChannels(deps: Pick<Deps, 'db'>, districtId?: string) {
  return deps.db.system
    .select({ kind: inboundChannels.kind, address: inboundChannels.address, district: districts.slug, createdAt: inboundChannels.createdAt })
    .from(inboundChannels)
    .innerJoin(districts, eq(districts.id, inboundChannels.districtId))
    .where(districtId ? eq(inboundChannels.districtId, districtId) : undefined)
    .orderBy(asc(districts.slug), asc(inboundChannels.kind), asc(inboundChannels.address));
}

/** `haven channel remove <address>`: audited in the district that owned it. */
export async function removeChannelByAddress(deps: Deps, raw: string, by: AuditedBy = commandLine) {
  const kind = kindOfAddress(raw);
  const address = normalizedOrRefused(kind, raw);
  return deps.db.system.transaction(async (tx) => {
    const [row] = await tx
      .delete(inboundChannels)
      .where(and(eq(inboundChannels.kind, kind), eq(inboundChannels.address, address)))
      .returning();
    if (!row)
      throw badRequest(`No district receives messages at ${address}. List them with \`haven channel list\`.`, {
        code: 'channel_unknown',
        es: `Ningún distrito recibe mensajes en ${address}. Vea la lista con \`haven channel list\`.`,
      });
    await deps.audit.append(tx, row.districtId, by, {
      action: 'channel.removed',
      subjectType: 'inbound_channel',
      subjectId: row.id,
      detail: { kind, address },
    });
    return { kind, address };
  });
}

/**
 * Puts the answers to stored channel reports (an e-mail with the follow-up code) in the outbox,
 * in the transaction that stores the reports: the answer leaves only once the report is stored,
 * whether at once, from the intake queue or from the spool.
 */
export async function enqueueInboundReplies(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  storedIds: readonly string[],
  batch: readonly { id: string; inbound?: InboundOrigin | undefined }[],
): Promise<void> {
  const replies = new Map(batch.flatMap((p) => (p.inbound?.reply ? [[p.id, p.inbound.reply] as const] : [])));
  for (const id of storedIds) {
    const reply = replies.get(id);
    if (!reply) continue;
    const message = JSON.parse(deps.secrets.decrypt(reply)) as OutboxMessage;
    await enqueueMessage(deps, tx, { districtId, message, purpose: 'report.channel_answer' });
  }
}
