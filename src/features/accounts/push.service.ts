import { and, count, desc, eq } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { pushSubscriptions } from '../../data/push.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { subscriptionProblem } from '../../platform/notify/push.rules.ts';
import { pushToUser } from '../../platform/notify/push.ts';

/** More devices than anyone carries: a bound, so one account cannot make Haven call thousands of endpoints. */
const maxDevices = 20;

/**
 * Turns push on for this browser: stores where to reach it, for the person acting in this district.
 * A browser has one endpoint, so when someone else turns push on in the same browser (a shared
 * laptop) it becomes theirs and the previous person's alerts stop going there. The maintenance
 * pool is used because the endpoint is unique across districts, like the API tokens' hashes.
 */
export async function subscribeDevice(deps: Deps, actor: Actor, input: { endpoint: string; p256dh: string; auth: string; label?: string }) {
  const problem = subscriptionProblem(input, { publicUrl: deps.settings.publicUrl });
  if (problem) throw badRequest(problem);
  const label = input.label?.trim() || null;
  const now = deps.clock.now();
  return deps.db.system.transaction(async (tx) => {
    const [existing] = await tx.select().from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, input.endpoint)).for('update');
    const mine = existing && existing.userId === actor.userId && existing.districtId === actor.districtId;
    if (!mine) {
      const [held] = await tx
        .select({ n: count() })
        .from(pushSubscriptions)
        .where(and(eq(pushSubscriptions.userId, actor.userId), eq(pushSubscriptions.districtId, actor.districtId)));
      if ((held?.n ?? 0) >= maxDevices)
        throw badRequest(`You have notifications on ${maxDevices} devices; remove one you no longer use first.`, {
          code: 'push_device_limit',
          es: `Tiene las notificaciones activadas en ${maxDevices} dispositivos; primero quite uno que ya no use.`,
        });
    }
    const fields = { districtId: actor.districtId, userId: actor.userId, p256dh: input.p256dh, auth: input.auth, label, lastFailureAt: null };
    // On conflict: the same browser asked twice at once (a double click); the second one updates.
    const [row] = await tx
      .insert(pushSubscriptions)
      .values({ id: deps.ids.uuid(), endpoint: input.endpoint, createdAt: now, ...fields })
      .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: fields })
      .returning({ id: pushSubscriptions.id });
    if (!row) throw new Error('a push subscription was neither inserted nor updated');
    const id = row.id;
    if (!mine) {
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'push_subscription.added',
        subjectType: 'push_subscription',
        subjectId: id,
        detail: { label, tookOverFromAnotherAccount: Boolean(existing) },
      });
    }
    return { id };
  });
}

/** The devices this person receives alerts on in this district; never anyone else's. */
export async function listDevices(deps: Deps, actor: Actor) {
  return withTenant(deps.db.app, actor, (tx) =>
    tx
      .select({
        id: pushSubscriptions.id,
        label: pushSubscriptions.label,
        createdAt: pushSubscriptions.createdAt,
        lastSuccessAt: pushSubscriptions.lastSuccessAt,
        lastFailureAt: pushSubscriptions.lastFailureAt,
      })
      .from(pushSubscriptions)
      .where(eq(pushSubscriptions.userId, actor.userId))
      .orderBy(desc(pushSubscriptions.createdAt)),
  );
}

/** Turns push off for one of this person's devices, by its id (the list) or its endpoint (this browser). Another's answers 404. */
export async function removeDevice(deps: Deps, actor: Actor, which: { id: string } | { endpoint: string }) {
  await withTenant(deps.db.app, actor, async (tx) => {
    const match = 'id' in which ? eq(pushSubscriptions.id, which.id) : eq(pushSubscriptions.endpoint, which.endpoint);
    const removed = await tx
      .delete(pushSubscriptions)
      .where(and(match, eq(pushSubscriptions.userId, actor.userId)))
      .returning({ id: pushSubscriptions.id, label: pushSubscriptions.label });
    const [device] = removed;
    if (!device) throw notFound('That device');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'push_subscription.removed',
      subjectType: 'push_subscription',
      subjectId: device.id,
      detail: { label: device.label },
    });
  });
}

/** A test notification to every device of this person, so they can see it works before they rely on it. */
export async function sendTestPush(deps: Deps, actor: Actor) {
  const result = await pushToUser(deps, { districtId: actor.districtId, userId: actor.userId }, { kind: 'test' });
  if (result.sent + result.failed === 0)
    throw badRequest('Notifications are not on for any of your devices yet: turn them on in this browser first.', {
      code: 'push_not_enabled',
      es: 'Las notificaciones todavía no están activadas en ninguno de sus dispositivos: primero actívelas en este navegador.',
    });
  return result;
}
