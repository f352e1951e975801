import { eq } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import type { Session } from '../../access/authenticate.ts';
import { sessions, users } from '../../data/accounts.ts';
import { identityProviders, ssoSessions } from '../../data/sso.ts';
import { decoyHash, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, forbidden, notFound, unauthorized } from '../../platform/errors.ts';
import { sha256 } from '../../platform/secrets.ts';
import { districtsOfUser, findUserByEmail, loadActor, recordSignInAttempt, signInPolicyOf } from './accounts.repository.ts';
import { sessionState } from './accounts.rules.ts';
import { providersForEmail } from './identity-providers.service.ts';
import { attemptHistory, attemptKeys, lockedOutProblem, recordFailedAttempt } from './reauthentication.service.ts';
import { checkSecondFactor } from './second-factor.ts';
import { startSession } from './session-start.service.ts';
import { mayUseHavenCredentials } from './sso.rules.ts';
import { refreshSsoSession } from './sso.service.ts';

export type SignInInput = { email: string; password: string; otp?: string | undefined };
export type SignedIn = { token: string; csrfToken: string; userId: string; districtId: string };

const wrongCredentials = () =>
  unauthorized('The e-mail address or password is not right.', { code: 'sign_in_failed', es: 'El correo electrónico o la contraseña no son correctos.' });

/** The answer when the person's district signs in only through its identity provider. */
export const ssoRequiredProblem = () =>
  unauthorized('Your district signs in through its identity provider. Use the "Sign in with" button that appears under your e-mail address.', {
    code: 'sso_required',
    es: 'Su distrito inicia sesión con su proveedor de identidad. Use el botón "Iniciar sesión con" que aparece bajo su correo electrónico.',
  });

/**
 * Where a password or passkey sign-in lands: the user's first district that allows it (or,
 * when every one of theirs requires single sign-on, none). `policy` comes from `signInPolicyOf`.
 */
export function havenCredentialsHome<D extends { id: string; ssoRequired: boolean; ssoBreakGlassUserIds: readonly string[] }>(
  policy: D[],
  userId: string,
): D | undefined {
  return policy.find((d) => mayUseHavenCredentials(d, userId));
}

/**
 * Email + password (+ TOTP or recovery code when enrolled) sign-in. Failures are throttled per
 * e-mail *and* client address whether or not the account exists, so someone guessing from one
 * place cannot lock a crisis-team member out everywhere: from an address with no failures (or with
 * a valid second factor) the person still signs in. Failures are audited in the user's home
 * district, and a lockout tells the district's administrators.
 */
export async function signIn(deps: Deps, input: SignInInput, meta: { ip: string }): Promise<SignedIn> {
  const now = deps.clock.now();
  const email = input.email.trim().toLowerCase();
  const keys = attemptKeys(email, meta.ip);
  const history = await attemptHistory(deps, keys);
  const user = await findUserByEmail(deps.db.system, email);
  // A second factor is something a guesser does not have: a locked address may still try the
  // password, but only once a valid code (checked first, and spent) has proved it is the person.
  let secondFactorPassed = false;
  if (history.lockedTill) {
    secondFactorPassed = Boolean(user?.totpSecretEncrypted && !user.disabledAt && input.otp && (await checkSecondFactor(deps, user, input.otp)));
    if (!secondFactorPassed) throw lockedOutProblem(history.lockedTill, now);
  }
  const passwordOk = user?.passwordHash
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await decoyHash(), input.password)) && false;
  const policy = user ? await signInPolicyOf(deps.db.system, user.id) : [];
  const home = user ? (havenCredentialsHome(policy, user.id) ?? policy[0]) : undefined;
  const fail = async (reason: string, problem = wrongCredentials()) => {
    await recordFailedAttempt(deps, {
      keys,
      history,
      account: user && home ? { userId: user.id, displayName: user.displayName, districtId: home.id } : undefined,
      action: 'auth.sign_in.failed',
      detail: { reason, ip: meta.ip },
    });
    return problem;
  };
  // Where single sign-on is required, everyone but the break-glass administrators gets the same
  // answer whatever the password, so a password (perhaps also the provider's) is never confirmed.
  const ssoOnly = user ? policy.length > 0 && !havenCredentialsHome(policy, user.id) : (await providersForEmail(deps, email)).some((p) => p.ssoRequired);
  if (ssoOnly && !user?.disabledAt) throw ssoRequiredProblem();
  if (!user || !passwordOk || user.disabledAt) throw await fail(user?.disabledAt ? 'disabled' : 'password');
  if (!home)
    throw await fail(
      'no_grants',
      unauthorized('Your account has no access to any district yet. Ask your district administrator.', {
        code: 'no_district_access',
        es: 'Su cuenta todavía no tiene acceso a ningún distrito. Pídalo a la persona administradora de su distrito.',
      }),
    );

  let mfaVerified = false;
  if (user.totpSecretEncrypted) {
    if (!input.otp)
      throw unauthorized('Enter the 6-digit code from your authenticator app, or a recovery code.', {
        mfaRequired: true,
        code: 'mfa_code_required',
        es: 'Escriba el código de 6 dígitos de su aplicación de autenticación, o un código de recuperación.',
      });
    const ok = secondFactorPassed || (await checkSecondFactor(deps, user, input.otp));
    if (!ok)
      throw await fail(
        'second_factor',
        unauthorized('That code is not right. Codes change every 30 seconds.', {
          mfaRequired: true,
          code: 'mfa_code_wrong',
          es: 'Ese código no es correcto. Los códigos cambian cada 30 segundos.',
        }),
      );
    mfaVerified = true;
  }

  const { token, csrfToken } = await startSession(deps, {
    userId: user.id,
    userLabel: user.displayName,
    districtId: home.id,
    mfaVerified,
    audit: { action: 'auth.sign_in', detail: { ip: meta.ip, mfa: mfaVerified } },
    // The success that resets the lockout count is stored with the session it started, or not at all.
    alsoInTransaction: (tx) => recordSignInAttempt(tx, { ...keys, at: now, succeeded: true }),
  });
  return { token, csrfToken, userId: user.id, districtId: home.id };
}

