import { z } from 'zod';
import { referralSources, referralUrgencies } from '../../data/referrals.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { momentPattern } from '../../platform/time-zone.ts';
import { contactRoutes, guardianTellReasons, studentShares } from './consent-paths.rules.ts';
import { insurances, modalities, serviceTypes } from './matching.rules.ts';
import { part2Scopes } from './part2.rules.ts';
import { taskStatuses } from './referral.rules.ts';

const optionalText = (max: number) => z.string().trim().max(max).optional();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2027-06-30', 'use una fecha como 2027-06-30', 'date_format'));

export const referralInput = z.object({
  studentId: z.uuid({ message: inSpanish('choose a student', 'elija a un estudiante', 'student_required') }),
  serviceId: z.uuid({ message: inSpanish('choose a service from the matches', 'elija un servicio de los sugeridos', 'service_required') }),
  source: z
    .enum(referralSources, {
      message: inSpanish(
        `the referral comes from one of: ${referralSources.join(', ')}`,
        `la derivación viene de una de estas opciones: ${referralSources.join(', ')}`,
        'referral_source_invalid',
      ),
    })
    .default('direct'),
  /** The case, screening result or support plan the referral comes from. */
  sourceId: z.uuid().optional(),
  serviceType: z.enum(serviceTypes, {
    message: inSpanish(
      `the need is one of: ${serviceTypes.join(', ')}`,
      `la necesidad es una de estas opciones: ${serviceTypes.join(', ')}`,
      'service_type_invalid',
    ),
  }),
  urgency: z
    .enum(referralUrgencies, {
      message: inSpanish(
        'urgency is routine, urgent or asap',
        'la urgencia es routine (de rutina), urgent (urgente) o asap (lo antes posible)',
        'urgency_invalid',
      ),
    })
    .default('routine'),
  preferences: z.object({
    language: z.string().regex(/^[a-z]{2,3}$/, inSpanish('use an ISO 639 code such as es', 'use un código ISO 639, como es', 'language_code_invalid')),
    languageRequired: z.boolean().default(false),
    insurance: z.enum(insurances, {
      message: inSpanish(`insurance is one of: ${insurances.join(', ')}`, `el seguro es una de estas opciones: ${insurances.join(', ')}`, 'insurance_invalid'),
    }),
    modality: z.enum(modalities).optional(),
    location: optionalText(200),
    providerGender: optionalText(60),
    times: optionalText(300),
  }),
  familySharedNote: optionalText(2000),
});

export const guardianConsentInput = z.object({
  givenBy: z
    .string()
    .trim()
    .min(1, inSpanish("give the guardian's name", 'indique el nombre del tutor', 'guardian_name_required'))
    .max(200),
  /** Partner organization ids, or ['any_partner']. */
  scope: z
    .array(z.string().max(64))
    .min(1, inSpanish('say which partners the consent covers', 'indique a qué socios cubre el consentimiento', 'consent_scope_required')),
  expiresOn: day.optional(),
  documentName: optionalText(200),
});

/** What a student who consents for themself chooses: what the partner learns and how it reaches them. */
export const studentChoicesInput = z.object({
  /** The name the student asks the partner to use; their preferred first name when not given. */
  name: optionalText(100),
  share: z
    .array(
      z.enum(studentShares, {
        message: inSpanish(
          `the student may share: ${studentShares.join(', ')}`,
          `el estudiante puede compartir: ${studentShares.join(', ')}`,
          'student_share_invalid',
        ),
      }),
    )
    .max(studentShares.length)
    .default([]),
  /** In the student's own words. */
  note: optionalText(2000),
  contactRoute: z
    .enum(contactRoutes, {
      message: inSpanish(
        `the contact route is one of: ${contactRoutes.join(', ')}`,
        `la forma de contacto es una de estas opciones: ${contactRoutes.join(', ')}`,
        'contact_route_invalid',
      ),
    })
    .default('school_counselor'),
  contact: optionalText(200),
  guardianMayBeTold: z.boolean().default(false),
});

