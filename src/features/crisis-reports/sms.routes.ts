import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { validSmsSignature } from '../../platform/notify/sms.ts';
import { receiveFromChannel } from './channel-intake.service.ts';
import { smsAnswer } from './crisis-reports.schema.ts';

const xmlEscape = (text: string) => text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);

/**
 * A form or JSON field as text. Only strings, numbers and booleans have one; anything else (an
 * object, which may even carry a `toString` that is not a function) is read as empty, so a crafted
 * body is refused as a bad request, never turned into a server error.
 */
const plainText = (value: unknown): string =>
  typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';

/**
 * The SMS channel: the provider posts each text here (form-encoded From, To, Body), signed with
 * its auth token; the answer is the provider's XML reply. The text goes to the district that owns
 * the number in `To`; one to a number no district owns is held for the operator and answered
 * (911, 988). A bad signature gets 403. Nothing is logged of a text's words or its sender.
 */
export function registerSmsRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/api/v1/channels/sms',
    {
      config: { access: 'public', rateLimit: { max: 600, timeWindow: '1 minute' } },
      // The body is not validated by a schema: the signature is checked over the fields exactly as
      // the provider sent them, and a refused request must learn nothing about which fields passed.
      schema: {
        tags: ['Crisis reports (public)'],
        summary: 'The SMS provider posts each text here (From, To, Body), signed with its auth token',
        response: { 200: smsAnswer },
      },
    },
    async (request, reply) => {
      const token = deps.settings.smsAuthToken;
      if (!token) throw notFound('The SMS channel');
      const params = Object.fromEntries(
        Object.entries((request.body ?? {}) as Record<string, unknown>).map(([key, value]) => [key, plainText(Array.isArray(value) ? value[0] : value)]),
      );
      const url = `${deps.settings.publicUrl}/api/v1/channels/sms`;
      const signature = request.headers['x-twilio-signature'] ?? request.headers['x-signature'];
      if (!validSmsSignature(token, url, params, typeof signature === 'string' ? signature : undefined)) {
        request.log.warn({ route: '/api/v1/channels/sms' }, 'SMS webhook with an invalid signature refused');
        throw forbidden('The signature of this request is not valid.', { code: 'signature_invalid', es: 'La firma de esta solicitud no es válida.' });
      }
      if (!params.From || params.Body === undefined)
        throw forbidden('From and Body are required.', { code: 'sms_fields_required', es: 'Se requieren From y Body.' });
      const received = await receiveFromChannel(deps, { kind: 'sms', to: params.To ?? '', from: params.From, text: params.Body });
      if (received.outcome === 'held') {
        request.log.warn(
          { route: '/api/v1/channels/sms', to: (params.To ?? '').slice(0, 32) },
          'A text to a number no district owns was held for the platform operator',
        );
      }
      return reply
        .type('text/xml; charset=utf-8')
        .send(`<?xml version="1.0" encoding="UTF-8"?><Response><Message>${xmlEscape(received.answer)}</Message></Response>`);
    },
  );
}
