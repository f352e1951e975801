import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { sessionOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { meResponse, noContent } from './accounts.schema.ts';
import { describeMe } from './me.service.ts';
import { creationOptions, newPasskey, passkeyAdded, passkeyList, passkeyParams, passkeyProof, passkeySignIn, requestOptions } from './passkeys.schema.ts';
import {
  beginPasskeyRegistration,
  finishPasskeyRegistration,
  listPasskeys,
  passkeySignInOptions,
  removePasskey,
  signInWithPasskey,
} from './passkeys.service.ts';
import { setSessionCookie } from './session-cookie.ts';
import { resolveSession } from './sessions.service.ts';

const tags = ['Passkeys'];

/** Passkeys: added and removed on the account page; signing in with one from the sign-in page. */
export function registerPasskeyRoutes(app: FastifyInstance, deps: Deps, limits: { signInPerMinute: number }): void {
  const signInLimit = { rateLimit: { max: limits.signInPerMinute, timeWindow: '1 minute' } };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/me/passkeys',
    {
      schema: {
        tags,
        summary: 'My passkeys (names and dates; never a key)',
        response: { 200: passkeyList },
      },
      config: { access: 'mfaPending' },
    },
    async (request) => listPasskeys(deps, sessionOf(request)),
  );

  api.post(
    '/api/v1/me/passkeys/options',
    {
      schema: {
        tags,
        summary: 'Start adding a passkey: needs the password again (or an authenticator code)',
        body: passkeyProof,
        response: { 200: creationOptions },
      },
      config: { access: 'mfaPending' },
    },
    async (request) => beginPasskeyRegistration(deps, sessionOf(request), request.body ?? {}, { ip: request.ip }),
  );

  api.post(
    '/api/v1/me/passkeys',
    {
      schema: {
        tags,
        summary: "Store a passkey from the browser's answer",
        body: newPasskey,
        response: { 201: passkeyAdded },
      },
      config: { access: 'mfaPending' },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await finishPasskeyRegistration(deps, sessionOf(request), { name: request.body.name, response: request.body.response as RegistrationResponseJSON }),
        ),
  );

  api.delete(
    '/api/v1/me/passkeys/:id',
    { schema: { tags, summary: 'Remove a passkey', params: passkeyParams, response: { 204: noContent } } },
    async (request, reply) => {
      await removePasskey(deps, sessionOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/auth/passkey/options',
    { schema: { tags, summary: 'Start signing in with a passkey', response: { 200: requestOptions } }, config: { access: 'public', ...signInLimit } },
    async () => passkeySignInOptions(deps),
  );

  api.post(
    '/api/v1/auth/passkey',
    {
      schema: {
        tags,
        summary: 'Sign in with a passkey (counts as two factors)',
        body: passkeySignIn,
        response: { 200: meResponse },
      },
      config: { access: 'public', ...signInLimit },
    },
    async (request, reply) => {
      const started = await signInWithPasskey(deps, request.body.response as AuthenticationResponseJSON, { ip: request.ip });
      setSessionCookie(request, reply, started.token);
      const session = await resolveSession(deps, started.token);
      if (!session) throw new Error('a session just created could not be read back');
      return describeMe(deps, session.actor, session);
    },
  );
}
