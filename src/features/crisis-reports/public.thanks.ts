import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';

/**
 * What the thanks page after a report needs, carried from the POST to the page it redirects to.
 * The follow-up code must not be in the URL (history, a shared school computer, a screenshot of
 * the address bar), so it travels in a cookie: encrypted with the server's key, HttpOnly, sent
 * only to /report, only by this site (SameSite=Strict), and readable for a few minutes only.
 */
export const thanksCookie = 'haven_report_thanks';

/** Long enough to read and write down the code, or reload the page; short enough for a shared computer. */
const thanksMinutes = 10;

type Thanks = { code: string; spooled: boolean };

export function writeThanks(deps: Pick<Deps, 'secrets' | 'clock'>, request: FastifyRequest, reply: FastifyReply, thanks: Thanks): void {
  const until = deps.clock.now().getTime() + thanksMinutes * 60_000;
  reply.setCookie(thanksCookie, deps.secrets.encrypt(JSON.stringify({ ...thanks, until })), {
    path: '/report',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: thanksMinutes * 60,
  });
}

/** The code and spool notice to show, or undefined when the cookie is missing, forged or expired. */
export function readThanks(deps: Pick<Deps, 'secrets' | 'clock'>, sealed: string | undefined): Thanks | undefined {
  if (!sealed) return undefined;
  try {
    const value = JSON.parse(deps.secrets.decrypt(sealed)) as { code?: unknown; spooled?: unknown; until?: unknown };
    if (typeof value.code !== 'string' || typeof value.until !== 'number' || value.until < deps.clock.now().getTime()) return undefined;
    return { code: value.code, spooled: value.spooled === true };
  } catch {
    return undefined; // not ours, or altered: the page without a code
  }
}

/**
 * After a reporter sends a message on the follow-up page, the POST redirects to the conversation
 * (so a reload never sends the message twice, and Back does not land on a form post). The code it
 * is about travels the same way as the thanks page's: in a sealed cookie, never in the URL.
 */
export const followUpCookie = 'haven_report_follow_up';

export function writeFollowUpCode(deps: Pick<Deps, 'secrets' | 'clock'>, request: FastifyRequest, reply: FastifyReply, code: string): void {
  const until = deps.clock.now().getTime() + thanksMinutes * 60_000;
  reply.setCookie(followUpCookie, deps.secrets.encrypt(JSON.stringify({ code, until })), {
    path: '/report',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: thanksMinutes * 60,
  });
}

export const readFollowUpCode = (deps: Pick<Deps, 'secrets' | 'clock'>, sealed: string | undefined): string | undefined => readThanks(deps, sealed)?.code;
