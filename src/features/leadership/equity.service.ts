import { eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { countEquity } from './equity-rollup.service.ts';
import { type EquityCounts, equityView } from './equity-view.rules.ts';
import { rollup } from './rollups.service.ts';

/**
 * The funnel, each step's rate overall and per group against everyone else who was eligible for
 * it (risk ratio, 95% interval, a flag only when clear), the waits (Kaplan–Meier, still-waiting
 * students kept), and the language-access view. Read from the background rollup; every count a
 * reader could use to identify students is suppressed here, before it leaves the server, with
 * its complements (equity-view.rules.ts). Analysts also lose district figures under the
 * threshold (decision 23).
 */
export async function equityPath(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('The equity dashboard');
  const [district] = await withTenant(deps.db.app, actor, (tx) =>
    tx.select({ threshold: districts.smallCellThreshold, timeZone: districts.timeZone }).from(districts).where(eq(districts.id, actor.districtId)),
  );
  if (!district) throw new Error("the actor's district is not visible; its equity settings cannot be read");
  const { threshold, timeZone } = district;
  const { computedAt, payload } = await rollup(
    deps,
    actor,
    'equity',
    () => countEquity(deps, actor, timeZone),
    (stored) => (stored as Partial<EquityCounts>).version === 3,
  );
  const view = equityView(payload, threshold, { analyst: !can(actor, 'leadership.manage', null) });
  await withTenant(deps.db.app, actor, (tx) =>
    deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.equity_viewed', subjectType: 'dashboard', detail: { threshold } }),
  );
  return { ...view, computedAt: computedAt.toISOString() };
}
