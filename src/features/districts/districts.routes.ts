import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { changeDistrictSettings, districtSettings } from './districts.service.ts';

const tags = ['District'];
const settings = z.object({ name: z.string(), timeZone: z.string(), mfaRequired: z.boolean() });
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
  })
  .strict()
  .refine((change) => Object.keys(change).length > 0, 'change at least one setting (mfaRequired or timeZone)');

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
