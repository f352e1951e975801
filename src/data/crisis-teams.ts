import { boolean, index, integer, jsonb, pgTable, text, time, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { districts, schools } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

export { onCallPositions, teamRoles } from './crisis-teams.values.ts';

import { onCallPositions, teamRoles } from './crisis-teams.values.ts';

/** A crisis team: one per school, and one at district level (schoolId NULL). */
export const crisisTeams = pgTable(
  'crisis_teams',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id').references(() => schools.id),
    name: text('name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('crisis_teams_district_school').on(t.districtId, t.schoolId), tenantIsolation()],
);

/**
 * A team member: a staff user, or a named person without an account (a community partner, a
 * caregiver representative) reached by e-mail or phone.
 */
export const crisisTeamMembers = pgTable(
  'crisis_team_members',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => crisisTeams.id),
    userId: uuid('user_id').references(() => users.id),
    name: text('name').notNull(),
    teamRole: text('team_role', { enum: teamRoles }).notNull(),
    email: text('email'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('crisis_team_members_team').on(t.teamId), tenantIsolation()],
);

/** The weekly rota, in the district's time zone. An end before the start runs past midnight. */
export const onCallShifts = pgTable(
  'on_call_shifts',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => crisisTeams.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => crisisTeamMembers.id),
    position: text('position', { enum: onCallPositions }).notNull(),
    /** 0 = Sunday … 6 = Saturday. */
    weekday: integer('weekday').notNull(),
    startsAt: time('starts_at').notNull(),
    endsAt: time('ends_at').notNull(),
  },
  (t) => [index('on_call_shifts_team').on(t.teamId), tenantIsolation()],
);

/** A dated exception to the rota (holiday cover, a swap); it wins over the weekly pattern. */
export const onCallOverrides = pgTable(
  'on_call_overrides',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    teamId: uuid('team_id')
      .notNull()
      .references(() => crisisTeams.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => crisisTeamMembers.id),
    position: text('position', { enum: onCallPositions }).notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('on_call_overrides_team').on(t.teamId, t.startsAt), tenantIsolation()],
);

/**
 * How long each escalation step waits for an acknowledgement, per urgency, and the hours in which
 * non-life-safety reports escalate (life-safety escalates around the clock).
 */
export const escalationSettings = pgTable(
  'escalation_settings',
  {
    districtId: uuid('district_id')
      .primaryKey()
      .references(() => districts.id),
    /** Minutes to wait at each step: { life_safety: [5, 5, 5, 10], urgent: [...], routine: [...] }. */
    waitMinutes: jsonb('wait_minutes').$type<Record<'life_safety' | 'urgent' | 'routine', number[]>>().notNull(),
    /** Local opening and closing time and school days for non-life-safety escalation. */
    hoursStart: time('hours_start').notNull().default('07:00'),
    hoursEnd: time('hours_end').notNull().default('17:00'),
    weekdays: jsonb('weekdays').$type<number[]>().notNull().default([1, 2, 3, 4, 5]),
    /**
     * Crisis-team members who take safety alerts outside school hours, in order (the district's
     * after-hours on-call); they are alerted beside the chain at every step.
     */
    afterHoursMemberIds: jsonb('after_hours_member_ids').$type<string[]>().notNull().default([]),
  },
  () => [tenantIsolation()],
);
