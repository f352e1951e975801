import pg from 'pg';

/** The channel intake notifies when it queues reports (intake.service.ts, in the INSERT's own statement). */
export const intakeChannel = 'haven_intake';

/**
 * Wakes a worker in another process the moment a server queues reports, through PostgreSQL
 * LISTEN/NOTIFY: without it, a report queued on a server with no worker of its own would wait for
 * the worker's next tick. The notification is only a nudge; the queue rows are the record, and
 * the tick finds them even if a notification is lost. Listens again while the database is away.
 */
export function listenForQueuedReports(
  connectionString: string,
  wake: (lifeSafety: boolean) => void,
  options: { log?: (line: string) => void; retryMs?: number } = {},
) {
  const retryMs = options.retryMs ?? 1000;
  let client: pg.Client | undefined;
  let stopped = false;
  const retry = (reason: unknown) => {
    if (stopped) return;
    options.log?.(
      `worker: lost the intake wake-up connection (${reason instanceof Error ? reason.message : String(reason)}); listening again in ${retryMs} ms`,
    );
    setTimeout(() => connect().catch(retry), retryMs);
  };
  const connect = async () => {
    const next = new pg.Client({ connectionString, application_name: 'haven-worker-wake' });
    let lost = false;
    // The payload is the group's most urgent priority: 0 is life-safety.
    next.on('notification', (message) => wake(message.payload === '0'));
    next.on('error', (error) => {
      if (lost) return;
      lost = true;
      retry(error);
    });
    try {
      await next.connect();
      await next.query(`listen ${intakeChannel}`);
    } catch (error) {
      lost = true;
      await next.end().catch(() => undefined); // the attempt failed; nothing left to close cleanly
      throw error;
    }
    if (stopped) await next.end();
    else client = next;
    // Reports queued while this listener was away are found now, not at the next tick.
    wake(true);
  };
  return {
    /** Starts listening; a database still away is tried again every `retryMs`. */
    start: () => connect().catch(retry),
    async stop() {
      stopped = true;
      await client?.end().catch(() => undefined);
    },
  };
}
