import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { validSmsSignature } from '../../platform/notify/sms.ts';
import { receiveFromChannel } from './channels.ts';

const xmlEscape = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/**
 * The SMS channel: the provider posts each text here (form-encoded From, To, Body), signed with
 * its auth token; the answer is the provider's XML reply. A bad signature gets 403 and is logged
 * without the body.
 */
export function registerSmsRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/channels/sms',
    { config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } }, schema: { hide: true } },
    async (request, reply) => {
      const token = deps.settings.smsAuthToken;
      if (!token) throw notFound('The SMS channel');
      const params = Object.fromEntries(
        Object.entries((request.body ?? {}) as Record<string, unknown>).map(([key, value]) => [
          key,
          Array.isArray(value) ? String(value[0]) : String(value ?? ''),
        ]),
      );
      const url = `${deps.settings.publicUrl}/api/v1/channels/sms`;
      const signature = request.headers['x-twilio-signature'] ?? request.headers['x-signature'];
      if (!validSmsSignature(token, url, params, typeof signature === 'string' ? signature : undefined)) {
        request.log.warn({ route: '/api/v1/channels/sms' }, 'SMS webhook with an invalid signature refused');
        throw forbidden('The signature of this request is not valid.');
      }
      if (!params.From || params.Body === undefined) throw forbidden('From and Body are required.');
      const answer = await receiveFromChannel(deps, 'sms', params.From, params.Body);
      return reply.type('text/xml; charset=utf-8').send(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(answer)}</Message></Response>`);
    },
  );
}
