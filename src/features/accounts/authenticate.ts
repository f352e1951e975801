import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, unauthorized } from '../../platform/errors.ts';
import { apiTokenAllows } from './accounts.rules.ts';
import { readOnlyTokenProblem, resolveApiToken } from './api-tokens.service.ts';
import { type ResolvedSession, resolveSession } from './sessions.service.ts';

export const sessionCookie = 'haven_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `public`: no sign-in needed. `mfaPending`: reachable by a session that must still enrol MFA. */
    access?: 'public' | 'mfaPending';
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: ResolvedSession | null;
  }
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is asking for every /api request, from the session cookie or a bearer token, and
 * refuses what they may not reach. Cookie sessions must echo their CSRF token on state-changing
 * requests; bearer tokens cannot be sent by a browser on its own, so they need none. A bearer
 * token that expired or was revoked is refused with a message saying which; a read-only token
 * may only send GET and HEAD.
 */
export function registerAuthentication(app: FastifyInstance, deps: Deps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/v1/') || request.is404) return;
    const access = request.routeOptions.config.access;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const resolved = await resolveApiToken(deps, bearer);
      if (!resolved.ok) {
        // A public route (a report, the sign-in form) works without a token, so a bad one changes nothing there.
        if (access !== 'public') throw resolved.problem;
        return;
      }
      // A read-only token never changes anything, on any route, whatever its owner's roles allow.
      if (!apiTokenAllows(resolved.scope, request.method)) throw readOnlyTokenProblem();
      request.actor = resolved.actor;
      return;
    }
    const raw = request.cookies[sessionCookie];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) {
      request.session = (await resolveSession(deps, unsigned.value)) ?? null;
      request.actor = request.session?.actor ?? null;
    }
    if (access === 'public') return;
    if (!request.session) throw unauthorized('Please sign in to continue. Your session may have ended.');
    if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== request.session.csrfToken) {
      throw forbidden("This request did not carry the page's security token. Reload the page and try again.");
    }
    if (request.session.mfaPending && access !== 'mfaPending') {
      throw forbidden('Your district requires two-step sign-in for your role. Set up an authenticator app on your account page first.', {
        code: 'mfa_enrolment_required',
      });
    }
  });
}

/** The actor of an authenticated route (the hook above has already refused anonymous requests). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthorized();
  return request.actor;
}

export function sessionOf(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw unauthorized('This needs a signed-in browser session, not an API token.');
  return request.session;
}
