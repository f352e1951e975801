import { z } from 'zod';
import {
  caseActions,
  caseOutcomes,
  caseStatuses,
  requiredPlanSections,
  riskLevels,
  threatActions,
  threatClassifications,
  threatSeverities,
} from '../../data/cases.values.ts';

// The case list and the case page's answer. Each route serializes through its schema, so a field
// left out here is never sent (a mandatory report's content is blanked by the service before it
// gets here for those who may not read it). The web app reads these types (z.input: the wire
// form). Values Haven computes are enums; values read back from stored text are plain strings, so
// an answer never fails over an old row. A rule that returns a value these schemas do not know
// fails the type check of the route.

const riskLevel = z.enum(riskLevels);
const planSection = z.enum(requiredPlanSections);
const threatAction = z.enum(threatActions);
const severity = z.enum(threatSeverities);
const named = z.object({ id: z.string(), name: z.string() });

/** The crisis team's list: my school's, mine, overdue or closed cases. */
export const caseList = z.array(
  z.object({
    id: z.string(),
    type: z.string(),
    status: z.string(),
    summary: z.string(),
    school: z.string().nullable(),
    openedAt: z.string(),
    mine: z.boolean(),
    overdue: z.boolean(),
    students: z.array(z.string()),
  }),
);
export type CaseList = z.input<typeof caseList>;

/** Which version, recorded by whom (name and roles) and when. */
const recorded = { version: z.number(), by: z.string(), at: z.string() };

/** Why a step is refused: a code the web app translates, the items it names (case.rules.ts Gate). */
const gate = z.discriminatedUnion('code', [
  z.object({ code: z.enum(['status', 'assessment_first', 'high_risk_no_plan', 'mandatory_report', 'guardian_notice']) }),
  z.object({ code: z.literal('high_risk_plan_incomplete'), items: z.array(planSection).readonly() }),
  z.object({ code: z.literal('threat_actions'), items: z.array(threatAction).readonly(), severity }),
]);

/** The case at a glance and its next steps, derived by the server (case-summary.rules.ts). */
const overview = z.object({
  risk: z
    .object({
      ...recorded,
      /** The clinician's level: the one that counts. */
      level: riskLevel,
      /** Haven's suggestion, shown beside the level only when the clinician chose differently. */
      suggestedLevel: riskLevel.nullable(),
      differs: z.boolean(),
      rationale: z.string().nullable(),
      riskFactors: z.array(z.string()),
      protectiveFactors: z.array(z.string()),
    })
    .nullable(),
  threat: z
    .object({
      ...recorded,
      classification: z.enum(threatClassifications),
      severity: severity.nullable(),
      level: riskLevel.nullable(),
      missingActions: z.array(threatAction),
    })
    .nullable(),
  safetyPlan: z.discriminatedUnion('status', [
    z.object({ status: z.literal('none') }),
    z.object({
      ...recorded,
      status: z.enum(['complete', 'incomplete']),
      gaps: z.array(planSection),
      madeWithStudent: z.boolean(),
      language: z.string(),
    }),
  ]),
  guardian: z.discriminatedUnion('status', [
    z.object({ ...recorded, status: z.literal('notified'), guardianName: z.string(), method: z.string(), toldAt: z.string().nullable() }),
    z.object({ ...recorded, status: z.literal('waived'), confirmedBy: z.string(), confirmedAt: z.string().nullable() }),
    z.object({ ...recorded, status: z.literal('awaiting_confirmation'), deadline: z.string().nullable() }),
    z.object({ status: z.enum(['due', 'overdue']), deadline: z.string() }),
    z.object({ status: z.enum(['required', 'not_required']) }),
  ]),
  mandatoryReport: z.discriminatedUnion('status', [
    z.object({ status: z.enum(['due', 'overdue']), deadline: z.string() }),
    z.object({ ...recorded, status: z.literal('recorded'), agency: z.string().nullable() }),
    z.object({ status: z.literal('not_required') }),
  ]),
  nextCheckIn: z
    .object({
      dueAt: z.string(),
      /** The district's calendar day (YYYY-MM-DD) of the check-in. */
      date: z.string(),
      /** Days after the return to school, when a re-entry plan gives the return date. */
      day: z.number().nullable(),
      overdue: z.boolean(),
      /** Open check-ins, this one included. */
      remaining: z.number(),
    })
    .nullable(),
  closure: z.object({ ...recorded, outcome: z.enum(caseOutcomes), summary: z.string(), cancelledTasks: z.number() }).nullable(),
  nextSteps: z.array(
    z.object({
      code: z.enum([
        'assess',
        'safety_plan',
        'threat_actions',
        'notify_guardian',
        'confirm_waiver',
        'mandatory_report',
        'reentry_plan',
        'check_in',
        'monitor',
        'close',
      ]),
      /** Where on the case page the step is done. */
      section: z.enum(['assessment', 'threat', 'plan', 'guardian', 'mandatory', 'reentry', 'tasks', 'status']),
      overdue: z.boolean(),
      items: z.array(z.union([planSection, threatAction])).readonly(),
    }),
  ),
});

