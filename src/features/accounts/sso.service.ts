import { and, eq, gt, lt } from 'drizzle-orm';
import * as oidc from 'openid-client';
import { sessions, users } from '../../data/accounts.ts';
import { accessRequests, authChallenges, identityLinks, ssoSessions } from '../../data/sso.ts';
import type { Deps } from '../../platform/deps.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';
import { districtsOfUser, findUserByEmail } from './accounts.repository.ts';
import { type ProviderForSignIn, providerConfiguration, providerForSignIn, redirectUri } from './identity-providers.service.ts';
import { startSession } from './session-start.service.ts';
import { emailFromClaims, presets, providerCountsAsMfa, type SsoFailure, safeReturnPath, ssoSessionExpiry } from './sso.rules.ts';

/**
 * Signing in through a district's OpenID Connect provider: authorization code flow with PKCE,
 * state and nonce (openid-client checks the issuer, audience, signature, nonce and expiry of the ID
 * token). A person is matched to their Haven account by the provider's stable subject, or the first
 * time by verified e-mail; the provider never grants a role. Sessions it starts last as long as its
 * tokens and are refreshed against it.
 */

const challengeMinutes = 10;
/** Scopes Haven asks for: who the person is and their e-mail; `offline_access` when the provider offers refresh tokens that way. */
const baseScopes = ['openid', 'email', 'profile'];

type Bundle = { providerId: string; state: string; nonce: string; verifier: string; returnTo: string };

/**
 * Builds the provider's authorization URL and keeps the state, nonce and PKCE verifier (encrypted,
 * ten minutes, single use) under a random id the browser holds in a cookie: a callback arriving in
 * another browser (a login CSRF) finds nothing to finish.
 */
export async function startSsoSignIn(deps: Deps, input: { providerId: string; loginHint?: string | undefined; returnTo?: string | undefined }) {
  const provider = await providerForSignIn(deps, input.providerId);
  if (!provider?.enabled) return { ok: false as const, failure: 'provider_off' as SsoFailure };
  const config = await providerConfiguration({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: deps.secrets.decrypt(provider.clientSecretEncrypted),
  });
  const bundle: Bundle = {
    providerId: provider.id,
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    returnTo: safeReturnPath(input.returnTo),
  };
  const now = deps.clock.now();
  const challengeId = randomToken();
  await deps.db.system.delete(authChallenges).where(lt(authChallenges.expiresAt, now));
  await deps.db.system.insert(authChallenges).values({
    id: sha256(challengeId),
    purpose: 'oidc',
    value: deps.secrets.encrypt(JSON.stringify(bundle)),
    expiresAt: new Date(now.getTime() + challengeMinutes * 60_000),
  });
  const supported = config.serverMetadata().scopes_supported;
  const scope = [...baseScopes, ...(supported?.includes('offline_access') ? ['offline_access'] : [])].join(' ');
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(deps),
    scope,
    response_type: 'code',
    state: bundle.state,
    nonce: bundle.nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(bundle.verifier),
    code_challenge_method: 'S256',
    ...(input.loginHint ? { login_hint: input.loginHint.slice(0, 320) } : {}),
    ...presets[provider.preset].authorizationParameters,
  });
  return { ok: true as const, url: url.href, challengeId, maxAgeSeconds: challengeMinutes * 60 };
}

export type SsoOutcome =
  | { ok: true; token: string; csrfToken: string; returnTo: string }
  | { ok: false; failure: SsoFailure; districtSlug?: string | undefined };

/** Takes the challenge the browser's cookie names, once; undefined when missing, spent or expired. */
async function takeChallenge(deps: Deps, challengeId: string | undefined): Promise<Bundle | undefined> {
  if (!challengeId) return undefined;
  const [row] = await deps.db.system
    .delete(authChallenges)
    .where(and(eq(authChallenges.id, sha256(challengeId)), eq(authChallenges.purpose, 'oidc'), gt(authChallenges.expiresAt, deps.clock.now())))
    .returning({ value: authChallenges.value });
  if (!row) return undefined;
  return JSON.parse(deps.secrets.decrypt(row.value)) as Bundle;
}

/**
 * Finishes a sign-in from the provider's redirect (`query` is the callback's query string). Every
 * refusal is audited in the provider's district with its reason; an unknown person is listed for
 * the administrator ("requested access") and gets nothing.
 */
