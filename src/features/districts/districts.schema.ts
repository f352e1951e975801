import { z } from 'zod';
import { consentPolicies } from '../../data/screening.values.ts';

/** The district's settings as administrators and the web app read them. */
export const settings = z.object({
  name: z.string(),
  timeZone: z.string(),
  mfaRequired: z.boolean(),
  /** Teachers and other staff look up every student of their school (else only the students they teach). */
  staffSeeWholeSchool: z.boolean(),
  screeningConsent: z.enum(consentPolicies),
  screeningSelfConsentAge: z.number(),
  screeningNoticeDays: z.number(),
  screeningFollowUpDays: z.number(),
  smallCellThreshold: z.number(),
  studentsPerCounselor: z.number(),
});
/** A change to one or more settings; anything else in the body is refused (strict). */
export const settingsChange = z
  .object({
    mfaRequired: z.boolean({ message: 'mfaRequired must be true or false' }).optional(),
    staffSeeWholeSchool: z.boolean({ message: 'staffSeeWholeSchool must be true or false' }).optional(),
    timeZone: z
      .string()
      .max(64)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'use an IANA time zone such as America/Denver')
      .optional(),
    screeningConsent: z
      .enum(consentPolicies, { message: 'screeningConsent is "active" (written consent first) or "passive" (notice with opt-out)' })
      .optional(),
    screeningSelfConsentAge: z
      .number()
      .int()
      .min(10, 'the self-consent age is between 10 and 18')
      .max(18, 'the self-consent age is between 10 and 18')
      .optional(),
    screeningNoticeDays: z.number().int().min(0).max(60, 'the notice period is at most 60 days').optional(),
    screeningFollowUpDays: z.number().int().min(0).max(20, 'follow-up is due within at most 20 school days').optional(),
    smallCellThreshold: z
      .number()
      .int()
      .min(5, 'groups under 5 students are always suppressed; use 5 to 30')
      .max(30, 'use a threshold from 5 to 30')
      .optional(),
    studentsPerCounselor: z.number().int().min(50).max(2000, 'use a ratio from 50 to 2,000 students per counselor').optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'change at least one setting');

/** The settings as the web app receives them. */
export type DistrictSettings = z.input<typeof settings>;
