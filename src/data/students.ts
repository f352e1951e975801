import { sql } from 'drizzle-orm';
import { boolean, date, index, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { districts, schools } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

/** Grades as OneRoster writes them: PK, KG, 01..12 become 'PK', 'K', '1'..'12'. */
export const grades = ['PK', 'K', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'] as const;
/**
 * A student's grade as stored: one of `grades`, or `unknown` when the roster left it blank or wrote
 * a value Haven cannot read (OneRoster makes grades optional). Such a student still has a record;
 * a screening window, chosen by grade, does not include them until the grade is known.
 */
export const studentGrades = [...grades, 'unknown'] as const;

/**
 * Federal race and ethnicity codes as the roster gives them (a student may have several):
 * Hispanic or Latino is the ethnicity; `two_or_more_races` is kept when the export says so in its
 * own field. Counting follows the federal standard (equity.rules.ts `federalCategory`).
 */
export const raceEthnicityCodes = [
  'american_indian_alaska_native',
  'asian',
  'black_african_american',
  'hispanic_latino',
  'native_hawaiian_pacific_islander',
  'white',
  'two_or_more_races',
] as const;

export const genders = ['female', 'male', 'nonbinary', 'unspecified'] as const;

/**
 * A student. Identity and school come from the roster; the equity attributes (English learner,
 * IEP, 504, free/reduced lunch, homeless, foster, race/ethnicity, gender) are protected and only
 * shown to roles with a need for them; leaders see them only as suppressed aggregates.
 */
export const students = pgTable(
  'students',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    /** The district's own student number. */
    localId: text('local_id').notNull(),
    sourcedId: text('sourced_id'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    preferredName: text('preferred_name'),
    dateOfBirth: date('date_of_birth'),
    grade: text('grade', { enum: studentGrades }).notNull(),
    /** ISO 639-1 code of the language spoken at home. */
    homeLanguage: text('home_language').notNull().default('en'),
    interpreterNeeded: boolean('interpreter_needed').notNull().default(false),
    englishLearner: boolean('english_learner').notNull().default(false),
    iep: boolean('iep').notNull().default(false),
    section504: boolean('section_504').notNull().default(false),
    freeReducedLunch: boolean('free_reduced_lunch').notNull().default(false),
    homeless: boolean('homeless').notNull().default(false),
    fosterCare: boolean('foster_care').notNull().default(false),
    raceEthnicity: text('race_ethnicity', { enum: raceEthnicityCodes }).array().notNull().default([]),
    gender: text('gender', { enum: genders }).notNull().default('unspecified'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * The student's slice of the equity rollup (decision 43): the last byte of the id. A stored
     * column, not an expression index, because row-level security lets an index serve only
     * leakproof conditions, and `=` on a column is one while the byte functions are not.
     */
    equitySlice: smallint('equity_slice').generatedAlwaysAs(sql`get_byte(uuid_send(id), 15)`),
  },
  (t) => [
    uniqueIndex('students_district_local_id').on(t.districtId, t.localId),
    // What a reference to a student within its district points at (screening_results_student_fk).
    uniqueIndex('students_district_id').on(t.districtId, t.id),
    index('students_district_school').on(t.districtId, t.schoolId),
    index('students_district_last_name').on(t.districtId, t.lastName),
    // Who is enrolled where, read without touching the table (screening windows, dashboards).
    index('students_roster').on(t.districtId, t.schoolId, t.grade).where(sql`active`),
    // The roster import matches by the export's sourcedId, set-based (roster/import-students.ts).
    index('students_district_sourced').on(t.districtId, t.sourcedId).where(sql`sourced_id is not null`),
    // The equity rollup's slices (equity_tallies): one slice's students found without a scan.
    index('students_equity_slice').on(t.districtId, t.equitySlice).where(sql`active`),
    tenantIsolation(),
  ],
);

export const guardians = pgTable(
  'guardians',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourcedId: text('sourced_id'),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    phone: text('phone'),
    email: text('email'),
    /** ISO 639-1; notices and safety plans go out in this language where a translation exists. */
    preferredLanguage: text('preferred_language').notNull().default('en'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('guardians_district').on(t.districtId),
    index('guardians_district_sourced').on(t.districtId, t.sourcedId).where(sql`sourced_id is not null`),
    tenantIsolation(),
  ],
);

export const guardianRelationships = ['mother', 'father', 'parent', 'grandparent', 'guardian', 'foster_parent', 'relative', 'other'] as const;

export const studentGuardians = pgTable(
  'student_guardians',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    guardianId: uuid('guardian_id')
      .notNull()
      .references(() => guardians.id),
    relationship: text('relationship', { enum: guardianRelationships }).notNull(),
    /** The guardian to contact first. */
    primaryContact: boolean('primary_contact').notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.guardianId] }), index('student_guardians_guardian').on(t.guardianId), tenantIsolation()],
);
