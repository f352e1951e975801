import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, type HttpProblem, unauthorized } from '../platform/errors.ts';
import type { Actor } from './actor.ts';

export const sessionCookie = 'haven_session';

/** A signed-in browser session, as the accounts feature resolves it from the cookie. */
export type Session = {
  actor: Actor;
  tokenHash: string;
  csrfToken: string;
  mfaPending: boolean;
  /** The district whose identity provider started this session, or null (password, passkey). */
  providerDistrictId: string | null;
};

/**
 * How a request's credentials become an actor. The accounts feature owns sessions and API tokens
 * and passes these in (src/app.ts), so access decides who may reach a route without importing a
 * feature.
 */
export type Credentials = {
  /** The live session of a cookie's token, or undefined when it has ended or never existed. */
  session(token: string): Promise<Session | undefined>;
  /**
   * The actor of a bearer token that may make a request with this method, or the problem that
   * refuses it. `onPublicRoutes: false` marks a token that is simply not valid: a public route
   * (a report, the sign-in form) works without one, so it changes nothing there.
   */
  bearer(token: string, method: string): Promise<{ ok: true; actor: Actor } | { ok: false; problem: HttpProblem; onPublicRoutes: boolean }>;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `public`: no sign-in needed. `mfaPending`: reachable by a session that must still enrol MFA. */
    access?: 'public' | 'mfaPending';
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: Session | null;
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
export function registerAuthentication(app: FastifyInstance, credentials: Credentials): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.addHook('preHandler', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/v1/') || request.is404) return;
    const access = request.routeOptions.config.access;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      const resolved = await credentials.bearer(bearer, request.method);
      if (!resolved.ok) {
        if (access === 'public' && !resolved.onPublicRoutes) return;
        throw resolved.problem;
      }
      request.actor = resolved.actor;
      return;
    }
    const raw = request.cookies[sessionCookie];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (unsigned?.valid && unsigned.value) {
      request.session = (await credentials.session(unsigned.value)) ?? null;
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

export function sessionOf(request: FastifyRequest): Session {
  if (!request.session) throw unauthorized('This needs a signed-in browser session, not an API token.');
  return request.session;
}
