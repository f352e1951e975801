import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from '../../platform/auth/totp.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { sha256 } from '../../platform/secrets.ts';
import { normalizeRecoveryCode } from './accounts.rules.ts';
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
    await deps.db.system.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
    return true;
  }
  const recovery = normalizeRecoveryCode(input);
  if (!recovery) return false;
  const spent = await deps.db.system
    .update(recoveryCodes)
    .set({ usedAt: deps.clock.now() })
    .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, sha256(recovery)), isNull(recoveryCodes.usedAt)))
    .returning({ userId: recoveryCodes.userId });
  return spent.length === 1;
}

/**
 * Starts enrolment: a new secret is kept aside (encrypted) until the person proves their app
 * has it, so a half-finished enrolment never locks anyone out.
 */
export async function beginMfaEnrolment(deps: Deps, session: ResolvedSession) {
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
  const codes = Array.from({ length: 10 }, () => {
    const raw = randomBytes(5).toString('hex').slice(0, 8);
    return `${raw.slice(0, 4)}-${raw.slice(4)}`;
  });
  await deps.db.system.transaction(async (tx) => {
    await tx.update(users).set({ totpSecretEncrypted: user.totpPendingEncrypted, totpPendingEncrypted: null, totpLastStep: step }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: sha256(c) })));
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
