import { z } from 'zod';
import { syncTimePattern } from './rest-sync.rules.ts';

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
