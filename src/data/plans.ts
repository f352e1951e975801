import { date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { districts, schools } from './districts.ts';
import { planStatuses, reviewDecisions } from './plans.values.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

/** Interventions a district added to the default library. */
export const interventionLibrary = pgTable(
  'intervention_library',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
  },
  (t) => [uniqueIndex('intervention_library_code').on(t.districtId, t.code), tenantIsolation()],
);

export type Goal = { id: string; description: string; measure: string; baseline: number | null; target: number };
export type PlanIntervention = { code: string; name: string; frequency: string };

/** A student's MTSS support plan: tier, concern, measurable goals, interventions, cadence. */
export const supportPlans = pgTable(
  'support_plans',
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
    tier: integer('tier').notNull(),
    concern: text('concern').notNull(),
    goals: jsonb('goals').$type<Goal[]>().notNull(),
    interventions: jsonb('interventions').$type<PlanIntervention[]>().notNull(),
    responsibleUserId: uuid('responsible_user_id')
      .notNull()
      .references(() => users.id),
    /** What the plan asks of teachers, in plain words; the only part teachers see. */
    teacherAsks: text('teacher_asks'),
    startDate: date('start_date').notNull(),
    reviewEveryDays: integer('review_every_days').notNull(),
    nextReviewOn: date('next_review_on').notNull(),
    reviewRemindedOn: date('review_reminded_on'),
    status: text('status', { enum: planStatuses }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
  },
  (t) => [index('support_plans_student').on(t.studentId), index('support_plans_responsible').on(t.responsibleUserId, t.status), tenantIsolation()],
);

/** A goal measure on a date: the progress chart. */
export const planProgress = pgTable(
  'plan_progress',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => supportPlans.id),
    goalId: text('goal_id').notNull(),
    measuredOn: date('measured_on').notNull(),
    value: doublePrecision('value').notNull(),
    note: text('note'),
    recordedBy: uuid('recorded_by').references(() => users.id),
  },
  (t) => [index('plan_progress_plan').on(t.planId, t.measuredOn), tenantIsolation()],
);

/** Review meetings and their decisions, and every other change: the plan's history. */
export const planEvents = pgTable(
  'plan_events',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => supportPlans.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actorLabel: text('actor_label').notNull(),
    kind: text('kind').notNull(),
    decision: text('decision', { enum: reviewDecisions }),
    summary: text('summary').notNull(),
  },
  (t) => [index('plan_events_plan').on(t.planId, t.at), tenantIsolation()],
);

/** A contact with a student (met, called, checked in): it keeps them off the "needs support now" queue. */
export const studentContacts = pgTable(
  'student_contacts',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    studentId: uuid('student_id')
      .notNull()
      .references(() => students.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    byUserId: uuid('by_user_id').references(() => users.id),
    note: text('note'),
  },
  (t) => [index('student_contacts_student').on(t.studentId, t.at), tenantIsolation()],
);
