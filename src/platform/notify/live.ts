import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Transaction } from '../db/client.ts';
import { type LiveMessage, liveEvent } from './live.schema.ts';

/** An in-app alert for some users, e.g. a new report at their step of the chain; its data is typed by its type (live.schema.ts). */
export type LiveEvent = { userIds: string[] } & LiveMessage;
type Listener = (event: LiveMessage) => void;

export type LiveAlerts = {
  /** Queues the event with the transaction: PostgreSQL delivers it only if the transaction commits. */
  publish(tx: Transaction, event: LiveEvent): Promise<void>;
  /** The same for many events in one statement (a batch of reports routed together). */
  publishMany(tx: Transaction, events: readonly LiveEvent[]): Promise<void>;
  subscribe(userId: string, listener: Listener): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
};

const channel = 'haven_live';
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; events are packed below that. */
const payloadLimit = 7000;

/**
 * The event as its schema shapes it (fields it does not name are dropped), or why it does not
 * match. A mismatch is a bug in the code that built the event; the browser would misread it.
 */
export function shapeLiveEvent(event: unknown): { event: LiveEvent } | { refused: string } {
  const userIds = typeof event === 'object' && event !== null && 'userIds' in event ? event.userIds : undefined;
  const checked = liveEvent.safeParse(event);
  if (!checked.success || !Array.isArray(userIds) || !userIds.every((u) => typeof u === 'string')) {
    const type = typeof event === 'object' && event !== null && 'type' in event ? String(event.type) : 'unknown';
    const why = checked.success
      ? 'userIds must be a list of user ids'
      : checked.error.issues.map((i) => `${i.path.join('.') || 'event'}: ${i.message}`).join('; ');
    return { refused: `live alerts: a ${type} event does not match its schema and was not sent (${why})` };
  }
  return { event: { userIds, ...checked.data } };
}

/** Packs events into as few JSON-array payloads as fit under the NOTIFY limit. */
export function packEvents(events: readonly LiveEvent[], limit = payloadLimit): string[] {
  const payloads: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    const bytes = Buffer.byteLength(json);
    if (current.length > 0 && size + bytes + 1 > limit) {
      payloads.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += bytes + 1;
  }
  if (current.length > 0) payloads.push(`[${current.join(',')}]`);
  return payloads;
}

/**
 * Live alerts over PostgreSQL LISTEN/NOTIFY, so every app server (there may be many) hears every
 * alert and passes it to the browsers connected to it (server-sent events). No alert is ever
 * only in memory: the durable record is the report and its alert rows; this is the fast path.
 */
export function createLiveAlerts(connectionString: string, options: { log?: (line: string) => void; retryMs?: number } = {}): LiveAlerts {
  const listeners = new Map<string, Set<Listener>>();
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | undefined;
  let stopped = false;

  /**
   * Only events that match their schema go out, shaped by it. One that does not is logged and
   * left out rather than thrown: it is published inside the transaction that records the report
   * and its alerts, and those (with their e-mails, texts and escalation) must not be lost over the
   * fast path. It is checked again as it arrives, since another app server may run other code.
   */
  const sendable = (events: readonly unknown[]): LiveEvent[] =>
    events.flatMap((event) => {
      const shaped = shapeLiveEvent(event);
      if ('refused' in shaped) {
        options.log?.(shaped.refused);
        return [];
      }
      return [shaped.event];
    });

  const dispatch = (payload: string | undefined) => {
    if (!payload) return;
    const parsed: unknown = JSON.parse(payload);
    for (const { userIds, ...event } of sendable(Array.isArray(parsed) ? parsed : [parsed])) {
      for (const userId of userIds) {
        for (const listener of listeners.get(userId) ?? []) listener(event as LiveMessage);
      }
    }
  };

  /**
   * Listens again after the connection is lost, and keeps trying while the database is away: a
   * listener that gave up after one failed attempt would leave every open app without live
   * alerts until a restart (the alerts themselves are durable rows, but nobody would hear them).
   */
  const reconnect = (reason: unknown) => {
    if (stopped) return;
    options.log?.(`live alerts: connection lost (${reason instanceof Error ? reason.message : String(reason)}); listening again in ${retryMs} ms`);
    setTimeout(() => connect().catch(reconnect), retryMs);
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString, application_name: 'haven-live' });
    let lost = false;
    next.on('notification', (message) => dispatch(message.payload));
    next.on('error', (error) => {
      if (lost) return;
      lost = true;
      reconnect(error);
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
    } catch (error) {
      lost = true;
      await next.end().catch(() => undefined); // the attempt failed; nothing left to close cleanly
      throw error;
    }
    if (stopped) {
      await next.end();
      return;
    }
    client = next;
  };

  return {
    async publish(tx, event) {
      const [shaped] = sendable([event]);
      if (shaped) await tx.execute(sql`select pg_notify(${channel}, ${JSON.stringify(shaped)})`);
    },
    async publishMany(tx, events) {
      const payloads = packEvents(sendable(events));
      if (payloads.length === 0) return;
      await tx.execute(sql`select pg_notify(${channel}, payload) from unnest(${sql.param(payloads)}::text[]) as payload`);
    },
    subscribe(userId, listener) {
      const set = listeners.get(userId) ?? new Set();
      set.add(listener);
      listeners.set(userId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(userId);
      };
    },
    start: connect,
    async stop() {
      stopped = true;
      await client?.end().catch(() => undefined);
    },
  };
}