/** A sentence Haven wrote, as a code and values (case-words.rules.ts). */
const words = z.object({ code: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.array(z.string())])) });

/** One case with its students, reports, timeline, tasks, records, what may be done next and why not. */
export const caseView = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string(),
  summary: z.string(),
  school: named.nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  assigned: z.array(named),
  students: z.array(
    z.object({ id: z.string(), firstName: z.string(), lastName: z.string(), grade: z.string(), localId: z.string(), homeLanguage: z.string() }),
  ),
  reports: z.array(z.object({ id: z.string(), receivedAt: z.string(), channel: z.string(), category: z.string(), urgency: z.string(), status: z.string() })),
  /** `summary` as Haven wrote it (English); `words`, its parts for the reader's language, null for a sentence Haven cannot read back. */
  events: z.array(z.object({ id: z.string(), at: z.string(), who: z.string(), kind: z.string(), summary: z.string(), words: words.nullable() })),
  tasks: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      title: z.string(),
      /** A re-entry task's title in parts for the reader's language; null for a title a person typed (shown as typed). */
      words: words.nullable(),
      owner: z.string().nullable(),
      dueAt: z.string(),
      hardDeadlineAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      /** Who marked it done, by name; null while open, and for a duty met by a recorded notice or report with no one recorded. */
      doneBy: z.string().nullable(),
      note: z.string().nullable(),
      /** Tasks with a hard deadline are "due" until it passes, then "overdue"; "cancelled" by closing the case. */
      state: z.enum(['done', 'overdue', 'due', 'upcoming', 'cancelled']),
      overdue: z.boolean(),
    }),
  ),
  records: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      version: z.number(),
      createdAt: z.string(),
      createdBy: z.string(),
      /** The reader may not see this record's content (a mandatory report): it is empty. */
      restricted: z.boolean(),
      content: z.record(z.string(), z.unknown()),
    }),
  ),
  /** What the case rules decide on (case.rules.ts CaseFacts). */
  facts: z.object({
    status: z.enum(caseStatuses),
    type: z.string(),
    hasAssessment: z.boolean(),
    suicideRiskLevel: riskLevel.nullable(),
    safetyPlanGaps: z.array(planSection).readonly().nullable(),
    threat: z.object({ classification: z.enum(threatClassifications), severity: severity.nullable(), recorded: z.array(threatAction).readonly() }).nullable(),
    outstandingMandatoryReport: z.boolean(),
    guardianNotified: z.boolean(),
  }),
  overview,
  actions: z.array(z.object({ action: z.enum(caseActions), allowed: z.boolean(), reasons: z.array(z.string()), gates: z.array(gate) })),
  abilities: z.object({ readMandatoryReport: z.boolean(), confirmWaiver: z.boolean() }),
});
export type CaseView = z.input<typeof caseView>;