/** A live session; its shape is access's, whose authentication hook carries it on each request. */
export type ResolvedSession = Session;

/**
 * Finds the live session for a cookie token, ending it when idle or expired. A session started
 * through a provider is refreshed against it once its tokens expire, and ends if the provider
 * refuses; a session not started through the provider ends where the district requires single
 * sign-on (unless the person is break-glass).
 */
export async function resolveSession(deps: Deps, token: string): Promise<ResolvedSession | undefined> {
  const tokenHash = sha256(token);
  const [row] = await deps.db.system
    .select({ session: sessions, ssoExpiresAt: ssoSessions.expiresAt, providerId: ssoSessions.providerId, providerDistrictId: identityProviders.districtId })
    .from(sessions)
    .leftJoin(ssoSessions, eq(ssoSessions.sessionTokenHash, sessions.tokenHash))
    .leftJoin(identityProviders, eq(identityProviders.id, ssoSessions.providerId))
    .where(eq(sessions.tokenHash, tokenHash));
  if (!row) return undefined;
  const { session } = row;
  const now = deps.clock.now();
  if (sessionState(session, now, deps.settings.sessionIdleMinutes) !== 'active') {
    await deps.db.system.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return undefined;
  }
  if (row.ssoExpiresAt && row.providerId && row.providerDistrictId && now >= row.ssoExpiresAt) {
    const goesOn = await refreshSsoSession(deps, {
      tokenHash,
      providerId: row.providerId,
      expiresAt: row.ssoExpiresAt,
      districtId: row.providerDistrictId,
      userId: session.userId,
    });
    if (!goesOn) return undefined;
  }
  const loaded = await loadActor(deps.db.system, {
    userId: session.userId,
    districtId: session.districtId,
    mfaVerified: session.mfaVerified,
    via: 'session',
    throughProvider: row.providerDistrictId === session.districtId,
  });
  if (!loaded) return undefined;
  if (loaded.credentialsRefused) {
    await deps.db.system.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return undefined;
  }
  // Touch at most once a minute: idle expiry needs minutes, not a write on every request.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await deps.db.system.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  return { actor: loaded.actor, tokenHash, csrfToken: session.csrfToken, mfaPending: loaded.mfaPending, providerDistrictId: row.providerDistrictId ?? null };
}

export async function signOut(deps: Deps, session: ResolvedSession): Promise<void> {
  await deps.db.system.transaction(async (tx) => {
    await tx.delete(sessions).where(eq(sessions.tokenHash, session.tokenHash));
    await deps.audit.append(
      tx,
      session.actor.districtId,
      { userId: session.actor.userId, label: session.actor.displayName },
      {
        action: 'auth.sign_out',
        subjectType: 'user',
        subjectId: session.actor.userId,
      },
    );
  });
}

