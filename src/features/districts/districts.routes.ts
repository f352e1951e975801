import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { consentPolicies } from '../screening/screening.values.ts';
import { changeDistrictSettings, districtSettings } from './districts.service.ts';

const tags = ['District'];
const settings = z.object({
  name: z.string(),
  timeZone: z.string(),
  mfaRequired: z.boolean(),
  screeningConsent: z.enum(consentPolicies),
  screeningSelfConsentAge: z.number(),
  screeningNoticeDays: z.number(),
  screeningFollowUpDays: z.number(),
  smallCellThreshold: z.number(),
  studentsPerCounselor: z.number(),
});
const settingsChange = z
  .object({
    mfaRequired: z.boolean({ message: 'mfaRequired must be true or false' }).optional(),
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

/** District settings, changed only by a district administrator. */
export function registerDistrictRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/api/v1/district/settings', { schema: { tags, summary: "This district's settings", response: { 200: settings } } }, async (request) =>
    districtSettings(deps, actorOf(request)),
  );

  api.patch(
    '/api/v1/district/settings',
    { schema: { tags, summary: 'Change district settings (district administrators)', body: settingsChange, response: { 200: settings } } },
    async (request) => changeDistrictSettings(deps, actorOf(request), request.body),
  );
}
