import { eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { rosterSettings } from '../../data/roster.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import type { Source } from './oneroster-client.ts';
import { RosterSyncError } from './oneroster-client.ts';
import { sourceUrlProblem } from './rest-sync.rules.ts';
import type { RosterSettingsInput, RosterSettingsView } from './roster.schema.ts';

type Who = { userId: string | null; label: string };

/** The district has no OneRoster source: a sync cannot start (and there is nothing to list as failed). */
export class RosterSourceMissing extends RosterSyncError {}

function viewOf(row: typeof rosterSettings.$inferSelect | undefined, timeZone: string): RosterSettingsView {
  return {
    baseUrl: row?.restBaseUrl ?? null,
    tokenUrl: row?.restTokenUrl ?? null,
    clientId: row?.restClientId ?? null,
    clientSecretSet: Boolean(row?.restClientSecretEncrypted),
    version: row?.restVersion ?? null,
    syncTime: row?.syncTime ?? null,
    timeZone,
    extMapping: row?.extMapping ?? {},
    deltaFrom: row?.deltaFrom?.toISOString() ?? null,
    lastSync:
      row?.lastSyncAt && row.lastSyncOutcome ? { at: row.lastSyncAt.toISOString(), outcome: row.lastSyncOutcome, error: row.lastSyncError ?? null } : null,
  };
}

async function load(tx: Transaction, districtId: string) {
  const [row] = await tx.select().from(rosterSettings).where(eq(rosterSettings.districtId, districtId));
  const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
  return { row, timeZone: district?.timeZone ?? 'UTC' };
}

/** A district administrator reads the roster settings (the secret only as "set"). */
export async function rosterSettingsFor(deps: Deps, actor: Actor): Promise<RosterSettingsView> {
  if (!can(actor, 'district.configure', null)) throw notFound('Roster settings');
  return withTenant(deps.db.app, actor, async (tx) => {
    const { row, timeZone } = await load(tx, actor.districtId);
    return viewOf(row, timeZone);
  });
}

/** A district administrator changes the roster settings; see `saveRosterSettings`. */
export async function changeRosterSettings(deps: Deps, actor: Actor, change: RosterSettingsInput): Promise<RosterSettingsView> {
  if (!can(actor, 'district.configure', null)) throw notFound('Roster settings');
  return saveRosterSettings(deps, actor.districtId, change, auditActor(actor));
}

/**
 * Saves what is given and keeps the rest. A source is whole or absent: base URL, token URL,
 * client ID, secret and version together, each URL HTTPS. The secret is encrypted with the
 * server key before it is stored. Pointing the sync at another source or version makes the next
 * sync a full one, since a delta from the old source's dates would miss records. Audited, naming
 * the fields changed, never the secret. The command line calls this with a system actor.
 */
export async function saveRosterSettings(deps: Deps, districtId: string, change: RosterSettingsInput, by: Who): Promise<RosterSettingsView> {
  return withTenant(deps.db.app, { districtId }, async (tx) => {
    const { row, timeZone } = await load(tx, districtId);
    const removing = change.baseUrl === null;
    const secret = change.clientSecret?.trim() ? deps.secrets.encrypt(change.clientSecret.trim()) : undefined;
    const next = {
      restBaseUrl: removing ? null : change.baseUrl !== undefined ? change.baseUrl || null : (row?.restBaseUrl ?? null),
      restTokenUrl: removing ? null : change.tokenUrl !== undefined ? change.tokenUrl || null : (row?.restTokenUrl ?? null),
      restClientId: removing ? null : change.clientId !== undefined ? change.clientId || null : (row?.restClientId ?? null),
      restClientSecretEncrypted: removing ? null : (secret ?? row?.restClientSecretEncrypted ?? null),
      restVersion: removing ? null : change.version !== undefined ? change.version : (row?.restVersion ?? null),
      syncTime: removing ? null : change.syncTime !== undefined ? change.syncTime : (row?.syncTime ?? null),
      extMapping: change.extMapping ?? row?.extMapping ?? {},
    };
    const source = [next.restBaseUrl, next.restTokenUrl, next.restClientId, next.restClientSecretEncrypted, next.restVersion];
    if (source.some(Boolean) && !source.every(Boolean))
      throw badRequest('To sync from OneRoster, set the base URL, the token URL, the client ID, the client secret and the version together.');
    for (const [label, value] of [
      ['The base URL', next.restBaseUrl],
      ['The token URL', next.restTokenUrl],
    ] as const) {
      const problem = value ? sourceUrlProblem(label, value) : null;
      if (problem) throw badRequest(problem);
    }
    if (next.syncTime && !next.restBaseUrl) throw badRequest('A nightly time needs a OneRoster source to sync from; set the source first.');
    const sourceChanged = next.restBaseUrl !== (row?.restBaseUrl ?? null) || next.restVersion !== (row?.restVersion ?? null);
    const values = { ...next, ...(sourceChanged ? { deltaFrom: null } : {}), updatedAt: deps.clock.now() };
    const [saved] = await tx
      .insert(rosterSettings)
      .values({ districtId, ...values })
      .onConflictDoUpdate({ target: rosterSettings.districtId, set: values })
      .returning();
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter(
      (k) => JSON.stringify(next[k]) !== JSON.stringify(row?.[k] ?? (k === 'extMapping' ? {} : null)),
    );
    await deps.audit.append(tx, districtId, by, {
      action: 'roster.settings_changed',
      subjectType: 'district',
      subjectId: districtId,
      detail: { changed: changed.map((k) => (k === 'restClientSecretEncrypted' ? 'clientSecret' : k)), nextSyncFull: sourceChanged || !row?.deltaFrom },
    });
    return viewOf(saved, timeZone);
  });
}

/** The district's source with its secret decrypted, for the sync only; refused with a clear message when it is not set up. */
export async function sourceFor(deps: Deps, districtId: string) {
  const { row, timeZone } = await withTenant(deps.db.app, { districtId }, (tx) => load(tx, districtId));
  if (!row?.restBaseUrl || !row.restTokenUrl || !row.restClientId || !row.restClientSecretEncrypted || !row.restVersion)
    throw new RosterSourceMissing('Roster sync is not set up for this district: set the OneRoster base URL, token URL, client ID and secret first.');
  let clientSecret: string;
  try {
    clientSecret = deps.secrets.decrypt(row.restClientSecretEncrypted);
  } catch {
    // The server key changed since the secret was saved (HAVEN_SECRET_KEY, or a new data directory).
    throw new RosterSyncError(
      'The stored client secret cannot be read with this server’s key; enter the client secret again under District settings → Roster sync. Nothing was changed.',
    );
  }
  const source: Source = { baseUrl: row.restBaseUrl, tokenUrl: row.restTokenUrl, clientId: row.restClientId, clientSecret, version: row.restVersion };
  return { source, deltaFrom: row.deltaFrom, syncTime: row.syncTime, timeZone };
}
