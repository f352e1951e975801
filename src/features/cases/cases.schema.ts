import { z } from 'zod';
import {
  behaviourLevels,
  caseActions,
  caseOutcomes,
  caseTypes,
  guardianMethods,
  handoffOutcomes,
  handoffTargets,
  ideationLevels,
  mandatoryAgencies,
  protectiveFactors,
  riskFactors,
  riskLevels,
  threatClassifications,
  threatSeverities,
} from '../../data/cases.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';
import { momentPattern } from '../../platform/time-zone.ts';

const text = (max: number, message: string) => z.string().trim().min(1, message).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();
const lines = z.array(z.string().trim().min(1).max(300)).max(12).default([]);
const instant = z.iso.datetime({
  offset: true,
  message: inSpanish('use a date and time like 2026-11-30T10:00:00-07:00', 'use una fecha y hora como 2026-11-30T10:00:00-07:00', 'date_time_format'),
});
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2026-12-01', 'use una fecha como 2026-12-01', 'date_format'));

export const openCaseInput = z.object({
  type: z.enum(caseTypes, {
    message: inSpanish(`choose one of: ${caseTypes.join(', ')}`, `elija una de estas opciones: ${caseTypes.join(', ')}`, 'case_type_invalid'),
  }),
  summary: text(2000, inSpanish('say in a sentence what the case is about', 'diga en una oración de qué trata el caso', 'case_summary_required')),
  schoolId: z.uuid().optional(),
  studentIds: z.array(z.uuid()).max(10).default([]),
  reportIds: z.array(z.uuid()).max(20).default([]),
  /** Abuse or neglect is suspected: a mandatory-report task is created, due now (24 h at most). */
  abuseSuspected: z.boolean().default(false),
});

/**
 * Moves a case along. Closing says how the case ended: an outcome from a short list and a summary
 * in words, both required, because whoever reopens or audits the case later (or reads the student's
 * history) must learn why it was closed without reconstructing it from the timeline.
 */
export const transitionInput = z
  .object({
    action: z.enum(caseActions, {
      message: inSpanish(`choose one of: ${caseActions.join(', ')}`, `elija una de estas opciones: ${caseActions.join(', ')}`, 'case_action_invalid'),
    }),
    reason: optionalText(1000),
    /** Closing only: how the case ended. */
    outcome: z
      .enum(caseOutcomes, {
        message: inSpanish(`choose the outcome: ${caseOutcomes.join(', ')}`, `elija el resultado: ${caseOutcomes.join(', ')}`, 'case_outcome_invalid'),
      })
      .optional(),
    /** Closing only: a summary of how the case ended (not the case's own summary, which stays). */
    summary: optionalText(4000),
  })
  .superRefine((t, ctx) => {
    if (t.action !== 'close') return;
    if (!t.outcome)
      ctx.addIssue({
        code: 'custom',
        path: ['outcome'],
        message: inSpanish(
          `closing a case needs its outcome: choose one of ${caseOutcomes.join(', ')}`,
          `para cerrar un caso hace falta su resultado: elija una de estas opciones: ${caseOutcomes.join(', ')}`,
          'case_outcome_required',
        ),
      });
    if (!t.summary)
      ctx.addIssue({
        code: 'custom',
        path: ['summary'],
        message: inSpanish(
          'closing a case needs a summary: say in a few sentences how the case ended',
          'para cerrar un caso hace falta un resumen: diga en pocas oraciones cómo terminó',
          'case_closing_summary_required',
        ),
      });
  });

export const taskInput = z.object({
  title: text(300, inSpanish('name the task', 'indique la tarea', 'task_title_required')),
  ownerUserId: z.uuid().optional(),
  /** A moment (with offset), or a wall-clock time in the district's time zone (2026-12-01T09:00). */
  due: z
    .string()
    .regex(momentPattern, inSpanish('use a date and time like 2026-12-01T09:00', 'use una fecha y hora como 2026-12-01T09:00', 'date_time_format')),
});

export const suicideAssessmentInput = z.object({
  riskFactors: z.array(z.enum(riskFactors)).default([]),
  protectiveFactors: z.array(z.enum(protectiveFactors)).default([]),
  inquiry: z.object({
    ideation: z.enum(ideationLevels),
    plan: z.boolean(),
    behaviour: z.enum(behaviourLevels),
    intent: z.boolean(),
  }),
  level: z.enum(riskLevels, {
    message: inSpanish(
      'choose the risk level: low, moderate or high',
      'elija el nivel de riesgo: low (bajo), moderate (moderado) o high (alto)',
      'risk_level_invalid',
    ),
  }),
  /** Required when the level differs from Haven's suggestion. */
  rationale: optionalText(2000),
  interventions: text(
    2000,
    inSpanish(
      'say what is being done (for example: safety plan, parent contacted, referral)',
      'diga qué se está haciendo (por ejemplo: plan de seguridad, contacto con la familia, derivación)',
      'interventions_required',
    ),
  ),
  notes: optionalText(4000),
});

/**
 * A behavioral threat assessment (Comprehensive School Threat Assessment Guidelines, Cornell 2018).
 * The actions a substantive threat requires are recorded here, in a new version as they happen;
 * the case cannot close until they are (case.rules.ts).
 */
