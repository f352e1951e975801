import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { passwordResets, sessions, users } from '../../data/accounts.ts';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Database, Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';
import { districtsOfUser, findUserByEmail } from './accounts.repository.ts';
import { passwordProblems } from './accounts.rules.ts';
import { passwordRefusalEs } from './accounts.text.ts';
import { revokeAllApiTokensOf } from './api-tokens.service.ts';

const resetMinutes = 60;

function assertGoodPassword(password: string, email: string) {
  const problems = passwordProblems(password, email);
  if (problems.length > 0)
    throw badRequest(`Choose another password: ${problems.join(' ')}`, { code: 'password_weak', es: passwordRefusalEs(problems), problems });
}

/** Stores a single-use link to set a password, inside the caller's transaction, and returns it. */
export async function insertPasswordLink(deps: Deps, tx: Transaction | Database, userId: string, validMinutes: number): Promise<string> {
  const token = randomToken();
  await tx.insert(passwordResets).values({
    tokenHash: sha256(token),
    userId,
    expiresAt: new Date(deps.clock.now().getTime() + validMinutes * 60_000),
  });
  // The token travels in the fragment, which browsers never send to servers or in referrers.
  return `${deps.settings.publicUrl}/reset-password#token=${token}`;
}

/**
 * Creates a single-use link to set a password, to invite a new user; returns the link so the CLI
 * can print it.
 */
export async function createPasswordLink(deps: Deps, userId: string, validMinutes = resetMinutes): Promise<string> {
  return insertPasswordLink(deps, deps.db.system, userId, validMinutes);
}

/**
 * "Forgot password": when the address belongs to an active account, stores a reset link and, in
 * the same transaction, queues the e-mail carrying it in the durable outbox (the worker sends it,
 * retrying while the mail server is down). The route answers before calling this, the same
 * answer either way, so neither the words nor the time taken tell anyone whether the account
 * exists. An account with no district cannot sign in anywhere, so it is sent nothing.
 */
export async function requestPasswordReset(deps: Deps, email: string): Promise<void> {
  const user = await findUserByEmail(deps.db.system, email);
  if (!user || user.disabledAt) return;
  const home = (await districtsOfUser(deps.db.system, user.id))[0];
  if (!home) return;
  await deps.db.system.transaction(async (tx) => {
    const link = await insertPasswordLink(deps, tx, user.id, resetMinutes);
    await enqueueMessage(deps, tx, {
      districtId: home.id,
      purpose: 'auth.password_reset',
      message: {
        kind: 'email',
        to: user.email,
        subject: 'Reset your Haven password',
        text: [
          `Hello ${user.displayName},`,
          '',
          `Someone (hopefully you) asked to reset your Haven password. Open this link within ${resetMinutes} minutes to choose a new one:`,
          link,
          '',
          'If it was not you, ignore this message; your password stays as it is.',
          '',
          `Hola ${user.displayName}: para elegir una contraseña nueva de Haven, abra el enlace de arriba en los próximos ${resetMinutes} minutos. Si no lo pidió usted, ignore este mensaje.`,
        ].join('\n'),
      },
    });
    await deps.audit.append(
      tx,
      home.id,
      { userId: null, label: 'someone at the sign-in page' },
      { action: 'auth.password_reset_requested', subjectType: 'user', subjectId: user.id },
    );
  });
}

/**
 * Sets a new password from a link, spends the link, signs the user out everywhere and revokes
 * all their API tokens: whoever knew the old password may have made sessions or tokens with it.
 */
export async function completePasswordReset(deps: Deps, token: string, password: string): Promise<void> {
  const now = deps.clock.now();
  const [reset] = await deps.db.system
    .select({ userId: passwordResets.userId, email: users.email })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, now)));
  if (!reset)
    throw badRequest('This link has expired or was already used. Ask for a new one from the sign-in page.', {
      code: 'reset_link_expired',
      es: 'Este enlace venció o ya se usó. Pida uno nuevo desde la página de inicio de sesión.',
    });
  assertGoodPassword(password, reset.email);
  const passwordHash = await hashPassword(password);
  await deps.db.system.transaction(async (tx) => {
    const spent = await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.tokenHash, sha256(token)), isNull(passwordResets.usedAt)))
      .returning({ userId: passwordResets.userId });
    if (spent.length !== 1)
      throw badRequest('This link was already used. Ask for a new one from the sign-in page.', {
        code: 'reset_link_used',
        es: 'Este enlace ya se usó. Pida uno nuevo desde la página de inicio de sesión.',
      });
    await tx.update(users).set({ passwordHash, passwordChangedAt: now }).where(eq(users.id, reset.userId));
    await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
    const by = { userId: reset.userId, label: reset.email };
    const apiTokensRevoked = await revokeAllApiTokensOf(deps, tx, reset.userId, 'password_reset', by);
    const home = (await districtsOfUser(deps.db.system, reset.userId))[0];
    if (home) {
      await deps.audit.append(tx, home.id, by, {
        action: 'auth.password_reset',
        subjectType: 'user',
        subjectId: reset.userId,
        detail: { apiTokensRevoked },
      });
    }
  });
}

/** Changes the password of a signed-in user; their other sessions end. */
export async function changePassword(deps: Deps, actor: Actor, currentTokenHash: string | null, current: string, next: string): Promise<void> {
  const user = await findUserByEmail(deps.db.system, actor.email);
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) {
    throw badRequest('Your current password is not right.', { code: 'current_password_wrong', es: 'Su contraseña actual no es correcta.' });
  }
  assertGoodPassword(next, user.email);
  const passwordHash = await hashPassword(next);
  await deps.db.system.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: deps.clock.now() }).where(eq(users.id, user.id));
    await tx
      .delete(sessions)
      .where(currentTokenHash ? and(eq(sessions.userId, user.id), ne(sessions.tokenHash, currentTokenHash)) : eq(sessions.userId, user.id));
    await deps.audit.append(
      tx,
      actor.districtId,
      { userId: user.id, label: user.displayName },
      {
        action: 'auth.password_changed',
        subjectType: 'user',
        subjectId: user.id,
      },
    );
  });
}
