import { describe, expect, it } from 'vitest';
import {
  apiTokenAllows,
  apiTokenDaysProblem,
  apiTokenState,
  lockedUntil,
  normalizeRecoveryCode,
  passwordProblems,
  recoveryCodeFrom,
  sessionState,
} from './accounts.rules.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 28, 15, minute));

describe('lockout after repeated failures', () => {
  it.each([
    { failures: [1, 2, 3, 4], now: 5, locked: null },
    { failures: [1, 2, 3, 4, 5], now: 6, locked: at(20) },
    { failures: [1, 2, 3, 4, 5], now: 21, locked: null },
    { failures: [0, 16, 17, 18, 19], now: 20, locked: null },
    { failures: [10, 11, 12, 13, 14, 15], now: 16, locked: at(30) },
  ])('failures at $failures, asked at minute $now', ({ failures, now, locked }) => {
    expect(lockedUntil(failures.map(at), at(now))).toEqual(locked);
  });
});

describe('password rules', () => {
  it.each([
    ['short', 'Use at least 12 characters.'],
    ['aaaaaaaaaaaaaaa', 'Do not repeat one character.'],
    ['rivera-password-2026', 'Do not use your e-mail address in the password.'],
  ])('%s is refused with a reason', (password, reason) => {
    expect(passwordProblems(password, 'rivera@lincoln.k12.test')).toContain(reason);
  });

  it('a long passphrase is accepted', () => {
    expect(passwordProblems('correct horse battery staple', 'rivera@lincoln.k12.test')).toEqual([]);
  });

  it('counts characters, not bytes, so 12 accented letters pass', () => {
    expect(passwordProblems('ñandúñandúña', 'x@y.test')).toEqual([]);
  });
});

describe('session expiry', () => {
  const session = { createdAt: at(0), lastSeenAt: at(10), expiresAt: at(59) };
  it.each([
    [at(20), 'active'],
    [at(41), 'idle'],
    [at(59), 'expired'],
  ] as const)('at %s the session is %s', (now, state) => {
    expect(sessionState(session, now, 30)).toBe(state);
  });
});

describe('recovery codes', () => {
  it.each([
    ['ABCD-1234', 'abcd-1234'],
    [' abcd 1234 ', 'abcd-1234'],
    ['abcd1234', 'abcd-1234'],
    ['abc-123', null],
    ['123456', null],
    ['K7P2-6XQM-AB3C-DE4F', 'k7p2-6xqm-ab3c-de4f'],
    ['k7p26xqmab3cde4f', 'k7p2-6xqm-ab3c-de4f'],
    ['k7p2-6xqm-ab3c-de4', null],
  ])('%s reads as %s', (input, expected) => {
    expect(normalizeRecoveryCode(input)).toBe(expected);
  });

  it('carry 80 random bits: sixteen base32 characters, every bit of the 10 bytes used', () => {
    expect(recoveryCodeFrom(new Uint8Array(10))).toBe('aaaa-aaaa-aaaa-aaaa');
    expect(recoveryCodeFrom(new Uint8Array(10).fill(255))).toBe('7777-7777-7777-7777');
    expect(recoveryCodeFrom(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe('aaaa-aaaa-aaaa-aaab');
    expect(normalizeRecoveryCode(recoveryCodeFrom(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])))).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  });
});

describe('API tokens', () => {
  it.each([
    ['read', 'GET', true],
    ['read', 'head', true],
    ['read', 'POST', false],
    ['read', 'PUT', false],
    ['read', 'PATCH', false],
    ['read', 'DELETE', false],
    ['read', 'OPTIONS', false],
    ['full', 'POST', true],
    ['full', 'DELETE', true],
  ] as const)('a %s token %s: %s', (scope, method, allowed) => {
    expect(apiTokenAllows(scope, method)).toBe(allowed);
  });

  it.each([
    [1, null],
    [30, null],
    [365, null],
    [0, 'refused'],
    [366, 'refused'],
    [12.5, 'refused'],
    [Number.POSITIVE_INFINITY, 'refused'],
    ['90', 'refused'],
  ] as const)('a lifetime of %s days is %s', (days, verdict) => {
    const problem = apiTokenDaysProblem(days);
    if (verdict === null) expect(problem).toBeNull();
    else expect(problem).toMatch(/whole number of days from 1 to 365/);
  });

  const created = at(0);
  it.each([
    [{ createdAt: created, expiresAt: at(30), revokedAt: null }, at(29), 'active'],
    [{ createdAt: created, expiresAt: at(30), revokedAt: null }, at(30), 'expired'],
    [{ createdAt: created, expiresAt: at(30), revokedAt: at(10) }, at(20), 'revoked'],
    [{ createdAt: created, expiresAt: at(30), revokedAt: at(10) }, at(40), 'revoked'],
    // Made before tokens had an expiry and somehow missed by the migration: a year from creation.
    [{ createdAt: created, expiresAt: null, revokedAt: null }, new Date(created.getTime() + 364 * 86_400_000), 'active'],
    [{ createdAt: created, expiresAt: null, revokedAt: null }, new Date(created.getTime() + 365 * 86_400_000), 'expired'],
  ] as const)('%j at %s is %s', (token, now, state) => {
    expect(apiTokenState(token, now)).toBe(state);
  });
});