export async function finishSsoSignIn(deps: Deps, input: { query: string; challengeId: string | undefined; ip: string }): Promise<SsoOutcome> {
  const bundle = await takeChallenge(deps, input.challengeId);
  if (!bundle) return { ok: false, failure: 'expired' };
  const provider = await providerForSignIn(deps, bundle.providerId);
  if (!provider?.enabled) return { ok: false, failure: 'provider_off' };
  const refuse = async (failure: SsoFailure, detail: Record<string, unknown>): Promise<SsoOutcome> => {
    await deps.db.system.transaction((tx) =>
      deps.audit.append(
        tx,
        provider.districtId,
        { userId: null, label: `someone signing in through ${provider.label}` },
        {
          action: 'auth.sso_sign_in.failed',
          subjectType: 'identity_provider',
          subjectId: provider.id,
          detail: { reason: failure, ip: input.ip, ...detail },
        },
      ),
    );
    return { ok: false, failure, districtSlug: provider.districtSlug };
  };

  let claims: Record<string, unknown>;
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    const config = await providerConfiguration({
      issuer: provider.issuer,
      clientId: provider.clientId,
      clientSecret: deps.secrets.decrypt(provider.clientSecretEncrypted),
    });
    const currentUrl = new URL(`${redirectUri(deps)}?${input.query}`);
    tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: bundle.verifier,
      expectedState: bundle.state,
      expectedNonce: bundle.nonce,
      idTokenExpected: true,
    });
    claims = (tokens.claims() ?? {}) as Record<string, unknown>;
  } catch (error) {
    // The library's words name the check that failed (state, issuer, audience, nonce, signature): kept for the audit trail, never shown.
    return refuse('failed', { problem: describeFailure(error) });
  }
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const email = emailFromClaims(claims, provider.emailClaim, provider.domains);
  if (!email.ok)
    return refuse(email.reason === 'domain' ? 'domain' : email.reason === 'missing' ? 'failed' : 'unverified', { subject, email: email.email ?? null });
  const displayName = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : (email.email.split('@')[0] ?? email.email);

  const user = await matchUser(deps, provider, subject, email.email);
  if (user === 'unknown') {
    await requestAccess(deps, provider, { subject, email: email.email, displayName, ip: input.ip });
    return { ok: false, failure: 'no_access', districtSlug: provider.districtSlug };
  }
  if (user.disabledAt) return refuse('disabled', { subject, userId: user.id });

  const providerMfa = providerCountsAsMfa(claims);
  const now = deps.clock.now();
  const expiresAt = ssoSessionExpiry(
    now,
    { expiresIn: tokens.expiresIn(), idTokenExp: typeof claims.exp === 'number' ? claims.exp : undefined },
    deps.settings.sessionMaxHours,
  );
  const started = await startSession(deps, {
    userId: user.id,
    userLabel: user.displayName,
    districtId: provider.districtId,
    mfaVerified: providerMfa,
    audit: { action: 'auth.sso_sign_in', detail: { ip: input.ip, provider: provider.label, providerMfa, linked: user.linkedNow } },
    alsoInTransaction: async (tx, tokenHash) => {
      await tx.insert(ssoSessions).values({
        sessionTokenHash: tokenHash,
        providerId: provider.id,
        refreshTokenEncrypted: tokens.refresh_token ? deps.secrets.encrypt(tokens.refresh_token) : null,
        expiresAt,
        providerMfa,
      });
      if (user.linkedNow) {
        await tx
          .insert(identityLinks)
          .values({ id: deps.ids.uuid(), districtId: provider.districtId, providerId: provider.id, subject, userId: user.id, linkedAt: now, lastSignInAt: now })
          .onConflictDoNothing();
        await deps.audit.append(
          tx,
          provider.districtId,
          { userId: user.id, label: user.displayName },
          { action: 'auth.sso_linked', subjectType: 'user', subjectId: user.id, detail: { provider: provider.label, email: email.email } },
        );
      } else {
        await tx
          .update(identityLinks)
          .set({ lastSignInAt: now })
          .where(and(eq(identityLinks.providerId, provider.id), eq(identityLinks.subject, subject)));
      }
    },
  });
  return { ok: true, token: started.token, csrfToken: started.csrfToken, returnTo: bundle.returnTo };
}

type Matched = { id: string; displayName: string; disabledAt: Date | null; linkedNow: boolean };

/**
 * The Haven user this provider account is: by the link made at an earlier sign-in, else (the first
 * time) by verified e-mail, only if that user holds a role in the provider's district.
 */
async function matchUser(deps: Deps, provider: ProviderForSignIn, subject: string, email: string): Promise<Matched | 'unknown'> {
  const [linked] = await deps.db.system
    .select({ id: users.id, displayName: users.displayName, disabledAt: users.disabledAt })
    .from(identityLinks)
    .innerJoin(users, eq(users.id, identityLinks.userId))
    .where(and(eq(identityLinks.providerId, provider.id), eq(identityLinks.subject, subject)));
  const candidate = linked ? { ...linked, linkedNow: false } : await byEmail(deps, email);
  if (!candidate) return 'unknown';
  const grantedHere = (await districtsOfUser(deps.db.system, candidate.id)).some((d) => d.id === provider.districtId);
  return grantedHere ? candidate : 'unknown';
}

async function byEmail(deps: Deps, email: string): Promise<Matched | undefined> {
  const user = await findUserByEmail(deps.db.system, email);
  return user ? { id: user.id, displayName: user.displayName, disabledAt: user.disabledAt, linkedNow: true } : undefined;
}

/**
 * Lists an unknown person for the district's administrator, once per provider account: a
 * dismissed request stays dismissed (the person is not listed again at every try), an open one is
 * brought up to date.
 */