export const threatAssessmentInput = z
  .object({
    concern: text(2000, inSpanish('describe the concern', 'describa la preocupación', 'concern_required')),
    informationGathered: text(4000, inSpanish('say what was learned and from whom', 'diga qué se supo y de quién', 'information_required')),
    classification: z.enum(threatClassifications, {
      message: inSpanish(
        'is the threat transient or substantive?',
        '¿la amenaza es transient (pasajera) o substantive (sustantiva)?',
        'threat_classification_invalid',
      ),
    }),
    /** Substantive threats only: serious (to hit, fight or hurt) or very serious (to kill, rape, maim, or with a weapon). */
    severity: z
      .enum(threatSeverities, {
        message: inSpanish(
          'is the substantive threat serious or very serious?',
          '¿la amenaza sustantiva es serious (grave) o very_serious (muy grave)?',
          'threat_severity_invalid',
        ),
      })
      .optional(),
    level: z.enum(riskLevels),
    safetyMeasures: text(2000, inSpanish('say what keeps people safe now', 'diga qué mantiene a las personas seguras ahora', 'safety_measures_required')),
    informed: text(1000, inSpanish('say who was informed', 'diga a quién se informó', 'informed_required')),
    /** What was done, who was told, and when: each one is an action the guidelines require. */
    actions: z
      .object({
        protectiveActions: optionalText(2000),
        victimsNotified: optionalText(1000),
        guardiansNotified: optionalText(1000),
        lawEnforcement: optionalText(1000),
        safetyPlan: optionalText(4000),
      })
      .default({}),
  })
  .refine((t) => t.classification === 'transient' || t.severity !== undefined, {
    path: ['severity'],
    message: inSpanish(
      'a substantive threat is serious or very serious: choose one',
      'una amenaza sustantiva es grave o muy grave: elija una opción',
      'threat_severity_required',
    ),
  })
  .refine((t) => t.classification === 'substantive' || t.severity === undefined, {
    path: ['severity'],
    message: inSpanish('only a substantive threat has a severity', 'solo una amenaza sustantiva tiene gravedad', 'threat_severity_not_allowed'),
  });

export const safetyPlanInput = z.object({
  language: z.enum(['en', 'es']).default('en'),
  madeWithStudent: z.literal(true, {
    message: inSpanish('a safety plan is made together with the student', 'el plan de seguridad se hace junto con el estudiante', 'safety_plan_with_student'),
  }),
  warningSigns: lines,
  copingStrategies: lines,
  distractions: lines,
  peopleToAsk: lines,
  professionals: lines,
  environmentSafety: lines,
  /** Stanley-Brown: "The one thing that is most important to me and worth living for is:". */
  reasonForLiving: optionalText(500),
});

export const guardianNoticeInput = z.discriminatedUnion('notified', [
  z.object({
    notified: z.literal(true),
    guardianName: text(200, inSpanish('who was told', 'a quién se avisó', 'guardian_told_required')),
    method: z.enum(guardianMethods),
    at: instant,
    response: optionalText(2000),
  }),
  z.object({
    notified: z.literal(false),
    /** For example: the guardian is the suspected source of harm. An administrator must confirm. */
    reason: text(2000, inSpanish('give the reason not to notify', 'indique el motivo para no avisar', 'no_notice_reason_required')),
  }),
]);

export const mandatoryReportInput = z.object({
  agency: z.enum(mandatoryAgencies, {
    message: inSpanish(
      `report to one of: ${mandatoryAgencies.join(', ')}`,
      `reporte a una de estas agencias: ${mandatoryAgencies.join(', ')}`,
      'mandatory_agency_invalid',
    ),
  }),
  reportedAt: instant,
  referenceNumber: optionalText(100),
  summary: text(4000, inSpanish('summarize what was reported', 'resuma lo que se reportó', 'mandatory_summary_required')),
});

export const reentryPlanInput = z.object({
  returnDate: day,
  releaseOfInformationAt: day.optional(),
  meetingAt: instant,
  participants: z
    .array(z.string().trim().min(1).max(200))
    .min(1, inSpanish('name who was at the re-entry meeting', 'indique quién estuvo en la reunión de reincorporación', 'reentry_attendees_required'))
    .max(20),
  safetyPlanReviewed: z.boolean(),
  supports: text(2000, inSpanish('list the academic and schedule supports', 'enumere los apoyos académicos y de horario', 'reentry_supports_required')),
  pointPersonUserId: z.uuid({ message: inSpanish('choose the point person', 'elija a la persona de referencia', 'point_person_required') }),
  consider504Referral: z.boolean().default(false),
  /** What teachers see: attendance and work adjustments only, never clinical detail. */
  teacherSummary: text(
    1000,
    inSpanish(
      'write what teachers need to know (no clinical detail)',
      'escriba lo que el personal docente necesita saber (sin detalles clínicos)',
      'teacher_note_required',
    ),
  ),
  /**
   * Staff who also see the teacher summary (need to know): besides the point person and the
   * student's own teachers, for example a coach or an elective teacher. Nobody else on the staff does.
   */
  namedStaffUserIds: z
    .array(z.uuid({ message: inSpanish('choose the staff from the list', 'elija al personal de la lista', 'staff_invalid') }))
    .max(30, inSpanish('name at most 30 people', 'indique como máximo 30 personas', 'too_many_staff'))
    .default([]),
});

