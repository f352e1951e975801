import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { recoveryCodes, sessions, users } from '../../data/accounts.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { checkTotp, newTotpSecret, totpQrSvg, totpUri } from '../../platform/auth/totp.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { recoveryCodeFrom } from './accounts.rules.ts';
import { reauthenticate } from './reauthentication.service.ts';
import type { ResolvedSession } from './sessions.service.ts';

/** Replacing an authenticator takes the password: the old authenticator may be the thing that was lost. */
const replaceAuthenticator = {
  name: 'mfa.replace',
  ask: 'To replace your authenticator, enter your password again.',
  askEs: 'Para reemplazar su aplicación de autenticación, escriba de nuevo su contraseña.',
  acceptCode: false,
};

/**
 * Starts enrolment: a new secret is kept aside (encrypted) until the person proves their app
 * has it, so a half-finished enrolment never locks anyone out.
 */
export async function beginMfaEnrolment(deps: Deps, session: ResolvedSession, reauthentication: { password?: string | undefined }, meta: { ip: string }) {
  const [user] = await deps.db.system.select().from(users).where(eq(users.id, session.actor.userId));
  // Replacing an authenticator someone already has needs their password again: a session left
  // open on a shared computer must not be enough to take over the second factor.
  if (user?.totpSecretEncrypted) await reauthenticate(deps, session.actor, reauthentication, meta, replaceAuthenticator);
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
  if (!user?.totpPendingEncrypted)
    throw badRequest('Start enrolment first: there is no authenticator waiting to be confirmed.', {
      code: 'mfa_not_started',
      es: 'Primero empiece la configuración: no hay ninguna aplicación de autenticación esperando confirmación.',
    });
  const step = await checkTotp({
    secret: deps.secrets.decrypt(user.totpPendingEncrypted),
    code: code.replace(/\s/g, ''),
    now: deps.clock.now(),
    lastStep: null,
  });
  if (step === null)
    throw badRequest('That code is not right. Check the time on your phone and try the newest code.', {
      code: 'mfa_code_wrong',
      es: 'Ese código no es correcto. Revise la hora de su teléfono y pruebe el código más reciente.',
    });
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