async function requestAccess(deps: Deps, provider: ProviderForSignIn, person: { subject: string; email: string; displayName: string; ip: string }) {
  await deps.db.system.transaction(async (tx) => {
    const now = deps.clock.now();
    const [existing] = await tx
      .select({ id: accessRequests.id, outcome: accessRequests.outcome })
      .from(accessRequests)
      .where(and(eq(accessRequests.providerId, provider.id), eq(accessRequests.subject, person.subject)));
    let requestId = existing?.id;
    if (!existing) {
      requestId = deps.ids.uuid();
      await tx
        .insert(accessRequests)
        .values({
          id: requestId,
          districtId: provider.districtId,
          providerId: provider.id,
          subject: person.subject,
          email: person.email,
          displayName: person.displayName,
          requestedAt: now,
        })
        .onConflictDoNothing();
    } else if (existing.outcome !== 'dismissed') {
      // Open: brought up to date. Granted earlier but the role has since gone: open again.
      await tx
        .update(accessRequests)
        .set({ email: person.email, displayName: person.displayName, requestedAt: now, resolvedAt: null, resolvedBy: null, outcome: null })
        .where(eq(accessRequests.id, existing.id));
    }
    await deps.audit.append(
      tx,
      provider.districtId,
      { userId: null, label: `${person.displayName} through ${provider.label}` },
      {
        action: 'auth.sso_access_requested',
        subjectType: 'access_request',
        subjectId: requestId,
        detail: { provider: provider.label, email: person.email, ip: person.ip },
      },
    );
  });
}

/** How long one request holds a session's refresh while it asks the provider; others carry on meanwhile. */
const refreshHoldMs = 2 * 60_000;

export type SsoSessionRow = { tokenHash: string; providerId: string; expiresAt: Date; districtId: string; userId: string };

/**
 * Refreshes a session started through a provider once its tokens have expired. The first request
 * to find it expired claims the refresh (a conditional update), so a burst of requests makes one
 * call to the provider and a rotated refresh token is never spent twice. A provider that refuses
 * (the person was disabled or removed there, or the grant was revoked) ends the session now, with
 * an audit event. Returns whether the session goes on.
 */
export async function refreshSsoSession(deps: Deps, session: SsoSessionRow): Promise<boolean> {
  const now = deps.clock.now();
  const claimed = await deps.db.system
    .update(ssoSessions)
    .set({ expiresAt: new Date(now.getTime() + refreshHoldMs) })
    .where(and(eq(ssoSessions.sessionTokenHash, session.tokenHash), eq(ssoSessions.expiresAt, session.expiresAt)))
    .returning({ refreshTokenEncrypted: ssoSessions.refreshTokenEncrypted });
  const claim = claimed[0];
  if (!claim) return true;
  const provider = await providerForSignIn(deps, session.providerId);
  let reason = 'no_refresh_token';
  if (provider?.enabled && claim.refreshTokenEncrypted) {
    try {
      const config = await providerConfiguration({
        issuer: provider.issuer,
        clientId: provider.clientId,
        clientSecret: deps.secrets.decrypt(provider.clientSecretEncrypted),
      });
      const tokens = await oidc.refreshTokenGrant(config, deps.secrets.decrypt(claim.refreshTokenEncrypted));
      const claims = tokens.claims();
      const expiresAt = ssoSessionExpiry(deps.clock.now(), { expiresIn: tokens.expiresIn(), idTokenExp: claims?.exp }, deps.settings.sessionMaxHours);
      await deps.db.system
        .update(ssoSessions)
        .set({ expiresAt, ...(tokens.refresh_token ? { refreshTokenEncrypted: deps.secrets.encrypt(tokens.refresh_token) } : {}) })
        .where(eq(ssoSessions.sessionTokenHash, session.tokenHash));
      return true;
    } catch (error) {
      reason = describeFailure(error);
    }
  } else if (!provider?.enabled) reason = 'provider_off';
  await deps.db.system.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
    await deps.audit.append(
      tx,
      session.districtId,
      { userId: session.userId, label: 'Haven: single sign-on refresh' },
      { action: 'auth.sso_refresh_failed', subjectType: 'user', subjectId: session.userId, detail: { provider: provider?.label ?? null, reason } },
    );
  });
  return false;
}

/**
 * What failed, for the audit trail: the library's code and words, and those of its cause (which
 * name the check: the claim compared, the state, the issuer). Never tokens or codes.
 */
function describeFailure(error: unknown): string {
  const parts: string[] = [];
  for (
    let e = error as { code?: unknown; message?: unknown; claim?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 3;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e !== 'object') break;
    const claim = typeof e.claim === 'string' ? ` (claim ${e.claim})` : '';
    if (typeof e.message === 'string') parts.push(`${typeof e.code === 'string' ? `${e.code}: ` : ''}${e.message}${claim}`);
    else if (claim) parts.push(claim.trim());
  }
  return (parts.join(' <- ') || 'unknown').slice(0, 500);
}