export const handoffInput = z.object({
  target: z.enum(handoffTargets),
  at: instant,
  outcome: z.enum(handoffOutcomes),
  note: optionalText(2000),
});

/**
 * An administrator's finding that a report gives no reasonable cause to suspect abuse or neglect
 * (C.R.S. 19-3-304 applies only with reasonable cause): the reasoning is kept with who and when.
 */
export const noCauseFindingInput = z.object({
  reasoning: z
    .string()
    .trim()
    .min(
      20,
      inSpanish(
        'explain the finding (at least 20 characters): what was learned, from whom, and why it gives no reasonable cause to suspect abuse',
        'explique la conclusión (al menos 20 caracteres): qué se supo, de quién y por qué no da motivo razonable para sospechar abuso',
        'finding_reason_required',
      ),
    )
    .max(4000),
});

export const breakGlassInput = z.object({
  reason: z
    .string()
    .trim()
    .min(
      10,
      inSpanish(
        'give the reason (at least 10 characters); it is recorded and the team is told',
        'indique el motivo (al menos 10 caracteres); queda registrado y se avisa al equipo',
        'break_glass_reason_required',
      ),
    )
    .max(1000),
});
export const linkStudentInput = z.object({ studentId: z.uuid('choose a student') });
export const shareInput = z.object({
  guardianName: text(200, inSpanish('with whom was it shared', 'con quién se compartió', 'shared_with_required')),
  method: z.enum(guardianMethods),
});
export const doneInput = z.object({ note: optionalText(1000) });

export const idParams = z.object({ id: z.string().max(100) });
export const taskParams = z.object({ id: z.string().max(100), taskId: z.string().max(100) });
export const versionParams = z.object({ id: z.string().max(100), version: z.coerce.number().int().min(1).max(1000) });
export const listQuery = z.object({ filter: z.enum(['mine', 'school', 'overdue', 'closed']).default('school') });
export const printQuery = z.object({ lang: z.enum(['en', 'es']).optional() });
export const caseScreeningInput = z.object({
  instrumentId: z.string().max(40),
  answers: z.record(z.string().max(64), z.unknown()),
  studentId: z.uuid().optional(),
});

// Answers (the case list and the case page are in case-view.schema.ts). Each route serializes
// through its schema, so a field left out here is never sent. The web app reads these types
// (z.input: the wire form).

const riskLevel = z.enum(riskLevels);

export const caseOpened = z.object({ id: z.string() });
export type CaseOpened = z.input<typeof caseOpened>;
/** The case's new status; closing also says the outcome and which open tasks it cancelled. */
export const caseMoved = z.object({
  status: z.string(),
  outcome: z.enum(caseOutcomes).optional(),
  cancelledTasks: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), dueAt: z.string() })).optional(),
});
export const studentLinked = z.object({ studentId: z.string() });
export const glassBroken = z.object({ expiresInHours: z.number() });
/** A record added to the case: its id and version. */
export const recordAdded = z.object({ id: z.string(), version: z.number() });
/** A suicide assessment, with Haven's suggested level and why (kept beside the clinician's level). */
export const assessmentRecorded = z.object({ id: z.string(), version: z.number(), suggestion: z.object({ level: riskLevel, reasons: z.array(z.string()) }) });
export const taskAdded = z.object({ id: z.string(), dueAt: z.string() });
export const taskDone = z.object({ done: z.boolean() });
export const planShared = z.object({ shared: z.boolean() });
export const dutyOpened = z.object({ taskId: z.string() });
export const staffList = z.array(z.object({ id: z.string(), name: z.string() }));
export type StaffList = z.input<typeof staffList>;
/** Who recorded the finding of no reasonable cause, and when. */
export const findingRecorded = z.object({ by: z.string(), at: sentMoment });

/** A screening given inside the case: the score and what it asks for, and the alert it raised. */
export const caseScreening = z.object({
  id: z.string(),
  instrument: z.string(),
  version: z.string(),
  score: z.number().nullable(),
  band: z.string().nullable(),
  valid: z.boolean(),
  prorated: z.boolean(),
  subscales: z.record(z.string(), z.object({ score: z.number().nullable(), band: z.string().nullable() })),
  flags: z.array(z.string()),
  actions: z.array(z.string()),
  errors: z.array(z.string()),
  alertReportId: z.string().nullable(),
  followUpDueOn: z.string().nullable(),
});

/** What an open re-entry plan and an active support plan ask of the student's teachers: never clinical detail. */
export const teacherNoteList = z.array(
  z.object({ kind: z.enum(['reentry', 'support_plan']), returnDate: z.string(), teacherSummary: z.string(), since: z.string() }),
);
export type TeacherNoteList = z.input<typeof teacherNoteList>;

export const printAnswer = { description: 'The safety plan on one printed page', content: { 'text/html': { schema: z.string() } } };
