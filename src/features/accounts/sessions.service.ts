import { eq } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { decoyHash, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound, unauthorized } from '../../platform/errors.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';
import { districtsOfUser, findUserByEmail, loadActor, recordSignInAttempt } from './accounts.repository.ts';
import { sessionState } from './accounts.rules.ts';
import { sessions, users } from './accounts.tables.ts';
import { attemptHistory, attemptKeys, lockedOutProblem, recordFailedAttempt } from './reauthentication.service.ts';
import { checkSecondFactor } from './second-factor.ts';

export type SignInInput = { email: string; password: string; otp?: string | undefined };
export type SignedIn = { token: string; csrfToken: string; userId: string; districtId: string };

const wrongCredentials = () => unauthorized('The e-mail address or password is not right.', { es: 'El correo electrónico o la contraseña no son correctos.' });

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
  const home = user ? (await districtsOfUser(deps.db.system, user.id))[0] : undefined;
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
  if (!user || !passwordOk || user.disabledAt) throw await fail(user?.disabledAt ? 'disabled' : 'password');
  if (!home)
    throw await fail(
      'no_grants',
      unauthorized('Your account has no access to any district yet. Ask your district administrator.', {
        es: 'Su cuenta todavía no tiene acceso a ningún distrito. Pídalo a la persona administradora de su distrito.',
      }),
    );

  let mfaVerified = false;
  if (user.totpSecretEncrypted) {
    if (!input.otp)
      throw unauthorized('Enter the 6-digit code from your authenticator app, or a recovery code.', {
        mfaRequired: true,
        es: 'Escriba el código de 6 dígitos de su aplicación de autenticación, o un código de recuperación.',
      });
    const ok = secondFactorPassed || (await checkSecondFactor(deps, user, input.otp));
    if (!ok)
      throw await fail(
        'second_factor',
        unauthorized('That code is not right. Codes change every 30 seconds.', {
          mfaRequired: true,
          es: 'Ese código no es correcto. Los códigos cambian cada 30 segundos.',
        }),
      );
    mfaVerified = true;
  }

  await recordSignInAttempt(deps.db.system, { ...keys, at: now, succeeded: true });
  const token = randomToken();
  const csrfToken = randomToken(24);
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(sessions).values({
      tokenHash: sha256(token),
      userId: user.id,
      districtId: home.id,
      mfaVerified,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.sessionMaxHours * 3_600_000),
    });
    await deps.audit.append(
      tx,
      home.id,
      { userId: user.id, label: user.displayName },
      {
        action: 'auth.sign_in',
        subjectType: 'user',
        subjectId: user.id,
        detail: { ip: meta.ip, mfa: mfaVerified },
      },
    );
  });
  return { token, csrfToken, userId: user.id, districtId: home.id };
}

export type ResolvedSession = { actor: Actor; tokenHash: string; csrfToken: string; mfaPending: boolean };

/** Finds the live session for a cookie token, ending it when idle or expired. */
export async function resolveSession(deps: Deps, token: string): Promise<ResolvedSession | undefined> {
  const tokenHash = sha256(token);
  const [session] = await deps.db.system.select().from(sessions).where(eq(sessions.tokenHash, tokenHash));
  if (!session) return undefined;
  const now = deps.clock.now();
  if (sessionState(session, now, deps.settings.sessionIdleMinutes) !== 'active') {
    await deps.db.system.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return undefined;
  }
  const loaded = await loadActor(deps.db.system, {
    userId: session.userId,
    districtId: session.districtId,
    mfaVerified: session.mfaVerified,
    via: 'session',
  });
  if (!loaded) return undefined;
  // Touch at most once a minute: idle expiry needs minutes, not a write on every request.
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000) {
    await deps.db.system.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, tokenHash));
  }
  return { actor: loaded.actor, tokenHash, csrfToken: session.csrfToken, mfaPending: loaded.mfaPending };
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
  if (districtId === session.actor.districtId) throw badRequest('You are already working in that district.');
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
