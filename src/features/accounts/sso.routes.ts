import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { roles } from '../../access/roles.ts';
import type { Deps } from '../../platform/deps.ts';
import { loggableError } from '../../platform/errors.ts';
import { dismissAccessRequest, grantAccessRequest, grantableRoles, listAccessRequests } from './access-requests.service.ts';
import { actorOf } from './authenticate.ts';
import {
  addProvider,
  changeSsoSettings,
  providersForDistrict,
  providersForEmail,
  removeProvider,
  ssoSettings,
  testIssuer,
} from './identity-providers.service.ts';
import { inviteFromRoster, listRosterInvitations } from './roster-accounts.service.ts';
import { setSessionCookie } from './session-cookie.ts';
import { resolveSession } from './sessions.service.ts';
import { presets, type SsoFailure } from './sso.rules.ts';
import { finishSsoSignIn, startSsoSignIn } from './sso.service.ts';
import { identityProviderPresets } from './sso.tables.ts';

const tags = ['Single sign-on'];
/** Holds the id of the sign-in in progress between Haven, the provider and back (ten minutes). */
const challengeCookie = 'haven_sso';
const challengePath = '/api/v1/auth/sso';

const providerView = z.object({
  id: z.string(),
  label: z.string(),
  preset: z.enum(identityProviderPresets),
  issuer: z.string(),
  clientId: z.string(),
  domains: z.array(z.string()),
  emailClaim: z.string(),
  enabled: z.boolean(),
  createdAt: z.date(),
});
const newProvider = z
  .object({
    preset: z
      .enum(identityProviderPresets, 'Choose Google Workspace, Microsoft Entra ID, Clever, ClassLink or another OpenID Connect provider.')
      .default('generic'),
    label: z.string().trim().max(100, 'Keep the name to 100 characters.').optional(),
    issuer: z.string().trim().max(500, 'The issuer is at most 500 characters.').default(''),
    clientId: z.string().trim().min(1, 'Enter the client id the provider gave Haven.').max(500),
    clientSecret: z.string().trim().min(1, 'Enter the client secret the provider gave Haven.').max(2000),
    domains: z.union([z.string().max(2000), z.array(z.string().max(253)).max(50)]),
    emailClaim: z.string().trim().max(64).optional(),
  })
  .strict();
const idParams = z.object({ id: z.string().max(64) });

function failTo(reply: FastifyReply, failure: SsoFailure, districtSlug?: string) {
  return reply.redirect(`/sign-in${districtSlug ? `/${encodeURIComponent(districtSlug)}` : ''}?sso_error=${failure}`, 303);
}

