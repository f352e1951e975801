import { z } from 'zod';
import { grades } from '../students/students.tables.ts';
import { consentKinds, consentScopes, consentSources, studentMarks } from './screening.values.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'use a date like 2026-11-02');
const answers = z.record(z.string().max(64), z.unknown(), { message: 'answers must be an object of question id -> answer' });

export const windowInput = z.object({
  name: z.string().trim().min(1, 'give the window a name').max(120),
  schoolIds: z
    .array(z.uuid({ message: 'choose schools from the list' }))
    .min(1, 'choose at least one school')
    .max(200),
  grades: z.array(z.enum(grades, { message: `grades are ${grades.join(', ')}` })).min(1, 'choose at least one grade'),
  instrumentIds: z.array(z.string().max(40)).min(1, 'choose at least one instrument').max(5),
  opensOn: day,
  closesOn: day,
  proctorUserIds: z.array(z.uuid()).max(200).default([]),
});
export type WindowInput = z.infer<typeof windowInput>;

export const consentInput = z.object({
  kind: z.enum(consentKinds, { message: `choose one of: ${consentKinds.join(', ')}` }),
  source: z.enum(consentSources, { message: `choose one of: ${consentSources.join(', ')}` }),
  /** The window this consent or opt-out is for. */
  windowId: z.uuid({ message: 'windowId is the id of a screening window' }).optional(),
  /** `school_year`: an opt-out (or withdrawal) for all screening this school year. */
  scope: z.enum(consentScopes, { message: `scope is ${consentScopes.join(' or ')}` }).default('window'),
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

export const followUpInput = z.object({ note: z.string().trim().min(1, 'say briefly what was done').max(2000) });

/** The classes a proctor is given in a window (all of them: the list replaces theirs). */
export const proctorClassesInput = z.object({
  classIds: z.array(z.uuid({ message: 'choose classes from the list' })).max(60, 'a proctor can be given at most 60 classes'),
});

export const marksInput = z.object({
  studentIds: z
    .array(z.uuid({ message: 'choose students from the roster' }))
    .min(1, 'choose at least one student')
    .max(500, 'mark at most 500 students at once'),
  mark: z.enum(studentMarks, { message: `the mark is one of: ${studentMarks.join(', ')}` }),
});
export type MarksInput = z.infer<typeof marksInput>;
