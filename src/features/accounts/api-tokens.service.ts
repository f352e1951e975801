import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { apiTokens } from '../../data/accounts.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, forbidden, type HttpProblem, notFound, unauthorized } from '../../platform/errors.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';
import { loadActor } from './accounts.repository.ts';
import { type ApiTokenScope, apiTokenDaysProblem, apiTokenExpiry, apiTokenScopes, apiTokenState } from './accounts.rules.ts';
import { apiTokenDaysProblemEs } from './accounts.text.ts';
import { type Proof, reauthenticate } from './reauthentication.service.ts';

export type NewApiToken = { name: string; scope: string; days: number };
type AuditBy = { userId: string | null; label: string };

/** Checks what a new token asks for before anything is spent on it (a TOTP code, a password try). */
function checkNewToken(input: NewApiToken): { name: string; scope: ApiTokenScope; days: number } {
  const name = input.name.trim();
  if (!name || name.length > 100)
    throw badRequest('Give the token a name of 1 to 100 characters, e.g. "nightly roster sync".', {
      code: 'api_token_name',
      es: 'Dé al token un nombre de 1 a 100 caracteres, por ejemplo, "sincronización nocturna de la lista".',
    });
  if (!(apiTokenScopes as readonly string[]).includes(input.scope)) {
    throw badRequest('Choose what the token may do: "read" (look only) or "full" (everything your roles allow).', {
      code: 'api_token_scope',
      es: 'Elija qué puede hacer el token: "read" (solo consultar) o "full" (todo lo que permiten sus roles).',
    });
  }
  const daysProblem = apiTokenDaysProblem(input.days);
  if (daysProblem) throw badRequest(daysProblem, { code: 'api_token_days', es: apiTokenDaysProblemEs() });
  return { name, scope: input.scope as ApiTokenScope, days: input.days };
}

/**
 * Creates a bearer token acting as the user in one district, with a scope and an expiry (never
 * "no expiry"). The token is returned once and only its hash is kept, so it can be revoked but
 * never shown again. The CLI calls this directly; people on the web go through createMyApiToken.
 */
export async function createApiToken(deps: Deps, input: NewApiToken & { userId: string; districtId: string }, by: AuditBy) {
  const { name, scope, days } = checkNewToken(input);
  const token = `hvn_${randomToken()}`;
  const id = deps.ids.uuid();
  const createdAt = deps.clock.now();
  const expiresAt = new Date(createdAt.getTime() + days * 86_400_000);
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(apiTokens).values({ id, districtId: input.districtId, userId: input.userId, name, scope, tokenHash: sha256(token), createdAt, expiresAt });
    await deps.audit.append(tx, input.districtId, by, {
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: id,
      detail: { name, userId: input.userId, scope, days, expiresAt: expiresAt.toISOString() },
    });
  });
  return { id, name, scope, expiresAt, token };
}

/**
 * A signed-in person makes a token for themselves. A token outlives any session, so a stolen or
 * unattended session alone must not be able to mint one: the password is asked again (or a
 * current authenticator code, accepted once, when the person has one).
 */
export async function createMyApiToken(deps: Deps, actor: Actor, input: NewApiToken & Proof, meta: { ip: string }) {
  const checked = checkNewToken(input);
  await reauthenticate(deps, actor, input, meta, {
    name: 'api_token.create',
    ask: 'To create a token, enter your password again (or a current code from your authenticator app).',
    askEs: 'Para crear un token, escriba de nuevo su contraseña (o un código actual de su aplicación de autenticación).',
    acceptCode: true,
  });
  return createApiToken(deps, { ...checked, userId: actor.userId, districtId: actor.districtId }, { userId: actor.userId, label: actor.displayName });
}

/** The person's tokens in this district that still exist (expired ones too, so a failing script can be explained); never the token itself. */
export async function listApiTokens(deps: Deps, actor: Actor) {
  const rows = await deps.db.system
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scope: apiTokens.scope,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
    })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, actor.userId), eq(apiTokens.districtId, actor.districtId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
  const now = deps.clock.now();
  return rows.map(({ revokedAt: _, ...row }) => ({
    ...row,
    expiresAt: apiTokenExpiry(row),
    expired: apiTokenState({ ...row, revokedAt: null }, now) === 'expired',
  }));
}

