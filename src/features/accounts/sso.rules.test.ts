import { describe, expect, it } from 'vitest';
import { emailFromClaims, issuerProblem, mayUseHavenCredentials, parseDomains, providerCountsAsMfa, safeReturnPath, ssoSessionExpiry } from './sso.rules.ts';

describe('the provider counts as a second factor only when its ID token says so', () => {
  it.each([
    [{ amr: ['pwd', 'mfa'] }, true],
    [{ amr: ['pwd', 'otp'] }, true],
    [{ amr: ['hwk', 'pin'] }, true],
    [{ amr: ['pwd'] }, false],
    [{ amr: ['otp'] }, false],
    [{ amr: 'mfa' }, false],
    [{}, false],
    [{ acr: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' }, true],
    [{ acr: 'phrh' }, true],
    [{ acr: 'urn:mace:incommon:iap:silver' }, false],
  ])('%j -> %s', (claims, expected) => expect(providerCountsAsMfa(claims)).toBe(expected));
});

describe('the e-mail a provider vouches for', () => {
  const domains = ['adams12.org'];
  it.each([
    [{ email: 'Ana@Adams12.org', email_verified: true }, 'email', { ok: true, email: 'ana@adams12.org' }],
    [{ email: 'ana@adams12.org', email_verified: false }, 'email', { ok: false, reason: 'unverified', email: 'ana@adams12.org' }],
    [{ email: 'ana@adams12.org', email_verified: 'true' }, 'email', { ok: false, reason: 'unverified', email: 'ana@adams12.org' }],
    [{ email: 'ana@gmail.com', email_verified: true }, 'email', { ok: false, reason: 'domain', email: 'ana@gmail.com' }],
    [{ email: 'ana@adams12.org.evil.com', email_verified: true }, 'email', { ok: false, reason: 'domain', email: 'ana@adams12.org.evil.com' }],
    [{ preferred_username: 'ana@adams12.org' }, 'preferred_username', { ok: true, email: 'ana@adams12.org' }],
    [{ sub: 'x' }, 'email', { ok: false, reason: 'missing' }],
  ])('%j (%s)', (claims, claim, expected) => expect(emailFromClaims(claims, claim, domains)).toEqual(expected));
});

describe('settings an administrator types', () => {
  it('issuers are https, or http only on this machine', () => {
    expect(issuerProblem('https://login.microsoftonline.com/tenant/v2.0')).toBeNull();
    expect(issuerProblem('http://127.0.0.1:8080')).toBeNull();
    expect(issuerProblem('http://idp.example.org')).toMatch(/https:\/\//);
    expect(issuerProblem('not a url')).toMatch(/web address/);
    expect(issuerProblem('https://idp.example.org/?x=1')).toMatch(/no \? or #/);
  });
  it('domains are lower-cased, deduplicated and checked', () => {
    expect(parseDomains('Adams12.org, @staff.adams12.org adams12.org')).toEqual({ domains: ['adams12.org', 'staff.adams12.org'], problem: null });
    expect(parseDomains('adams12').problem).toMatch(/"adams12" is not an e-mail domain/);
    expect(parseDomains('').problem).toMatch(/at least one/);
  });
});

describe('who may use a password or passkey', () => {
  it('everyone, unless the district requires single sign-on; then only its break-glass administrators', () => {
    expect(mayUseHavenCredentials({ id: 'd', ssoRequired: false, ssoBreakGlassUserIds: [] }, 'u')).toBe(true);
    expect(mayUseHavenCredentials({ id: 'd', ssoRequired: true, ssoBreakGlassUserIds: ['admin'] }, 'u')).toBe(false);
    expect(mayUseHavenCredentials({ id: 'd', ssoRequired: true, ssoBreakGlassUserIds: ['admin'] }, 'admin')).toBe(true);
  });
});

describe('sessions through a provider and where they return', () => {
  const now = new Date('2026-11-28T15:00:00Z');
  it('last as long as the access token, never past Haven’s own maximum, at least a minute', () => {
    expect(ssoSessionExpiry(now, { expiresIn: 3600 }, 12).toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(ssoSessionExpiry(now, { idTokenExp: now.getTime() / 1000 + 600 }, 12).toISOString()).toBe('2026-11-28T15:10:00.000Z');
    expect(ssoSessionExpiry(now, { expiresIn: 999_999 }, 12).toISOString()).toBe('2026-11-29T03:00:00.000Z');
    expect(ssoSessionExpiry(now, { expiresIn: 0 }, 12).toISOString()).toBe('2026-11-28T15:01:00.000Z');
  });
  it.each([
    ['/students/1', '/students/1'],
    ['//evil.example', '/'],
    ['https://evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/api/v1/me', '/'],
    [undefined, '/'],
  ])('return %s -> %s', (raw, expected) => expect(safeReturnPath(raw)).toBe(expected));
});
