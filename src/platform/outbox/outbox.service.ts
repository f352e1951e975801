import { and, count, desc, eq, inArray } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { outbox } from '../../data/outbox.ts';
import { withTenant } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { HttpProblem, notFound } from '../errors.ts';
import { isUuid } from '../ids.ts';
import { maskRecipient } from './outbox.rules.ts';
import type { OutboxList } from './outbox.schema.ts';
import type { OutboxMessage } from './outbox.ts';

/** The most messages listed at once; the counts are always complete. */
const listLimit = 200;

/**
 * The district's messages still waiting to go and those given up, for its administrators (the
 * same people who configure the district): failed first, newest first. A counselor or anyone
 * else gets the same 404 as for something that does not exist.
 */
export async function listOutbox(deps: Pick<Deps, 'db' | 'secrets'>, actor: Actor): Promise<OutboxList> {
  if (!can(actor, 'district.configure', null)) throw notFound('The outbox');
  return withTenant(deps.db.app, actor, async (tx) => {
    const open = inArray(outbox.status, ['pending', 'failed']);
    const totals = await tx.select({ status: outbox.status, n: count() }).from(outbox).where(open).groupBy(outbox.status);
    const rows = await tx
      .select()
      .from(outbox)
      .where(open)
      .orderBy(desc(eq(outbox.status, 'failed')), desc(outbox.createdAt))
      .limit(listLimit);
    return {
      failed: totals.find((t) => t.status === 'failed')?.n ?? 0,
      pending: totals.find((t) => t.status === 'pending')?.n ?? 0,
      items: rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        purpose: row.purpose,
        status: row.status === 'failed' ? ('failed' as const) : ('pending' as const),
        attempts: row.attempts,
        lastError: row.lastError,
        recipient: recipientOf(deps, row.messageEncrypted),
        createdAt: row.createdAt.toISOString(),
        nextAttemptAt: row.status === 'failed' ? null : row.nextAttemptAt.toISOString(),
      })),
    };
  });
}

/** The masked recipient; a message that cannot be read (another server key) says so rather than failing the list. */
function recipientOf(deps: Pick<Deps, 'secrets'>, sealed: string): string {
  try {
    return maskRecipient((JSON.parse(deps.secrets.decrypt(sealed)) as OutboxMessage).to);
  } catch {
    return '•••';
  }
}

/**
 * An administrator sends a given-up message again (the address was fixed, the provider is back):
 * it starts a fresh round of attempts at once. Audited, without its content.
 */
export async function retryMessage(deps: Pick<Deps, 'db' | 'clock' | 'audit'>, actor: Actor, id: string) {
  if (!can(actor, 'district.configure', null)) throw notFound('That message');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(id)
      ? await tx.select({ status: outbox.status, purpose: outbox.purpose, kind: outbox.kind }).from(outbox).where(eq(outbox.id, id))
      : [];
    if (!row) throw notFound('That message');
    if (row.status !== 'failed')
      throw new HttpProblem(
        409,
        'Conflict',
        {
          sent: 'This message was already sent.',
          withdrawn: 'This message is no longer needed: a person already took the report it was about.',
          pending: 'This message has not been given up; Haven is still trying to send it.',
        }[row.status],
        {
          es: {
            sent: 'Este mensaje ya se envió.',
            withdrawn: 'Este mensaje ya no hace falta: una persona ya se encargó del reporte.',
            pending: 'Este mensaje no se ha dado por perdido; Haven sigue intentando enviarlo.',
          }[row.status],
        },
      );
    await tx
      .update(outbox)
      .set({ status: 'pending', attempts: 0, nextAttemptAt: deps.clock.now() })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'failed')));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'outbox.retried',
      subjectType: 'outbox_message',
      subjectId: id,
      detail: { purpose: row.purpose, kind: row.kind },
    });
    return { id, status: 'pending' as const };
  });
}
