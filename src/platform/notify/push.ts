import { createECDH } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import webPush from 'web-push';
import { pushSubscriptions } from '../../data/push.ts';
import type { Deps } from '../deps.ts';
import type { Secrets } from '../secrets.ts';
import { deliveryOptions, outcomeOf, type PushAlert, type PushOutcome, pushMessage, vapidSubject } from './push.rules.ts';

/**
 * Web Push (RFC 8030, encrypted per RFC 8291, signed with VAPID per RFC 8292): an alert reaches a
 * locked phone or a closed laptop through the browser vendor's push service. It is one more
 * channel beside the in-app stream, e-mail, SMS and calls, never the only one: escalation goes on
 * until a person acknowledges, whatever a push service does. Decision 30.
 */
export type VapidKeys = { publicKey: string; privateKey: string };

const derived = new WeakMap<Secrets, VapidKeys>();

/**
 * Haven's VAPID key pair, derived from the secret key (which is generated on first start in the
 * data directory, mode 0600, or given as HAVEN_SECRET_KEY). Derived rather than stored apart so
 * that every server sharing the secret key signs with the same key, as subscriptions require, with
 * nothing new to back up or to copy between servers. Base64url, as browsers and web-push take them.
 */
export function vapidKeys(secrets: Secrets): VapidKeys {
  const known = derived.get(secrets);
  if (known) return known;
  for (let attempt = 0; ; attempt++) {
    // A 256-bit value is a valid P-256 private key unless it is 0 or at least the curve order
    // (odds about 2^-32); the next derivation is taken then.
    const candidate = Buffer.from(secrets.derive(attempt === 0 ? 'web-push-vapid' : `web-push-vapid-${attempt}`), 'hex');
    try {
      const ecdh = createECDH('prime256v1');
      ecdh.setPrivateKey(candidate);
      const keys = { publicKey: ecdh.getPublicKey().toString('base64url'), privateKey: candidate.toString('base64url') };
      derived.set(secrets, keys);
      return keys;
    } catch {
      if (attempt > 8) throw new Error('could not derive a VAPID key from the secret key');
    }
  }
}

type PushDeps = Pick<Deps, 'db' | 'clock' | 'secrets' | 'settings' | 'audit'>;
type Subscription = typeof pushSubscriptions.$inferSelect;

/** A push service that does not answer within this long is counted as failed for this alert. */
const requestTimeoutMs = 10_000;

/**
 * Sends an alert to every device the person turned push on for in this district, at once. A
 * subscription the push service answers 404 or 410 for is deleted (the browser withdrew it); any
 * other failure is counted and remembered on the subscription, and the caller's other channels
 * carry the alert. Never throws for a push service's answer, so alert delivery can call it freely.
 */
export async function pushToUser(
  deps: PushDeps,
  to: { districtId: string; userId: string },
  alert: PushAlert,
): Promise<{ sent: number; failed: number; removed: number }> {
  const subscriptions = await deps.db.system
    .select()
    .from(pushSubscriptions)
    .where(and(eq(pushSubscriptions.districtId, to.districtId), eq(pushSubscriptions.userId, to.userId)));
  const outcomes = await Promise.all(subscriptions.map((subscription) => deliver(deps, subscription, alert)));
  return {
    sent: outcomes.filter((o) => o === 'sent').length,
    failed: outcomes.filter((o) => o !== 'sent').length,
    removed: outcomes.filter((o) => o === 'gone').length,
  };
}

async function deliver(deps: PushDeps, subscription: Subscription, alert: PushAlert): Promise<PushOutcome> {
  const options = deliveryOptions(alert);
  // web-push encrypts and signs; Haven sends the request itself (web-push's own sender speaks only
  // HTTPS through node:https, and its errors are not needed: only the status matters here).
  const request = webPush.generateRequestDetails(
    { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
    JSON.stringify(pushMessage(alert)),
    {
      vapidDetails: { subject: vapidSubject(deps.settings.publicUrl), ...vapidKeys(deps.secrets) },
      TTL: options.ttlSeconds,
      urgency: options.urgency,
      ...(options.topic ? { topic: options.topic } : {}),
      contentEncoding: 'aes128gcm',
    },
  );
  const headers = Object.fromEntries(
    Object.entries(request.headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([name, value]) => [name, String(value)]),
  );
  let outcome: PushOutcome;
  try {
    const response = await fetch(request.endpoint, {
      method: 'POST',
      headers,
      body: new Uint8Array(request.body),
      // A redirect would send the alert somewhere the subscription check never saw.
      redirect: 'error',
      signal: AbortSignal.timeout(requestTimeoutMs),
    });
    await response.body?.cancel();
    outcome = outcomeOf(response.status);
  } catch {
    outcome = 'failed';
  }
  await remember(deps, subscription, outcome);
  return outcome;
}

async function remember(deps: PushDeps, subscription: Subscription, outcome: PushOutcome): Promise<void> {
  const now = deps.clock.now();
  if (outcome === 'gone') {
    await deps.db.system.transaction(async (tx) => {
      const removed = await tx.delete(pushSubscriptions).where(eq(pushSubscriptions.id, subscription.id)).returning({ id: pushSubscriptions.id });
      if (removed.length === 0) return;
      await deps.audit.append(
        tx,
        subscription.districtId,
        { userId: null, label: 'Haven' },
        {
          action: 'push_subscription.removed',
          subjectType: 'push_subscription',
          subjectId: subscription.id,
          detail: { userId: subscription.userId, label: subscription.label, why: 'the push service no longer knows this device' },
        },
      );
    });
    return;
  }
  await deps.db.system
    .update(pushSubscriptions)
    .set(outcome === 'sent' ? { lastSuccessAt: now } : { lastFailureAt: now })
    .where(eq(pushSubscriptions.id, subscription.id));
}
