import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { roles } from './accounts.values.ts';
import { districts, schools } from './districts.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * Staff from the roster (teachers, counselors, principals). A roster never grants access: a
 * counselor here is *offered* the counselor role, which an administrator grants in Haven.
 */
export const rosterStaff = pgTable(
  'roster_staff',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourcedId: text('sourced_id').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    email: text('email'),
    rosterRole: text('roster_role').notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    /** The Haven role this person would usually hold; never granted by the import. */
    offeredRole: text('offered_role', { enum: roles }),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('roster_staff_sourced').on(t.districtId, t.sourcedId), tenantIsolation()],
);

/** Every roster import and its summary (created, updated, deactivated, rejected with file and line). */
export const rosterImports = pgTable(
  'roster_imports',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    format: text('format').notNull(),
    dryRun: boolean('dry_run').notNull(),
    summary: jsonb('summary').notNull(),
    byLabel: text('by_label').notNull(),
  },
  (t) => [index('roster_imports_district').on(t.districtId, t.at), tenantIsolation()],
);

/**
 * Classes from the roster (`classes.csv`), matched by sourcedId. An export without `classes.csv`
 * still stores its enrollments: the class is then known only by its sourcedId (the title is the
 * sourcedId until a `classes.csv` names it). Never deleted; a bulk file or `tobedeleted` deactivates.
 */
export const classes = pgTable(
  'classes',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    /** NULL when the export names no school Haven knows for the class. */
    schoolId: uuid('school_id').references(() => schools.id),
    sourcedId: text('sourced_id').notNull(),
    title: text('title').notNull(),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('classes_sourced').on(t.districtId, t.sourcedId), tenantIsolation()],
);

/**
 * Who is in which class (`enrollments.csv`): a student (a Haven student) or a teacher (a roster
 * staff row; the teacher is a Haven user when the row's e-mail is a Haven account's, decision 21).
 * Matched by the enrollment's sourcedId; never deleted, deactivated by a bulk file or `tobedeleted`.
 */
export const classEnrollments = pgTable(
  'class_enrollments',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourcedId: text('sourced_id').notNull(),
    classId: uuid('class_id')
      .notNull()
      .references(() => classes.id),
    role: text('role', { enum: ['student', 'teacher'] }).notNull(),
    studentId: uuid('student_id').references(() => students.id),
    rosterStaffId: uuid('roster_staff_id').references(() => rosterStaff.id),
    active: boolean('active').notNull().default(true),
  },
  (t) => [
    uniqueIndex('class_enrollments_sourced').on(t.districtId, t.sourcedId),
    index('class_enrollments_student').on(t.studentId),
    index('class_enrollments_class').on(t.classId),
    check(
      'class_enrollments_member',
      sql`(${t.role} = 'student' and ${t.studentId} is not null and ${t.rosterStaffId} is null) or (${t.role} = 'teacher' and ${t.rosterStaffId} is not null and ${t.studentId} is null)`,
    ),
    tenantIsolation(),
  ],
);

/** How a district's roster columns beyond OneRoster (`ext_*`) map to Haven's student fields. */
export type RosterExtMapping = Partial<Record<'homeLanguage' | 'section504' | 'iep' | 'freeReducedLunch', string>>;

/**
 * A district's roster settings: which vendor `ext_*` columns carry home language, 504, IEP and
 * free/reduced lunch, and the OneRoster REST source it syncs from nightly (the client secret is
 * encrypted with the server key). One row per district.
 */
export const rosterSettings = pgTable(
  'roster_settings',
  {
    districtId: uuid('district_id')
      .primaryKey()
      .references(() => districts.id),
    extMapping: jsonb('ext_mapping').$type<RosterExtMapping>().notNull().default({}),
    restBaseUrl: text('rest_base_url'),
    restTokenUrl: text('rest_token_url'),
    restClientId: text('rest_client_id'),
    restClientSecretEncrypted: text('rest_client_secret_encrypted'),
    /** '1.1' or '1.2': the rostering service's path and shapes differ. */
    restVersion: text('rest_version', { enum: ['1.1', '1.2'] }),
    /** Local time of day (HH:MM, district time zone) of the nightly sync; null = no nightly sync. */
    syncTime: text('sync_time'),
    /** The `dateLastModified` a delta sync asks from: the start of the last successful sync. */
    deltaFrom: timestamp('delta_from', { withTimezone: true, precision: 3 }),
    lastSyncAt: timestamp('last_sync_at', { withTimezone: true, precision: 3 }),
    lastSyncOutcome: text('last_sync_outcome', { enum: ['succeeded', 'failed'] }),
    lastSyncError: text('last_sync_error'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  () => [tenantIsolation()],
);
