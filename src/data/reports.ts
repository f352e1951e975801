import { boolean, foreignKey, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.ts';
import { crisisTeamMembers } from './crisis-teams.ts';
import { districts, schools } from './districts.ts';
import { students } from './students.ts';
import { tenantIsolation } from './tenancy.ts';

export { dispositions, reportCategories, reportChannels, reportStatuses, urgencies } from './reports.values.ts';

import { dispositions, reportCategories, reportChannels, reportStatuses, type StoredReason, urgencies } from './reports.values.ts';

/** Reports about the same student or school with similar words in a short window form one incident. */
export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id').references(() => schools.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('incidents_district').on(t.districtId, t.createdAt), tenantIsolation()],
);

/**
 * A request for help from any channel. Anonymous reports hold no IP address, user agent or
 * device id; a reply address (SMS number, e-mail) is kept encrypted only while the report is
 * open, with a keyed hash to find the conversation, and both are purged when it closes.
 */
export const reports = pgTable(
  'reports',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id').references(() => schools.id),
    incidentId: uuid('incident_id').references(() => incidents.id),
    channel: text('channel', { enum: reportChannels }).notNull(),
    category: text('category', { enum: reportCategories }).notNull(),
    /** What the reporter chose; triage may raise it, never lower it. */
    urgencyReported: text('urgency_reported', { enum: urgencies }).notNull(),
    urgency: text('urgency', { enum: urgencies }).notNull(),
    /** Coded reasons (triage.rules.ts); reports triaged before the codes keep their English sentences. */
    triageReasons: jsonb('triage_reasons').$type<StoredReason[]>().notNull().default([]),
    /** Speaks of suicide, self-harm, a threat or a weapon (triage): escalates around the clock. */
    safetyFlag: boolean('safety_flag').notNull().default(false),
    /** A concern of abuse naming someone in the student's home: messages to the guardians wait for a person. */
    householdConcern: boolean('household_concern').notNull().default(false),
    description: text('description').notNull(),
    /** Who the report is about, as the reporter wrote it. */
    aboutPerson: text('about_person'),
    /** Contact details the reporter chose to give, encrypted. */
    contactEncrypted: text('contact_encrypted'),
    replyAddressEncrypted: text('reply_address_encrypted'),
    replyAddressHash: text('reply_address_hash'),
    language: text('language').notNull().default('en'),
    followUpCodeHash: text('follow_up_code_hash').notNull(),
    /** A state tip line (Safe2Tell) report is recorded by its ID only (C.R.S. 24-31-607). */
    stateTipLineId: text('state_tip_line_id'),
    /** The student, when Haven knows who it is (a screening alert, or identified later). */
    studentId: uuid('student_id').references(() => students.id),
    enteredByUserId: uuid('entered_by_user_id').references(() => users.id),
    status: text('status', { enum: reportStatuses }).notNull().default('received'),
    disposition: text('disposition', { enum: dispositions }),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, precision: 3 }),
    acknowledgedBy: uuid('acknowledged_by').references(() => users.id),
    firstActionAt: timestamp('first_action_at', { withTimezone: true, precision: 3 }),
    studentContactedAt: timestamp('student_contacted_at', { withTimezone: true, precision: 3 }),
    connectedToHelpAt: timestamp('connected_to_help_at', { withTimezone: true, precision: 3 }),
    closedAt: timestamp('closed_at', { withTimezone: true, precision: 3 }),
    /** Escalation: the chain step now alerted (0 = primary) and when the next one is due. */
    escalationStep: integer('escalation_step').notNull().default(0),
    nextEscalationAt: timestamp('next_escalation_at', { withTimezone: true, precision: 3 }),
    /**
     * Sent over the per-address intake limit (a flood, or a whole school behind one address):
     * stored like any other, but alerted as a group rather than one by one.
     */
    throttled: boolean('throttled').notNull().default(false),
  },
  (t) => [
    uniqueIndex('reports_follow_up_code').on(t.followUpCodeHash),
    // What a reference to a report within its district points at (report_alerts_report_fk).
    uniqueIndex('reports_district_id').on(t.districtId, t.id),
    index('reports_district_status').on(t.districtId, t.status, t.receivedAt),
    index('reports_district_school_received').on(t.districtId, t.schoolId, t.receivedAt),
    index('reports_due_escalation').on(t.nextEscalationAt),
    index('reports_reply_address').on(t.replyAddressHash),
    tenantIsolation(),
  ],
);