export async function revokeApiToken(deps: Deps, actor: Actor, id: string) {
  await deps.db.system.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), eq(apiTokens.districtId, actor.districtId), isNull(apiTokens.revokedAt)))
      .returning({ name: apiTokens.name });
    if (revoked.length === 0) throw notFound('That token');
    await deps.audit.append(
      tx,
      actor.districtId,
      { userId: actor.userId, label: actor.displayName },
      { action: 'api_token.revoked', subjectType: 'api_token', subjectId: id, detail: { name: revoked[0]?.name } },
    );
  });
}

/**
 * Revokes every live token of a user, in every district, inside the caller's transaction (a
 * password reset): whoever had the old password may have minted tokens with it. Each revocation
 * is audited in the token's own district. Returns how many were revoked.
 */
export async function revokeAllApiTokensOf(deps: Deps, tx: Transaction, userId: string, reason: string, by: AuditBy): Promise<number> {
  const revoked = await tx
    .update(apiTokens)
    .set({ revokedAt: deps.clock.now() })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, districtId: apiTokens.districtId, name: apiTokens.name });
  for (const token of revoked) {
    await deps.audit.append(tx, token.districtId, by, {
      action: 'api_token.revoked',
      subjectType: 'api_token',
      subjectId: token.id,
      detail: { name: token.name, reason },
    });
  }
  return revoked.length;
}

export type ResolvedApiToken = { ok: true; actor: Actor; scope: ApiTokenScope } | { ok: false; problem: HttpProblem };

const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Finds the actor for a bearer token. An expired or revoked token is refused with a message that
 * says so (the script's owner then knows what to do), and the attempt is audited in the token's
 * district: someone is still using a credential that should be gone.
 */
export async function resolveApiToken(deps: Deps, token: string): Promise<ResolvedApiToken> {
  const invalid = {
    ok: false as const,
    problem: unauthorized('This API token is not valid.', { code: 'api_token_invalid', es: 'Este token de API no es válido.' }),
  };
  const [row] = await deps.db.system
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, sha256(token)));
  if (!row) return invalid;
  const now = deps.clock.now();
  const state = apiTokenState(row, now);
  if (state !== 'active') {
    await deps.db.system.transaction((tx) =>
      deps.audit.append(
        tx,
        row.districtId,
        { userId: null, label: `someone holding the API token "${row.name}"` },
        { action: 'api_token.use_refused', subjectType: 'api_token', subjectId: row.id, detail: { reason: state, userId: row.userId } },
      ),
    );
    const at = when(state === 'revoked' && row.revokedAt ? row.revokedAt : apiTokenExpiry(row));
    return {
      ok: false,
      problem:
        state === 'expired'
          ? unauthorized(`This API token expired on ${at}. Create a new one on your account page.`, {
              code: 'api_token_expired',
              es: `Este token de API venció el ${at}. Cree uno nuevo en la página de su cuenta.`,
            })
          : unauthorized(`This API token was revoked on ${at} and no longer works.`, {
              code: 'api_token_revoked',
              es: `Este token de API se revocó el ${at} y ya no funciona.`,
            }),
    };
  }
  const loaded = await loadActor(deps.db.system, { userId: row.userId, districtId: row.districtId, mfaVerified: true, via: 'token' });
  if (!loaded) return invalid;
  if (loaded.credentialsRefused) {
    await deps.db.system.transaction((tx) =>
      deps.audit.append(
        tx,
        row.districtId,
        { userId: null, label: `someone holding the API token "${row.name}"` },
        { action: 'api_token.use_refused', subjectType: 'api_token', subjectId: row.id, detail: { reason: 'sso_required', userId: row.userId } },
      ),
    );
    return {
      ok: false,
      problem: unauthorized(
        'This district requires signing in through its own accounts, so API tokens work only for its break-glass administrators. Ask a district administrator.',
        {
          code: 'api_token_sso_required',
          es: 'Este distrito exige iniciar sesión con sus propias cuentas, así que los tokens de API solo funcionan para sus administradores de emergencia. Consulte a una persona administradora del distrito.',
        },
      ),
    };
  }
  // Touch at most once a minute: "last used" needs minutes, not a write on every request.
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await deps.db.system.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { ok: true, actor: loaded.actor, scope: row.scope };
}

/** The answer to a read-only token asking to change something. */
export function readOnlyTokenProblem(): HttpProblem {
  return forbidden('This API token is read-only: it may only read (GET and HEAD requests). To make changes, create a token with full access.', {
    code: 'api_token_read_only',
    es: 'Este token de API es de solo lectura: solo puede leer (solicitudes GET y HEAD). Para hacer cambios, cree un token con acceso completo.',
  });
}
