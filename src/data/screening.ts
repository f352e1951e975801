import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, foreignKey, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { districts } from './districts.ts';
import { reports } from './reports.ts';
import { classes } from './roster.ts';
import { consentKinds, consentSources, resultSources, sessionStatuses } from './screening.values.ts';
import { guardians, students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * Instruments a district imported (for example a licensed C-SSRS). Every version is kept, because
 * a stored result names the version that scored it. Shipped instruments live in the repository.
 */
export const instrumentDefinitions = pgTable(
  'instrument_definitions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    instrumentId: text('instrument_id').notNull(),
    version: text('version').notNull(),
    definition: jsonb('definition').notNull(),
    contentHash: text('content_hash').notNull(),
    importedAt: timestamp('imported_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('instrument_definitions_version').on(t.districtId, t.instrumentId, t.version), tenantIsolation()],
);

/** A screening window: which schools, grades and instruments, between which dates, proctored by whom. */
export const screeningWindows = pgTable(
  'screening_windows',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    name: text('name').notNull(),
    schoolIds: uuid('school_ids').array().notNull(),
    grades: text('grades').array().notNull(),
    /** Given in this order; an instrument with a minimum age is skipped for younger students. */
    instrumentIds: text('instrument_ids').array().notNull(),
    opensOn: date('opens_on').notNull(),
    closesOn: date('closes_on').notNull(),
    proctorUserIds: uuid('proctor_user_ids').array().notNull().default([]),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('screening_windows_district').on(t.districtId, t.opensOn), tenantIsolation()],
);

/**
 * Consent and opt-out as recorded: who, how and when, and what they are for. A row names the
 * window it is for (and may name one of its instruments); an opt-out may instead cover all
 * screening in a school year. Rows recorded before consent was per window: a consent was moved to
 * the window it answered (migration 0018); an opt-out with neither window nor school year stands
 * for every window until the family consents to one (decision 20).
 */
export const screeningConsents = pgTable(
  'screening_consents',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    guardianId: uuid('guardian_id').references(() => guardians.id),
    kind: text('kind', { enum: consentKinds }).notNull(),
    source: text('source', { enum: consentSources }).notNull(),
    /** The window this is for; null for a whole-school-year opt-out (or an opt-out from before windows). */
    windowId: uuid('window_id').references(() => screeningWindows.id),
    /** The school year (July to June, "2026-27") the row speaks for. */
    schoolYear: text('school_year'),
    /** Only this instrument of the window (or year); null for all of them. */
    instrumentId: text('instrument_id'),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('screening_consents_student').on(t.studentId, t.recordedAt), index('screening_consents_window').on(t.windowId, t.studentId), tenantIsolation()],
);

/** Notice letters sent to guardians before a window (passive consent counts from the first one). */
export const screeningNotices = pgTable(
  'screening_notices',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    windowId: uuid('window_id')
      .notNull()
      .references(() => screeningWindows.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    guardianId: uuid('guardian_id').references(() => guardians.id),
    channel: text('channel', { enum: ['email', 'print'] }).notNull(),
    language: text('language').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('screening_notices_window').on(t.windowId, t.studentId), tenantIsolation()],
);

/**
 * A student's sitting in a window. The student starts it with a one-time code (no account); the
 * code is stored only as a hash and dies when the screen is finished. Answers in progress live
 * here and move to a result when the last instrument is done.
 */
export const screeningSessions = pgTable(
  'screening_sessions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    windowId: uuid('window_id')
      .notNull()
      .references(() => screeningWindows.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    /** The student's school when the code was issued: the window's figures count by it. */
    schoolId: uuid('school_id').notNull(),
    status: text('status', { enum: sessionStatuses }).notNull(),
    /** The instruments this student takes, in order, fixed when the code is issued (age decides). */
    instrumentIds: text('instrument_ids').array().notNull().default([]),
    codeHash: text('code_hash'),
    codeExpiresAt: timestamp('code_expires_at', { withTimezone: true }),
    /** instrument id -> item id -> answer, as the student goes. */
    answers: jsonb('answers').$type<Record<string, Record<string, unknown>>>().notNull().default({}),
    language: text('language').notNull().default('en'),
    /** The alert raised during this sitting, and its urgency; a later answer may only raise it. */
    alertReportId: uuid('alert_report_id').references(() => reports.id),
    alertUrgency: text('alert_urgency', { enum: ['urgent', 'life_safety'] }),
    issuedBy: uuid('issued_by').references(() => users.id),
    issuedAt: timestamp('issued_at', { withTimezone: true }).notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    /**
     * Imminent risk during the screen: the device shows "stay with the adult in the room" (found
     * by this hash of the screen cookie) until a proctor releases it.
     */
    holdTokenHash: text('hold_token_hash'),
    heldAt: timestamp('held_at', { withTimezone: true }),
    releasedAt: timestamp('released_at', { withTimezone: true }),
    releasedBy: uuid('released_by').references(() => users.id),
  },
  (t) => [
    uniqueIndex('screening_sessions_code').on(t.codeHash),
    uniqueIndex('screening_sessions_hold').on(t.holdTokenHash),
    index('screening_sessions_window').on(t.windowId, t.studentId),
    // How a window's sittings ended, per school, counted from the index alone (the window dashboard).
    index('screening_sessions_window_status').on(t.windowId, t.schoolId, t.status, t.districtId),
    tenantIsolation(),
  ],
);

