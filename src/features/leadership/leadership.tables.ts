import { bigint, date, doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../../platform/db/tenancy.ts';
import { districts, schools } from '../districts/districts.tables.ts';

export const staffRoles = ['counselor', 'psychologist', 'social_worker', 'nurse'] as const;

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

export const fundingKinds = [
  'esser_i',
  'esser_ii',
  'esser_iii',
  'title_i',
  'title_iv_a',
  'medicaid_sbs',
  'state_grant',
  'local',
  'opioid_settlement',
  'other',
] as const;
export const fundedKinds = ['staff_position', 'partner_contract', 'service'] as const;

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
