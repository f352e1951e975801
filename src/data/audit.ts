import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { districts } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * The audit trail: append-only, one hash chain per district. Each event's hash covers the
 * previous event's hash and the event's own fields, so `haven audit verify` finds an edited,
 * inserted or deleted event. The app role may only INSERT and SELECT here (see migrations).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    /** Position in the district's chain, from 1. */
    sequence: bigint('sequence', { mode: 'number' }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    /** NULL for the system (CLI, jobs, seed). */
    actorUserId: uuid('actor_user_id'),
    /** Who acted, as shown in access logs: a name and role, or "system: ...". */
    actorLabel: text('actor_label').notNull(),
    /** e.g. `student.read`, `auth.sign_in.failed`, `user.created`. */
    action: text('action').notNull(),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    /** Set when the event touches one student's record: their FERPA access log. */
    studentId: uuid('student_id'),
    /** Why: the legitimate interest or purpose recorded with a read or disclosure. */
    reason: text('reason'),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
    previousHash: text('previous_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [uniqueIndex('audit_events_chain').on(t.districtId, t.sequence), index('audit_events_student').on(t.districtId, t.studentId, t.at), tenantIsolation()],
);
