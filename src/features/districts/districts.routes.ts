import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { settings, settingsChange } from './districts.schema.ts';
import { changeDistrictSettings, districtSettings } from './districts.service.ts';

const tags = ['District'];

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
