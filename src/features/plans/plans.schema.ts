import { z } from 'zod';
import { reviewDecisions } from '../../data/plans.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';

/** A sentence Haven wrote, as a code and values for the reader's language (plan-words.rules.ts, timeline.service.ts). */
const words = z.object({ code: z.string(), values: z.record(z.string(), z.union([z.string(), z.number()])) });
/** A task title Haven wrote, as a code and values (case-words.rules.ts `readTaskTitle`). */
const taskWords = z.object({ code: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])) });

// Requests and answers of the support-plan routes. Each answer is serialized through its schema, so
// a field left out here is never sent; the web app reads the types (z.input: the wire form). Values
// read back from stored text are plain strings, so an answer never fails over an old row.

export const idParams = z.object({ id: z.string().max(100) });
export const interventionInput = z.object({ name: z.string().trim().min(1).max(120) });
export const contactInput = z.object({ note: z.string().trim().max(1000).optional() });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2026-12-01', 'use una fecha como 2026-12-01', 'date_format'));

/** A support plan: tier, concern, measurable goals, interventions from the library, and how often it is reviewed. */
export const planInput = z.object({
  tier: z.union([z.literal(1), z.literal(2), z.literal(3)], { message: inSpanish('the tier is 1, 2 or 3', 'el nivel es 1, 2 o 3', 'tier_invalid') }),
  concern: z
    .string()
    .trim()
    .min(1, inSpanish('describe the concern', 'describa la preocupación', 'concern_required'))
    .max(2000),
  goals: z
    .array(
      z.object({
        description: z.string().trim().min(1).max(500),
        measure: z
          .string()
          .trim()
          .min(1, inSpanish('say how the goal is measured', 'diga cómo se mide la meta', 'goal_measure_required'))
          .max(200),
        baseline: z.number().nullable().default(null),
        target: z.number(),
      }),
    )
    .min(1, inSpanish('a plan needs at least one measurable goal', 'un plan necesita al menos una meta medible', 'goal_required'))
    .max(6),
  interventions: z
    .array(z.object({ code: z.string().max(60), frequency: z.string().trim().max(100).default('') }))
    .min(1, inSpanish('choose at least one intervention', 'elija al menos una intervención', 'intervention_required'))
    .max(10),
  responsibleUserId: z.uuid().optional(),
  teacherAsks: z.string().trim().max(1000).optional(),
  startDate: day,
  reviewEveryDays: z
    .number()
    .int()
    .min(7, inSpanish('review every 7 to 180 days', 'programe una revisión cada 7 a 180 días', 'review_interval_invalid'))
    .max(180, inSpanish('review at least every 180 days', 'programe una revisión al menos cada 180 días', 'review_interval_invalid')),
});
/** One measure of a goal on a day. */
export const progressInput = z.object({ goalId: z.string().max(20), measuredOn: day, value: z.number(), note: z.string().trim().max(1000).optional() });
/** A review meeting and its decision (continue, intensify, step down, close). */
export const reviewInput = z.object({
  heldOn: day,
  decision: z.enum(reviewDecisions),
  notes: z
    .string()
    .trim()
    .min(1, inSpanish('record what was decided and why', 'registre qué se decidió y por qué', 'review_decision_required'))
    .max(4000),
});

const intervention = z.object({ code: z.string(), name: z.string() });
/** The district's intervention library (the defaults and its own). */
export const interventionList = z.array(intervention);
export type InterventionList = z.input<typeof interventionList>;
export const interventionAdded = intervention;

