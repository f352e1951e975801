import { sql } from 'drizzle-orm';
import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgPolicy,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { districts, schools } from './districts.ts';
import { fundedKinds, fundingKinds, policyKinds, staffRoles, trainingKinds } from './leadership.values.ts';
import { tenantIsolation } from './tenancy.ts';

export { fundedKinds, fundingKinds, policyKinds, staffRoles, trainingKinds } from './leadership.values.ts';

/**
 * The district's internal mental-health staffing, per school: positions in FTE with the caseload
 * one full-time person can carry. Capacity against need is computed from these and from the
 * partner directory's open places.
 */
export const staffPositions = pgTable(
  'staff_positions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    role: text('role', { enum: staffRoles }).notNull(),
    fte: doublePrecision('fte').notNull(),
    /** Students with a plan or case one full-time person can carry. */
    caseloadPerFte: integer('caseload_per_fte').notNull(),
    title: text('title'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('staff_positions_school').on(t.districtId, t.schoolId), tenantIsolation()],
);

/** A funding source with its award, spending period and deadlines (amounts in cents). */
export const fundingSources = pgTable(
  'funding_sources',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    kind: text('kind', { enum: fundingKinds }).notNull(),
    name: text('name').notNull(),
    awardCents: bigint('award_cents', { mode: 'number' }).notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    obligationDeadline: date('obligation_deadline').notNull(),
    liquidationDeadline: date('liquidation_deadline'),
    deadlineAlertedAt: timestamp('deadline_alerted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('funding_sources_district').on(t.districtId), tenantIsolation()],
);

/** Part of a source set aside for one thing it pays for; one thing may be braided from several sources. */
export const fundingAllocations = pgTable(
  'funding_allocations',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => fundingSources.id),
    fundsKind: text('funds_kind', { enum: fundedKinds }).notNull(),
    /** What it pays for, as people say it: "Bilingual counseling contract", "Lincoln counselor". */
    funds: text('funds').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('funding_allocations_source').on(t.sourceId), tenantIsolation()],
);

export const fundingSpending = pgTable(
  'funding_spending',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => fundingSources.id),
    spentOn: date('spent_on').notNull(),
    amountCents: bigint('amount_cents', { mode: 'number' }).notNull(),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('funding_spending_source').on(t.sourceId, t.spentOn), tenantIsolation()],
);

/** A training the district runs, for staff or students, with how often it must be refreshed. */
export const trainings = pgTable(
  'trainings',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    name: text('name').notNull(),
    kind: text('kind', { enum: trainingKinds }).notNull(),
    audience: text('audience', { enum: ['staff', 'students'] }).notNull(),
    refresherMonths: integer('refresher_months'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('trainings_district').on(t.districtId), tenantIsolation()],
);

export const trainingSessions = pgTable(
  'training_sessions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    trainingId: uuid('training_id')
      .notNull()
      .references(() => trainings.id),
    schoolId: uuid('school_id').references(() => schools.id),
    heldOn: date('held_on').notNull(),
    /** Student awareness sessions count students reached, not named attendance. */
    studentsReached: integer('students_reached').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('training_sessions_training').on(t.trainingId, t.heldOn), tenantIsolation()],
);

/** Staff attendance, by the e-mail address they use in Haven (so CSV sign-in sheets import cleanly). */
export const trainingAttendance = pgTable(
  'training_attendance',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => trainingSessions.id),
    email: text('email').notNull(),
    name: text('name'),
    /** When the lapse reminder for this attendance went out. */
    lapseRemindedAt: timestamp('lapse_reminded_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('training_attendance_once').on(t.sessionId, t.email), index('training_attendance_email').on(t.districtId, t.email), tenantIsolation()],
);

/** A district policy with an owner and a review date; its text lives in versions staff acknowledge. */
export const policies = pgTable(
  'policies',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    kind: text('kind', { enum: policyKinds }).notNull(),
    title: text('title').notNull(),
    ownerUserId: uuid('owner_user_id').notNull(),
    reviewBy: date('review_by').notNull(),
    reviewRemindedAt: timestamp('review_reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('policies_district').on(t.districtId), tenantIsolation()],
);

export const policyVersions = pgTable(
  'policy_versions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    policyId: uuid('policy_id')
      .notNull()
      .references(() => policies.id),
    version: text('version').notNull(),
    summary: text('summary').notNull(),
    /** Where the adopted document lives (the board's policy site, a shared drive): https only. */
    documentUrl: text('document_url'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('policy_versions_version').on(t.policyId, t.version), tenantIsolation()],
);

export const policyAcknowledgements = pgTable(
  'policy_acknowledgements',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => policyVersions.id),
    userId: uuid('user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('policy_acknowledgements_once').on(t.versionId, t.userId), tenantIsolation()],
);

/** One sitting of the quality self-assessment: scores per indicator (1–6), with Haven's measured value beside them. */
export const selfAssessments = pgTable(
  'self_assessments',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    heldOn: date('held_on').notNull(),
    scores: jsonb('scores').$type<{ indicatorId: string; score: number; measured: number | null; note: string | null }[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('self_assessments_district').on(t.districtId, t.heldOn), tenantIsolation()],
);

export const actionItems = pgTable(
  'action_items',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    indicatorId: text('indicator_id'),
    action: text('action').notNull(),
    owner: text('owner').notNull(),
    dueOn: date('due_on').notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('action_items_district').on(t.districtId, t.dueOn), tenantIsolation()],
);

/**
 * Dashboard figures computed in the background (the equity path, the self-assessment measures):
 * reading them is instant however large the district; each says when it was computed.
 */
export const dashboardRollups = pgTable(
  'dashboard_rollups',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    kind: text('kind', { enum: ['equity', 'self_assessment', 'capacity'] }).notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.kind] }), tenantIsolation()],
);

/**
 * The equity rollup in slices (decision 43): the district's students fall into 256 slices by the
 * last byte of their id, and each slice keeps its own additive tally (counts only, never a row per
 * student). The rollup sums the tallies, recomputing only slices that changed or were counted on
 * an earlier day.
 */
export const equityTallies = pgTable(
  'equity_tallies',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    slice: smallint('slice').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.slice] }), tenantIsolation()],
);

/**
 * Slices whose students changed since their tally was counted: written by triggers in the same
 * transaction as the change (migration 0031), so no write path can forget one; taken (deleted)
 * by the rollup in the transaction that recounts them. Append-only with no key, so writers never
 * wait on each other. Any role may mark a slice of any district (a mark only asks for a recount,
 * and the owner's writes carry no district setting); reading and taking stay within the district.
 */
export const equityChanges = pgTable(
  'equity_changes',
  {
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    slice: smallint('slice').notNull(),
  },
  (t) => [
    index('equity_changes_district').on(t.districtId),
    tenantIsolation(),
    pgPolicy('mark_any_district', { as: 'permissive', for: 'insert', withCheck: sql`true` }),
  ],
);
