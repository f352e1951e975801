import type { FastifyReply, FastifyRequest } from 'fastify';
import { sessionCookie } from '../../access/authenticate.ts';

/** The session cookie: signed, never readable by scripts, sent only to Haven's own pages (SameSite strict). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string) {
  reply.setCookie(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    signed: true,
  });
}
