/** Pure rules for single sign-on (OpenID Connect) and who may use a password; no I/O, time passed in. */

import type { Role } from '../../access/roles.ts';
import type { identityProviderPresets } from '../../data/sso.ts';

export type IdentityProviderPreset = (typeof identityProviderPresets)[number];

/** Roles an administrator may grant from a request; a partner belongs to an organization and is added from Partners. */
export const grantableRoles = ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff', 'analyst'] as const satisfies readonly Role[];

export type PresetInfo = {
  label: string;
  /** What the issuer URL looks like, with the part the district fills in between angle brackets. */
  issuerShape: string;
  /** The issuer when it is the same for every district (Google, Clever, ClassLink). */
  issuer?: string;
  emailClaim: string;
  /** Extra authorization parameters the provider needs to issue a refresh token. */
  authorizationParameters: Record<string, string>;
  notes: string;
};

/**
 * The providers districts use, with the issuer each publishes its discovery document under and
 * what to register there. The redirect URI is always `<Haven's address>/api/v1/auth/sso/callback`.
 */
export const presets: Record<IdentityProviderPreset, PresetInfo> = {
  google: {
    label: 'Google Workspace',
    issuerShape: 'https://accounts.google.com',
    issuer: 'https://accounts.google.com',
    emailClaim: 'email',
    // Google issues a refresh token only to an "offline" request.
    authorizationParameters: { access_type: 'offline' },
    notes:
      'Google Cloud console → APIs & Services → Credentials → OAuth client ID (Web application), with the redirect URI below. Set the consent screen to Internal so only your Workspace accounts can sign in; list your Workspace domains here.',
  },
  entra: {
    label: 'Microsoft Entra ID',
    issuerShape: 'https://login.microsoftonline.com/<tenant-id>/v2.0',
    emailClaim: 'email',
    authorizationParameters: {},
    notes:
      'Entra admin center → App registrations → New registration (single tenant, Web redirect URI below), then Certificates & secrets → New client secret. Use your tenant id in the issuer. Entra does not mark e-mail as verified: choose the claim "preferred_username" (the sign-in name your tenant controls) unless you add the optional "email" claim.',
  },
  clever: {
    label: 'Clever',
    issuerShape: 'https://clever.com',
    issuer: 'https://clever.com',
    emailClaim: 'email',
    authorizationParameters: {},
    notes:
      'Clever dashboard → your district app → Settings → OAuth / OIDC: add the redirect URI below and copy the client id and secret. Only staff with an e-mail in your domains can sign in.',
  },
  classlink: {
    label: 'ClassLink',
    issuerShape: 'https://launchpad.classlink.com',
    issuer: 'https://launchpad.classlink.com',
    emailClaim: 'email',
    authorizationParameters: {},
    notes: 'ClassLink Management Console → SSO → OpenID Connect app: add the redirect URI below and copy the client id and secret.',
  },
  generic: {
    label: 'OpenID Connect',
    issuerShape: 'https://<your provider>',
    emailClaim: 'email',
    authorizationParameters: {},
    notes: 'Any provider that publishes /.well-known/openid-configuration and supports the authorization code flow with PKCE.',
  },
};

/** Plain-language problem with an issuer URL, or null. HTTPS only; plain HTTP only on this machine (tests, a local provider). */
export function issuerProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return 'The issuer must be a web address such as https://accounts.google.com.';
  }
  if (url.search || url.hash) return 'The issuer has no ? or # part: use the address the provider names as its issuer.';
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopback(url.hostname)) return null;
  return 'The issuer must start with https:// (plain http is accepted only for a provider on this machine).';
}

/** Whether a host is this machine, where plain HTTP cannot be overheard on a network. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * The allowed e-mail domains from what an administrator typed (`a.org, b.org`), lower-cased and
 * without duplicates; `problem` names the first one that is not a domain.
 */
export function parseDomains(raw: string | readonly string[]): { domains: string[]; problem: string | null } {
  const parts = (typeof raw === 'string' ? raw.split(/[\s,;]+/) : raw).map((d) => d.trim().toLowerCase().replace(/^@/, '')).filter(Boolean);
  const domains = [...new Set(parts)];
  const bad = domains.find((d) => !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(d));
  if (bad) return { domains, problem: `"${bad}" is not an e-mail domain (for example adams12.org).` };
  if (domains.length === 0) return { domains, problem: 'List at least one e-mail domain whose people sign in through this provider.' };
  return { domains, problem: null };
}

/** The domain of an e-mail address, lower-cased, or null. */
export function domainOf(email: string): string | null {
  const at = email.trim().lastIndexOf('@');
  if (at < 1) return null;
  const domain = email
    .trim()
    .slice(at + 1)
    .toLowerCase();
  return domain.includes('.') ? domain : null;
}

