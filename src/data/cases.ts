import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { caseStatuses, caseTypes, recordKinds, taskKinds } from './cases.values.ts';
import { districts, schools } from './districts.ts';
import { reports } from './reports.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * A crisis case: opened from reports, a screening alert or directly, about one or more students
 * (who may be identified later), at a school. Its state machine is in case.rules.ts.
 */
export const cases = pgTable(
  'cases',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id').references(() => schools.id),
    type: text('type', { enum: caseTypes }).notNull(),
    status: text('status', { enum: caseStatuses }).notNull(),
    summary: text('summary').notNull(),
    /** Staff assigned to the case (the counselor leading it, the point person). */
    assignedUserIds: uuid('assigned_user_ids').array().notNull().default([]),
    openedBy: uuid('opened_by').references(() => users.id),
    openedAt: timestamp('opened_at', { withTimezone: true, precision: 3 }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('cases_district_status').on(t.districtId, t.status, t.openedAt), tenantIsolation()],
);

export const caseStudents = pgTable(
  'case_students',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.studentId] }), index('case_students_student').on(t.studentId), tenantIsolation()],
);

export const caseReports = pgTable(
  'case_reports',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.reportId] }), index('case_reports_report').on(t.reportId), tenantIsolation()],
);

/** Everything that happened on a case: who, what, when. Append-only. */
export const caseEvents = pgTable(
  'case_events',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    actorUserId: uuid('actor_user_id').references(() => users.id),
    actorLabel: text('actor_label').notNull(),
    kind: text('kind').notNull(),
    summary: text('summary').notNull(),
  },
  (t) => [index('case_events_case').on(t.caseId, t.at), tenantIsolation()],
);

/** Tasks with an owner and a due time; a mandatory report's task also has a hard deadline. */
export const caseTasks = pgTable(
  'case_tasks',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: taskKinds }).notNull(),
    title: text('title').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id),
    dueAt: timestamp('due_at', { withTimezone: true, precision: 3 }).notNull(),
    hardDeadlineAt: timestamp('hard_deadline_at', { withTimezone: true, precision: 3 }),
    doneAt: timestamp('done_at', { withTimezone: true, precision: 3 }),
    doneBy: uuid('done_by').references(() => users.id),
    note: text('note'),
    /** When the last reminder went out; overdue tasks are reminded again after a while. */
    remindedAt: timestamp('reminded_at', { withTimezone: true, precision: 3 }),
    escalatedAt: timestamp('escalated_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('case_tasks_case').on(t.caseId, t.dueAt), index('case_tasks_open_due').on(t.dueAt).where(sql`done_at is null`), tenantIsolation()],
);

/**
 * The case's structured records: assessments, safety plan versions, guardian notices, the
 * mandatory report, the re-entry plan, hand-offs. Content is validated per kind (cases.schema.ts).
 * A record is never edited: a new version is added.
 */
export const caseRecords = pgTable(
  'case_records',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    kind: text('kind', { enum: recordKinds }).notNull(),
    version: integer('version').notNull(),
    content: jsonb('content').$type<Record<string, unknown>>().notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdByLabel: text('created_by_label').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [uniqueIndex('case_records_version').on(t.caseId, t.kind, t.version), tenantIsolation()],
);

/** "Break the glass": time-limited access for someone outside the team, with the reason given. */
export const caseAccessGrants = pgTable(
  'case_access_grants',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    caseId: uuid('case_id')
      .notNull()
      .references(() => cases.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    reason: text('reason').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('case_access_grants_case_user').on(t.caseId, t.userId), tenantIsolation()],
);
