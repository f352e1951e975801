import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { findDistrictBySlug } from '../districts/districts.service.ts';
import { exportDirectory } from './hsds.service.ts';

const tags = ['Partner directory (HSDS)'];
const query = z.object({ district: z.string().max(40), q: z.string().max(100).optional() });

/**
 * The partner directory, read-only and public, in HSDS 3.x shape, so a 211 directory or another
 * district can consume it. It holds services and organizations only, never anything about a student.
 */
export function registerHsdsRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const services = async (district: string, q?: string) =>
    (await exportDirectory(deps, (await findDistrictBySlug(deps, district)).id, { q })) as Record<string, unknown>[];
  api.get(
    '/api/v1/hsds/services',
    { config: { access: 'public' }, schema: { tags, summary: 'Services, nested (search with q)', querystring: query } },
    async (request) => services(request.query.district, request.query.q),
  );
  api.get('/api/v1/hsds/organizations', { config: { access: 'public' }, schema: { tags, summary: 'Organizations', querystring: query } }, async (request) => {
    const all = await services(request.query.district, request.query.q);
    const byId = new Map(all.map((s) => [String((s.organization as { id?: unknown }).id), s.organization]));
    return [...byId.values()];
  });
  api.get(
    '/api/v1/hsds/service_at_locations',
    { config: { access: 'public' }, schema: { tags, summary: 'Where each service is offered', querystring: query } },
    async (request) =>
      (await services(request.query.district, request.query.q)).flatMap((s) =>
        (s.service_at_locations as Record<string, unknown>[]).map((l) => ({ ...l, service: { id: s.id, name: s.name } })),
      ),
  );
}
