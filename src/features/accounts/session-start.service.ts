import { sessions } from '../../data/accounts.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';

export type StartSession = {
  userId: string;
  /** How the person is named in the sign-in's audit event. */
  userLabel: string;
  districtId: string;
  /** The sign-in passed a second factor (a TOTP or recovery code, a passkey, or the provider's MFA). */
  mfaVerified: boolean;
  audit: { action: 'auth.sign_in' | 'auth.sso_sign_in' | 'auth.passkey_sign_in'; detail: Record<string, unknown> };
  /** What must be stored with the session, atomically (the provider's tokens, a new identity link). */
  alsoInTransaction?: (tx: Transaction, tokenHash: string) => Promise<void>;
};

/**
 * Starts a session however the person signed in (password, provider, passkey): the cookie token
 * is random and only its SHA-256 is stored; the session, what goes with it and the sign-in's audit
 * event commit together.
 */
export async function startSession(deps: Deps, input: StartSession): Promise<{ token: string; csrfToken: string }> {
  const now = deps.clock.now();
  const token = randomToken();
  const csrfToken = randomToken(24);
  const tokenHash = sha256(token);
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(sessions).values({
      tokenHash,
      userId: input.userId,
      districtId: input.districtId,
      mfaVerified: input.mfaVerified,
      csrfToken,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + deps.settings.sessionMaxHours * 3_600_000),
    });
    await input.alsoInTransaction?.(tx, tokenHash);
    await deps.audit.append(
      tx,
      input.districtId,
      { userId: input.userId, label: input.userLabel },
      { action: input.audit.action, subjectType: 'user', subjectId: input.userId, detail: input.audit.detail },
    );
  });
  return { token, csrfToken };
}