export type EmailFromClaims = { ok: true; email: string } | { ok: false; reason: 'missing' | 'unverified' | 'domain'; email?: string | undefined };

/**
 * The person's e-mail from the ID token. With the standard `email` claim, the provider must say
 * it verified it (`email_verified: true`, OpenID Connect Core 5.1): an unverified address could be
 * anyone's. Another claim (Entra's `preferred_username` or `upn`) is the directory's own sign-in
 * name, which the district's tenant administers. Either way its domain must be one the district
 * listed for this provider, so a provider can only vouch for the district's own people.
 */
export function emailFromClaims(claims: Record<string, unknown>, emailClaim: string, domains: readonly string[]): EmailFromClaims {
  const raw = claims[emailClaim];
  if (typeof raw !== 'string' || !raw.includes('@')) return { ok: false, reason: 'missing' };
  const email = raw.trim().toLowerCase();
  if (emailClaim === 'email' && claims.email_verified !== true) return { ok: false, reason: 'unverified', email };
  const domain = domainOf(email);
  if (!domain || !domains.includes(domain)) return { ok: false, reason: 'domain', email };
  return { ok: true, email };
}

/** Authentication methods (RFC 8176) by kind of factor: two kinds make two factors. */
const factorKinds: Record<string, 'know' | 'have' | 'are'> = {
  pwd: 'know',
  pin: 'know',
  kba: 'know',
  otp: 'have',
  hwk: 'have',
  swk: 'have',
  sms: 'have',
  tel: 'have',
  sc: 'have',
  pop: 'have',
  fpt: 'are',
  face: 'are',
  iris: 'are',
  retina: 'are',
  vbm: 'are',
};

/** `acr` values that promise more than one factor (OpenID PAPE, OpenID EAP `phr`/`phrh`, and the common `mfa` names). */
const multiFactorAcr = new Set([
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
  'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical',
  'phr',
  'phrh',
  'mfa',
  'urn:okta:loa:2fa:any',
]);

/**
 * Whether the provider's sign-in counts as Haven's second factor. Only what the ID token says
 * counts: `amr` naming `mfa` (or `mca`), or factors of two kinds (something known and something
 * held, RFC 8176), or an `acr` that promises several factors. Anything else (no `amr`, `pwd`
 * alone) leaves Haven's own authenticator code to the roles that need one.
 */
export function providerCountsAsMfa(claims: Record<string, unknown>): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((m): m is string => typeof m === 'string').map((m) => m.toLowerCase()) : [];
  if (amr.includes('mfa') || amr.includes('mca')) return true;
  const kinds = new Set(amr.map((m) => factorKinds[m]).filter(Boolean));
  if (kinds.size >= 2) return true;
  return typeof claims.acr === 'string' && multiFactorAcr.has(claims.acr.toLowerCase());
}

/**
 * How long a session started through a provider lasts before it is refreshed against the
 * provider: the access token's lifetime, else the ID token's expiry, never more than Haven's own
 * maximum, and at least one minute (a provider that answers 0 would make every request refresh).
 */
export function ssoSessionExpiry(now: Date, tokens: { expiresIn?: number | undefined; idTokenExp?: number | undefined }, maxHours: number): Date {
  const max = now.getTime() + maxHours * 3_600_000;
  const fromAccess = tokens.expiresIn !== undefined ? now.getTime() + tokens.expiresIn * 1000 : undefined;
  const fromId = tokens.idTokenExp !== undefined ? tokens.idTokenExp * 1000 : undefined;
  const end = fromAccess ?? fromId ?? now.getTime() + 3_600_000;
  return new Date(Math.min(max, Math.max(end, now.getTime() + 60_000)));
}

export type PasswordPolicyDistrict = { id: string; ssoRequired: boolean; ssoBreakGlassUserIds: readonly string[] };

/**
 * Whether a person may act in a district without its identity provider (with a password or a
 * passkey): always, unless the district requires single sign-on; then only its named break-glass
 * administrators, who must also pass a second factor.
 */
export function mayUseHavenCredentials(district: PasswordPolicyDistrict, userId: string): boolean {
  return !district.ssoRequired || district.ssoBreakGlassUserIds.includes(userId);
}

/** Why a sign-in through a provider was refused, as the sign-in page names it (translated there). */
export const ssoFailures = ['failed', 'expired', 'unverified', 'domain', 'no_access', 'disabled', 'provider_off', 'unavailable'] as const;
export type SsoFailure = (typeof ssoFailures)[number];

/** Where to go after signing in: a path inside Haven only, never another site (an open redirect). */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\') || raw.length > 500) return '/';
  if (raw.startsWith('/api/') || raw.startsWith('/sign-in')) return '/';
  return raw;
}