/** A student's plans, newest first, with goal measures and history, and the student's rescreens. */
export const studentPlansView = z.object({
  plans: z.array(
    z.object({
      id: z.string(),
      studentId: z.string(),
      schoolId: z.string(),
      tier: z.number(),
      concern: z.string(),
      goals: z.array(z.object({ id: z.string(), description: z.string(), measure: z.string(), baseline: z.number().nullable(), target: z.number() })),
      interventions: z.array(z.object({ code: z.string(), name: z.string(), frequency: z.string() })),
      responsibleUserId: z.string(),
      teacherAsks: z.string().nullable(),
      startDate: z.string(),
      reviewEveryDays: z.number(),
      nextReviewOn: z.string(),
      reviewRemindedOn: z.string().nullable(),
      status: z.string(),
      createdAt: z.string(),
      closedAt: z.string().nullable(),
      reviewOverdue: z.boolean(),
      progress: z.array(z.object({ goalId: z.string(), measuredOn: z.string(), value: z.number(), note: z.string().nullable() })),
      /** `summary` as Haven wrote it (English); `words`, its parts for the reader's language (plan-words.rules.ts), null when unread. */
      history: z.array(
        z.object({ at: z.string(), who: z.string(), kind: z.string(), decision: z.string().nullable(), summary: z.string(), words: words.nullable() }),
      ),
    }),
  ),
  rescreens: z.array(z.object({ instrumentId: z.string(), score: z.number().nullable(), on: z.string() })),
});
export type StudentPlans = z.input<typeof studentPlansView>;

export const planCreated = z.object({ id: z.string() });
export const progressRecorded = z.object({ recorded: z.boolean() });
export const reviewRecorded = z.object({ tier: z.number(), status: z.string() });
export const contactRecorded = z.object({ recorded: z.boolean() });

/** "Needs support now": students with a reason and nothing in place, longest wait first, and by school. */
export const supportQueue = z.object({
  entries: z.array(
    z.object({
      student: z.object({
        id: z.string(),
        firstName: z.string(),
        lastName: z.string(),
        grade: z.string(),
        localId: z.string(),
        schoolId: z.string(),
        school: z.string(),
      }),
      reasons: z.array(z.object({ reason: z.string(), since: z.string() })),
      waitingSince: z.string(),
      waitedDays: z.number(),
    }),
  ),
  bySchool: z.array(z.object({ school: z.string(), waiting: z.number(), medianDays: z.number(), longestDays: z.number() })),
});
export type SupportQueue = z.input<typeof supportQueue>;

/** What falls to the reader: plans and reviews due, open case tasks, screening follow-ups, groups. */
export const caseloadView = z.object({
  plans: z.array(
    z.object({
      id: z.string(),
      studentId: z.string(),
      student: z.string(),
      grade: z.string(),
      tier: z.number(),
      nextReviewOn: z.string(),
      reviewOverdue: z.boolean(),
    }),
  ),
  /**
   * `students`: who the task's case is about (empty until the student is identified, or when the
   * reader may not read the case). `title` as stored (English for the tasks Haven makes); `kind`
   * names a duty and `words` a re-entry title's parts (case-words.rules.ts), so the staff app says
   * them in the reader's language; a title a person typed has no words and is shown as typed.
   */
  tasks: z.array(
    z.object({
      id: z.string(),
      caseId: z.string(),
      kind: z.string(),
      title: z.string(),
      words: taskWords.nullable(),
      dueAt: z.string(),
      overdue: z.boolean(),
      students: z.array(z.object({ id: z.string(), name: z.string() })),
    }),
  ),
  followUps: z.array(
    z.object({
      id: z.string(),
      studentId: z.string(),
      student: z.string(),
      instrumentId: z.string(),
      band: z.string().nullable(),
      dueOn: z.string(),
      overdue: z.boolean(),
    }),
  ),
  groups: z.array(z.object({ code: z.string(), name: z.string(), members: z.array(z.string()) })),
});
export type Caseload = z.input<typeof caseloadView>;

/** A student's timeline, newest first: only what the reader may see; `words` as in a plan's history. */
export const timelineView = z.array(
  z.object({
    at: z.string(),
    kind: z.enum(['screening', 'plan', 'case', 'contact']),
    summary: z.string(),
    words: words.nullable(),
    link: z.string().nullable(),
  }),
);
export type Timeline = z.input<typeof timelineView>;
