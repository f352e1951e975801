import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { reportIntake } from '../../data/reports.ts';
import { isDatabaseUnavailable } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { loggableError } from '../../platform/errors.ts';
import type { OutboxMessage } from '../../platform/outbox/outbox.ts';
import { slot } from '../../platform/process-state.ts';
import { sha256 } from '../../platform/secrets.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import { resolvePlace } from './places.ts';
import { formatFollowUpCode } from './reports.rules.ts';
import { type PendingReport, storeReports } from './store.service.ts';
import { triage } from './triage.rules.ts';

export type { PendingReport } from './store.service.ts';

/** What the sender is told: `throttled` when it came over the per-address limit (stored all the same). */
export type Received = { id: string; followUpCode: string; spooled: boolean; throttled: boolean };

/**
 * Takes a report from any channel. The sender hears back only after the report is durably
 * stored: committed in PostgreSQL, or, when the database cannot be reached, fsynced to the spool
 * (replayed when it returns). Either way they get a follow-up code. Bad input is refused with a
 * 400 before anything is stored; nothing is ever half-stored. Volume never refuses a report: one
 * sent over the per-address limit is stored marked `throttled` (decision 26).
 */
export async function receiveReport(
  deps: Deps,
  channel: PendingReport['channel'],
  input: ReportInput,
  extras: Pick<PendingReport, 'replyAddress' | 'enteredByUserId' | 'enteredByLabel' | 'stateTipLineId' | 'throttled' | 'inbound'> & {
    /** A channel's e-mail answer, which needs the code: sealed into the pending report, so it is sent once the report is stored. */
    answerWith?: ((followUpCode: string) => OutboxMessage) | undefined;
  } = {},
): Promise<Received> {
  const followUpCode = formatFollowUpCode(randomBytes(8));
  const { answerWith, ...stored } = extras;
  const pending: PendingReport = {
    id: deps.ids.uuid(),
    followUpCodeHash: sha256(followUpCode),
    receivedAt: deps.clock.now().toISOString(),
    channel,
    input,
    ...stored,
  };
  if (pending.inbound && answerWith) pending.inbound = { ...pending.inbound, reply: deps.secrets.encrypt(JSON.stringify(answerWith(followUpCode))) };
  const throttled = extras.throttled === true;
  // Under a burst, a report is written to the intake queue (one row, many rows per INSERT when
  // they arrive together) and routed by the worker, life-safety first; otherwise it is routed at
  // once, so alerts leave before the answer does. A life-safety report is routed at once even in
  // a burst: in the queue it would wait for the batch being routed (a second or more).
  try {
    const state = deps.state.of(intake);
    const quiet = performance.now() - state.lastQueuedAt > burstQuietMs;
    const lifeSafety = priorityOf(pending) === priority.life_safety;
    if (deps.settings.routeInline !== false && state.inflight < maxInline && (quiet || lifeSafety)) {
      state.inflight += 1;
      const storing = storeReports(deps, [pending], { strict: true }).finally(() => {
        state.inflight -= 1;
      });
      await withDeadline(storing, storeDeadlineMs);
    } else {
      await resolvePlace(deps, input, true, pending.inbound); // refuse what a person can still fix
      state.lastQueuedAt = performance.now();
      state.queue ??= new IntakeQueue(deps.db.system.$client as pg.Pool);
      await withDeadline(state.queue.write(pending), storeDeadlineMs);
      state.events.emit('queued', lifeSafety);
    }
    return { id: pending.id, followUpCode, spooled: false, throttled };
  } catch (error) {
    if (!isDatabaseUnavailable(error) && !(error instanceof DeadlineExceeded)) throw error;
    // A store that is only slow may still commit; the replay then finds the same id and adds nothing.
    await deps.reportSpool.append(pending);
    return { id: pending.id, followUpCode, spooled: true, throttled };
  }
}

/**
 * Reports being routed right now in this process. Routing one report alone costs a dozen
 * statements; routed in a batch it costs a fraction of that. So a report is routed inline only
 * when few are and no burst is under way: from the first queued report until the queue has been
 * quiet for `burstQuietMs`, every report joins the queue.
 */
const maxInline = 4;
const burstQuietMs = 1000;

/** This Haven's intake state: kept in its `Deps`, so two Havens in one process never share it. */
type IntakeState = {
  inflight: number;
  lastQueuedAt: number;
  /** Tells this Haven's worker that the intake queue has rows. */
  events: EventEmitter;
  queue: IntakeQueue | undefined;
};
const intake = slot('intake', (): IntakeState => ({ inflight: 0, lastQueuedAt: Number.NEGATIVE_INFINITY, events: new EventEmitter(), queue: undefined }));

/** Calls `wake` whenever a report is queued during a burst (saying whether it is life-safety); returns how to stop listening. */
export function onIntakeQueued(deps: Pick<Deps, 'state'>, wake: (lifeSafety: boolean) => void): () => void {
  const { events } = deps.state.of(intake);
  events.on('queued', wake);
  return () => events.off('queued', wake);
}

const priority = { life_safety: 0, urgent: 1, routine: 2 } as const;