export const sendInput = z.object({
  /** The health-or-safety emergency (34 CFR 99.36): why the partner must know now. The guardian is sent it. */
  emergencyReason: optionalText(2000),
  /** The student consents for themself, where Colorado law allows: a student-initiated connection. */
  studentConsent: z.boolean().default(false),
  studentChoices: studentChoicesInput.optional(),
  /** For a substance-use program: what the student's 42 CFR Part 2 consent lets flow back to the school. */
  part2Scope: z
    .enum(part2Scopes, {
      message: inSpanish(
        `the Part 2 consent covers one of: ${part2Scopes.join(', ')}`,
        `el consentimiento de la Parte 2 cubre una de estas opciones: ${part2Scopes.join(', ')}`,
        'part2_scope_invalid',
      ),
    })
    .optional(),
});

/** The guardian of a student-initiated connection may now be told: the student agreed, or the clinician finds it necessary. */
export const guardianTellInput = z.object({
  because: z.enum(guardianTellReasons, {
    message: inSpanish(`say why: ${guardianTellReasons.join(' or ')}`, `indique el motivo: ${guardianTellReasons.join(' o ')}`, 'guardian_tell_reason_invalid'),
  }),
  reason: optionalText(2000),
});

export const moveInput = z.object({
  status: z.enum(taskStatuses, {
    message: inSpanish(`the status is one of: ${taskStatuses.join(', ')}`, `el estado es uno de estos: ${taskStatuses.join(', ')}`, 'referral_status_invalid'),
  }),
  reason: optionalText(1000),
  /** With an offset, or a wall-clock time in the district's time zone. */
  appointmentAt: z
    .string()
    .regex(momentPattern, inSpanish('use a date and time like 2026-12-02T16:30', 'use una fecha y hora como 2026-12-02T16:30', 'date_time_format'))
    .optional(),
  appointmentMinutes: z.number().int().min(10).max(480).default(50),
  appointmentPlace: optionalText(300),
  telehealthUrl: z
    .url({
      protocol: /^https$/,
      message: inSpanish('the telehealth link must start with https://', 'el enlace de telesalud debe empezar con https://', 'telehealth_link_https'),
    })
    .optional(),
});

export const followUpDoneInput = z.object({ note: optionalText(1000) });

export const listQuery = z.object({
  studentId: z.uuid().optional(),
  open: z.enum(['true', 'false']).optional(),
});

export const measuresQuery = z.object({ by: z.enum(['partner', 'school', 'language']).default('partner') });

// Answers. Each route serializes through its schema, so a field left out here is never sent: the
// partner's view of a referral is its own schema, and nothing of the school's side reaches it. The
// web app reads these types (z.input: the wire form). Values read back from stored text are plain
// strings, so an answer never fails over an old row.

export const idParams = z.object({ id: z.string().max(100) });
export const consentParams = z.object({ id: z.string().max(100), consentId: z.string().max(100) });
export const calendarQuery = z.object({ lang: z.enum(['en', 'es']).default('en') });
export const withdrawInput = z.object({ reason: z.string().trim().max(2000).optional() }).default({});

/** A draft: nothing is sent until consent is recorded; warnings say what the match does not cover. */
export const referralCreated = z.object({ id: z.string(), status: z.literal('draft'), warnings: z.array(z.string()) });
export type ReferralCreated = z.input<typeof referralCreated>;
export const referralSent = z.object({
  id: z.string(),
  status: z.literal('requested'),
  consentBasis: z.string(),
  /** An emergency disclosure: how many guardians were e-mailed the notice. */
  guardianNotice: z.object({ emailed: z.number() }).optional(),
});
export const referralMoved = z.object({
  id: z.string(),
  status: z.string(),
  familyInvited: z.boolean(),
  invited: z.array(z.enum(['guardian', 'counselor', 'student'])),
});
export type ReferralMoved = z.input<typeof referralMoved>;
export const guardianToldAnswer = z.object({ id: z.string(), guardianMayBeTold: z.boolean() });
export const consentRecorded = z.object({ id: z.string() });
export const consentWithdrawn = z.object({ id: z.string(), withdrawn: z.boolean(), referralsWithdrawn: z.number() });
export const followUpDone = z.object({ done: z.boolean() });

