import { remindDueTasks, taskReminderOutboxSources } from '../features/cases/reminders.service.ts';
import { alertOutboxSources, runDueEscalations } from '../features/crisis-reports/alerts.service.ts';
import { dutyReminderOutboxSources, remindReportingDuty } from '../features/crisis-reports/duty-reminders.service.ts';
import { drainIntake, onIntakeQueued, replaySpooledReports } from '../features/crisis-reports/intake.service.ts';
import { computeNeed } from '../features/leadership/capacity.service.ts';
import { countEquity } from '../features/leadership/equity-rollup.service.ts';
import { remindFundingDeadlines } from '../features/leadership/funding.service.ts';
import { remindPolicyReviews } from '../features/leadership/policies.service.ts';
import { refreshRollups } from '../features/leadership/rollups.service.ts';
import { measureFor } from '../features/leadership/self-assessment.service.ts';
import { remindLapsedTraining } from '../features/leadership/training.service.ts';
import { remindAgreementRenewals } from '../features/partners/partners.service.ts';
import { remindOverdueReviews } from '../features/plans/support.service.ts';
import { followThroughReferrals } from '../features/referrals/follow-through.service.ts';
import { runDueRosterSyncs } from '../features/roster/rest-sync.service.ts';
import { raisePendingImportAlerts } from '../features/screening/import.service.ts';
import { closeAbandonedScreens } from '../features/screening/screen.service.ts';
import { isDatabaseUnavailable } from '../platform/db/client.ts';
import type { Deps } from '../platform/deps.ts';
import { loggableError } from '../platform/errors.ts';
import { drainOutbox, purgeSettledOutbox, type SourceHandlers } from '../platform/outbox/outbox.sender.ts';
import { listenForQueuedReports } from './intake-wake.ts';

/** How long a wake-up waits for more queued reports before routing them together. */
const gatherMs = 5;

/**
 * What each feature does when a message sent for one of its rows settles: an alert's outcome on
 * its report, a reminder marked given only once it has gone (see outbox.sender.ts).
 */
export function outboxSources(deps: Deps): SourceHandlers {
  return { ...alertOutboxSources(deps), ...dutyReminderOutboxSources(deps), ...taskReminderOutboxSources };
}

/**
 * Background work every server does: move unacknowledged reports up their chain when their wait
 * runs out, replay reports spooled while the database was away, raise any screening alert an
 * import left behind, and send the outbox's mail and texts. Timers live in the database,
 * so a restart loses nothing; several servers share the work safely (SKIP LOCKED, idempotent replay).
 * The outbox is sent on a loop of its own: a mail server that answers slowly must never hold
 * back an escalation.
 */
