import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import {
  caseloadView,
  contactInput,
  contactRecorded,
  idParams,
  interventionAdded,
  interventionInput,
  interventionList,
  planCreated,
  planInput,
  progressInput,
  progressRecorded,
  reviewInput,
  reviewRecorded,
  studentPlansView,
  supportQueue,
  timelineView,
} from './plans.schema.ts';
import { addIntervention, createPlan, interventionChoices, recordContact, recordProgress, recordReview, studentPlans } from './plans.service.ts';
import { caseload, needsSupportQueue } from './support.service.ts';
import { studentTimeline } from './timeline.service.ts';

const tags = ['Support plans'];

export function registerPlanRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/v1/interventions', { schema: { tags, summary: "The district's intervention library", response: { 200: interventionList } } }, async (request) =>
    interventionChoices(deps, actorOf(request)),
  );
  api.post(
    '/api/v1/interventions',
    {
      schema: { tags, summary: 'Add an intervention to the library (district administrators)', body: interventionInput, response: { 201: interventionAdded } },
    },
    async (request, reply) => reply.code(201).send(await addIntervention(deps, actorOf(request), request.body.name)),
  );
  api.get(
    '/api/v1/students/:id/plans',
    { schema: { tags, summary: "A student's support plans with progress and history (audited)", params: idParams, response: { 200: studentPlansView } } },
    async (request) => studentPlans(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/students/:id/plans',
    {
      schema: {
        tags,
        summary: 'Create a support plan (tier, concern, goals, interventions, review cadence)',
        params: idParams,
        body: planInput,
        response: { 201: planCreated },
      },
    },
    async (request, reply) => reply.code(201).send(await createPlan(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/plans/:id/progress',
    { schema: { tags, summary: 'Record a goal measure', params: idParams, body: progressInput, response: { 201: progressRecorded } } },
    async (request, reply) => reply.code(201).send(await recordProgress(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/plans/:id/reviews',
    { schema: { tags, summary: 'Record a review meeting and its decision', params: idParams, body: reviewInput, response: { 201: reviewRecorded } } },
    async (request, reply) => reply.code(201).send(await recordReview(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/students/:id/contacts',
    { schema: { tags, summary: 'Record a contact with the student', params: idParams, body: contactInput, response: { 201: contactRecorded } } },
    async (request, reply) => reply.code(201).send(await recordContact(deps, actorOf(request), request.params.id, request.body.note)),
  );
  api.get(
    '/api/v1/support/queue',
    { schema: { tags, summary: '"Needs support now": students with a reason and nothing in place, longest wait first', response: { 200: supportQueue } } },
    async (request) => needsSupportQueue(deps, actorOf(request)),
  );
  api.get(
    '/api/v1/students/:id/timeline',
    {
      schema: {
        tags,
        summary: "A student's timeline across screens, cases, plans and contacts (what you may see; audited)",
        params: idParams,
        response: { 200: timelineView },
      },
    },
    async (request) => studentTimeline(deps, actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/caseload',
    { schema: { tags, summary: 'My caseload: plans and reviews due, open case tasks, groups', response: { 200: caseloadView } } },
    async (request) => caseload(deps, actorOf(request)),
  );
}
