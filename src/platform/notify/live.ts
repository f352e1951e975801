import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Transaction } from '../db/client.ts';

/** An in-app alert for some users, e.g. a new report at their step of the chain. */
export type LiveEvent = { userIds: string[]; type: string; data: Record<string, unknown> };
type Listener = (event: { type: string; data: Record<string, unknown> }) => void;

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

  const dispatch = (payload: string | undefined) => {
    if (!payload) return;
    const parsed = JSON.parse(payload) as LiveEvent | LiveEvent[];
    for (const event of Array.isArray(parsed) ? parsed : [parsed]) {
      for (const userId of event.userIds) {
        for (const listener of listeners.get(userId) ?? []) listener({ type: event.type, data: event.data });
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
      await tx.execute(sql`select pg_notify(${channel}, ${JSON.stringify(event)})`);
    },
    async publishMany(tx, events) {
      const payloads = packEvents(events);
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
