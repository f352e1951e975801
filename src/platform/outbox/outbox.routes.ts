import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import type { Deps } from '../deps.ts';
import { outboxList, outboxRetried } from './outbox.schema.ts';
import { listOutbox, retryMessage } from './outbox.service.ts';

const tags = ['District'];

/**
 * The district's outgoing mail, texts and calls that are waiting or were given up (district
 * administrators). `actorOf` is the authenticated actor of a request, passed in by the app: the
 * platform does not import the accounts feature.
 */
export function registerOutboxRoutes(app: FastifyInstance, deps: Deps, actorOf: (request: FastifyRequest) => Actor): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/district/outbox',
    { schema: { tags, summary: 'E-mails, texts and calls still waiting to go, and those given up (district administrators)', response: { 200: outboxList } } },
    async (request) => listOutbox(deps, actorOf(request)),
  );
  api.post(
    '/api/v1/district/outbox/:id/retry',
    {
      schema: {
        tags,
        summary: 'Try a given-up message again, with a fresh round of attempts',
        params: z.object({ id: z.string().max(64) }),
        response: { 200: outboxRetried },
      },
    },
    async (request) => retryMessage(deps, actorOf(request), request.params.id),
  );
}
