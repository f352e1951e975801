import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { randomToken, sha256 } from '../../platform/secrets.ts';
import { apiTokens } from './accounts.tables.ts';

/**
 * Creates a bearer token acting as the user in one district. The token is returned once and
 * only its hash is kept, so it can be revoked but never shown again.
 */
export async function createApiToken(deps: Deps, input: { userId: string; districtId: string; name: string }, by: { userId: string | null; label: string }) {
  const name = input.name.trim();
  if (!name || name.length > 100) throw badRequest('Give the token a name of 1 to 100 characters, e.g. "nightly roster sync".');
  const token = `hvn_${randomToken()}`;
  const id = deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(apiTokens).values({ id, districtId: input.districtId, userId: input.userId, name, tokenHash: sha256(token), createdAt: deps.clock.now() });
    await deps.audit.append(tx, input.districtId, by, {
      action: 'api_token.created',
      subjectType: 'api_token',
      subjectId: id,
      detail: { name, userId: input.userId },
    });
  });
  return { id, name, token };
}

export async function listApiTokens(deps: Deps, actor: Actor) {
  return deps.db.system
    .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, actor.userId), eq(apiTokens.districtId, actor.districtId), isNull(apiTokens.revokedAt)))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(deps: Deps, actor: Actor, id: string) {
  await deps.db.system.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: deps.clock.now() })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, actor.userId), isNull(apiTokens.revokedAt)))
      .returning({ districtId: apiTokens.districtId });
    if (revoked.length === 0) throw notFound('That token');
    await deps.audit.append(
      tx,
      actor.districtId,
      { userId: actor.userId, label: actor.displayName },
      {
        action: 'api_token.revoked',
        subjectType: 'api_token',
        subjectId: id,
      },
    );
  });
}
