import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { districts } from '../../data/districts.ts';
import { rosterSettings } from '../../data/roster.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { HttpProblem, loggableError } from '../../platform/errors.ts';
import { enqueueMessages } from '../../platform/outbox/outbox.ts';
import { districtAdminEmails } from '../accounts/index.ts';
import { CollectionUnavailable, connect, RosterSyncError, type Source } from './oneroster-client.ts';
import type { Finding } from './oneroster-files.rules.ts';
import {
  type Collection,
  collections,
  collectionUrl,
  deltaFilter,
  nightlyDue,
  requiredCollections,
  restFinding,
  rowsFromObjects,
  syncModes,
  usersToFetch,
} from './rest-sync.rules.ts';
import { applyOneRoster, type RosterRead, recordFailedImport } from './roster.service.ts';
import type { RosterSummary } from './roster-apply.service.ts';
import { RosterSourceMissing, sourceFor } from './roster-settings.service.ts';

export { RosterSyncError } from './oneroster-client.ts';

/** Objects per page. OneRoster servers default to 100; most accept 1,000, and a server that answers fewer is still read whole (X-Total-Count). */
const defaultPageSize = 1000;
/** A delta names a few users it does not carry (a guardian, a demographic's student); more than this and the next full sync brings them. */
const maxUsersByIdPerDelta = 5000;

/**
 * Reads the roster from the source: every collection whole on the first sync, then only what
 * changed since `deltaFrom`. Orgs are always read whole (students are placed by them; schools are
 * never deactivated). A collection the source does not offer beyond orgs and users is left out with
 * a warning. The result has the same shape as a CSV export's, for the same rules.
 */
export async function readRosterSource(source: Source, options: { deltaFrom: Date | null; pageSize?: number }): Promise<RosterRead> {
  const client = await connect(source);
  const full = options.deltaFrom === null;
  const objects: Partial<Record<Collection, unknown[]>> = {};
  const warnings: Finding[] = [];
  for (const collection of collections) {
    const url = collectionUrl(source.baseUrl, source.version, collection);
    const filter = full || collection === 'orgs' ? undefined : deltaFilter(options.deltaFrom as Date);
    try {
      objects[collection] = await client.readAll(url, collection, { pageSize: options.pageSize ?? defaultPageSize, filter });
    } catch (error) {
      if (!(error instanceof CollectionUnavailable)) throw error;
      if (requiredCollections.includes(collection))
        throw new RosterSyncError(
          `GET ${error.path} answered HTTP ${error.status}: check the base URL and that the source speaks OneRoster ${source.version}. Nothing was changed.`,
        );
      warnings.push({ file: collection, line: 0, reason: `the source does not offer ${collection} to Haven (HTTP ${error.status}); they were not read` });
    }
  }
  let rows = Object.assign({}, ...Object.entries(objects).map(([c, list]) => rowsFromObjects(c as Collection, list)));
  if (!full) {
    const wanted = usersToFetch(rows);
    const usersUrl = collectionUrl(source.baseUrl, source.version, 'users');
    const found = await inParallel(wanted.slice(0, maxUsersByIdPerDelta), 8, (id) =>
      client.readOne(`${usersUrl}/${encodeURIComponent(id)}`, 'user', '/users/{sourcedId}'),
    );
    if (wanted.length > maxUsersByIdPerDelta)
      warnings.push({ file: 'users', line: 0, reason: `${wanted.length - maxUsersByIdPerDelta} linked users were not read; the next full sync brings them` });
    const users = [...(objects.users ?? []), ...found.filter((u) => u !== null)];
    rows = { ...rows, ...rowsFromObjects('users', users) };
  }
  // A full sync is the whole roster: a source answering no users at all (a wrong tenant, an empty
  // test instance) must not make every student inactive. An empty optional collection is read as
  // absent for the same reason.
  if (full && (objects.users?.length ?? 0) === 0)
    throw new RosterSyncError(
      'The source answered no users at all, so Haven did not read it as the whole roster (that would make every student inactive). Nothing was changed.',
    );
  const present = collections.filter((c) => objects[c] !== undefined && (requiredCollections.includes(c) || (objects[c]?.length ?? 0) > 0));
  return { version: source.version, modes: syncModes(full, present), rows, warnings, rejected: [] };
}

async function inParallel<T, R>(items: readonly T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await work(items[i] as T);
      }
    }),
  );
  return out;
}

/** `full`: read everything as a first sync would (students the source leaves out become inactive). */
export type SyncOptions = { dryRun: boolean; by: string; nightly?: boolean; full?: boolean; pageSize?: number };

/**
 * Syncs a district's roster from its OneRoster REST source and applies it exactly as a CSV import
 * is applied. A kept sync moves the delta point to its own start, in the transaction that applies
 * it. A sync that fails changes no roster row; unless it was a dry run it is listed in the history
 * with why, and a nightly one e-mails the district administrators in that same transaction (so the
 * failure is never recorded without the e-mail, or the e-mail sent for a failure not recorded).
 */
