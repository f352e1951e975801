import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { sessions } from '../../data/accounts.ts';
import { authChallenges, passkeys } from '../../data/sso.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, notFound, unauthorized } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sha256 } from '../../platform/secrets.ts';
import { findUserById, signInPolicyOf } from './accounts.repository.ts';
import { reauthenticate } from './reauthentication.service.ts';
import { startSession } from './session-start.service.ts';
import { havenCredentialsHome, type ResolvedSession, ssoRequiredProblem } from './sessions.service.ts';

/**
 * Passkeys (WebAuthn): a key pair kept on the person's device or password manager, unlocked by a
 * fingerprint, face or PIN. Haven keeps only the public key. Signing in with one proves something
 * the person has and something they are or know, so it counts as both factors. Challenges are
 * single use and last five minutes.
 */

const challengeMs = 5 * 60_000;
/** A person without a password proves themselves by having just signed in (through their provider). */
const freshSessionMs = 10 * 60_000;

const addPasskey = {
  name: 'passkey.add',
  ask: 'To add a passkey, enter your password again (or a current code from your authenticator app).',
  askEs: 'Para agregar una llave de acceso, escriba de nuevo su contraseña (o un código actual de su aplicación de autenticación).',
  acceptCode: true,
};

function relyingParty(deps: Deps) {
  const url = new URL(deps.settings.publicUrl);
  return { rpID: url.hostname, origin: url.origin, rpName: 'Haven' };
}

/** The challenge a browser signed, read from its client data (the library checks it again). */
function challengeOf(response: { response: { clientDataJSON: string } }): string | undefined {
  try {
    const data = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof data.challenge === 'string' && data.challenge.length <= 200 ? data.challenge : undefined;
  } catch {
    return undefined;
  }
}

async function keepChallenge(deps: Deps, challenge: string, purpose: 'passkey.register' | 'passkey.sign_in', userId: string | null) {
  const now = deps.clock.now();
  await deps.db.system.delete(authChallenges).where(lt(authChallenges.expiresAt, now));
  await deps.db.system
    .insert(authChallenges)
    .values({ id: sha256(challenge), purpose, value: challenge, userId, expiresAt: new Date(now.getTime() + challengeMs) });
}

async function takeChallenge(deps: Deps, challenge: string | undefined, purpose: 'passkey.register' | 'passkey.sign_in', userId: string | null) {
  if (!challenge) return undefined;
  const [row] = await deps.db.system
    .delete(authChallenges)
    .where(
      and(
        eq(authChallenges.id, sha256(challenge)),
        eq(authChallenges.purpose, purpose),
        gt(authChallenges.expiresAt, deps.clock.now()),
        ...(userId ? [eq(authChallenges.userId, userId)] : []),
      ),
    )
    .returning({ value: authChallenges.value });
  return row?.value;
}

/** The person's passkeys for the account page (never a key). */
export async function listPasskeys(deps: Deps, session: ResolvedSession) {
  const user = await findUserById(deps.db.system, session.actor.userId);
  const items = await deps.db.system
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt, backedUp: passkeys.backedUp })
    .from(passkeys)
    .where(eq(passkeys.userId, session.actor.userId))
    .orderBy(asc(passkeys.createdAt));
  return { items, proofNeeded: Boolean(user?.passwordHash) };
}

/**
 * Options for the browser to create a passkey. A session left open must not be enough to plant a
 * lasting way in: the person gives their password (or an authenticator code) again, or, without
 * a password, must have signed in within the last ten minutes.
 */
