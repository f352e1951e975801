import { outbox } from '../../data/outbox.ts';
import { insertMany } from '../db/bulk.ts';
import type { Transaction } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import type { Attachment } from '../mail/mailer.ts';
import { handoverMs } from './outbox.rules.ts';

/** What is sent: an e-mail, a text, or a spoken call. */
export type OutboxMessage =
  | { kind: 'email'; to: string; subject: string; text: string; attachments?: Attachment[] }
  | { kind: 'sms'; to: string; text: string }
  | { kind: 'voice'; to: string; text: string };

export type Enqueue = {
  /** The district the message is sent for; null only for the platform operator's messages. */
  districtId: string | null;
  message: OutboxMessage;
  /** What it is for, shown to administrators (e.g. `referral.invitation`); never personal data. */
  purpose: string;
  /** The row it is sent for, so that row is marked done only once the message has gone. */
  source?: { type: string; id: string };
  /**
   * Time-critical (a crisis alert, "keep the student with you", a reply to a reporter): the caller
   * sends it with `sendNow` right after its transaction commits, instead of waiting for the
   * worker's next pass. The worker takes it over only if that send never started.
   */
  sendAfterCommit?: boolean;
};

/**
 * Puts a message in the outbox, inside the caller's transaction: it is sent only if the event that
 * causes it commits, and it is not lost if the mail server or SMS provider is down (the worker
 * retries it). Returns the outbox row's id.
 */
export async function enqueueMessage(deps: Pick<Deps, 'ids' | 'clock' | 'secrets'>, tx: Transaction, item: Enqueue): Promise<string> {
  const [id] = await enqueueMessages(deps, tx, [item]);
  return id as string;
}

/**
 * Several messages in one statement (a burst of reports alerts hundreds of people in the
 * transaction that routes them). Returns the ids in the order given.
 */
export async function enqueueMessages(deps: Pick<Deps, 'ids' | 'clock' | 'secrets'>, tx: Transaction, items: readonly Enqueue[]): Promise<string[]> {
  if (items.length === 0) return [];
  const now = deps.clock.now();
  const rows = items.map((item) => ({
    id: deps.ids.uuid(),
    districtId: item.districtId,
    kind: item.message.kind,
    messageEncrypted: deps.secrets.encrypt(JSON.stringify(item.message)),
    purpose: item.purpose,
    sourceType: item.source?.type ?? null,
    sourceId: item.source?.id ?? null,
    status: 'pending' as const,
    attempts: 0,
    nextAttemptAt: item.sendAfterCommit ? new Date(now.getTime() + handoverMs) : now,
    createdAt: now,
  }));
  await insertMany(tx, outbox, rows);
  return rows.map((row) => row.id);
}
