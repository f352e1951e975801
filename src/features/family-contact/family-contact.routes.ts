import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { decideHeldMessage, heldMessagesFor } from './family-contact.service.ts';

const tags = ['family contact'];

/** Messages to a family held while a concern names the household, and the decision on each. */
export function registerFamilyContactRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/students/:id/held-family-messages',
    { schema: { tags, summary: 'E-mails to the guardians held while a concern of abuse names the household', params: z.object({ id: z.string().max(64) }) } },
    async (request) => heldMessagesFor(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/held-family-messages/:id/decision',
    {
      schema: {
        tags,
        summary: 'Send a held message to the family, or keep it back; the reason is kept in the access log',
        params: z.object({ id: z.string().max(64) }),
        body: z.object({
          send: z.boolean(),
          reason: z.string().trim().min(10, 'say why, in a sentence (at least 10 characters)').max(2000),
        }),
      },
    },
    async (request) => decideHeldMessage(deps, actorOf(request), request.params.id, request.body),
  );
}