export const messageDirections = ['from_reporter', 'to_reporter', 'internal_note'] as const;

/** The two-way conversation with the (possibly anonymous) reporter, and the team's notes. */
export const reportMessages = pgTable(
  'report_messages',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    reportId: uuid('report_id')
      .notNull()
      .references(() => reports.id),
    direction: text('direction', { enum: messageDirections }).notNull(),
    body: text('body').notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [index('report_messages_report').on(t.reportId, t.at), tenantIsolation()],
);

/** Every alert sent: who, on which channel, at which step, when; so each step is timed. */
export const reportAlerts = pgTable(
  'report_alerts',
  {
    id: uuid('id').primaryKey(),
    /** With `reportId`, a reference to the report in this district (`report_alerts_report_fk`). */
    districtId: uuid('district_id').notNull(),
    reportId: uuid('report_id').notNull(),
    step: integer('step').notNull(),
    memberId: uuid('member_id').references(() => crisisTeamMembers.id),
    userId: uuid('user_id').references(() => users.id),
    channel: text('channel', { enum: ['in_app', 'email', 'sms', 'voice'] }).notNull(),
    /**
     * `not_set_up`: the person has a phone number but this Haven has no text or call provider, so
     * nothing was sent that way (the team sees why on the report, and a warning on its page).
     */
    outcome: text('outcome', { enum: ['sent', 'failed', 'no_recipient', 'not_set_up'] }).notNull(),
    at: timestamp('at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    // One key check instead of two for the rows routing writes most (several per report), and
    // none that locks the district's row: every key to districts takes a share lock on that one
    // row, which concurrent routing then contends for (decision 44).
    foreignKey({ name: 'report_alerts_report_fk', columns: [t.districtId, t.reportId], foreignColumns: [reports.districtId, reports.id] }),
    index('report_alerts_report').on(t.reportId, t.at),
    index('report_alerts_user').on(t.userId, t.at),
    tenantIsolation(),
  ],
);

/**
 * Reports accepted during a burst, durably stored but not yet routed. Intake writes one row and
 * answers; the worker routes them, life-safety first. Not a tenant table: the district is decided
 * when the row is routed, so only the system connection reads it.
 */
export const reportIntake = pgTable(
  'report_intake',
  {
    id: uuid('id').primaryKey(),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull(),
    /** 0 = life-safety, 1 = urgent, 2 = routine, from triage at intake: the order of routing. */
    priority: integer('priority').notNull(),
    payload: jsonb('payload').notNull(),
  },
  (t) => [index('report_intake_order').on(t.priority, t.receivedAt)],
);

export const inboundChannelKinds = ['sms', 'email'] as const;

/**
 * The numbers and addresses a district receives texts and e-mail on. A message is routed by the
 * number or address it was sent to, never by guesswork: each belongs to exactly one district.
 * The address is stored normalized (E.164 for a number, lower case for an e-mail address).
 */
export const inboundChannels = pgTable(
  'inbound_channels',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    kind: text('kind', { enum: inboundChannelKinds }).notNull(),
    address: text('address').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    createdBy: uuid('created_by').references(() => users.id),
  },
  (t) => [uniqueIndex('inbound_channels_address').on(t.kind, t.address), index('inbound_channels_district').on(t.districtId), tenantIsolation()],
);

/**
 * A text or e-mail sent to a number or address no district owns. It is stored and answered, and
 * held for the platform operator (`haven channel held`), who routes it to the district it was
 * meant for or closes it; it is never routed to a district by guess. Not a tenant table: until the
 * operator routes it, it belongs to no district. The sender's address is encrypted.
 */
export const unroutedMessages = pgTable(
  'unrouted_messages',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: inboundChannelKinds }).notNull(),
    /** The number or address it was sent to (normalized). */
    toAddress: text('to_address').notNull(),
    fromEncrypted: text('from_encrypted').notNull(),
    body: text('body').notNull(),
    language: text('language').notNull().default('en'),
    receivedAt: timestamp('received_at', { withTimezone: true, precision: 3 }).notNull(),
    /** When the operator routed it (to a report in that district) or closed it. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true, precision: 3 }),
    routedToDistrictId: uuid('routed_to_district_id').references(() => districts.id),
    reportId: uuid('report_id'),
    resolvedNote: text('resolved_note'),
  },
  (t) => [index('unrouted_messages_open').on(t.resolvedAt, t.receivedAt)],
);
