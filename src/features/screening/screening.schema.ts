import { z } from 'zod';
import { consentKinds, consentScopes, consentSources, studentMarks } from '../../data/screening.values.ts';
import { grades } from '../../data/students.ts';
import { inSpanish } from '../../platform/errors.text.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2026-11-02', 'use una fecha como 2026-11-02', 'date_format'));
const answers = z.record(z.string().max(64), z.unknown(), {
  message: inSpanish(
    'answers must be an object of question id -> answer',
    'las respuestas deben ser un objeto de id de pregunta -> respuesta',
    'answers_not_object',
  ),
});

export const windowInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, inSpanish('give the window a name', 'dé un nombre a la ventana', 'window_name_required'))
    .max(120),
  schoolIds: z
    .array(z.uuid({ message: inSpanish('choose schools from the list', 'elija escuelas de la lista', 'school_invalid') }))
    .min(1, inSpanish('choose at least one school', 'elija al menos una escuela', 'school_required'))
    .max(200),
  grades: z
    .array(z.enum(grades, { message: inSpanish(`grades are ${grades.join(', ')}`, `los grados son ${grades.join(', ')}`, 'grade_invalid') }))
    .min(1, inSpanish('choose at least one grade', 'elija al menos un grado', 'grade_required')),
  instrumentIds: z
    .array(z.string().max(40))
    .min(1, inSpanish('choose at least one instrument', 'elija al menos un instrumento', 'instrument_required'))
    .max(5),
  opensOn: day,
  closesOn: day,
  proctorUserIds: z.array(z.uuid()).max(200).default([]),
});
export type WindowInput = z.infer<typeof windowInput>;

export const consentInput = z.object({
  kind: z.enum(consentKinds, {
    message: inSpanish(`choose one of: ${consentKinds.join(', ')}`, `elija una de estas opciones: ${consentKinds.join(', ')}`, 'consent_kind_invalid'),
  }),
  source: z.enum(consentSources, {
    message: inSpanish(`choose one of: ${consentSources.join(', ')}`, `elija una de estas opciones: ${consentSources.join(', ')}`, 'consent_source_invalid'),
  }),
  /** The window this consent or opt-out is for. */
  windowId: z
    .uuid({ message: inSpanish('windowId is the id of a screening window', 'windowId es el id de una ventana de evaluación', 'window_id_invalid') })
    .optional(),
  /** `school_year`: an opt-out (or withdrawal) for all screening this school year. */
  scope: z
    .enum(consentScopes, {
      message: inSpanish(`scope is ${consentScopes.join(' or ')}`, `el alcance es ${consentScopes.join(' o ')}`, 'consent_scope_invalid'),
    })
    .default('window'),
  /** Only this instrument of the window (for example an opt-out of the ASQ alone). */
  instrumentId: z.string().trim().min(1).max(40).optional(),
  guardianId: z.uuid().optional(),
  note: z.string().trim().max(1000).optional(),
});
export type ConsentInput = z.infer<typeof consentInput>;

export const staffResultInput = z.object({
  instrumentId: z.string().max(40),
  answers,
  context: z.record(z.string().max(40), z.unknown()).default({}),
  /** After a disclosure, without prior consent; the guardian is told afterwards. */
  emergency: z.boolean().default(false),
});
export type StaffResultInput = z.infer<typeof staffResultInput>;

export const scoreRequest = z.object({ answers, context: z.record(z.string().max(40), z.unknown()).optional() });

export const scoreResponse = z.object({
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
});

export const followUpInput = z.object({
  note: z
    .string()
    .trim()
    .min(1, inSpanish('say briefly what was done', 'diga brevemente qué se hizo', 'follow_up_note_required'))
    .max(2000),
});

/** The classes a proctor is given in a window (all of them: the list replaces theirs). */
export const proctorClassesInput = z.object({
  classIds: z
    .array(z.uuid({ message: inSpanish('choose classes from the list', 'elija clases de la lista', 'class_invalid') }))
    .max(
      60,
      inSpanish(
        'a proctor can be given at most 60 classes',
        'a una persona que aplica la evaluación se le pueden asignar como máximo 60 clases',
        'too_many_classes',
      ),
    ),
});