/** Ends every session of the user, on every device (after a lost laptop, or a password change). */
export async function signOutEverywhere(deps: Deps, actor: Actor): Promise<number> {
  return deps.db.system.transaction(async (tx) => {
    const ended = await tx.delete(sessions).where(eq(sessions.userId, actor.userId)).returning({ tokenHash: sessions.tokenHash });
    await deps.audit.append(
      tx,
      actor.districtId,
      { userId: actor.userId, label: actor.displayName },
      {
        action: 'auth.sign_out_everywhere',
        subjectType: 'user',
        subjectId: actor.userId,
        detail: { sessions: ended.length },
      },
    );
    return ended.length;
  });
}

/** Moves the session to another district where the user holds a grant. */
export async function switchDistrict(deps: Deps, session: ResolvedSession, districtId: string): Promise<void> {
  const mine = await districtsOfUser(deps.db.system, session.actor.userId);
  if (!mine.some((d) => d.id === districtId)) throw notFound('That district');
  if (districtId === session.actor.districtId)
    throw badRequest('You are already working in that district.', { code: 'district_already_current', es: 'Usted ya está trabajando en ese distrito.' });
  const target = (await signInPolicyOf(deps.db.system, session.actor.userId)).find((d) => d.id === districtId);
  if (target && session.providerDistrictId !== districtId && !mayUseHavenCredentials(target, session.actor.userId)) {
    throw forbidden(`${target.name} signs in only through its identity provider: sign out, then sign in at /sign-in/${target.slug}.`, {
      code: 'sso_required',
      es: `${target.name} solo permite iniciar sesión con su proveedor de identidad: cierre la sesión y entre en /sign-in/${target.slug}.`,
    });
  }
  await deps.db.system.transaction(async (tx) => {
    await tx.update(sessions).set({ districtId }).where(eq(sessions.tokenHash, session.tokenHash));
    await deps.audit.append(
      tx,
      districtId,
      { userId: session.actor.userId, label: session.actor.displayName },
      {
        action: 'auth.district_switched',
        subjectType: 'user',
        subjectId: session.actor.userId,
      },
    );
  });
}

/** The user row for the account page; never includes secrets. */
export async function accountOf(deps: Deps, userId: string) {
  const [row] = await deps.db.system
    .select({ id: users.id, email: users.email, displayName: users.displayName, preferredLanguage: users.preferredLanguage, totp: users.totpSecretEncrypted })
    .from(users)
    .where(eq(users.id, userId));
  if (!row) throw notFound('That account');
  const { totp, ...rest } = row;
  return { ...rest, mfaEnrolled: totp !== null };
}

/**
 * The second step after a provider's sign-in that did not itself do two-step sign-in (its ID token
 * said so), for a person whose role needs one: a code from their authenticator app or a recovery
 * code. Wrong codes count as failed sign-ins from this address, like at the password form.
 */
export async function passSecondFactor(deps: Deps, session: ResolvedSession, code: string, meta: { ip: string }): Promise<void> {
  const user = await findUserByEmail(deps.db.system, session.actor.email);
  if (!user?.totpSecretEncrypted) {
    throw badRequest('Set up an authenticator app on your account page first.', {
      code: 'mfa_not_set_up',
      es: 'Primero configure una aplicación de autenticación en la página de su cuenta.',
    });
  }
  const keys = attemptKeys(user.email, meta.ip);
  const history = await attemptHistory(deps, keys);
  if (history.lockedTill) throw lockedOutProblem(history.lockedTill, deps.clock.now());
  if (!(await checkSecondFactor(deps, user, code))) {
    await recordFailedAttempt(deps, {
      keys,
      history,
      account: { userId: user.id, displayName: user.displayName, districtId: session.actor.districtId },
      action: 'auth.sign_in.failed',
      detail: { reason: 'second_factor', ip: meta.ip },
    });
    throw unauthorized('That code is not right. Codes change every 30 seconds.', {
      mfaRequired: true,
      code: 'mfa_code_wrong',
      es: 'Ese código no es correcto. Los códigos cambian cada 30 segundos.',
    });
  }
  await deps.db.system.transaction(async (tx) => {
    await tx.update(sessions).set({ mfaVerified: true }).where(eq(sessions.tokenHash, session.tokenHash));
    await deps.audit.append(
      tx,
      session.actor.districtId,
      { userId: user.id, label: user.displayName },
      { action: 'auth.second_factor', subjectType: 'user', subjectId: user.id, detail: { ip: meta.ip } },
    );
  });
}