/** One row of the referral list; a partner's rows name the student only as the student allowed. */
export const referralList = z.array(
  z.object({
    id: z.string(),
    /** The grade is null for a student-initiated connection whose student chose not to share it. */
    student: z.object({ id: z.string().optional(), name: z.string(), grade: z.string().nullable() }),
    school: z.string(),
    organization: z.string(),
    service: z.string(),
    serviceType: z.string(),
    urgency: z.string(),
    status: z.string(),
    createdAt: z.string(),
    appointmentAt: z.string().nullable(),
    openFollowUps: z.number(),
    studentInitiated: z.boolean(),
    /** Present on a substance-use program's referral: the 42 CFR 2.32 notice that goes with it. */
    redisclosureNotice: z.string().optional(),
  }),
);
export type ReferralList = z.input<typeof referralList>;

const measure = {
  sent: z.number(),
  accepted: z.number(),
  seen: z.number(),
  medianDaysToFirstAppointment: z.number().nullable(),
  p90DaysToFirstAppointment: z.number().nullable(),
  loopsClosedShare: z.number().nullable(),
};
// A shown row carries no `suppressed` key; a hidden one carries nothing but its name and `suppressed`.
const languageRow = z.union([
  z.object({ language: z.string().nullable(), ...measure }),
  z.object({ language: z.string().nullable(), suppressed: z.literal(true) }),
]);

/** Loop measures by partner, school or home language; for an analyst, small cells are hidden (decision 23). */
export const referralMeasuresView = z.object({
  by: z.enum(['partner', 'school', 'language']),
  /** Given to an analyst: groups under it are hidden. */
  threshold: z.number().optional(),
  groups: z.array(
    z.union([
      z.object({ name: z.string(), ...measure, byLanguage: z.array(languageRow) }),
      z.object({ name: z.string(), suppressed: z.literal(true), byLanguage: z.array(languageRow) }),
    ]),
  ),
});
export type ReferralMeasures = z.input<typeof referralMeasuresView>;

const guardianTold = z.object({ because: z.enum(guardianTellReasons), reason: z.string().nullable(), at: z.string() }).nullable();
const named = z.object({ id: z.string(), name: z.string() });

/** What both sides see: the referral, the student (the partner: the disclosed minimum), the family's preferences and the history. */
const sharedView = {
  id: z.string(),
  urgency: z.string(),
  serviceType: z.string(),
  service: named,
  organization: named,
  requestedAt: z.string().nullable(),
  status: z.string(),
  statusReason: z.string().nullable(),
  /** The moves the reader's side may make now (movesFor): the page offers exactly these. */
  moves: z.array(z.enum(taskStatuses)),
  student: z.object({
    name: z.string(),
    age: z.number().nullable(),
    grade: z.string().nullable(),
    language: z.string().nullable(),
    interpreterNeeded: z.boolean(),
  }),
  guardian: z.object({ name: z.string(), phone: z.string().nullable(), email: z.string().nullable(), language: z.string() }).nullable(),
  /** The family's preferences, field by field. */
  preferences: z
    .object({
      language: z.string(),
      languageRequired: z.boolean(),
      insurance: z.string(),
      modality: z.string().optional(),
      location: z.string().optional(),
      providerGender: z.string().optional(),
      times: z.string().optional(),
    })
    .nullable(),
  familySharedNote: z.string().nullable(),
  appointment: z.object({ at: z.string(), minutes: z.number().nullable(), place: z.string().nullable(), telehealthUrl: z.string().nullable() }).nullable(),
  firstSeenAt: z.string().nullable(),
  events: z.array(z.object({ at: z.string(), side: z.string(), from: z.string().nullable(), to: z.string(), reason: z.string().nullable() })),
};

/** The partner it was sent to: the disclosed minimum and, for a student-initiated connection, the route the student chose. */
export const partnerReferral = z.object({
  ...sharedView,
  side: z.literal('partner'),
  /** The guardian's contact is withheld until the partner accepts (partnerSeesGuardianContact). */
  guardianOnAccepting: z.boolean(),
  connection: z
    .object({
      kind: z.literal('student_initiated'),
      contactRoute: z.string(),
      contact: z.string().nullable(),
      counselor: z.object({ name: z.string(), email: z.string() }).nullable(),
      guardianMayBeTold: z.boolean(),
      guardianTold,
    })
    .nullable(),
});

