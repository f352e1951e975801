import { and, eq } from 'drizzle-orm';
import { districts } from '../../data/districts.ts';
import { dashboardRollups } from '../../data/leadership.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';

type Kind = 'equity' | 'self_assessment' | 'capacity';
type Scope = { districtId: string; userId: string | null };

/** Rollups older than this are recomputed by the worker; a leader can refresh sooner. */
export const rollupMaxAgeMs = 10 * 60_000;

/**
 * A dashboard's figures from the rollup table: computed once (in the background, or on the first
 * view after a refresh) so that reading them is instant however large the district. The
 * dashboard says when they were computed. A payload stored in an older shape (`isCurrent` says
 * no) is recomputed at once rather than read wrongly until the worker's next pass.
 */
export async function rollup<T>(
  deps: Deps,
  scope: Scope,
  kind: Kind,
  compute: () => Promise<T>,
  isCurrent: (stored: unknown) => boolean = () => true,
): Promise<{ computedAt: Date; payload: T }> {
  const [row] = await withTenant(deps.db.app, scope, (tx) =>
    tx
      .select()
      .from(dashboardRollups)
      .where(and(eq(dashboardRollups.districtId, scope.districtId), eq(dashboardRollups.kind, kind))),
  );
  if (row && isCurrent(row.payload)) return { computedAt: row.computedAt, payload: row.payload as T };
  return store(deps, scope, kind, await compute());
}

async function store<T>(deps: Deps, scope: Scope, kind: Kind, payload: T) {
  const computedAt = deps.clock.now();
  await withTenant(deps.db.app, scope, (tx) =>
    tx
      .insert(dashboardRollups)
      .values({ districtId: scope.districtId, kind, computedAt, payload: payload as Record<string, unknown> })
      .onConflictDoUpdate({ target: [dashboardRollups.districtId, dashboardRollups.kind], set: { computedAt, payload: payload as Record<string, unknown> } }),
  );
  return { computedAt, payload };
}

/** Drops a district's rollups so the next view recomputes them (a leader's "refresh now"). */
export async function dropRollups(deps: Deps, scope: Scope) {
  await withTenant(deps.db.app, scope, (tx) => tx.delete(dashboardRollups).where(eq(dashboardRollups.districtId, scope.districtId)));
}

/** Worker: recomputes every district's rollups that are older than the maximum age. */
export async function refreshRollups(deps: Deps, computers: Record<Kind, (scope: Scope, timeZone: string) => Promise<unknown>>): Promise<number> {
  const all = await deps.db.system.select({ id: districts.id, timeZone: districts.timeZone }).from(districts);
  const existing = await deps.db.system.select().from(dashboardRollups);
  const cutoff = deps.clock.now().getTime() - rollupMaxAgeMs;
  let refreshed = 0;
  for (const d of all)
    for (const kind of Object.keys(computers) as Kind[]) {
      const row = existing.find((r) => r.districtId === d.id && r.kind === kind);
      if (row && row.computedAt.getTime() > cutoff) continue;
      const scope = { districtId: d.id, userId: null };
      await store(deps, scope, kind, await computers[kind](scope, d.timeZone));
      refreshed += 1;
    }
  return refreshed;
}
