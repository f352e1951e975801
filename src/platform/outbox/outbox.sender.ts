import { type SQL, sql } from 'drizzle-orm';
import type { outboxKinds } from '../../data/outbox.ts';
import type { Transaction } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { afterFailure, leaseMs, sendTimeoutMs, shortError } from './outbox.rules.ts';
import type { OutboxMessage } from './outbox.ts';

/** How one attempt at a message sent for a source ended, as its source's handler hears it. */
export type Settled = {
  outboxId: string;
  districtId: string | null;
  sourceId: string;
  kind: (typeof outboxKinds)[number];
  ok: boolean;
  /** 1 for the first attempt. */
  attempt: number;
  /** True when no attempt follows: it was sent, or it was given up. */
  final: boolean;
  at: Date;
};

/**
 * What a feature does when messages sent for its rows settle, keyed by the outbox row's
 * `source_type`: e.g. mark a reminder sent. It runs in the transaction that records the outcome,
 * so a row is marked done exactly when its message is recorded as gone.
 */
export type SourceHandlers = Readonly<Record<string, (tx: Transaction, settled: readonly Settled[]) => Promise<void>>>;

export type SenderOptions = { sources?: SourceHandlers; log?: (message: string) => void };

type SenderDeps = Pick<Deps, 'db' | 'clock' | 'secrets' | 'mailer' | 'sms'>;

type Claimed = {
  id: string;
  district_id: string | null;
  kind: (typeof outboxKinds)[number];
  message_encrypted: string;
  purpose: string;
  source_type: string | null;
  source_id: string | null;
  attempts: number;
};

type Attempt = { row: Claimed; error: string | null; permanent: boolean };

/** Messages claimed and sent together; the worker loops over batches until none is due. */
const batchSize = 20;
/** Sends at once: a burst must not open hundreds of SMTP connections. */
const concurrency = 6;
/** Batches per pass at most, so a pass ends and the worker can stop or do other work. */
const batchesPerPass = 10;

/**
 * Sends every message that is due (worker). Several servers may run it at once: a message is
 * claimed with `FOR UPDATE SKIP LOCKED` and leased to one of them. Success marks it `sent` (and
 * forgets its text); a failure schedules the next attempt with backoff, and after the last it is
 * `failed`: logged without its content and listed for the district's administrators. Only this
 * pass gives a message up, so every failed message is logged. Returns how many were attempted.
 */
export async function drainOutbox(deps: SenderDeps, options: SenderOptions = {}): Promise<number> {
  let attempted = 0;
  for (let pass = 0; pass < batchesPerPass; pass++) {
    const now = deps.clock.now();
    const claimed = await claim(deps, sql`status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz`, batchSize);
    if (claimed.length === 0) break;
    await settle(deps, await sendAll(deps, claimed), { ...options, mayGiveUp: true });
    attempted += claimed.length;
    if (claimed.length < batchSize) break;
  }
  return attempted;
}

/**
 * Sends time-critical messages at once, right after the transaction that enqueued them
 * committed, in the request that caused them. Only messages never tried are taken, so the worker
 * and this never send one twice. A failure is left to the worker's retries. Never throws: the
 * messages are stored, and whatever this could not do the worker takes over. Returns each
 * message's outcome.
 */
export async function sendNow(deps: SenderDeps, ids: readonly string[], options: SenderOptions = {}): Promise<{ id: string; ok: boolean }[]> {
  const outcomes: { id: string; ok: boolean }[] = [];
  try {
    for (let start = 0; start < ids.length; start += batchSize * 2) {
      const chunk = ids.slice(start, start + batchSize * 2);
      // Found by key. `is true` keeps the planner off the (status, next_attempt_at) index: after a
      // burst its 'pending' range is full of entries for rows since sent, which only vacuum removes,
      // and walking them cost more than the whole send (issue 20).
      const claimed = await claim(deps, sql`id = any(${sql.param(chunk)}::uuid[]) and attempts = 0 and (status = 'pending') is true`, chunk.length);
      const attempts = await sendAll(deps, claimed);
      await settle(deps, attempts, { ...options, mayGiveUp: false });
      outcomes.push(...attempts.map((a) => ({ id: a.row.id, ok: a.error === null })));
    }
  } catch (error) {
    options.log?.(`Messages were stored but not sent at once; the worker will send them: ${shortError(error)}`);
  }
  return outcomes;
}

/**
 * Takes due messages for this server: counts the attempt and leases them, in one statement, so
 * a server that dies mid-send leaves them to another once the lease runs out. `which` picks
 * them, their status included.
 */
async function claim(deps: SenderDeps, which: SQL, limit: number): Promise<Claimed[]> {
  if (limit <= 0) return [];
  const until = new Date(deps.clock.now().getTime() + leaseMs);
  const { rows } = await deps.db.system.execute<Claimed>(sql`
    update outbox set attempts = attempts + 1, next_attempt_at = ${until.toISOString()}::timestamptz
    where id in (select id from outbox where ${which} order by next_attempt_at limit ${limit} for update skip locked)
    returning id, district_id, kind, message_encrypted, purpose, source_type, source_id, attempts`);
  return rows;
}

