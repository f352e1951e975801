import { z } from 'zod';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';

// Requests and answers of the student routes. Each answer is serialized through its schema, so a
// field left out here is never sent; the web app reads the types (z.input: the wire form).

export const idParams = z.object({ id: z.string().max(100) });

export const studentSearchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100, inSpanish('search for at most 100 characters', 'busque como máximo 100 caracteres', 'search_too_long'))
    .optional(),
  school: z.string().trim().max(64).optional(),
  includeInactive: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  page: z.coerce
    .number({ message: inSpanish('page must be a number', 'page debe ser un número', 'page_invalid') })
    .int()
    .min(1)
    .max(10_000)
    .default(1),
  pageSize: z.coerce
    .number({ message: inSpanish('pageSize must be a number', 'pageSize debe ser un número', 'page_size_invalid') })
    .int()
    .min(1)
    .max(100, inSpanish('pageSize is at most 100', 'pageSize es como máximo 100', 'page_size_too_big'))
    .default(25),
});

export const studentListResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      localId: z.string(),
      firstName: z.string(),
      lastName: z.string(),
      preferredName: z.string().nullable(),
      grade: z.string(),
      active: z.boolean(),
      schoolId: z.string(),
      schoolName: z.string(),
    }),
  ),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type StudentList = z.input<typeof studentListResponse>;

const guardian = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  relationship: z.string(),
  primaryContact: z.boolean(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  preferredLanguage: z.string(),
});

export const studentResponse = z.object({
  id: z.string(),
  localId: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  preferredName: z.string().nullable(),
  grade: z.string(),
  active: z.boolean(),
  school: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  homeLanguage: z.string(),
  interpreterNeeded: z.boolean(),
  protected: z
    .object({
      dateOfBirth: z.string().nullable(),
      englishLearner: z.boolean(),
      iep: z.boolean(),
      section504: z.boolean(),
      freeReducedLunch: z.boolean(),
      homeless: z.boolean(),
      fosterCare: z.boolean(),
      raceEthnicity: z.array(z.string()),
      gender: z.string(),
      guardians: z.array(guardian),
    })
    .nullable(),
  abilities: z.object({ readProtected: z.boolean(), readAccessLog: z.boolean(), exportAccessLog: z.boolean() }),
});
export type StudentView = z.input<typeof studentResponse>;

const language = z.enum(['en', 'es'], { message: inSpanish('lang is en or es', 'lang es en o es', 'lang_invalid') }).default('en');

export const accessLogQuery = z.object({ format: z.enum(['json', 'csv']).default('json'), lang: language });

export const accessLogResponse = z.object({
  student: z.object({ id: z.string(), firstName: z.string(), lastName: z.string(), localId: z.string() }),
  entries: z.array(
    z.object({
      id: z.string(),
      at: sentMoment,
      actor: z.string(),
      action: z.string(),
      reason: z.string().nullable(),
      /** The same event in words (the `lang` asked for): never a code. */
      kind: z.enum(['look', 'disclosure', 'notice', 'change']),
      who: z.string(),
      whom: z.string().nullable(),
      what: z.string(),
      why: z.string(),
      /** Left out of the family's copy because another law keeps it confidential (decision 23). */
      withheldFromFamily: z.boolean(),
    }),
  ),
});
export type AccessLogView = z.input<typeof accessLogResponse>;

/** The access log as words (JSON), or the raw log as CSV (?format=csv). */
export const accessLogAnswer = {
  description: "The student's access log",
  content: { 'application/json': { schema: accessLogResponse }, 'text/csv': { schema: z.string().describe('when (UTC), who, what, why') } },
};

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('write days as YYYY-MM-DD', 'escriba los días como AAAA-MM-DD', 'date_format'))
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'that day does not exist');

export const accessLogExportQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  format: z.enum(['csv', 'html'], { message: inSpanish('format is csv or html', 'format es csv o html', 'format_invalid') }).default('html'),
  lang: language,
});

/** The parent's copy: a printable page, or CSV. */
export const accessLogExportAnswer = {
  description: "A parent's copy of the access log",
  content: { 'text/html': { schema: z.string().describe('A printable page') }, 'text/csv': { schema: z.string().describe('One row per look or disclosure') } },
};
