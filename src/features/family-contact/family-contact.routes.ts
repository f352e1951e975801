import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { decided, decisionInput, heldMessages, messageParams, studentParams } from './family-contact.schema.ts';
import { decideHeldMessage, heldMessagesFor } from './family-contact.service.ts';

const tags = ['family contact'];

/** Messages to a family held while a concern names the household, and the decision on each. */
export function registerFamilyContactRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/students/:id/held-family-messages',
    {
      schema: {
        tags,
        summary: 'E-mails to the guardians held while a concern of abuse names the household',
        params: studentParams,
        response: { 200: heldMessages },
      },
    },
    async (request) => heldMessagesFor(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/held-family-messages/:id/decision',
    {
      schema: {
        tags,
        summary: 'Send a held message to the family, or keep it back; the reason is kept in the access log',
        params: messageParams,
        body: decisionInput,
        response: { 200: decided },
      },
    },
    async (request) => decideHeldMessage(deps, actorOf(request), request.params.id, request.body),
  );
}
