import { z } from 'zod';
import { sentMoment } from '../../platform/sent-moment.ts';
import { studentFields } from './csv-students.rules.ts';
import { syncTimePattern } from './rest-sync.rules.ts';

// Requests and answers of the roster routes. Each answer is serialized through its schema, so a
// field left out here is never sent; the web app reads these types (z.input: the wire form,
// moments as ISO 8601 strings).

export const idParams = z.object({ id: z.string().max(100) });
/** `dryRun=true` reads and checks everything and changes nothing. */
export const dryRunQuery = z.object({ dryRun: z.enum(['true', 'false']).default('false') });
/** A plain CSV of students and which of its columns holds each field. */
export const studentCsvInput = z.object({
  csv: z.string().min(1, 'choose a CSV file'),
  mapping: z.partialRecord(z.enum(studentFields), z.string().max(200).nullable()),
  dryRun: z.boolean().default(true),
});

/** Which vendor column carries each student field beyond OneRoster, e.g. `{ "section504": "ext_sec504" }`. */
export const extMappingSchema = z
  .object({
    homeLanguage: z.string().trim().min(1).max(100),
    section504: z.string().trim().min(1).max(100),
    iep: z.string().trim().min(1).max(100),
    freeReducedLunch: z.string().trim().min(1).max(100),
  })
  .partial()
  .strict();

/**
 * The OneRoster REST source and the nightly time, as a district administrator sets them. The
 * client secret is write-only: left out (or blank), the stored one is kept; it is never answered.
 * `baseUrl: null` removes the source (and the nightly sync with it).
 */
export const rosterSettingsInput = z
  .object({
    baseUrl: z.string().trim().max(500).nullable(),
    tokenUrl: z.string().trim().max(500).nullable(),
    clientId: z.string().trim().max(300).nullable(),
    clientSecret: z.string().max(2000).optional(),
    version: z.enum(['1.1', '1.2']).nullable(),
    syncTime: z.string().trim().regex(syncTimePattern, 'Write the nightly time as HH:MM on a 24-hour clock, e.g. 02:00.').nullable(),
    extMapping: extMappingSchema,
  })
  .partial()
  .strict();
export type RosterSettingsInput = z.infer<typeof rosterSettingsInput>;

/** What the settings page shows: never the secret, only whether one is stored. */
export const rosterSettingsView = z.object({
  baseUrl: z.string().nullable(),
  tokenUrl: z.string().nullable(),
  clientId: z.string().nullable(),
  clientSecretSet: z.boolean(),
  version: z.enum(['1.1', '1.2']).nullable(),
  syncTime: z.string().nullable(),
  timeZone: z.string(),
  extMapping: extMappingSchema,
  /** The next sync is a delta from this moment; null = the next sync reads everything. */
  deltaFrom: z.string().nullable(),
  lastSync: z.object({ at: z.string(), outcome: z.enum(['succeeded', 'failed']), error: z.string().nullable() }).nullable(),
});
export type RosterSettingsView = z.infer<typeof rosterSettingsView>;

const counts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), deactivated: z.number() });
/** A row left out or read oddly: a CSV finding names its file and line; a REST sync's the collection and record (0: all of it); a student CSV's the line alone. */
const finding = z.object({ file: z.string().optional(), line: z.number(), field: z.string().optional(), reason: z.string() });

/** What a OneRoster import or sync changed, per kind, with every rejected row and warning (roster-apply.service.ts RosterSummary). */
export const rosterSummary = z.object({
  version: z.string(),
  dryRun: z.boolean(),
  schools: counts,
  students: counts,
  guardians: counts,
  links: z.object({ created: z.number() }),
  staff: counts,
  classes: counts,
  /** `unmatched`: enrollments naming no student or staff member Haven knows. */
  enrollments: counts.extend({ unmatched: z.number() }),
  rejected: z.array(finding),
  warnings: z.array(finding),
  file: z.string().optional(),
  /** Set only when a sync failed as a whole: why (nothing was changed). */
  error: z.string().optional(),
});
export type RosterImportSummary = z.input<typeof rosterSummary>;

/** What a student CSV changed (or would change, on a dry run), and the lines left out. */
export const studentCsvSummary = z.object({
  dryRun: z.boolean(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.array(z.object({ line: z.number(), reason: z.string() })),
});
export type StudentCsvSummary = z.input<typeof studentCsvSummary>;

/**
 * The counts of a past import as stored: a OneRoster import or sync (kinds absent from the oldest
 * imports are left out), or a student CSV (created, updated, unchanged).
 */
const pastCounts = z.object({
  version: z.string().optional(),
  dryRun: z.boolean().optional(),
  schools: counts.optional(),
  students: counts.optional(),
  guardians: counts.optional(),
  links: z.object({ created: z.number() }).optional(),
  staff: counts.optional(),
  classes: counts.optional(),
  enrollments: counts.extend({ unmatched: z.number().optional() }).optional(),
  created: z.number().optional(),
  updated: z.number().optional(),
  unchanged: z.number().optional(),
  /** The export's file name, when it came as a file (drop folder, command line). */
  file: z.string().optional(),
});

/** Past imports and syncs, newest first: counts only (their rows can be many thousands). */
export const importHistory = z.array(
  z.object({
    id: z.string(),
    at: sentMoment,
    source: z.string(),
    format: z.string(),
    by: z.string(),
    summary: pastCounts,
    rejectedCount: z.number(),
    warningCount: z.number(),
    /** Why a sync or dropped file failed as a whole; null when it did not. */
    error: z.string().nullable(),
  }),
);
export type RosterImportHistory = z.input<typeof importHistory>;

/** One past import or sync with every rejected row and warning (for the CSV download). */
export const pastImport = z.object({
  id: z.string(),
  at: sentMoment,
  source: z.string(),
  format: z.string(),
  by: z.string(),
  summary: pastCounts.extend({ rejected: z.array(finding), warnings: z.array(finding).optional(), error: z.string().optional() }),
});
export type PastImport = z.input<typeof pastImport>;
export type StoredSummary = z.output<typeof pastImport>['summary'];
