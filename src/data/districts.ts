import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { consentPolicies } from './screening.values.ts';
import { tenantIsolation } from './tenancy.ts';

/** A district is Haven's tenant: every other tenant row belongs to exactly one. */
export const districts = pgTable(
  'districts',
  {
    id: uuid('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    /** IANA zone used for school days, deadlines and on-call rotas. */
    timeZone: text('time_zone').notNull(),
    /** When on, roles that can read sensitive records must sign in with a second factor. */
    mfaRequired: boolean('mfa_required').notNull().default(true),
    /**
     * Screening consent: 'active' (written consent first) or 'passive' (notice with opt-out). New
     * districts start on active consent, as C.R.S. 22-1-123 asks; existing ones keep their choice.
     */
    screeningConsent: text('screening_consent', { enum: consentPolicies }).notNull().default('active'),
    /** Age from which a student's own consent counts (Colorado: 12). */
    screeningSelfConsentAge: integer('screening_self_consent_age').notNull().default(12),
    /** Days between the notice letter and the first screening under passive consent. */
    screeningNoticeDays: integer('screening_notice_days').notNull().default(14),
    /** School days (Monday to Friday) within which a positive screen must be followed up. */
    screeningFollowUpDays: integer('screening_follow_up_days').notNull().default(5),
    /** A student who needs support and has had no contact for this many school days joins the queue. */
    supportContactDays: integer('support_contact_days').notNull().default(10),
    /** Aggregates over fewer students than this are suppressed (many state agencies use 10 or 16). */
    smallCellThreshold: integer('small_cell_threshold').notNull().default(10),
    /**
     * Whether teachers and other staff may look up every student of their school. Off by default:
     * a teacher finds the students of the classes they teach (need to know, FERPA 34 CFR
     * 99.31(a)(1)); a district that wants any staff member to raise a concern about any student
     * turns it on.
     */
    staffSeeWholeSchool: boolean('staff_see_whole_school').notNull().default(false),
    /** Recommended students per counselor (ASCA: 250), for the capacity dashboard. */
    studentsPerCounselor: integer('students_per_counselor').notNull().default(250),
    /** When on, the district's people sign in only through its identity provider (issue 19). */
    ssoRequired: boolean('sso_required').notNull().default(false),
    /** District administrators who may still sign in with a password (and MFA) when SSO is required: the break-glass. */
    ssoBreakGlassUserIds: uuid('sso_break_glass_user_ids').array().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation('id')],
);

export const schoolLevels = ['elementary', 'middle', 'high', 'k12', 'other'] as const;

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    /** Short code used in links and QR codes, e.g. `lincoln-ms`. */
    code: text('code').notNull(),
    name: text('name').notNull(),
    level: text('level', { enum: schoolLevels }).notNull(),
    /** OneRoster sourcedId of the org, when the school came from a roster import. */
    sourcedId: text('sourced_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('schools_district_code').on(t.districtId, t.code), index('schools_district').on(t.districtId), tenantIsolation()],
);