/**
 * Queues a group and, in the same statement (so at the same commit), nudges any `haven worker`
 * listening in another process (src/jobs/intake-wake.ts). The nudge carries the group's most
 * urgent priority, so a life-safety report is routed on its own lane at once.
 */
const insertIntake = `with queued as (insert into report_intake (id, received_at, priority, payload)
    select * from unnest($1::uuid[], $2::timestamptz[], $3::int[], $4::jsonb[]) returning priority)
  select pg_notify('haven_intake', min(priority)::text) from queued having count(*) > 0`;

/**
 * Group commit for the intake queue: reports that arrive while an INSERT is in flight go into the
 * next one together, so a burst costs one round trip and one WAL flush per group instead of per
 * report. Each sender is answered only after the INSERT holding their report has committed; when
 * it fails, every sender in it gets the error (and their report goes to the spool).
 */
class IntakeQueue {
  private waiting: { pending: PendingReport; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  constructor(private readonly pool: pg.Pool) {}

  write(pending: PendingReport): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ pending, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= maxConcurrentInserts || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, maxGroup);
    this.inFlight += 1;
    const rows = group.map(({ pending }) => pending);
    this.pool
      .query({
        name: 'haven_intake_insert',
        text: insertIntake,
        values: [rows.map((r) => r.id), rows.map((r) => r.receivedAt), rows.map((r) => priorityOf(r)), rows.map((r) => JSON.stringify(r))],
      })
      .then(
        () => {
          for (const waiter of group) waiter.resolve();
        },
        (error: unknown) => {
          for (const waiter of group) waiter.reject(error);
        },
      )
      .finally(() => {
        this.inFlight -= 1;
        this.flush();
      });
  }
}

const maxConcurrentInserts = 2;
const maxGroup = 500;
/** The order of routing, from triage at intake: 0 = life-safety, 1 = urgent, 2 = routine. */
function priorityOf(pending: PendingReport): number {
  const { input } = pending;
  return priority[triage({ category: input.category, urgencyReported: input.urgency, text: `${input.description} ${input.about ?? ''}` }).urgency];
}

/**
 * Routes queued reports, life-safety first, as one batch; with `lifeSafetyOnly`, only those (the
 * worker's own lane for them, so they never wait behind a batch of routine ones). They are stored
 * idempotently (by id) before their queue rows are deleted, so a crash in between routes them
 * again without a duplicate. Several servers share the queue (SKIP LOCKED). Returns how many were
 * routed.
 */
export async function drainIntake(deps: Deps, options: { batch?: number; lifeSafetyOnly?: boolean; log?: (message: string) => void } = {}): Promise<number> {
  return deps.db.system.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(reportIntake)
      .where(options.lifeSafetyOnly ? eq(reportIntake.priority, priority.life_safety) : undefined)
      .orderBy(asc(reportIntake.priority), asc(reportIntake.receivedAt))
      .limit(options.batch ?? 100)
      .for('update', { skipLocked: true });
    if (rows.length === 0) return 0;
    let routed = rows;
    const failures: unknown[] = [];
    try {
      await storeReports(
        deps,
        rows.map((r) => r.payload as PendingReport),
        { strict: false },
      );
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error;
      // One report the database refuses must not hold up the others: route them one by one. The
      // refused one stays queued (never dropped) and the error says how many are stuck.
      routed = [];
      for (const row of rows) {
        try {
          await storeReports(deps, [row.payload as PendingReport], { strict: false });
          routed.push(row);
        } catch (alone) {
          if (isDatabaseUnavailable(alone)) throw alone;
          failures.push(alone);
        }
      }
    }
    if (routed.length > 0)
      await tx.delete(reportIntake).where(
        inArray(
          reportIntake.id,
          routed.map((r) => r.id),
        ),
      );
    if (failures.length > 0) options.log?.(`${failures.length} queued report(s) could not be routed and stay queued: ${loggableError(failures[0]).message}`);
    return routed.length;
  });
}

/**
 * A reporter checking on a report still in the intake queue (a burst) should not be told the
 * code is unknown: that report is routed at once. Returns whether one was found.
 */
export async function routeQueuedReport(deps: Deps, followUpCodeHash: string): Promise<boolean> {
  return deps.db.system.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(reportIntake)
      .where(sql`${reportIntake.payload}->>'followUpCodeHash' = ${followUpCodeHash}`)
      .for('update', { skipLocked: true });
    const [row] = rows;
    if (!row) return false;
    await storeReports(deps, [row.payload as PendingReport], { strict: false });
    await tx.delete(reportIntake).where(inArray(reportIntake.id, [row.id]));
    return true;
  });
}

/** How long a sender waits for the database before their report goes to the spool instead. */
const storeDeadlineMs = 4000;

class DeadlineExceeded extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer from the database within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is handled by the spool replay
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Replays spooled reports once the database answers again. */
export async function replaySpooledReports(deps: Deps): Promise<number> {
  return deps.reportSpool.drain((record) => storeReports(deps, [record as PendingReport], { strict: false }));
}
