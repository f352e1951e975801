import { randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from '../../platform/auth/totp.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, forbidden } from '../../platform/errors.ts';
import { sha256 } from '../../platform/secrets.ts';
import { normalizeRecoveryCode, recoveryCodeFrom } from './accounts.rules.ts';
import { recoveryCodes, sessions, users } from './accounts.tables.ts';
import type { ResolvedSession } from './sessions.service.ts';

type UserRow = typeof users.$inferSelect;

/**
 * Accepts a TOTP code (never the same one twice) or an unused recovery code (which is then spent).
 */
export async function checkSecondFactor(deps: Deps, user: UserRow, input: string): Promise<boolean> {
  if (!user.totpSecretEncrypted) return false;
  const code = input.replace(/\s/g, '');
  const step = await checkTotp({
    secret: deps.secrets.decrypt(user.totpSecretEncrypted),
    code,
    now: deps.clock.now(),
    lastStep: user.totpLastStep,
  });
  if (step !== null) {
    // Taken once: of two requests with the same code at the same moment, only one moves the step on.
    const taken = await deps.db.system
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    return taken.length === 1;
  }
  const recovery = normalizeRecoveryCode(input);
  if (!recovery) return false;
  const unused = await deps.db.system
    .select({ codeHash: recoveryCodes.codeHash })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)));
  for (const { codeHash } of unused) {
    // argon2id for codes issued now; SHA-256 for the 32-bit codes issued before.
    const matches = codeHash.startsWith('$argon2') ? await verifyPassword(codeHash, recovery) : codeHash === sha256(recovery);
    if (!matches) continue;
    const spent = await deps.db.system
      .update(recoveryCodes)
      .set({ usedAt: deps.clock.now() })
      .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
      .returning({ userId: recoveryCodes.userId });
    return spent.length === 1;
  }
  return false;
}

/**
 * Starts enrolment: a new secret is kept aside (encrypted) until the person proves their app
 * has it, so a half-finished enrolment never locks anyone out.
 */
export async function beginMfaEnrolment(deps: Deps, session: ResolvedSession, reauthentication: { password?: string | undefined }) {
  const [user] = await deps.db.system.select().from(users).where(eq(users.id, session.actor.userId));
  // Replacing an authenticator someone already has needs their password again: a session left
  // open on a shared computer must not be enough to take over the second factor.
  if (user?.totpSecretEncrypted) {
    const ok = reauthentication.password && user.passwordHash ? await verifyPassword(user.passwordHash, reauthentication.password) : false;
    if (!ok) throw forbidden('To replace your authenticator, enter your password again.');
  }
  const secret = newTotpSecret();
  await deps.db.system
    .update(users)
    .set({ totpPendingEncrypted: deps.secrets.encrypt(secret) })
    .where(eq(users.id, session.actor.userId));
  const uri = totpUri(secret, session.actor.email);
  return { secret, uri, qrSvg: await totpQrSvg(uri) };
}

/** Confirms enrolment with a first code; returns ten recovery codes, shown this once. */
export async function confirmMfaEnrolment(deps: Deps, session: ResolvedSession, code: string): Promise<{ recoveryCodes: string[] }> {
  const [user] = await deps.db.system.select().from(users).where(eq(users.id, session.actor.userId));
  if (!user?.totpPendingEncrypted) throw badRequest('Start enrolment first: there is no authenticator waiting to be confirmed.');
  const step = await checkTotp({
    secret: deps.secrets.decrypt(user.totpPendingEncrypted),
    code: code.replace(/\s/g, ''),
    now: deps.clock.now(),
    lastStep: null,
  });
  if (step === null) throw badRequest('That code is not right. Check the time on your phone and try the newest code.');
  const codes = Array.from({ length: 10 }, () => recoveryCodeFrom(randomBytes(10)));
  // A slow hash: a leaked table must not give the codes away to a quick guess.
  const hashes = await Promise.all(codes.map((c) => hashPassword(c)));
  await deps.db.system.transaction(async (tx) => {
    await tx.update(users).set({ totpSecretEncrypted: user.totpPendingEncrypted, totpPendingEncrypted: null, totpLastStep: step }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(hashes.map((codeHash) => ({ userId: user.id, codeHash })));
    await tx.update(sessions).set({ mfaVerified: true }).where(eq(sessions.tokenHash, session.tokenHash));
    await deps.audit.append(
      tx,
      session.actor.districtId,
      { userId: user.id, label: user.displayName },
      {
        action: 'auth.mfa_enrolled',
        subjectType: 'user',
        subjectId: user.id,
      },
    );
  });
  return { recoveryCodes: codes };
}
