import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, sessionOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { vapidKeys } from '../../platform/notify/push.ts';
import { idParams, noContent } from './accounts.schema.ts';
import { deviceList, endpointBody, publicKey, pushResult, subscribeBody, subscribed } from './push.schema.ts';
import { listDevices, removeDevice, sendTestPush, subscribeDevice } from './push.service.ts';

const tags = ['Accounts'];

/**
 * Web Push for the signed-in person's own devices (decision 30). Turning a device on or off needs
 * a browser session: a push subscription belongs to a browser, never to an API token.
 */
export function registerPushRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/push/public-key',
    { schema: { tags, summary: "Haven's VAPID public key, for PushManager.subscribe", response: { 200: publicKey } } },
    async () => ({ publicKey: vapidKeys(deps.secrets).publicKey }),
  );

  api.get(
    '/api/v1/me/push-subscriptions',
    { schema: { tags, summary: 'The devices I receive alerts on', response: { 200: deviceList } } },
    async (request) => ({ items: await listDevices(deps, actorOf(request)) }),
  );

  api.post(
    '/api/v1/me/push-subscriptions',
    {
      schema: { tags, summary: 'Turn on alerts on this browser (its PushSubscription)', body: subscribeBody, response: { 201: subscribed } },
    },
    async (request, reply) => {
      sessionOf(request);
      const { endpoint, keys, label } = request.body;
      return reply.code(201).send(await subscribeDevice(deps, actorOf(request), { endpoint, p256dh: keys.p256dh, auth: keys.auth, label }));
    },
  );

  api.post(
    '/api/v1/me/push-subscriptions/remove',
    { schema: { tags, summary: 'Turn off alerts on this browser, by its endpoint', body: endpointBody, response: { 204: noContent } } },
    async (request, reply) => {
      sessionOf(request);
      await removeDevice(deps, actorOf(request), { endpoint: request.body.endpoint });
      return reply.code(204).send();
    },
  );

  api.delete(
    '/api/v1/me/push-subscriptions/:id',
    { schema: { tags, summary: 'Turn off alerts on one of my devices', params: idParams, response: { 204: noContent } } },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound('That device');
      await removeDevice(deps, actorOf(request), { id: request.params.id });
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/me/push-subscriptions/test',
    {
      schema: { tags, summary: 'Send a test notification to my devices', response: { 200: pushResult } },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (request) => sendTestPush(deps, actorOf(request)),
  );
}
