import { z } from 'zod';

/** Base64url as browsers write a subscription's keys (padding tolerated). */
const base64url = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url, as the browser gives it');

/** A browser's `PushSubscription.toJSON()`, with a name the person will recognize. */
export const subscribeBody = z.object({
  endpoint: z.string().min(1, "give the push service's endpoint").max(2048),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: base64url, auth: base64url }),
  label: z.string().trim().max(100).optional(),
});

export const endpointBody = z.object({ endpoint: z.string().min(1).max(2048) });

export const deviceView = z.object({
  id: z.string(),
  label: z.string().nullable(),
  createdAt: z.date(),
  lastSuccessAt: z.date().nullable(),
  lastFailureAt: z.date().nullable(),
});

export const pushResult = z.object({ sent: z.number(), failed: z.number(), removed: z.number() });

export type PushDevice = z.infer<typeof deviceView>;
