import { z } from 'zod';
import { agreementTypes, ferpaBases } from '../../data/partners.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { insurances, modalities, serviceTypes } from '../referrals/index.ts';

// Requests and answers of the partner directory routes. Each answer is serialized through its
// schema, so a field left out here is never sent; the web app reads the types (z.input: the wire form).

export const idParams = z.object({ id: z.string().max(100) });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2026-12-01', 'use una fecha como 2026-12-01', 'date_format'));

/** What a service offers (district administrators) or its capacity (also the partner's own staff). */
export const serviceChange = z.object({
  serviceTypes: z.array(z.enum(serviceTypes)).optional(),
  modalities: z.array(z.enum(modalities)).optional(),
  insurance: z.array(z.enum(insurances)).optional(),
  competencies: z.array(z.string().trim().min(1).max(60)).max(20).optional(),
  interpretation: z.boolean().optional(),
  capacityAvailable: z.number().int().min(0).max(100_000).nullable().optional(),
  capacityMaximum: z.number().int().min(0).max(100_000).nullable().optional(),
  waitlistWeeks: z.number().int().min(0).max(104).nullable().optional(),
});
/** A formal agreement, with the signed document when there is one (base64, about 10 MB at most). */
export const agreementInput = z.object({
  type: z.enum(agreementTypes),
  scope: z
    .string()
    .trim()
    .min(1, inSpanish('say what the agreement covers', 'diga qué cubre el acuerdo', 'agreement_scope_required'))
    .max(2000),
  schoolIds: z.array(z.uuid()).default([]),
  ferpaBasis: z.enum(ferpaBases, {
    message: inSpanish(
      'the FERPA basis is school_official (under direct control) or consent',
      'la base FERPA es school_official (bajo control directo) o consent (consentimiento)',
      'ferpa_basis_invalid',
    ),
  }),
  startsOn: day,
  endsOn: day,
  documentName: z.string().max(200).optional(),
  documentBase64: z
    .string()
    .max(14_000_000, inSpanish('the signed document is limited to about 10 MB', 'el documento firmado tiene un límite de unos 10 MB', 'document_too_large'))
    .optional(),
});
/** A student's need, to rank partner services against (matching.rules.ts). */
export const needInput = z.object({
  serviceType: z.enum(serviceTypes),
  age: z.number().int().min(3).max(22),
  language: z.string().regex(/^[a-z]{2,3}$/, 'use an ISO 639 code such as es'),
  languageRequired: z.boolean().default(false),
  insurance: z.enum(insurances),
  modality: z.enum(modalities).optional(),
  competencies: z.array(z.string().max(60)).max(10).optional(),
});

const service = z.object({
  id: z.string(),
  organizationId: z.string(),
  hsdsId: z.string(),
  name: z.string(),
  status: z.string(),
  description: z.string().nullable(),
  minimumAge: z.number().nullable(),
  maximumAge: z.number().nullable(),
  languages: z.array(z.string()),
  capacityAvailable: z.number().nullable(),
  capacityMaximum: z.number().nullable(),
  /** When the capacity was last said (ISO 8601); null when never. */
  capacityUpdatedAt: z.string().nullable(),
  serviceTypes: z.array(z.string()),
  modalities: z.array(z.string()),
  insurance: z.array(z.string()),
  competencies: z.array(z.string()),
  interpretation: z.boolean(),
  waitlistWeeks: z.number().nullable(),
});

/** Partners the reader may see (a partner: only its own), their services and current agreement. */
export const partnerList = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    website: z.string().nullable(),
    agreement: z.object({ type: z.string(), endsOn: z.string(), ferpaBasis: z.string() }).nullable(),
    services: z.array(service),
  }),
);
export type PartnerList = z.input<typeof partnerList>;

const named = z.object({ id: z.string(), name: z.string() });

/** Why a service fits, falls short or is set aside, as a code and its values (matching.rules.ts `MatchReason`). */
const matchReason = z.object({ code: z.string(), values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) });

/** Services ranked for a need, with why each fits and what does not; and those ruled out, with why. */
export const matches = z.object({
  ranked: z.array(z.object({ service: named, score: z.number(), fits: z.array(matchReason), gaps: z.array(matchReason) })),
  excluded: z.array(z.object({ service: named, reasons: z.array(matchReason) })),
});
export type Matches = z.input<typeof matches>;

export const serviceUpdated = z.object({ updated: z.boolean() });
export const createdId = z.object({ id: z.string() });