/** One scored instrument for one student. Immutable except for its follow-up. */
export const screeningResults = pgTable(
  'screening_results',
  {
    id: uuid('id').primaryKey(),
    /** With `studentId`, a reference to the student in this district (`screening_results_student_fk`). */
    districtId: uuid('district_id').notNull(),
    studentId: uuid('student_id').notNull(),
    schoolId: uuid('school_id').notNull(),
    windowId: uuid('window_id').references(() => screeningWindows.id),
    sessionId: uuid('session_id').references(() => screeningSessions.id),
    instrumentId: text('instrument_id').notNull(),
    instrumentVersion: text('instrument_version').notNull(),
    source: text('source', { enum: resultSources }).notNull(),
    answers: jsonb('answers').$type<Record<string, unknown>>().notNull(),
    context: jsonb('context').$type<Record<string, unknown>>().notNull().default({}),
    score: doublePrecision('score'),
    band: text('band'),
    subscales: jsonb('subscales').$type<Record<string, { score: number | null; band: string | null }>>().notNull().default({}),
    flags: text('flags').array().notNull(),
    actions: text('actions').array().notNull(),
    prorated: boolean('prorated').notNull(),
    valid: boolean('valid').notNull(),
    /** Given after a disclosure without prior consent (the emergency path); the guardian is told after. */
    emergency: boolean('emergency').notNull().default(false),
    administeredAt: timestamp('administered_at', { withTimezone: true }).notNull(),
    recordedBy: uuid('recorded_by').references(() => users.id),
    /** The crisis report raised for a suicide-risk flag. */
    alertReportId: uuid('alert_report_id').references(() => reports.id),
    /** Positives without an alert wait in the follow-up queue until someone records the follow-up. */
    followUpDueOn: date('follow_up_due_on'),
    followedUpAt: timestamp('followed_up_at', { withTimezone: true }),
    followedUpBy: uuid('followed_up_by').references(() => users.id),
    followUpNote: text('follow_up_note'),
    /** The import that brought this result in from another tool. */
    importId: uuid('import_id'),
  },
  (t) => [
    // One reference to the student within the district, not one to each: a result can never name
    // another district's student, and a million-row import makes one key check a row, not two
    // (decision 44).
    foreignKey({ name: 'screening_results_student_fk', columns: [t.districtId, t.studentId], foreignColumns: [students.districtId, students.id] }),
    index('screening_results_student').on(t.studentId, t.administeredAt),
    // Covering, so a window's dashboard reads only this index, already in the order it groups by
    // (school, instrument, band); district last, for the tenant policy. Partial: imported results
    // have no window, and a million-row import need not maintain it. A window's results of given
    // students are found through screening_results_student.
    index('screening_results_window')
      .on(t.windowId, t.schoolId, t.instrumentId, t.band, t.followUpDueOn, t.followedUpAt, t.alertReportId, t.districtId)
      .where(sql`window_id is not null`),
    // Positives only (every reader asks for a due day): an import of a million negatives need not maintain it.
    index('screening_results_follow_up').on(t.districtId, t.followUpDueOn).where(sql`follow_up_due_on is not null`),
    // Positives still waiting for follow-up, per school: the capacity dashboard's need.
    index('screening_results_waiting').on(t.schoolId, t.studentId).where(sql`follow_up_due_on is not null and followed_up_at is null`),
    // Imported risk results whose alert is not raised yet: the worker's backstop finds them fast.
    index('screening_results_alert_pending')
      .on(t.administeredAt)
      .where(sql`alert_report_id is null and source = 'import' and flags && array['suicide_risk', 'imminent_risk']`),
    tenantIsolation(),
  ],
);

/**
 * A proctor's classes in a window: the proctor sees, prints codes for and marks consent and
 * absence for these classes' students only. A proctor named on a window with no row here sees no
 * student (an administrator assigns the classes).
 */
export const screeningProctorClasses = pgTable(
  'screening_proctor_classes',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    windowId: uuid('window_id')
      .notNull()
      .references(() => screeningWindows.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('screening_proctor_classes_unique').on(t.windowId, t.userId, t.classId),
    index('screening_proctor_classes_user').on(t.userId),
    tenantIsolation(),
  ],
);