export function startWorker(
  deps: Deps,
  options: {
    intervalMs?: number;
    log?: (message: string) => void;
    /** A worker in a process of its own listens here to be woken when a server queues reports. */
    listenUrl?: string;
  } = {},
) {
  const interval = options.intervalMs ?? 1000;
  const report = (error: unknown) => {
    if (!isDatabaseUnavailable(error)) options.log?.(`Background work failed and will be retried: ${loggableError(error).message}`);
  };
  let running = false;
  let sending = false;
  let purgedAt = 0;
  const sources = outboxSources(deps);
  let stopped = false;
  // A nightly roster sync can take a minute: it runs beside the tick, never holding up escalations.
  let rosterSyncs: Promise<unknown> | undefined;
  /** Routes the intake queue until it is empty, keeping escalations on time between batches. */
  const drain = oneLoop(
    async () => {
      // Queued reports are routed in batches, two at once (they lock different rows)...
      const routed = (await Promise.all([drainIntake(deps, { log: options.log }), drainIntake(deps, { log: options.log })])).reduce((sum, n) => sum + n, 0);
      // ...and escalations keep their time between batches, however long the queue is.
      while (!stopped && (await runDueEscalations(deps, deps.clock.now())) === 20) {}
      return routed > 0;
    },
    () => stopped,
  );
  /**
   * Life-safety reports queued in a burst are routed on a lane of their own, a few at a time, the
   * moment they are queued: in the main drain they would wait for the batches being routed now.
   */
  const rush = oneLoop(
    async () => (await drainIntake(deps, { lifeSafetyOnly: true, batch: 10, log: options.log })) > 0,
    () => stopped,
  );
  const tick = async () => {
    if (running || stopped) return;
    running = true;
    try {
      if (deps.reportSpool.pending() > 0) {
        const replayed = await replaySpooledReports(deps);
        if (replayed > 0) options.log?.(`Stored ${replayed} report(s) that had waited in the spool while the database was unreachable.`);
      }
      await drain.run();
      while (!stopped && (await runDueEscalations(deps, deps.clock.now())) === 20) {}
      // Imported screening results whose alert did not go out (a crash right after the import).
      await raisePendingImportAlerts(deps);
      // Student screens left part-way: scored on what was answered, unknown risk to the queue.
      await closeAbandonedScreens(deps);
      // Case tasks that came due, and mandatory reports past their deadline.
      await remindDueTasks(deps);
      // Staff who filed a concern of abuse, until the mandatory report is recorded.
      await remindReportingDuty(deps);
      // Support plans past their review date.
      await remindOverdueReviews(deps);
      // Partner agreements that end within 30 days.
      await remindAgreementRenewals(deps);
      // Referrals: partners who have not answered, no appointment, missed appointments.
      await followThroughReferrals(deps);
      // Funding sources with money at risk before a deadline.
      await remindFundingDeadlines(deps);
      // Training that has lapsed past its refresher interval.
      await remindLapsedTraining(deps);
      // Policies due for review within 30 days.
      await remindPolicyReviews(deps);
      // Each district's nightly roster sync, at its local time (started here, not awaited).
      rosterSyncs ??= runDueRosterSyncs(deps, { log: options.log })
        .catch(report)
        .finally(() => {
          rosterSyncs = undefined;
        });
      // Leadership figures that are expensive to compute: recomputed in the background.
      await refreshRollups(deps, {
        equity: (scope, timeZone) => countEquity(deps, scope, timeZone),
        self_assessment: (scope) => measureFor(deps, scope),
        capacity: (scope) => computeNeed(deps, scope),
      });
    } catch (error) {
      // The database may be away; the next tick tries again. Nothing is lost: timers are rows.
      // Anything else is a fault someone must see (the message only: never report text).
      report(error);
    } finally {
      running = false;
    }
  };
  /** Sends what is due in the outbox (and retries what failed, with backoff); one pass at a time. */
  const send = async () => {
    if (sending || stopped) return;
    sending = true;
    try {
      await drainOutbox(deps, { sources, log: options.log });
      // Once an hour, forget sent and withdrawn messages past their retention.
      if (deps.clock.now().getTime() - purgedAt > 3_600_000) {
        await purgeSettledOutbox(deps);
        purgedAt = deps.clock.now().getTime();
      }
    } catch (error) {
      report(error);
    } finally {
      sending = false;
    }
  };
  const timer = setInterval(() => {
    void tick();
    void send();
  }, interval);
  // A report queued during a burst is routed within milliseconds, not at the next tick; the short
  // wait lets a burst gather into batches (one transaction routes a hundred reports).
  let waking: NodeJS.Timeout | undefined;
  const wake = (lifeSafety: boolean) => {
    if (lifeSafety) rush.run().catch(report);
    waking ??= setTimeout(() => {
      waking = undefined;
      drain.run().catch(report);
    }, gatherMs);
  };
  const stopWaking = onIntakeQueued(deps, wake);
  const listener = options.listenUrl ? listenForQueuedReports(options.listenUrl, wake, { log: options.log }) : undefined;
  void listener?.start();
  void tick();
  void send();
  return {
    tick,
    send,
    async stop() {
      stopped = true;
      clearInterval(timer);
      stopWaking();
      await listener?.stop();
      clearTimeout(waking);
      while (running || drain.busy() || rush.busy() || sending) await new Promise((resolve) => setTimeout(resolve, 20));
      await rosterSyncs;
    },
  };
}

/**
 * One loop at a time over `pass`, which says whether it found work: the loop runs until a pass
 * finds none. Called while the loop runs, it makes the loop look once more rather than start a
 * second one (a report queued during a pass is not left for the next tick).
 */
function oneLoop(pass: () => Promise<boolean>, stopped: () => boolean) {
  let busy = false;
  let again = false;
  return {
    busy: () => busy,
    async run(): Promise<void> {
      if (busy || stopped()) {
        again = true;
        return;
      }
      busy = true;
      try {
        do again = false;
        while (!stopped() && ((await pass()) || again));
      } finally {
        busy = false;
      }
    },
  };
}
