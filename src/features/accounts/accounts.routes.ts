import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf, sessionCookie, sessionOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { loggableError, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import {
  changePasswordBody,
  codeBody,
  createdTokenResponse,
  emailBody,
  endedSessions,
  idParams,
  loginBody,
  meResponse,
  mfaEnrolment,
  mfaEnrolmentBody,
  noContent,
  recoveryCodes,
  resetCompleteBody,
  resetRequested,
  switchDistrictBody,
  tokenBody,
  tokenList,
} from './accounts.schema.ts';
import { createMyApiToken, listApiTokens, revokeApiToken } from './api-tokens.service.ts';
import { describeMe } from './me.service.ts';
import { beginMfaEnrolment, confirmMfaEnrolment } from './mfa.service.ts';
import { changePassword, completePasswordReset, requestPasswordReset } from './passwords.service.ts';
import { setSessionCookie } from './session-cookie.ts';
import { passSecondFactor, resolveSession, signIn, signOut, signOutEverywhere, switchDistrict } from './sessions.service.ts';

const tags = ['Accounts'];

export function registerAccountRoutes(app: FastifyInstance, deps: Deps, limits: { signInPerMinute: number }): void {
  const signInLimit = { rateLimit: { max: limits.signInPerMinute, timeWindow: '1 minute' } };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.post(
    '/api/v1/auth/login',
    {
      schema: { tags, summary: 'Sign in with e-mail, password and (when enrolled) a TOTP or recovery code', body: loginBody, response: { 200: meResponse } },
      config: { access: 'public', ...signInLimit },
    },
    async (request, reply) => {
      const signedIn = await signIn(deps, request.body, { ip: request.ip });
      setSessionCookie(request, reply, signedIn.token);
      const session = await resolveSession(deps, signedIn.token);
      if (!session) throw new Error('a session just created could not be read back');
      return describeMe(deps, session.actor, session);
    },
  );

  api.post(
    '/api/v1/auth/second-factor',
    {
      schema: {
        tags,
        summary: 'After signing in through a provider that did not do two-step sign-in: a code from the authenticator app, or a recovery code',
        body: codeBody,
        response: { 200: meResponse },
      },
      config: { access: 'mfaPending', ...signInLimit },
    },
    async (request) => {
      const session = sessionOf(request);
      await passSecondFactor(deps, session, request.body.code, { ip: request.ip });
      const raw = request.cookies[sessionCookie];
      const refreshed = raw ? await resolveSession(deps, request.unsignCookie(raw).value ?? '') : undefined;
      if (!refreshed) throw new Error('a session just verified could not be read back');
      return describeMe(deps, refreshed.actor, refreshed);
    },
  );

  api.post(
    '/api/v1/auth/logout',
    { schema: { tags, summary: 'Sign out of this browser', response: { 204: noContent } }, config: { access: 'mfaPending' } },
    async (request, reply) => {
      await signOut(deps, sessionOf(request));
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/auth/logout-everywhere',
    { schema: { tags, summary: 'End every session of this account', response: { 200: endedSessions } } },
    async (request, reply) => {
      const sessionsEnded = await signOutEverywhere(deps, actorOf(request));
      reply.clearCookie(sessionCookie, { path: '/' });
      return { sessionsEnded };
    },
  );

  api.post(
    '/api/v1/auth/password-reset',
    {
      schema: { tags, summary: 'E-mail a single-use link to reset a password', body: emailBody, response: { 202: resetRequested } },
      config: { access: 'public', ...signInLimit },
    },
    async (request, reply) => {
      // Answered before the account is even looked up, so the time taken (the link and its e-mail
      // written to the outbox, or nothing for an unknown address) cannot tell anyone whether the
      // address has an account. A failure is logged (never the address); the person can ask again.
      void requestPasswordReset(deps, request.body.email).catch((error: unknown) => {
        request.log.error({ err: loggableError(error) }, 'password reset request failed');
      });
      return reply.code(202).send({ message: 'If that address has a Haven account, a reset link is on its way. It works once, for one hour.' });
    },
  );

  api.post(
    '/api/v1/auth/password-reset/complete',
    {
      schema: { tags, summary: 'Set a new password from a reset link', body: resetCompleteBody, response: { 204: noContent } },
      config: { access: 'public', ...signInLimit },
    },
    async (request, reply) => {
      await completePasswordReset(deps, request.body.token, request.body.password);
      return reply.code(204).send();
    },
  );

  api.get(
    '/api/v1/me',
    { schema: { tags, summary: 'Who is signed in, where, and what they may do', response: { 200: meResponse } }, config: { access: 'mfaPending' } },
    async (request) => describeMe(deps, actorOf(request), request.session),
  );

  api.put(
    '/api/v1/me/district',
    { schema: { tags, summary: 'Switch to another district', body: switchDistrictBody, response: { 204: noContent } } },
    async (request, reply) => {
      await switchDistrict(deps, sessionOf(request), request.body.districtId);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/me/password',
    { schema: { tags, summary: 'Change password (other sessions end)', body: changePasswordBody, response: { 204: noContent } } },
    async (request, reply) => {
      await changePassword(deps, actorOf(request), request.session?.tokenHash ?? null, request.body.currentPassword, request.body.newPassword);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/me/mfa/enrolment',
    {
      schema: {
        tags,
        summary: 'Start authenticator (TOTP) enrolment; replacing one needs the password again',
        body: mfaEnrolmentBody,
        response: { 200: mfaEnrolment },
      },
      config: { access: 'mfaPending' },
    },
    async (request) => beginMfaEnrolment(deps, sessionOf(request), { password: request.body?.password }, { ip: request.ip }),
  );

  api.post(
    '/api/v1/me/mfa/enrolment/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm enrolment with a first code; returns recovery codes once',
        body: codeBody,
        response: { 200: recoveryCodes },
      },
      config: { access: 'mfaPending' },
    },
    async (request) => confirmMfaEnrolment(deps, sessionOf(request), request.body.code),
  );

  api.get(
    '/api/v1/me/tokens',
    {
      schema: {
        tags,
        summary: 'My API tokens in this district: name, scope, dates (never the token)',
        response: { 200: tokenList },
      },
    },
    async (request) => ({ items: await listApiTokens(deps, actorOf(request)) }),
  );

  api.post(
    '/api/v1/me/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token (shown once); needs the password again, or a current authenticator code',
        body: tokenBody,
        response: { 201: createdTokenResponse },
      },
    },
    async (request, reply) => {
      // Only a signed-in browser may mint a token: a token cannot extend its own life.
      const session = sessionOf(request);
      const created = await createMyApiToken(deps, session.actor, request.body, { ip: request.ip });
      return reply.code(201).send(created);
    },
  );

  api.delete(
    '/api/v1/me/tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: idParams, response: { 204: noContent } } },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound('That token');
      await revokeApiToken(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