export const marksInput = z.object({
  studentIds: z
    .array(z.uuid({ message: inSpanish('choose students from the roster', 'elija estudiantes de la lista', 'student_invalid') }))
    .min(1, inSpanish('choose at least one student', 'elija al menos un estudiante', 'student_required'))
    .max(500, inSpanish('mark at most 500 students at once', 'marque como máximo 500 estudiantes a la vez', 'too_many_students')),
  mark: z.enum(studentMarks, {
    message: inSpanish(
      `the mark is one of: ${studentMarks.join(', ')}`,
      `la marca es una de estas opciones: ${studentMarks.join(', ')}`,
      'student_mark_invalid',
    ),
  }),
});
export type MarksInput = z.infer<typeof marksInput>;

export const idParams = z.object({ id: z.string().max(100) });
export const studentBody = z.object({ studentId: z.string().max(100) });
export const proctorParams = z.object({ id: z.string().max(100), userId: z.string().max(100) });
export const classParams = z.object({ id: z.string().max(100), classId: z.string().max(100) });
export const sessionParams = z.object({ id: z.string().max(64), sessionId: z.string().max(64) });
export const importQuery = z.object({ instrument: z.string().max(40).optional(), skipInvalid: z.enum(['true', 'false']).default('false') });
export const followUpQuery = z.object({ includeDone: z.enum(['true', 'false']).default('false') });
/** A district's own instrument definition, checked by the definition language (definition.schema.ts) on import. */
export const definitionInput = z.record(z.string(), z.unknown());

// Answers. Each route serializes through its schema, so a field left out here is never sent; the
// web app reads these types (z.input: the wire form). Moments are ISO 8601 strings and days
// YYYY-MM-DD, as the services write them; values read back from stored rows are plain strings.

/** Nothing to send: the change is made (204, no body). */
export const noContent = z.undefined().describe('Done; nothing to send');
export const createdId = z.object({ id: z.string() });

const ages = z.object({ min: z.number(), max: z.number().nullable(), source: z.string().nullable() });

/** The instruments the reader may give: those Haven ships and, signed in, the district's own. */
export const instrumentList = z.array(
  z.object({
    id: z.string(),
    version: z.string(),
    name: z.string(),
    title: z.record(z.string(), z.string()),
    respondent: z.string(),
    /** Earlier form of `ages.min`, kept for scripts that read it. */
    minAge: z.number().nullable(),
    ages: ages.nullable(),
    items: z.number(),
    validatedLanguages: z.array(z.string()),
    copyright: z.string().nullable(),
  }),
);
export type InstrumentList = z.input<typeof instrumentList>;

/** A district's definition was stored, or was the same as the one stored. */
export const instrumentImported = z.object({ id: z.string(), version: z.string(), status: z.enum(['imported', 'unchanged']) });

/** Rows read, stored and refused from another survey tool's CSV; a refused file answers 400 with the same summary. */
export const importSummary = z.object({
  importId: z.string(),
  rows: z.number(),
  imported: z.number(),
  rejected: z.number(),
  alerts: z.number(),
  committed: z.boolean(),
  /** Rows stored although the file was refused or they could not be scored, because they show risk. */
  keptForSafety: z.number(),
  alreadyStored: z.number(),
  noConsent: z.number(),
  errors: z.array(z.object({ line: z.number(), message: z.string() })),
});
export type ResultImportSummary = z.input<typeof importSummary>;
export const refusedImport = {
  description: 'The file was refused: nothing was stored but the rows that show risk',
  content: { 'application/json': { schema: importSummary } },
};

/** A window as listed: where, which grades and instruments, when, and who proctors it. */
const window = z.object({
  id: z.string(),
  name: z.string(),
  schoolIds: z.array(z.string()),
  grades: z.array(z.string()),
  instrumentIds: z.array(z.string()),
  opensOn: z.string(),
  closesOn: z.string(),
  proctorUserIds: z.array(z.string()),
});
export const windowList = z.array(window);
export type ScreeningWindow = z.input<typeof window>;

/** Why a student may not be screened, or not with every instrument, in parts (eligibility.rules.ts EligibilityWords). */
const eligibilityWords = z.discriminatedUnion('code', [
  z.object({
    code: z.enum(['opted_out_window', 'withdrawn_window', 'opted_out_year', 'opted_out_standing']),
    values: z.object({ instrument: z.string().nullable(), schoolYear: z.string(), leftOut: z.array(z.string()) }),
  }),
  z.object({ code: z.literal('no_consent_for'), values: z.object({ instruments: z.array(z.string()) }) }),
  z.object({
    code: z.literal('no_instrument'),
    values: z.object({
      age: z.number(),
      estimated: z.boolean(),
      ranges: z.array(z.object({ instrument: z.string(), min: z.number(), max: z.number().nullable() })),
    }),
  }),
  z.object({ code: z.literal('needs_consent'), values: z.object({ selfConsentAge: z.number() }) }),
  z.object({ code: z.literal('no_notice'), values: z.object({}) }),
  z.object({ code: z.literal('notice_period'), values: z.object({ waitedDays: z.number(), noticeDays: z.number(), startsOn: z.string() }) }),
]);

