import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { agreementInput, createdId, idParams, matches, needInput, partnerList, serviceChange, serviceUpdated } from './partners.schema.ts';
import { addAgreement, listPartners, matchNeed, updateService } from './partners.service.ts';

const tags = ['Partners'];

export function registerPartnerRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/partners',
    { schema: { tags, summary: 'Partners, their services, capacity and current agreement (partners: their own)', response: { 200: partnerList } } },
    async (request) => listPartners(deps, actorOf(request)),
  );
  api.patch(
    '/api/v1/partners/services/:id',
    {
      schema: {
        tags,
        summary: "Update a service: what it offers (district administrators) or its capacity (also the partner's own staff)",
        params: idParams,
        body: serviceChange,
        response: { 200: serviceUpdated },
      },
    },
    async (request) => updateService(deps, actorOf(request), request.params.id, request.body),
  );
  api.post(
    '/api/v1/partners/:id/agreements',
    {
      bodyLimit: 16 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Record a formal agreement (MOU, data-sharing agreement, contract)',
        params: idParams,
        body: agreementInput,
        response: { 201: createdId },
      },
    },
    async (request, reply) => reply.code(201).send(await addAgreement(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/referrals/match',
    { schema: { tags, summary: 'Rank partner services for a need, with why each fits and what does not', body: needInput, response: { 200: matches } } },
    async (request) => matchNeed(deps, actorOf(request), request.body),
  );
}
