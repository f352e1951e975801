import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import {
  addIntervention,
  createPlan,
  interventionChoices,
  planInput,
  progressInput,
  recordContact,
  recordProgress,
  recordReview,
  reviewInput,
  studentPlans,
} from './plans.service.ts';
import { caseload, needsSupportQueue } from './support.service.ts';
import { studentTimeline } from './timeline.service.ts';

const tags = ['Support plans'];
const idParams = z.object({ id: z.string().max(100) });

export function registerPlanRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/v1/interventions', { schema: { tags, summary: "The district's intervention library" } }, async (request) =>
    interventionChoices(deps, actorOf(request)),
  );
  api.post(
    '/api/v1/interventions',
    { schema: { tags, summary: 'Add an intervention to the library (district administrators)', body: z.object({ name: z.string().trim().min(1).max(120) }) } },
    async (request, reply) => reply.code(201).send(await addIntervention(deps, actorOf(request), request.body.name)),
  );
  api.get(
    '/api/v1/students/:id/plans',
    { schema: { tags, summary: "A student's support plans with progress and history (audited)", params: idParams } },
    async (request) => studentPlans(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/students/:id/plans',
    { schema: { tags, summary: 'Create a support plan (tier, concern, goals, interventions, review cadence)', params: idParams, body: planInput } },
    async (request, reply) => reply.code(201).send(await createPlan(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/plans/:id/progress',
    { schema: { tags, summary: 'Record a goal measure', params: idParams, body: progressInput } },
    async (request, reply) => reply.code(201).send(await recordProgress(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/plans/:id/reviews',
    { schema: { tags, summary: 'Record a review meeting and its decision', params: idParams, body: reviewInput } },
    async (request, reply) => reply.code(201).send(await recordReview(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/students/:id/contacts',
    { schema: { tags, summary: 'Record a contact with the student', params: idParams, body: z.object({ note: z.string().trim().max(1000).optional() }) } },
    async (request, reply) => reply.code(201).send(await recordContact(deps, actorOf(request), request.params.id, request.body.note)),
  );
  api.get(
    '/api/v1/support/queue',
    { schema: { tags, summary: '"Needs support now": students with a reason and nothing in place, longest wait first' } },
    async (request) => needsSupportQueue(deps, actorOf(request)),
  );
  api.get(
    '/api/v1/students/:id/timeline',
    { schema: { tags, summary: "A student's timeline across screens, cases, plans and contacts (what you may see; audited)", params: idParams } },
    async (request) => studentTimeline(deps, actorOf(request), request.params.id),
  );
  api.get('/api/v1/caseload', { schema: { tags, summary: 'My caseload: plans and reviews due, open case tasks, groups' } }, async (request) =>
    caseload(deps, actorOf(request)),
  );
}
