import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import { identityProviderPresets } from '../../data/sso.ts';
import type { Deps } from '../../platform/deps.ts';
import { loggableError } from '../../platform/errors.ts';
import { dismissAccessRequest, grantAccessRequest, listAccessRequests } from './access-requests.service.ts';
import { noContent } from './accounts.schema.ts';
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
import {
  accessRequestList,
  accountGranted,
  discoverQuery,
  discovery,
  districtSignIn,
  grantInput,
  idParams,
  invitationInput,
  issuerInput,
  issuerTest,
  newProvider,
  providerAdded,
  redirect,
  rosterInvitationList,
  slugParams,
  ssoSettingsInput,
  ssoSettingsView,
  ssoView,
  startQuery,
} from './sso.schema.ts';
import { finishSsoSignIn, startSsoSignIn } from './sso.service.ts';

const tags = ['Single sign-on'];
/** Holds the id of the sign-in in progress between Haven, the provider and back (ten minutes). */
const challengeCookie = 'haven_sso';
const challengePath = '/api/v1/auth/sso';

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
        querystring: discoverQuery,
        response: { 200: discovery },
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
        params: slugParams,
        response: { 200: districtSignIn },
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
        querystring: startQuery,
        response: { 303: redirect },
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
    {
      schema: { tags, summary: 'Where the provider sends the person back (redirect URI)', response: { 303: redirect } },
      config: { access: 'public', ...signInLimit },
    },
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
        response: { 200: ssoView },
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
        body: ssoSettingsInput,
        response: { 200: ssoSettingsView },
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
        response: { 201: providerAdded },
      },
    },
    async (request, reply) => reply.code(201).send(await addProvider(deps, actorOf(request), request.body)),
  );

  api.delete(
    '/api/v1/district/sso/providers/:id',
    { schema: { tags, summary: 'Remove an identity provider; its sessions end', params: idParams, response: { 204: noContent } } },
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
        body: issuerInput,
        response: { 200: issuerTest },
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
        response: { 200: accessRequestList },
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
        body: grantInput,
        response: { 200: accountGranted },
      },
    },
    async (request) => grantAccessRequest(deps, actorOf(request), request.params.id, request.body),
  );

  api.post(
    '/api/v1/district/access-requests/:id/dismiss',
    { schema: { tags, summary: 'Dismiss an access request', params: idParams, response: { 204: noContent } } },
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
        response: { 200: rosterInvitationList },
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
        body: invitationInput,
        response: { 201: accountGranted },
      },
    },
    async (request, reply) => reply.code(201).send(await inviteFromRoster(deps, actorOf(request), request.params.id)),
  );
}