async function sendAll(deps: SenderDeps, claimed: readonly Claimed[]): Promise<Attempt[]> {
  const results: Attempt[] = [];
  const queue = [...claimed];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) results.push(await attempt(deps, row));
    }),
  );
  return results;
}

/** One attempt at one message. Errors are kept short and free of addresses (see `shortError`). */
async function attempt(deps: SenderDeps, row: Claimed): Promise<Attempt> {
  let message: OutboxMessage;
  try {
    message = JSON.parse(deps.secrets.decrypt(row.message_encrypted)) as OutboxMessage;
  } catch {
    return { row, error: 'The message could not be decrypted (was the server key changed?).', permanent: true };
  }
  if (message.kind !== 'email' && !deps.sms.configured) return { row, error: 'No SMS provider is configured.', permanent: true };
  try {
    await withTimeout(
      message.kind === 'email'
        ? deps.mailer.send({
            to: message.to,
            subject: message.subject,
            text: message.text,
            ...(message.attachments ? { attachments: message.attachments } : {}),
          })
        : message.kind === 'voice'
          ? deps.sms.call(message.to, message.text)
          : deps.sms.send(message.to, message.text),
    );
    return { row, error: null, permanent: false };
  } catch (error) {
    return { row, error: shortError(error), permanent: false };
  }
}

function withTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer within ${sendTimeoutMs / 1000} seconds`)), sendTimeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Records a batch's outcomes in one transaction, with what each source's feature does about
 * them. A message sent is marked `sent` and its text forgotten (it may name a student, and it is
 * no longer needed). `mayGiveUp` is false for the immediate send, which has no log: only the
 * worker gives a message up, and says so.
 */
async function settle(deps: SenderDeps, attempts: readonly Attempt[], options: SenderOptions & { mayGiveUp: boolean }): Promise<void> {
  if (attempts.length === 0) return;
  const now = deps.clock.now();
  const decided = attempts.map((a) => {
    if (a.error === null) return { ...a, status: 'sent' as const, next: now };
    if (!options.mayGiveUp) {
      // The immediate send never gives up; a message that can only fail goes to the worker at once.
      const after = a.permanent ? null : afterFailure(a.row.attempts, now);
      return { ...a, status: 'pending' as const, next: after?.status === 'pending' ? after.nextAttemptAt : now };
    }
    const after = afterFailure(a.row.attempts, now, { permanent: a.permanent });
    return after.status === 'pending' ? { ...a, status: 'pending' as const, next: after.nextAttemptAt } : { ...a, status: 'failed' as const, next: now };
  });
  await deps.db.system.transaction(async (tx) => {
    // A pending row, or a withdrawn one that was sent anyway. The test names t's status, so the
    // planner finds each row by key instead of walking the status index (see sendNow).
    await tx.execute(sql`
      update outbox set status = t.status, next_attempt_at = t.next, last_error = t.error,
        sent_at = case when t.status = 'sent' then ${now.toISOString()}::timestamptz else null end,
        message_encrypted = case when t.status = 'sent' then '' else outbox.message_encrypted end
      from unnest(${sql.param(decided.map((d) => d.row.id))}::uuid[], ${sql.param(decided.map((d) => d.status))}::text[],
                  ${sql.param(decided.map((d) => d.next.toISOString()))}::timestamptz[], ${sql.param(decided.map((d) => d.error))}::text[]) as t(id, status, next, error)
      where outbox.id = t.id and outbox.status = any(case when t.status = 'sent' then array['pending', 'withdrawn'] else array['pending'] end)`);
    const bySource = new Map<string, Settled[]>();
    for (const d of decided) {
      if (!d.row.source_type || !d.row.source_id) continue;
      const settled: Settled = {
        outboxId: d.row.id,
        districtId: d.row.district_id,
        sourceId: d.row.source_id,
        kind: d.row.kind,
        ok: d.status === 'sent',
        attempt: d.row.attempts,
        final: d.status !== 'pending',
        at: now,
      };
      bySource.set(d.row.source_type, [...(bySource.get(d.row.source_type) ?? []), settled]);
    }
    for (const [type, settled] of bySource) await options.sources?.[type]?.(tx, settled);
  });
  for (const d of decided)
    if (d.status === 'failed')
      options.log?.(`A ${d.row.kind} message (${d.row.purpose}, outbox ${d.row.id}) was given up after ${d.row.attempts} attempt(s): ${d.error}`);
}

/** How long a sent or withdrawn message's row is kept (its text is already gone), for "was it sent?". */
export const settledRetentionDays = 30;

/**
 * Forgets sent and withdrawn messages older than `settledRetentionDays`: their text was erased when
 * they settled, and what remains (purpose, kind, when) is only needed while someone may ask
 * whether it went. Failed and pending messages stay until they are sent or retried. A few
 * thousand rows at a time, so a first run on a large table never holds the outbox long.
 */
export async function purgeSettledOutbox(deps: Pick<SenderDeps, 'db' | 'clock'>, limit = 5000): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - settledRetentionDays * 86_400_000);
  const { rows } = await deps.db.system.execute<{ id: string }>(sql`
    delete from outbox where id in (
      select id from outbox where status in ('sent', 'withdrawn') and coalesce(sent_at, created_at) < ${before.toISOString()}::timestamptz limit ${limit})
    returning id`);
  return rows.length;
}
