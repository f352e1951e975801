import { and, desc, eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { rosterImports } from '../../data/roster.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import type { StoredSummary } from './roster.schema.ts';

/** The last twenty imports and syncs of the district, newest first, with counts only (district administrators). */
export async function listRosterImports(deps: Deps, actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('Roster imports');
  const rows = await withTenant(deps.db.app, actor, (tx) =>
    tx.select().from(rosterImports).where(eq(rosterImports.districtId, actor.districtId)).orderBy(desc(rosterImports.at)).limit(20),
  );
  return rows.map((row) => {
    // The rows themselves can be many thousands: they come one import at a time, below.
    const { rejected, warnings, error, ...counts } = row.summary as StoredSummary;
    return {
      id: row.id,
      at: row.at,
      source: row.source,
      format: row.format,
      by: row.byLabel,
      summary: counts,
      rejectedCount: Array.isArray(rejected) ? rejected.length : 0,
      warningCount: Array.isArray(warnings) ? warnings.length : 0,
      error: error ?? null,
    };
  });
}

/** One import or sync with every rejected row and warning. They name students' roster IDs, so the read is audited. */
export async function readRosterImport(deps: Deps, actor: Actor, importId: string) {
  if (!can(actor, 'district.configure', null) || !isUuid(importId)) throw notFound('That roster import');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [found] = await tx
      .select()
      .from(rosterImports)
      .where(and(eq(rosterImports.districtId, actor.districtId), eq(rosterImports.id, importId)));
    if (!found) throw notFound('That roster import');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'roster.import_read',
      subjectType: 'roster_import',
      subjectId: found.id,
      detail: {},
    });
    return { id: found.id, at: found.at, source: found.source, format: found.format, by: found.byLabel, summary: found.summary as StoredSummary };
  });
}
