/** Pure rules for accounts and sessions; no I/O, time passed in. */

/** Failed sign-ins allowed within the window before the account is locked for the window. */
export const lockout = { maxFailures: 5, windowMinutes: 15 } as const;

/**
 * Temporary lockout after repeated failures (NIST SP 800-63B 5.2.2 asks for throttling).
 * `failures` are the failed attempts since the last success, newest last.
 * Returns when the lock lifts, or null when sign-in may be tried.
 */
export function lockedUntil(failures: readonly Date[], now: Date): Date | null {
  const windowStart = now.getTime() - lockout.windowMinutes * 60_000;
  const recent = failures.filter((at) => at.getTime() > windowStart);
  if (recent.length < lockout.maxFailures) return null;
  const newest = recent[recent.length - 1] as Date;
  return new Date(newest.getTime() + lockout.windowMinutes * 60_000);
}

/**
 * Password rules after NIST SP 800-63B: length over composition, a ceiling so hashing cannot be
 * abused, and nothing built from the account's own e-mail. Returns the problems in plain words.
 */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if ([...password].length < 12) problems.push('Use at least 12 characters.');
  if (password.length > 256) problems.push('Use at most 256 characters.');
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  if (local.length >= 4 && password.toLowerCase().includes(local)) problems.push('Do not use your e-mail address in the password.');
  if (/^(.)\1+$/.test(password)) problems.push('Do not repeat one character.');
  return problems;
}

export type SessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date };

/** A session ends after `idleMinutes` without use, or at its absolute expiry, whichever is first. */
export function sessionState(session: SessionTimes, now: Date, idleMinutes: number): 'active' | 'idle' | 'expired' {
  if (now >= session.expiresAt) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() > idleMinutes * 60_000) return 'idle';
  return 'active';
}

/** Letters and digits a person can read back without confusing them (RFC 4648 base32). */
const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * A recovery code: 80 random bits (NIST SP 800-63B asks look-up secrets for at least 64) as
 * sixteen base32 characters in groups of four, e.g. `k7p2-9xqm-…`. `random` is 10 bytes.
 */
export function recoveryCodeFrom(random: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of random.subarray(0, 10)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += base32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return (out.match(/.{4}/g) ?? []).join('-');
}

/**
 * A typed recovery code in its stored form, whatever the spacing and case: sixteen base32
 * characters (or the eight of codes issued before they grew to 80 bits), or null.
 */
export function normalizeRecoveryCode(input: string): string | null {
  const compact = input.toLowerCase().replace(/[\s-]/g, '');
  if (/^[a-z2-7]{16}$/.test(compact)) return (compact.match(/.{4}/g) ?? []).join('-');
  return /^[a-z0-9]{8}$/.test(compact) ? `${compact.slice(0, 4)}-${compact.slice(4)}` : null;
}

import type { ApiTokenScope } from '../../data/accounts.values.ts';

export { type ApiTokenScope, apiTokenScopes } from '../../data/accounts.values.ts';

/**
 * How long a new API token lives, in days: the choices the account page offers. There is no
 * "never": a token forgotten in an old script must stop working on its own.
 */
export const apiTokenLifetimes = [30, 90, 365] as const;
export const apiTokenMaxDays = 365;

/** Why a lifetime is refused, in plain words, or null when it is a whole number of days from 1 to 365. */
export function apiTokenDaysProblem(days: unknown): string | null {
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > apiTokenMaxDays) {
    return `Choose how long the token lasts: a whole number of days from 1 to ${apiTokenMaxDays} (for example ${apiTokenLifetimes.join(', ')}).`;
  }
  return null;
}

/** Methods that only read: what a read-only token may send (RFC 9110 safe methods, less OPTIONS). */
const readMethods = new Set(['GET', 'HEAD']);

/** Whether a token of this scope may make a request with this HTTP method. */
export function apiTokenAllows(scope: ApiTokenScope, method: string): boolean {
  return scope === 'full' || readMethods.has(method.toUpperCase());
}

export type ApiTokenTimes = { createdAt: Date; expiresAt: Date | null; revokedAt: Date | null };

/**
 * A token works until it is revoked or expires, whichever comes first. Tokens made before expiry
 * existed were given a year by migration 0023; one still without a date gets the same year here.
 */
export function apiTokenState(token: ApiTokenTimes, now: Date): 'active' | 'expired' | 'revoked' {
  if (token.revokedAt && token.revokedAt <= now) return 'revoked';
  return now >= apiTokenExpiry(token) ? 'expired' : 'active';
}

export function apiTokenExpiry(token: Pick<ApiTokenTimes, 'createdAt' | 'expiresAt'>): Date {
  return token.expiresAt ?? new Date(token.createdAt.getTime() + apiTokenMaxDays * 86_400_000);
}