/** Each eligible-grade student with where they stand in the window; names only, never results. */
export const windowRosterView = z.object({
  window,
  /** The classes assigned to the reader as a proctor in this window (empty for those who run it without proctoring). */
  classes: z.array(z.object({ id: z.string(), title: z.string(), school: z.string() })),
  students: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      localId: z.string(),
      grade: z.string(),
      school: z.string(),
      classIds: z.array(z.string()),
      /** Where the student stands (proctor.rules.ts SittingStatus): held, screened, issued, needs_consent, ... */
      status: z.string(),
      /** Imminent risk during the screen: keep the student with you; release the device here. */
      heldSessionId: z.string().nullable(),
      eligible: z.boolean(),
      instruments: z.array(z.string()),
      /** Why not (or not with every instrument) in English, or null; `words`, the same in parts for the reader's language. */
      reason: z.string().nullable(),
      words: z.array(eligibilityWords),
    }),
  ),
});
export type WindowRoster = z.input<typeof windowRosterView>;

/** A count, or null where it is hidden as a small cell (then `suppressed` names it). */
const count = z.number().nullable();

/** A window's numbers per school: participation, positives by band, alerts and follow-up in time. */
export const windowDashboardView = z.object({
  window: z.object({ id: z.string(), name: z.string(), opensOn: z.string(), closesOn: z.string(), instrumentIds: z.array(z.string()) }),
  /** The district's small-cell threshold. */
  threshold: z.number(),
  schools: z.array(
    z.object({
      schoolId: z.string(),
      school: z.string(),
      enrolled: count,
      consented: count,
      optedOut: count,
      screened: count,
      absent: count,
      declined: count,
      participation: count,
      /** Per instrument, the number of results in each band (`not_scored` when none). */
      bands: z.record(z.string(), z.record(z.string(), count)),
      positives: count,
      /** Positives whose follow-up was due: done, or past its day. "In time" is a share of these. */
      followUpsDue: count,
      followedUpInTime: count,
      overdue: count,
      followUpRate: count,
      alerts: count,
      alertsAcknowledged: count,
      /** What was hidden as a small cell, e.g. `optedOut` or `bands.phq-a.severe`. */
      suppressed: z.array(z.string()),
    }),
  ),
});
export type WindowDashboard = z.input<typeof windowDashboardView>;

/** A student's one-time code, shown this once. */
export const issuedCode = z.object({ code: z.string(), instruments: z.array(z.string()), expiresAt: z.string() });
export type IssuedCode = z.input<typeof issuedCode>;
export const markedAbsent = z.object({ status: z.literal('absent') });

/** Proctors and their classes, the classes of the schools the reader runs, and who may proctor. Names no student. */
export const windowProctorsView = z.object({
  proctors: z.array(z.object({ userId: z.string(), name: z.string().nullable(), classIds: z.array(z.string()) })),
  classes: z.array(
    z.object({ id: z.string(), title: z.string(), schoolId: z.string(), school: z.string(), teachers: z.array(z.string()), students: z.number() }),
  ),
  people: z.array(z.object({ userId: z.string(), name: z.string() })),
});
export type WindowProctors = z.input<typeof windowProctorsView>;
export const proctorClassesSet = z.object({ userId: z.string(), classIds: z.array(z.string()) });

/** A class's codes to print as a table and as cards: every student, a code for each who may begin, and where the others stand. */
export const classCodeSheet = z.object({
  window: z.object({ id: z.string(), name: z.string() }),
  class: z.object({ id: z.string(), title: z.string(), school: z.string() }),
  screenUrl: z.string(),
  /** When the codes stop working (end of the school day); null when none was issued. */
  expiresAt: z.string().nullable(),
  students: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      /** The name on the card: the preferred first name. */
      cardName: z.string(),
      localId: z.string(),
      grade: z.string(),
      status: z.string(),
      code: z.string().nullable(),
      /** The card's words in the student's language (card.text.ts). */
      card: z.object({ lang: z.enum(['en', 'es']), title: z.string(), steps: z.array(z.string()) }).nullable(),
    }),
  ),
});
export type ClassCodeSheet = z.input<typeof classCodeSheet>;