export async function beginPasskeyRegistration(
  deps: Deps,
  session: ResolvedSession,
  proof: { password?: string | undefined; code?: string | undefined },
  meta: { ip: string },
) {
  const user = await findUserById(deps.db.system, session.actor.userId);
  if (!user) throw notFound('That account');
  if (user.passwordHash) await reauthenticate(deps, session.actor, proof, meta, addPasskey);
  else {
    const [row] = await deps.db.system.select({ createdAt: sessions.createdAt }).from(sessions).where(eq(sessions.tokenHash, session.tokenHash));
    if (!row || deps.clock.now().getTime() - row.createdAt.getTime() > freshSessionMs) {
      throw unauthorized('To add a passkey, sign out and sign in again, then add it within ten minutes.', {
        code: 'reauthentication_required',
        es: 'Para agregar una llave de acceso, cierre la sesión y vuelva a entrar; luego agréguela en los diez minutos siguientes.',
      });
    }
  }
  const existing = await deps.db.system
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id));
  const { rpID, rpName } = relyingParty(deps);
  const options = await generateRegistrationOptions({
    rpName,
    rpID,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: Buffer.from(user.id.replaceAll('-', ''), 'hex'),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: p.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  await keepChallenge(deps, options.challenge, 'passkey.register', user.id);
  return options;
}

/** Stores a new passkey once the browser's answer proves the device made it for this challenge and for Haven. */
export async function finishPasskeyRegistration(deps: Deps, session: ResolvedSession, input: { name: string; response: RegistrationResponseJSON }) {
  const challenge = await takeChallenge(deps, challengeOf(input.response), 'passkey.register', session.actor.userId);
  if (!challenge)
    throw badRequest('This passkey request expired or was already used. Start again.', {
      code: 'passkey.expired',
      es: 'Esta solicitud venció o ya se usó. Empiece de nuevo.',
    });
  const { rpID, origin } = relyingParty(deps);
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      requireUserVerification: true,
    });
  } catch (error) {
    throw badRequest(`The device's answer could not be verified: ${error instanceof Error ? error.message : 'unknown problem'}`, {
      code: 'passkey.invalid',
      es: 'No se pudo verificar la respuesta del dispositivo. Inténtelo de nuevo.',
    });
  }
  if (!verification.verified)
    throw badRequest("The device's answer could not be verified.", { code: 'passkey.invalid', es: 'No se pudo verificar la respuesta del dispositivo.' });
  const { credential, credentialBackedUp } = verification.registrationInfo;
  const id = deps.ids.uuid();
  const name = input.name.trim() || 'Passkey';
  await deps.db.system.transaction(async (tx) => {
    const inserted = await tx
      .insert(passkeys)
      .values({
        id,
        userId: session.actor.userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        name,
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing()
      .returning({ id: passkeys.id });
    if (inserted.length !== 1)
      throw conflict('This passkey is already registered.', { code: 'passkey_registered', es: 'Esta llave de acceso ya está registrada.' });
    await deps.audit.append(
      tx,
      session.actor.districtId,
      { userId: session.actor.userId, label: session.actor.displayName },
      { action: 'auth.passkey_added', subjectType: 'user', subjectId: session.actor.userId, detail: { name } },
    );
  });
  return { id, name };
}

export async function removePasskey(deps: Deps, session: ResolvedSession, passkeyId: string) {
  if (!isUuid(passkeyId)) throw notFound('That passkey');
  await deps.db.system.transaction(async (tx) => {
    const removed = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, session.actor.userId)))
      .returning({ name: passkeys.name });
    if (removed.length !== 1) throw notFound('That passkey');
    await deps.audit.append(
      tx,
      session.actor.districtId,
      { userId: session.actor.userId, label: session.actor.displayName },
      { action: 'auth.passkey_removed', subjectType: 'user', subjectId: session.actor.userId, detail: { name: removed[0]?.name } },
    );
  });
}

/** Options for signing in with any passkey on the device (discoverable credentials: no e-mail typed). */
export async function passkeySignInOptions(deps: Deps) {
  const options = await generateAuthenticationOptions({ rpID: relyingParty(deps).rpID, userVerification: 'required' });
  await keepChallenge(deps, options.challenge, 'passkey.sign_in', null);
  return options;
}

const notRecognized = () =>
  unauthorized('Haven does not recognize this passkey. Sign in another way, then add it on your account page.', {
    code: 'passkey.unknown',
    es: 'Haven no reconoce esta llave de acceso. Entre de otra forma y agréguela en la página de su cuenta.',
  });

/**
 * Signs in with a passkey: the challenge is spent, the signature checked against the stored public
 * key, and the signature counter must move on (a cloned key would repeat it). Counts as two
 * factors. Where the person's districts all require single sign-on, refused like a password.
 */
export async function signInWithPasskey(deps: Deps, response: AuthenticationResponseJSON, meta: { ip: string }) {
  const challenge = await takeChallenge(deps, challengeOf(response), 'passkey.sign_in', null);
  if (!challenge)
    throw badRequest('This sign-in request expired. Try the passkey again.', {
      code: 'passkey.expired',
      es: 'Esta solicitud venció. Intente de nuevo con la llave de acceso.',
    });
  const [key] = await deps.db.system
    .select()
    .from(passkeys)
    .where(eq(passkeys.credentialId, response.id.slice(0, 1024)));
  if (!key) throw notRecognized();
  const user = await findUserById(deps.db.system, key.userId);
  const policy = user ? await signInPolicyOf(deps.db.system, user.id) : [];
  const { rpID, origin } = relyingParty(deps);
  let verified = false;
  let newCounter = key.counter;
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: key.credentialId, publicKey: Buffer.from(key.publicKey, 'base64url'), counter: key.counter, transports: key.transports },
      requireUserVerification: true,
    });
    verified = result.verified;
    newCounter = result.authenticationInfo.newCounter;
  } catch {
    verified = false;
  }
  const home = user ? havenCredentialsHome(policy, user.id) : undefined;
  if (!user || !verified || user.disabledAt || !policy[0]) {
    if (user && policy[0]) {
      await deps.db.system.transaction((tx) =>
        deps.audit.append(
          tx,
          policy[0]?.id as string,
          { userId: user.id, label: user.displayName },
          { action: 'auth.sign_in.failed', subjectType: 'user', subjectId: user.id, detail: { reason: user.disabledAt ? 'disabled' : 'passkey', ip: meta.ip } },
        ),
      );
    }
    throw notRecognized();
  }
  if (!home) throw ssoRequiredProblem();
  return startSession(deps, {
    userId: user.id,
    userLabel: user.displayName,
    districtId: home.id,
    mfaVerified: true,
    audit: { action: 'auth.passkey_sign_in', detail: { ip: meta.ip, passkey: key.name } },
    alsoInTransaction: async (tx) => {
      await tx.update(passkeys).set({ counter: newCounter, lastUsedAt: deps.clock.now() }).where(eq(passkeys.id, key.id));
    },
  });
}