export async function syncRoster(deps: Deps, districtId: string, options: SyncOptions): Promise<RosterSummary> {
  const started = deps.clock.now();
  let format = 'oneroster REST';
  let syncTime: string | null = null;
  try {
    const found = await sourceFor(deps, districtId);
    const { source, deltaFrom } = found;
    syncTime = found.syncTime;
    format = `oneroster ${source.version} REST`;
    const read = await readRosterSource(source, { deltaFrom: options.full ? null : deltaFrom, pageSize: options.pageSize });
    return await applyOneRoster(deps, districtId, read, {
      dryRun: options.dryRun,
      source: 'rest sync',
      by: options.by,
      format,
      findingAs: restFinding,
      alsoInTransaction: async (tx) => {
        await tx
          .update(rosterSettings)
          .set({ deltaFrom: started, lastSyncAt: started, lastSyncOutcome: 'succeeded', lastSyncError: null })
          .where(eq(rosterSettings.districtId, districtId));
      },
    });
  } catch (error) {
    if (options.dryRun || error instanceof RosterSourceMissing) throw error;
    const known = error instanceof RosterSyncError || error instanceof HttpProblem;
    const message = known
      ? error instanceof HttpProblem
        ? error.detail
        : error.message
      : 'Haven could not finish the sync (an unexpected error; the server log has the details). Nothing was changed.';
    await recordFailedImport(deps, districtId, { source: 'rest sync', format, by: options.by, error: message }, async (tx) => {
      await tx
        .update(rosterSettings)
        .set({ lastSyncAt: started, lastSyncOutcome: 'failed', lastSyncError: message })
        .where(eq(rosterSettings.districtId, districtId));
      if (options.nightly) await emailFailure(deps, tx, districtId, message, syncTime);
    });
    throw error;
  }
}

/** The district administrators hear of a failed nightly sync: what went wrong, and where to fix it. No student data. */
async function emailFailure(deps: Deps, tx: Transaction, districtId: string, message: string, syncTime: string | null) {
  const [district] = await tx.select({ name: districts.name }).from(districts).where(eq(districts.id, districtId));
  const admins = await districtAdminEmails(deps.db.system, districtId);
  await enqueueMessages(
    deps,
    tx,
    admins.map((to) => ({
      districtId,
      purpose: 'roster.sync_failed',
      message: {
        kind: 'email' as const,
        to,
        subject: "Haven: last night's roster sync failed",
        text: [
          `The nightly OneRoster sync for ${district?.name ?? 'your district'} did not finish, so Haven's roster was not changed:`,
          '',
          message,
          '',
          `Check the source under District settings → Roster sync, where you can also sync now: ${deps.settings.publicUrl}/district`,
          syncTime ? `Otherwise Haven tries again tomorrow at ${syncTime}.` : '',
        ].join('\n'),
      },
    })),
  );
}

/**
 * The worker's nightly pass: every district whose sync time has come (in its own time zone) and
 * has not synced since. One server claims a district's night by moving its last-sync time in one
 * statement, so several servers never run the same sync twice. A failure is listed and e-mailed by
 * `syncRoster`; here it is only logged (the message names no student).
 */
export async function runDueRosterSyncs(deps: Deps, options: { log?: (message: string) => void } = {}): Promise<number> {
  const now = deps.clock.now();
  const candidates = await deps.db.system
    .select({
      districtId: rosterSettings.districtId,
      syncTime: rosterSettings.syncTime,
      lastSyncAt: rosterSettings.lastSyncAt,
      updatedAt: rosterSettings.updatedAt,
      timeZone: districts.timeZone,
    })
    .from(rosterSettings)
    .innerJoin(districts, eq(districts.id, rosterSettings.districtId))
    .where(and(isNotNull(rosterSettings.syncTime), isNotNull(rosterSettings.restBaseUrl)));
  let ran = 0;
  for (const c of candidates) {
    const due = nightlyDue({ syncTime: c.syncTime, timeZone: c.timeZone, lastSyncAt: c.lastSyncAt, settingsSavedAt: c.updatedAt, now });
    if (!due) continue;
    const claimed = await deps.db.system
      .update(rosterSettings)
      .set({ lastSyncAt: now })
      .where(and(eq(rosterSettings.districtId, c.districtId), or(isNull(rosterSettings.lastSyncAt), lt(rosterSettings.lastSyncAt, due))))
      .returning({ districtId: rosterSettings.districtId });
    if (claimed.length === 0) continue;
    ran += 1;
    try {
      await syncRoster(deps, c.districtId, { dryRun: false, by: 'system: nightly roster sync', nightly: true });
    } catch (error) {
      options.log?.(`The nightly roster sync of district ${c.districtId} failed: ${loggableError(error).message}`);
    }
  }
  return ran;
}
