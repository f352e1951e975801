import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { channelParams, inboundChannel, inboundChannelList, newInboundChannel, noContent } from './crisis-reports.schema.ts';
import { addChannel, listChannels, removeChannel } from './inbound-channels.service.ts';

const tags = ['District'];

/**
 * The district's own numbers and addresses for texts and e-mail (District settings). Only a
 * district administrator sees or changes them; every change is in the district's audit trail.
 */
export function registerInboundChannelRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/district/channels',
    { schema: { tags, summary: 'The numbers and addresses this district receives texts and e-mail on', response: { 200: inboundChannelList } } },
    async (request) => listChannels(deps, actorOf(request)),
  );

  api.post(
    '/api/v1/district/channels',
    {
      schema: {
        tags,
        summary: 'Receive texts at a number (E.164) or e-mail at an address (district administrators)',
        body: newInboundChannel,
        response: { 201: inboundChannel },
      },
    },
    async (request, reply) => reply.code(201).send(await addChannel(deps, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/district/channels/:id',
    {
      schema: {
        tags,
        summary: 'Stop receiving at a number or address (district administrators)',
        params: channelParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await removeChannel(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
