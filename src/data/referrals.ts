import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { partnerServices } from './directory.ts';
import { districts, schools } from './districts.ts';
import { partnerOrganizations } from './partners.ts';
import { referralSources, referralUrgencies, taskStatuses } from './referrals.values.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

export { referralSources, referralUrgencies } from './referrals.values.ts';
export const consentKinds = ['guardian', 'student', 'emergency'] as const;
export const followUpKinds = ['partner_no_answer', 'no_appointment', 'missed_appointment', 'family_checkin'] as const;

/** What the family prefers; the partner sees it, because the family chose to share it. */
export type Preferences = {
  language: string;
  languageRequired: boolean;
  insurance: string;
  modality?: string | undefined;
  location?: string | undefined;
  providerGender?: string | undefined;
  times?: string | undefined;
};

/**
 * A referral of one student to one partner service, followed until the student is seen. Its
 * status is a FHIR Task status (referral.rules.ts); the timestamps beside it are what the
 * follow-through reminders and the measures read, so neither has to replay the event history.
 */
export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => partnerOrganizations.id),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => partnerServices.id),
    source: text('source', { enum: referralSources }).notNull(),
    /** The case, screening result or support plan it came from. */
    sourceId: uuid('source_id'),
    serviceType: text('service_type').notNull(),
    urgency: text('urgency', { enum: referralUrgencies }).notNull(),
    preferences: jsonb('preferences').$type<Preferences>().notNull(),
    /** Only what the family agreed the partner may know, in their words. */
    familySharedNote: text('family_shared_note'),
    status: text('status', { enum: taskStatuses }).notNull(),
    statusReason: text('status_reason'),
    consentBasis: text('consent_basis'),
    appointmentAt: timestamp('appointment_at', { withTimezone: true, precision: 3 }),
    appointmentMinutes: integer('appointment_minutes'),
    appointmentPlace: text('appointment_place'),
    telehealthUrl: text('telehealth_url'),
    referredBy: uuid('referred_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    requestedAt: timestamp('requested_at', { withTimezone: true, precision: 3 }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true, precision: 3 }),
    /** The first appointment the student attended: the loop's "seen" moment. */
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    partnerRemindedAt: timestamp('partner_reminded_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    index('referrals_student').on(t.studentId),
    index('referrals_org_status').on(t.organizationId, t.status),
    index('referrals_open').on(t.districtId, t.status).where(sql`closed_at is null`),
    tenantIsolation(),
  ],
);

/**
 * Consent to disclose to partners. Guardian consent belongs to the student (scope: partner
 * organization ids, or 'any_partner'; optional expiry); the student's own consent and the
 * health-or-safety emergency belong to one referral.
 */
export const referralConsents = pgTable(
  'referral_consents',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    referralId: uuid('referral_id').references(() => referrals.id),
    kind: text('kind', { enum: consentKinds }).notNull(),
    givenBy: text('given_by').notNull(),
    scope: text('scope').array().notNull().default([]),
    expiresOn: date('expires_on'),
    reason: text('reason'),
    documentName: text('document_name'),
    recordedBy: uuid('recorded_by')
      .notNull()
      .references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true, precision: 3 }).notNull(),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [index('referral_consents_student').on(t.studentId), tenantIsolation()],
);

/** Every move of a referral, by whom and which side, with its reason: the referral's history. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
    byUserId: uuid('by_user_id').references(() => users.id),
    side: text('side').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    reason: text('reason'),
  },
  (t) => [index('referral_events_referral').on(t.referralId, t.at), tenantIsolation()],
);

/** Follow-through work for the referring counselor: a partner that did not answer, a missed appointment, a family check-in. */
export const referralFollowUps = pgTable(
  'referral_follow_ups',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    referralId: uuid('referral_id')
      .notNull()
      .references(() => referrals.id),
    kind: text('kind', { enum: followUpKinds }).notNull(),
    ownerUserId: uuid('owner_user_id')
      .notNull()
      .references(() => users.id),
    dueOn: date('due_on').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, precision: 3 }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true, precision: 3 }),
    note: text('note'),
  },
  (t) => [
    uniqueIndex('referral_follow_ups_once').on(t.referralId, t.kind, t.dueOn),
    index('referral_follow_ups_owner_open').on(t.ownerUserId).where(sql`done_at is null`),
    tenantIsolation(),
  ],
);
