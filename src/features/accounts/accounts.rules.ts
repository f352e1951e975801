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

/** Recovery codes look like `7f3k-q9xa`: easy to read aloud, 40 bits each. */
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
