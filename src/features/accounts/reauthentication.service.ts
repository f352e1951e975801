import type { Actor } from '../../access/actor.ts';
import { signInAttempts } from '../../data/accounts.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, tooManyRequests } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { sha256 } from '../../platform/secrets.ts';
import { districtAdminEmails, failuresSinceLastSuccess, findUserById } from './accounts.repository.ts';
import { lockedUntil, lockout } from './accounts.rules.ts';
import { checkTotpOnce } from './second-factor.ts';

/** The hashed keys failed attempts are counted by: the account's e-mail and the client address. */
export type AttemptKeys = { emailHash: string; addressHash: string };

export function attemptKeys(email: string, ip: string): AttemptKeys {
  return { emailHash: sha256(`sign-in:${email.trim().toLowerCase()}`), addressHash: sha256(`sign-in-address:${ip}`) };
}

/** Where the account stands before this attempt: its failures from this address, and until when it is locked there. */
export type AttemptHistory = { failures: Date[]; lockedTill: Date | null };

export async function attemptHistory(deps: Deps, keys: AttemptKeys): Promise<AttemptHistory> {
  const now = deps.clock.now();
  const failures = await failuresSinceLastSuccess(deps.db.system, keys.emailHash, new Date(now.getTime() - lockout.windowMinutes * 60_000), keys.addressHash);
  return { failures, lockedTill: lockedUntil(failures, now) };
}

/** The answer while an account is locked from this address (429, with when to try again). */
export function lockedOutProblem(lockedTill: Date, now: Date) {
  const minutes = Math.ceil((lockedTill.getTime() - now.getTime()) / 60_000);
  return tooManyRequests(
    `Too many failed sign-ins for this account. For its safety it is locked; try again in ${minutes} minute${minutes === 1 ? '' : 's'}, or reset your password.`,
    minutes * 60,
    {
      code: 'account_locked',
      es: `Demasiados intentos fallidos para esta cuenta. Por seguridad está bloqueada; inténtelo de nuevo en ${minutes} minuto${minutes === 1 ? '' : 's'} o restablezca su contraseña.`,
    },
  );
}

export type FailedAttempt = {
  keys: AttemptKeys;
  history: AttemptHistory;
  /** The account and the district its events go to; absent for an unknown e-mail (counted, never audited). */
  account?: { userId: string; displayName: string; districtId: string } | undefined;
  action: 'auth.sign_in.failed' | 'auth.reauthentication_failed';
  detail: Record<string, unknown>;
};

/**
 * Counts a failed sign-in (or re-authentication) and, in the same transaction, audits it; the
 * failure that locks the account also queues an e-mail to the district's administrators in the
 * durable outbox, so the warning is sent even when the mail server is down at that moment.
 */
export async function recordFailedAttempt(deps: Deps, attempt: FailedAttempt): Promise<void> {
  const now = deps.clock.now();
  const nowLocked = !attempt.history.lockedTill && attempt.history.failures.length + 1 >= lockout.maxFailures;
  const account = attempt.account;
  const administrators = account && nowLocked ? await districtAdminEmails(deps.db.system, account.districtId) : [];
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(signInAttempts).values({ ...attempt.keys, at: now, succeeded: false });
    if (!account) return;
    const by = { userId: account.userId, label: account.displayName };
    await deps.audit.append(tx, account.districtId, by, { action: attempt.action, subjectType: 'user', subjectId: account.userId, detail: attempt.detail });
    if (!nowLocked) return;
    await deps.audit.append(tx, account.districtId, by, {
      action: 'auth.locked_out',
      subjectType: 'user',
      subjectId: account.userId,
      detail: { ...attempt.detail, minutes: lockout.windowMinutes },
    });
    for (const to of administrators) {
      await enqueueMessage(deps, tx, { districtId: account.districtId, purpose: 'auth.locked_out', message: lockoutEmail(to, account.displayName) });
    }
  });
}

/**
 * A lockout may be someone guessing a colleague's password: the administrators hear of it (the
 * account's name only, never the address the guesses came from; the person can still sign in
 * from elsewhere).
 */
function lockoutEmail(to: string, name: string) {
  return {
    kind: 'email' as const,
    to,
    subject: 'Haven: an account was locked after failed sign-ins',
    text: [
      `${lockout.maxFailures} wrong passwords for ${name}'s Haven account came from one address, so Haven stopped accepting tries from there for ${lockout.windowMinutes} minutes.`,
      'The person can still sign in from any other address, or with their second factor. If they did not make these attempts, someone may be guessing their password: check the sign-in events in the audit trail.',
      '',
      `Se bloqueó una cuenta de Haven (${name}) tras ${lockout.maxFailures} contraseñas incorrectas desde una misma dirección. La persona aún puede entrar desde otra dirección o con su segundo factor.`,
    ].join('\n'),
  };
}

/** What a person offers to prove again that they are the account's owner. */
export type Proof = { password?: string | undefined; code?: string | undefined };

/** What is being done, for the audit event, and how to ask for the proof in English and Spanish. */
export type ReauthenticationPurpose = { name: string; ask: string; askEs: string; acceptCode: boolean };

/**
 * Asks a signed-in person for their password again (or, when `acceptCode` and they have an
 * authenticator, a current code from it, accepted once) before something a stolen or unattended
 * session must not do alone. Wrong answers count as failed sign-ins from this address, so the
 * session cannot be used to guess the password either: after five, the account is locked there
 * and the administrators are told.
 */
export async function reauthenticate(deps: Deps, actor: Actor, proof: Proof, meta: { ip: string }, purpose: ReauthenticationPurpose): Promise<void> {
  const user = await findUserById(deps.db.system, actor.userId);
  const password = proof.password || undefined;
  const code = purpose.acceptCode && user?.totpSecretEncrypted && !password ? proof.code?.trim() || undefined : undefined;
  if (!user || (!password && !code)) throw forbidden(purpose.ask, { code: 'reauthentication_required', es: purpose.askEs });
  const keys = attemptKeys(user.email, meta.ip);
  // Locked means locked here: unlike sign-in, a code does not open the way, or a stolen session
  // could try every code (or pair each password guess with one).
  const history = await attemptHistory(deps, keys);
  if (history.lockedTill) throw lockedOutProblem(history.lockedTill, deps.clock.now());
  const ok = password ? Boolean(user.passwordHash) && (await verifyPassword(user.passwordHash ?? '', password)) : await checkTotpOnce(deps, user, code ?? '');
  if (ok) return;
  await recordFailedAttempt(deps, {
    keys,
    history,
    account: { userId: user.id, displayName: user.displayName, districtId: actor.districtId },
    action: 'auth.reauthentication_failed',
    detail: { purpose: purpose.name, ip: meta.ip, with: password ? 'password' : 'code' },
  });
  const wrong = password ? 'That password is not right.' : 'That code is not right. Codes change every 30 seconds.';
  const wrongEs = password ? 'Esa contraseña no es correcta.' : 'Ese código no es correcto. Los códigos cambian cada 30 segundos.';
  throw forbidden(`${wrong} ${purpose.ask}`, { code: 'reauthentication_failed', es: `${wrongEs} ${purpose.askEs}` });
}
