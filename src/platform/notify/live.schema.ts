import { z } from 'zod';
import { reportCategories, urgencies } from '../../data/reports.values.ts';

// What each live event carries to the browser (the `data:` line of the alert stream). Every event
// goes through its schema when it is published and again when an app server passes it on, so a
// field left out here is never sent; the web app reads the types from this file (z.infer).

const id = z.string().min(1);
/** An ISO 8601 moment, as `Date.toISOString()` writes it. */
const moment = z.iso.datetime();

/** The data of each event type, by the name the stream gives it (`event: report.alert`). */
export const liveEventData = {
  /** A report now waits for this person, at this step of the escalation chain. */
  'report.alert': z.object({
    reportId: id,
    urgency: z.enum(urgencies),
    category: z.enum(reportCategories),
    /** The school's name, or the district's when the report names no school. */
    school: z.string(),
    /** The chain step alerted: primary, secondary, school_administrator or district_on_call. */
    step: z.string(),
    receivedAt: moment,
    /** Outside school hours: the person is alerted beside the chain (the after-hours on-call). */
    afterHours: z.boolean().optional(),
  }),
  /** Someone took the report: the alert can be put away. */
  'report.acknowledged': z.object({ reportId: id, by: z.string(), at: moment }),
  /** The reporter wrote again (anonymous conversation). */
  'report.message': z.object({ reportId: id, at: moment }),
  /** A proctor must keep this student close: the screen raised imminent risk. */
  'screening.hold': z.object({ windowId: id, sessionId: id, student: z.string(), school: z.string() }),
  /** Someone outside the team broke the glass to open a case this person is on. */
  'case.break_glass': z.object({ caseId: id, by: z.string() }),
  /** A case task is due, or overdue. */
  'case.task_due': z.object({ caseId: id, taskId: id, kind: z.string(), overdue: z.boolean() }),
  /** A support plan this person is responsible for is past its review date. */
  'plan.review_overdue': z.object({ planId: id, studentId: id }),
};

export type LiveEventType = keyof typeof liveEventData;
export type LiveEventData<T extends LiveEventType> = z.infer<(typeof liveEventData)[T]>;
/** A new report waiting for the signed-in person (the red banner and its chime). */
export type LiveAlert = LiveEventData<'report.alert'>;
/** A proctor's hold: a student they are screening must stay with them (imminent risk). */
export type ProctorHold = LiveEventData<'screening.hold'>;

const event = <T extends LiveEventType>(type: T) => z.object({ type: z.literal(type), data: liveEventData[type] });
/** One event as it travels between app servers: its type and its data. */
export const liveEvent = z.discriminatedUnion('type', [
  event('report.alert'),
  event('report.acknowledged'),
  event('report.message'),
  event('screening.hold'),
  event('case.break_glass'),
  event('case.task_due'),
  event('plan.review_overdue'),
]);
/** An event of any type, its data typed by its type. */
export type LiveMessage = z.infer<typeof liveEvent>;

/**
 * The stream's answer in /api/openapi.json. The stream is written by hand, one event at a time:
 * `event: <type>` then `data: <the data as JSON>`; the schema names each type and its data.
 */
export const alertStream = {
  description: 'Server-sent events. First `event: ready` with `data: {}`; then, as they happen, `event: <type>` and `data: <JSON>`, one of the events below.',
  content: { 'text/event-stream': { schema: liveEvent } },
};