/** Whether a consent path can be used, and if not why (in English and Spanish). */
const availability = z.object({ available: z.boolean(), reason: z.string().nullable(), reasonEs: z.string().nullable() });

/** The referring school: all of it, except what a substance-use program may not tell it (42 CFR Part 2). */
export const schoolReferral = z.object({
  ...sharedView,
  side: z.literal('school'),
  connection: z.null(),
  studentId: z.string(),
  school: z.string(),
  source: z.string(),
  sourceId: z.string().nullable(),
  referredBy: z.string(),
  consentBasis: z.string().nullable(),
  consentPaths: z.object({ studentConsent: availability, emergency: availability }),
  studentConnection: z
    .object({
      name: z.string(),
      share: z.array(z.string()),
      note: z.string().nullable(),
      contactRoute: z.string(),
      contact: z.string().nullable(),
      guardianMayBeTold: z.boolean(),
      guardianTold,
    })
    .nullable(),
  part2: z.object({ scope: z.string().nullable(), meaning: z.string().nullable(), notice: z.string(), withheld: z.boolean() }).nullable(),
  emergencyNotice: z.object({ at: z.string(), emailed: z.number() }).nullable(),
  consentWithdrawnAt: z.string().nullable(),
  consents: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      givenBy: z.string(),
      scope: z.array(z.string()),
      expiresOn: z.string().nullable(),
      reason: z.string().nullable(),
      recordedAt: z.string(),
    }),
  ),
  agreement: z.object({ type: z.string(), endsOn: z.string(), ferpaBasis: z.string() }).nullable(),
  followUps: z.array(z.object({ id: z.string(), kind: z.string(), dueOn: z.string(), done: z.boolean(), note: z.string().nullable(), overdue: z.boolean() })),
});

/** One referral, as the reader's side sees it (`side`). */
export const referralView = z.discriminatedUnion('side', [schoolReferral, partnerReferral]);
export type ReferralView = z.input<typeof referralView>;
export type SchoolReferral = z.input<typeof schoolReferral>;

const coding = z.object({ system: z.string(), code: z.string(), display: z.string().optional() });
const reference = z.object({ reference: z.string(), display: z.string().optional() });
const security = z.object({ security: z.array(z.object({ system: z.string(), code: z.string(), display: z.string() })) }).optional();

/**
 * The referral as a FHIR R4 collection Bundle: the ServiceRequest and its Task (SDOH Clinical Care).
 * Resources are described by the fields Haven writes; a FHIR client validates them against R4.
 */
export const fhirBundle = z.object({
  resourceType: z.string(),
  type: z.string(),
  meta: security,
  entry: z.array(
    z.object({
      fullUrl: z.string(),
      resource: z.object({
        resourceType: z.string(),
        id: z.string(),
        meta: security,
        status: z.string(),
        intent: z.string(),
        priority: z.string(),
        authoredOn: z.string(),
        requester: reference,
        // ServiceRequest
        category: z.array(z.object({ text: z.string() })).optional(),
        code: z.object({ coding: z.array(coding), text: z.string().optional() }),
        subject: reference.optional(),
        performer: z.array(reference).optional(),
        supportingInfo: z.array(z.object({ display: z.string() })).optional(),
        note: z.array(z.object({ text: z.string() })).optional(),
        // Task
        focus: reference.optional(),
        for: reference.optional(),
        owner: reference.optional(),
        lastModified: z.string().optional(),
        businessStatus: z.object({ text: z.string() }).optional(),
        statusReason: z.object({ text: z.string() }).optional(),
        restriction: z.object({ period: z.object({ start: z.string() }) }).optional(),
        output: z.array(z.object({ type: z.object({ text: z.string() }), valueDateTime: z.string() })).optional(),
      }),
    }),
  ),
});

export const fhirAnswer = { description: 'A FHIR R4 Bundle (collection)', content: { 'application/fhir+json': { schema: fhirBundle } } };
export const calendarAnswer = { description: 'The appointment (iCalendar)', content: { 'text/calendar': { schema: z.string() } } };
