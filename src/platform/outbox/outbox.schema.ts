import { z } from 'zod';
import { outboxKinds } from '../../data/outbox.ts';

/**
 * One message waiting or given up, as an administrator sees it: what it was for, how it went and
 * when it is tried next. Never its text, and the recipient only masked (`j***@example.org`).
 */
export const outboxItem = z.object({
  id: z.string(),
  kind: z.enum(outboxKinds),
  /** A fixed code such as `referral.invitation`; the web app shows it in words. */
  purpose: z.string(),
  status: z.enum(['pending', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  recipient: z.string(),
  createdAt: z.string(),
  /** When it is tried next; null once it has been given up. */
  nextAttemptAt: z.string().nullable(),
});

export const outboxList = z.object({
  failed: z.number().int(),
  pending: z.number().int(),
  items: z.array(outboxItem),
});

export const outboxRetried = z.object({ id: z.string(), status: z.literal('pending') });

export type OutboxItem = z.infer<typeof outboxItem>;
export type OutboxList = z.infer<typeof outboxList>;
