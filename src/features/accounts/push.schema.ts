import { z } from 'zod';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';

/** Base64url as browsers write a subscription's keys (padding tolerated). */
const base64url = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url, as the browser gives it');

/** A browser's `PushSubscription.toJSON()`, with a name the person will recognize. */
export const subscribeBody = z.object({
  endpoint: z
    .string()
    .min(1, inSpanish("give the push service's endpoint", 'indique el endpoint del servicio de notificaciones', 'push_endpoint_required'))
    .max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64url, auth: base64url }),
  label: z.string().trim().max(100).optional(),
});

export const endpointBody = z.object({ endpoint: z.string().min(1).max(2048) });

// Answers: each route serializes through its schema; the web app reads these types (z.input: the
// wire form, moments as ISO 8601 strings).

/** One of the person's devices: its name and when alerts last reached it or failed (never its endpoint or keys). */
export const deviceView = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: sentMoment,
  lastSuccessAt: sentMoment.nullable(),
  lastFailureAt: sentMoment.nullable(),
});
export const deviceList = z.object({ items: z.array(deviceView) });
export type PushDevice = z.input<typeof deviceView>;

/** Haven's VAPID public key, for PushManager.subscribe. */
export const publicKey = z.object({ publicKey: z.string() });
export const subscribed = z.object({ id: z.string() });

/** A test notification: how many devices it reached, failed on, or dropped as gone. */
export const pushResult = z.object({ sent: z.number(), failed: z.number(), removed: z.number() });
export type PushResult = z.input<typeof pushResult>;
