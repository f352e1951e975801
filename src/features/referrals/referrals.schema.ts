import { z } from 'zod';
import { momentPattern } from '../../platform/time-zone.ts';
import { contactRoutes, guardianTellReasons, studentShares } from './consent-paths.rules.ts';
import { insurances, modalities, serviceTypes } from './matching.rules.ts';
import { part2Scopes } from './part2.rules.ts';
import { taskStatuses } from './referral.rules.ts';
import { referralSources, referralUrgencies } from './referrals.tables.ts';

const optionalText = (max: number) => z.string().trim().max(max).optional();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2027-06-30');

export const referralInput = z.object({
  studentId: z.uuid({ message: 'choose a student' }),
  serviceId: z.uuid({ message: 'choose a service from the matches' }),
  source: z.enum(referralSources, { message: `the referral comes from one of: ${referralSources.join(', ')}` }).default('direct'),
  /** The case, screening result or support plan the referral comes from. */
  sourceId: z.uuid().optional(),
  serviceType: z.enum(serviceTypes, { message: `the need is one of: ${serviceTypes.join(', ')}` }),
  urgency: z.enum(referralUrgencies, { message: 'urgency is routine, urgent or asap' }).default('routine'),
  preferences: z.object({
    language: z.string().regex(/^[a-z]{2,3}$/, 'use an ISO 639 code such as es'),
    languageRequired: z.boolean().default(false),
    insurance: z.enum(insurances, { message: `insurance is one of: ${insurances.join(', ')}` }),
    modality: z.enum(modalities).optional(),
    location: optionalText(200),
    providerGender: optionalText(60),
    times: optionalText(300),
  }),
  familySharedNote: optionalText(2000),
});

export const guardianConsentInput = z.object({
  givenBy: z.string().trim().min(1, "give the guardian's name").max(200),
  /** Partner organization ids, or ['any_partner']. */
  scope: z.array(z.string().max(64)).min(1, 'say which partners the consent covers'),
  expiresOn: day.optional(),
  documentName: optionalText(200),
});

/** What a student who consents for themself chooses: what the partner learns and how it reaches them. */
export const studentChoicesInput = z.object({
  /** The name the student asks the partner to use; their preferred first name when not given. */
  name: optionalText(100),
  share: z
    .array(z.enum(studentShares, { message: `the student may share: ${studentShares.join(', ')}` }))
    .max(studentShares.length)
    .default([]),
  /** In the student's own words. */
  note: optionalText(2000),
  contactRoute: z.enum(contactRoutes, { message: `the contact route is one of: ${contactRoutes.join(', ')}` }).default('school_counselor'),
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
  part2Scope: z.enum(part2Scopes, { message: `the Part 2 consent covers one of: ${part2Scopes.join(', ')}` }).optional(),
});

/** The guardian of a student-initiated connection may now be told: the student agreed, or the clinician finds it necessary. */
export const guardianTellInput = z.object({
  because: z.enum(guardianTellReasons, { message: `say why: ${guardianTellReasons.join(' or ')}` }),
  reason: optionalText(2000),
});

export const moveInput = z.object({
  status: z.enum(taskStatuses, { message: `the status is one of: ${taskStatuses.join(', ')}` }),
  reason: optionalText(1000),
  /** With an offset, or a wall-clock time in the district's time zone. */
  appointmentAt: z.string().regex(momentPattern, 'use a date and time like 2026-12-02T16:30').optional(),
  appointmentMinutes: z.number().int().min(10).max(480).default(50),
  appointmentPlace: optionalText(300),
  telehealthUrl: z.url({ protocol: /^https$/, message: 'the telehealth link must start with https://' }).optional(),
});

export const followUpDoneInput = z.object({ note: optionalText(1000) });

export const listQuery = z.object({
  studentId: z.uuid().optional(),
  open: z.enum(['true', 'false']).optional(),
});

export const measuresQuery = z.object({ by: z.enum(['partner', 'school', 'language']).default('partner') });