/** Students marked, and those skipped with why (a mark never overrides what a student did or a guardian said). */
export const marksDone = z.object({
  mark: z.enum(studentMarks),
  marked: z.array(z.string()),
  skipped: z.array(z.object({ studentId: z.string(), reason: z.enum(['held', 'started', 'screened', 'declined', 'already']) })),
});
export type MarksDone = z.input<typeof marksDone>;

/** Letters e-mailed, letters to print (no e-mail on file), and letters a person must look at first (a concern names the household). */
export const noticesSent = z.object({ emailed: z.number(), needPrintedLetter: z.number(), heldForAPerson: z.number() });
export type NoticesSent = z.input<typeof noticesSent>;
export const noticePrintAnswer = { description: 'The notice letters, one per printed page', content: { 'text/html': { schema: z.string() } } };

/** The consent or opt-out recorded, and what it covers. */
export const consentRecorded = z.object({
  id: z.string(),
  kind: z.enum(consentKinds),
  windowId: z.string().nullable(),
  schoolYear: z.string(),
  instrumentId: z.string().nullable(),
});

/** A screen given by staff, scored; an alert is raised at once for risk, and positives get a follow-up date. */
export const staffResult = scoreResponse.extend({ id: z.string(), alertReportId: z.string().nullable(), followUpDueOn: z.string().nullable() });
export type StaffResult = z.input<typeof staffResult>;

const subscales = z.record(z.string(), z.object({ score: z.number().nullable(), band: z.string().nullable() }));

/** A student's screening history, newest first (the read is audited). */
export const screeningHistory = z.object({
  student: z.object({ id: z.string(), firstName: z.string(), lastName: z.string(), localId: z.string(), grade: z.string() }),
  results: z.array(
    z.object({
      id: z.string(),
      instrumentId: z.string(),
      instrumentVersion: z.string(),
      administeredAt: z.string(),
      score: z.number().nullable(),
      band: z.string().nullable(),
      subscales,
      flags: z.array(z.string()),
      actions: z.array(z.string()),
      prorated: z.boolean(),
      valid: z.boolean(),
      emergency: z.boolean(),
      source: z.string(),
      followUpDueOn: z.string().nullable(),
      followedUpAt: z.string().nullable(),
      followUpNote: z.string().nullable(),
      alertReportId: z.string().nullable(),
    }),
  ),
});
export type ScreeningHistory = z.input<typeof screeningHistory>;

const coding = z.object({ system: z.string().optional(), code: z.string(), display: z.string().optional() });

/** A student's results as FHIR R4 QuestionnaireResponses (fhir.rules.ts), each in the instrument version that scored it. */
export const fhirBundle = z.object({
  resourceType: z.string(),
  type: z.string(),
  total: z.number(),
  entry: z.array(
    z.object({
      resource: z.object({
        resourceType: z.string(),
        id: z.string(),
        questionnaire: z.string(),
        status: z.string(),
        subject: z.object({ identifier: z.object({ system: z.string(), value: z.string() }), display: z.string() }),
        authored: z.string(),
        item: z.array(
          z.object({
            linkId: z.string(),
            text: z.string().optional(),
            code: z.array(coding).optional(),
            answer: z
              .array(
                z.object({
                  valueCoding: coding.optional(),
                  valueDecimal: z.number().optional(),
                  extension: z.array(z.object({ url: z.string(), valueDecimal: z.number() })).optional(),
                }),
              )
              .optional(),
          }),
        ),
      }),
    }),
  ),
});
export const fhirAnswer = {
  description: 'A FHIR R4 Bundle (collection) of QuestionnaireResponses',
  content: { 'application/fhir+json': { schema: fhirBundle } },
};

/** Positive screens waiting for follow-up, oldest due first (each student named is in their access log). */
export const followUpList = z.array(
  z.object({
    id: z.string(),
    instrumentId: z.string(),
    band: z.string().nullable(),
    score: z.number().nullable(),
    flags: z.array(z.string()),
    administeredAt: z.string(),
    followUpDueOn: z.string().nullable(),
    followedUpAt: z.string().nullable(),
    alertReportId: z.string().nullable(),
    studentId: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    localId: z.string(),
    grade: z.string(),
    school: z.string(),
    overdue: z.boolean(),
  }),
);
export type FollowUpList = z.input<typeof followUpList>;
export const followedUp = z.object({ id: z.string(), followedUpAt: z.string() });
