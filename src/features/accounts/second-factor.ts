import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { recoveryCodes, users } from '../../data/accounts.ts';
import { verifyPassword } from '../../platform/auth/passwords.ts';
import { checkTotp } from '../../platform/auth/totp.ts';
import type { Deps } from '../../platform/deps.ts';
import { sha256 } from '../../platform/secrets.ts';
import { normalizeRecoveryCode } from './accounts.rules.ts';

type UserRow = typeof users.$inferSelect;

/**
 * Accepts a current TOTP code once. The step is taken with a conditional update, so of two
 * requests carrying the same code at the same moment only one moves the step on; the other, and
 * any later replay of an overheard code, is refused.
 */
export async function checkTotpOnce(deps: Deps, user: UserRow, input: string): Promise<boolean> {
  if (!user.totpSecretEncrypted) return false;
  const step = await checkTotp({
    secret: deps.secrets.decrypt(user.totpSecretEncrypted),
    code: input.replace(/\s/g, ''),
    now: deps.clock.now(),
    lastStep: user.totpLastStep,
  });
  if (step === null) return false;
  const taken = await deps.db.system
    .update(users)
    .set({ totpLastStep: step })
    .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
    .returning({ id: users.id });
  return taken.length === 1;
}

/**
 * Spends an unused recovery code. Codes are stored with argon2id (a leaked table must not give
 * them away to a quick guess); the 32-bit codes issued before that are still stored as SHA-256.
 */
async function spendRecoveryCode(deps: Deps, user: UserRow, input: string): Promise<boolean> {
  const recovery = normalizeRecoveryCode(input);
  if (!recovery) return false;
  const unused = await deps.db.system
    .select({ codeHash: recoveryCodes.codeHash })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)));
  for (const { codeHash } of unused) {
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

/** The second factor at sign-in: a TOTP code (never the same one twice) or an unused recovery code (then spent). */
export async function checkSecondFactor(deps: Deps, user: UserRow, input: string): Promise<boolean> {
  if (!user.totpSecretEncrypted) return false;
  if (/^\d{6}$/.test(input.replace(/\s/g, ''))) return checkTotpOnce(deps, user, input);
  return spendRecoveryCode(deps, user, input);
}
