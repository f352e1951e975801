import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { inboundChannelKinds } from './crisis-reports.tables.ts';
import { addChannel, listChannels, removeChannel } from './inbound-channels.service.ts';

const tags = ['District'];

export const inboundChannel = z.object({ id: z.string(), kind: z.enum(inboundChannelKinds), address: z.string(), createdAt: z.date() });
export const newInboundChannel = z
  .object({
    kind: z.enum(inboundChannelKinds, { message: 'kind is "sms" (a phone number) or "email" (an address)' }),
    address: z.string({ message: 'write the number or the address' }).trim().min(1, 'write the number or the address').max(254, 'use at most 254 characters'),
  })
  .strict();

/**
 * The district's own numbers and addresses for texts and e-mail (District settings). Only a
 * district administrator sees or changes them; every change is in the district's audit trail.
 */
export function registerInboundChannelRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/district/channels',
    { schema: { tags, summary: 'The numbers and addresses this district receives texts and e-mail on', response: { 200: z.array(inboundChannel) } } },
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
    { schema: { tags, summary: 'Stop receiving at a number or address (district administrators)', params: z.object({ id: z.string().max(64) }) } },
    async (request, reply) => {
      await removeChannel(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
