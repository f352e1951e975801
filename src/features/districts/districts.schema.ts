import { z } from 'zod';
import { consentPolicies } from '../../data/screening.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';

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
    mfaRequired: z.boolean({ message: inSpanish('mfaRequired must be true or false', 'mfaRequired debe ser true o false', 'mfa_required_invalid') }).optional(),
    staffSeeWholeSchool: z
      .boolean({
        message: inSpanish('staffSeeWholeSchool must be true or false', 'staffSeeWholeSchool debe ser true o false', 'staff_see_whole_school_invalid'),
      })
      .optional(),
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
      .enum(consentPolicies, {
        message: inSpanish(
          'screeningConsent is "active" (written consent first) or "passive" (notice with opt-out)',
          'screeningConsent es "active" (primero el consentimiento por escrito) o "passive" (aviso con opción de no participar)',
          'screening_consent_invalid',
        ),
      })
      .optional(),
    screeningSelfConsentAge: z
      .number()
      .int()
      .min(
        10,
        inSpanish(
          'the self-consent age is between 10 and 18',
          'la edad para dar el propio consentimiento está entre 10 y 18 años',
          'self_consent_age_out_of_range',
        ),
      )
      .max(
        18,
        inSpanish(
          'the self-consent age is between 10 and 18',
          'la edad para dar el propio consentimiento está entre 10 y 18 años',
          'self_consent_age_out_of_range',
        ),
      )
      .optional(),
    screeningNoticeDays: z
      .number()
      .int()
      .min(0)
      .max(60, inSpanish('the notice period is at most 60 days', 'el período de aviso es como máximo de 60 días', 'notice_days_out_of_range'))
      .optional(),
    screeningFollowUpDays: z
      .number()
      .int()
      .min(0)
      .max(
        20,
        inSpanish('follow-up is due within at most 20 school days', 'el seguimiento vence como máximo en 20 días escolares', 'follow_up_days_out_of_range'),
      )
      .optional(),
    smallCellThreshold: z
      .number()
      .int()
      .min(
        5,
        inSpanish(
          'groups under 5 students are always suppressed; use 5 to 30',
          'los grupos de menos de 5 estudiantes siempre se ocultan; use de 5 a 30',
          'suppression_out_of_range',
        ),
      )
      .max(30, inSpanish('use a threshold from 5 to 30', 'use un umbral de 5 a 30', 'suppression_out_of_range'))
      .optional(),
    studentsPerCounselor: z
      .number()
      .int()
      .min(50)
      .max(
        2000,
        inSpanish('use a ratio from 50 to 2,000 students per counselor', 'use una proporción de 50 a 2.000 estudiantes por consejero', 'ratio_out_of_range'),
      )
      .optional(),
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'change at least one setting');

/** The settings as the web app receives them. */
export type DistrictSettings = z.input<typeof settings>;
