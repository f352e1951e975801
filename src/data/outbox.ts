import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { districts } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

export const outboxKinds = ['email', 'sms', 'voice'] as const;
/** `withdrawn`: no longer needed before it went (an alert for a report a person has since taken). */
export const outboxStatuses = ['pending', 'sent', 'failed', 'withdrawn'] as const;

/**
 * Every e-mail, text and call Haven sends, written in the same transaction as the event that
 * causes it and sent by the worker, with retries and backoff. A message is therefore never lost
 * to a mail server that was down, and never sent for an event that rolled back. A message that
 * still fails after its last attempt is `failed` and shown to the district's administrators.
 * `district_id` is NULL only for messages to the platform operator.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id').references(() => districts.id),
    kind: text('kind', { enum: outboxKinds }).notNull(),
    /** The message (recipient, subject, text), encrypted: it may name a student. */
    messageEncrypted: text('message_encrypted').notNull(),
    /** What it is about, for the administrators' list: e.g. `referral.invitation`, never personal data. */
    purpose: text('purpose').notNull(),
    /** Optional link to the row it was sent for (a reminder, a referral), so that row is marked sent only after success. */
    sourceType: text('source_type'),
    sourceId: text('source_id'),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, precision: 3 }).notNull(),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('outbox_due').on(t.status, t.nextAttemptAt), index('outbox_district').on(t.districtId, t.status, t.createdAt), tenantIsolation()],
);
