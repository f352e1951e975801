import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { meResponse } from './accounts.schema.ts';
import { sessionOf } from './authenticate.ts';
import { describeMe } from './me.service.ts';
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
const b64 = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'expected base64url');

/** The browser's answer to a passkey creation (WebAuthn `PublicKeyCredential.toJSON()`). */
const registrationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: b64,
    attestationObject: b64,
    transports: z.array(z.string().max(32)).max(10).optional(),
    authenticatorData: b64.optional(),
    publicKey: b64.optional(),
    publicKeyAlgorithm: z.number().optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

/** The browser's answer to a passkey sign-in (WebAuthn assertion as JSON). */
const authenticationResponse = z.object({
  id: b64,
  rawId: b64,
  type: z.literal('public-key'),
  response: z.object({ clientDataJSON: b64, authenticatorData: b64, signature: b64, userHandle: b64.optional() }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

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
        response: {
          200: z.object({
            items: z.array(z.object({ id: z.string(), name: z.string(), createdAt: z.date(), lastUsedAt: z.date().nullable(), backedUp: z.boolean() })),
            proofNeeded: z.boolean(),
          }),
        },
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
        body: z
          .object({ password: z.string().max(1024).optional(), code: z.string().trim().max(32).optional() })
          .strict()
          .nullish(),
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
        body: z.object({ name: z.string().trim().max(100, 'Keep the name to 100 characters.').default(''), response: registrationResponse }).strict(),
        response: { 201: z.object({ id: z.string(), name: z.string() }) },
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
    { schema: { tags, summary: 'Remove a passkey', params: z.object({ id: z.string().max(64) }) } },
    async (request, reply) => {
      await removePasskey(deps, sessionOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/auth/passkey/options',
    { schema: { tags, summary: 'Start signing in with a passkey' }, config: { access: 'public', ...signInLimit } },
    async () => passkeySignInOptions(deps),
  );

  api.post(
    '/api/v1/auth/passkey',
    {
      schema: {
        tags,
        summary: 'Sign in with a passkey (counts as two factors)',
        body: z.object({ response: authenticationResponse }).strict(),
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