function setChallengeCookie(request: FastifyRequest, reply: FastifyReply, value: string, maxAge: number) {
  // Lax, not strict: the provider sends the browser back with a top-level GET from its own site.
  reply.setCookie(challengeCookie, value, { path: challengePath, httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https', signed: true, maxAge });
}

/**
 * Single sign-on: home-realm discovery and the sign-in flow (public), the district's providers and
 * "SSO required" (district administrators), the people waiting for access (requested through the
 * provider, or offered by the roster).
 */
export function registerSsoRoutes(app: FastifyInstance, deps: Deps, limits: { signInPerMinute: number }): void {
  const signInLimit = { rateLimit: { max: limits.signInPerMinute, timeWindow: '1 minute' } };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/auth/sso/discover',
    {
      schema: {
        tags,
        summary: "Home-realm discovery: the providers that sign in people with this e-mail's domain",
        querystring: z.object({ email: z.string().max(320).default('') }),
        response: { 200: z.object({ providers: z.array(z.object({ id: z.string(), label: z.string(), district: z.string() })), ssoRequired: z.boolean() }) },
      },
      config: { access: 'public', ...signInLimit },
    },
    async (request) => {
      const found = await providersForEmail(deps, request.query.email);
      return { providers: found.map(({ id, label, district }) => ({ id, label, district })), ssoRequired: found.some((p) => p.ssoRequired) };
    },
  );

  api.get(
    '/api/v1/auth/sso/districts/:slug',
    {
      schema: {
        tags,
        summary: "A district's sign-in link (/sign-in/<slug>): its name and providers",
        params: z.object({ slug: z.string().max(64) }),
        response: {
          200: z.object({
            district: z.object({ name: z.string(), slug: z.string(), ssoRequired: z.boolean() }),
            providers: z.array(z.object({ id: z.string(), label: z.string() })),
          }),
        },
      },
      config: { access: 'public' },
    },
    async (request) => providersForDistrict(deps, request.params.slug),
  );

  api.get(
    '/api/v1/auth/sso/:id/start',
    {
      schema: {
        tags,
        summary: "Go to the provider's sign-in (authorization code flow with PKCE)",
        params: idParams,
        querystring: z.object({ email: z.string().max(320).optional(), return: z.string().max(500).optional() }),
      },
      config: { access: 'public', ...signInLimit },
    },
    async (request, reply) => {
      try {
        const started = await startSsoSignIn(deps, { providerId: request.params.id, loginHint: request.query.email, returnTo: request.query.return });
        if (!started.ok) return failTo(reply, started.failure);
        setChallengeCookie(request, reply, started.challengeId, started.maxAgeSeconds);
        return reply.redirect(started.url, 303);
      } catch (error) {
        // The provider did not answer its discovery document: the person can try again or use another way.
        request.log.warn({ err: loggableError(error) }, 'identity provider unavailable');
        return failTo(reply, 'unavailable');
      }
    },
  );

  api.get(
    '/api/v1/auth/sso/callback',
    { schema: { tags, summary: 'Where the provider sends the person back (redirect URI)', hide: false }, config: { access: 'public', ...signInLimit } },
    async (request, reply) => {
      const raw = request.cookies[challengeCookie];
      const unsigned = raw ? request.unsignCookie(raw) : undefined;
      reply.clearCookie(challengeCookie, { path: challengePath });
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '';
      const outcome = await finishSsoSignIn(deps, { query, challengeId: unsigned?.valid ? (unsigned.value ?? undefined) : undefined, ip: request.ip });
      if (!outcome.ok) return failTo(reply, outcome.failure, outcome.districtSlug);
      setSessionCookie(request, reply, outcome.token);
      // A role that needs two-step sign-in the provider did not do: the sign-in page asks for Haven's code (or enrolment).
      const session = await resolveSession(deps, outcome.token);
      return reply.redirect(session?.mfaPending ? '/sign-in' : outcome.returnTo, 303);
    },
  );

  api.get(
    '/api/v1/district/sso',
    {
      schema: {
        tags,
        summary: "The district's identity providers, 'SSO required' and its break-glass administrators",
        response: {
          200: z.object({
            ssoRequired: z.boolean(),
            breakGlassUserIds: z.array(z.string()),
            administrators: z.array(z.object({ id: z.string(), displayName: z.string(), email: z.string() })),
            providers: z.array(providerView),
            redirectUri: z.string(),
            presets: z.array(
              z.object({
                id: z.enum(identityProviderPresets),
                label: z.string(),
                issuerShape: z.string(),
                issuer: z.string().nullable(),
                emailClaim: z.string(),
                notes: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      ...(await ssoSettings(deps, actorOf(request))),
      presets: identityProviderPresets.map((id) => ({
        id,
        label: presets[id].label,
        issuerShape: presets[id].issuerShape,
        issuer: presets[id].issuer ?? null,
        emailClaim: presets[id].emailClaim,
        notes: presets[id].notes,
      })),
    }),
  );

  api.put(
    '/api/v1/district/sso/settings',
    {
      schema: {
        tags,
        summary: "Turn 'SSO required' on or off and name the break-glass administrators",
        body: z
          .object({ ssoRequired: z.boolean('ssoRequired is true or false'), breakGlassUserIds: z.array(z.uuid('choose administrators from the list')).max(50) })
          .strict(),
        response: { 200: z.object({ ssoRequired: z.boolean(), breakGlassUserIds: z.array(z.string()) }) },
      },
    },
    async (request) => changeSsoSettings(deps, actorOf(request), request.body),
  );

  api.post(
    '/api/v1/district/sso/providers',
    {
      schema: {
        tags,
        summary: 'Add an identity provider (district administrators)',
        body: newProvider,
        response: { 201: providerView.omit({ enabled: true, createdAt: true }) },
      },
    },
    async (request, reply) => reply.code(201).send(await addProvider(deps, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/district/sso/providers/:id',
    { schema: { tags, summary: 'Remove an identity provider; its sessions end', params: idParams } },
    async (request, reply) => {
      await removeProvider(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/district/sso/test',
    {
      schema: {
        tags,
        summary: "Test this connection: read the issuer's discovery document",
        body: z.object({ issuer: z.string().trim().min(1, 'Enter the issuer address.').max(500) }).strict(),
        response: { 200: z.object({ ok: z.boolean(), detail: z.string(), redirectUri: z.string().optional() }) },
      },
    },
    async (request) => testIssuer(deps, actorOf(request), request.body.issuer),
  );

  api.get(
    '/api/v1/district/access-requests',
    {
      schema: {
        tags,
        summary: 'People who signed in through the provider and wait for a role',
        response: { 200: z.array(z.object({ id: z.string(), email: z.string(), displayName: z.string(), requestedAt: z.date(), provider: z.string() })) },
      },
    },
    async (request) => listAccessRequests(deps, actorOf(request)),
  );

  api.post(
    '/api/v1/district/access-requests/:id/grant',
    {
      schema: {
        tags,
        summary: 'Grant a role to a person who asked through the provider',
        params: idParams,
        body: z.object({ role: z.enum(grantableRoles, 'Choose a role.'), schoolId: z.string().max(64).nullish() }).strict(),
        response: { 200: z.object({ userId: z.string(), email: z.string() }) },
      },
    },
    async (request) => grantAccessRequest(deps, actorOf(request), request.params.id, request.body),
  );

  api.post(
    '/api/v1/district/access-requests/:id/dismiss',
    { schema: { tags, summary: 'Dismiss an access request', params: idParams } },
    async (request, reply) => {
      await dismissAccessRequest(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/v1/district/roster-invitations',
    {
      schema: {
        tags,
        summary: 'Staff on the roster with no Haven access yet, with the role the roster suggests',
        response: {
          200: z.array(
            z.object({
              id: z.string(),
              givenName: z.string(),
              familyName: z.string(),
              email: z.string().nullable(),
              rosterRole: z.string(),
              offeredRole: z.enum(roles).nullable(),
              school: z.string().nullable(),
            }),
          ),
        },
      },
    },
    async (request) => listRosterInvitations(deps, actorOf(request)),
  );

  api.post(
    '/api/v1/district/roster-invitations/:id',
    {
      schema: {
        tags,
        summary: 'Invite a person from the roster with the suggested role (after the administrator confirms)',
        params: idParams,
        body: z.object({ confirm: z.literal(true, 'Confirm the invitation.') }).strict(),
        response: { 201: z.object({ userId: z.string(), email: z.string() }) },
      },
    },
    async (request, reply) => reply.code(201).send(await inviteFromRoster(deps, actorOf(request), request.params.id)),
  );
}
