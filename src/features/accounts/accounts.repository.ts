import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Actor, Grant } from '../../access/actor.ts';
import { sensitiveRoles } from '../../access/roles.ts';
import { roleGrants, signInAttempts, users } from '../../data/accounts.ts';
import { districts } from '../../data/districts.ts';
import type { Database, Transaction } from '../../platform/db/client.ts';

/**
 * Queries for signing in and resolving who is asking. They run on the system connection
 * because they happen before any district is known; nothing here returns student data.
 */
export async function findUserByEmail(systemDb: Database, email: string) {
  const [user] = await systemDb.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return user;
}

export async function findUserById(systemDb: Database, id: string) {
  const [user] = await systemDb.select().from(users).where(eq(users.id, id));
  return user;
}

/** The districts a user holds grants in, oldest grant first (the first is their home district). */
export async function districtsOfUser(systemDb: Database, userId: string) {
  return (await signInPolicyOf(systemDb, userId)).map(({ id, slug, name }) => ({ id, slug, name }));
}

/**
 * Builds the actor for a user acting in a district, or undefined when they hold no grant there.
 * `mfaPending` is true when the district requires a second factor for the user's roles and this
 * sign-in did not pass one: such a session may only enrol MFA or sign out. A break-glass
 * administrator of a district that requires single sign-on always needs one outside the provider.
 * `credentialsRefused` is true for a browser session not started through the district's provider,
 * or an API token, when the district requires single sign-on and the person is not break-glass:
 * the session must end and the token is refused, or a token made before single sign-on was
 * required would outlive the provider's control over who may act (leavers, MFA, suspensions).
 */
export async function loadActor(
  systemDb: Database,
  input: { userId: string; districtId: string; mfaVerified: boolean; via: Actor['via']; throughProvider?: boolean | undefined },
): Promise<{ actor: Actor; mfaPending: boolean; credentialsRefused: boolean } | undefined> {
  const rows = await systemDb
    .select({
      role: roleGrants.role,
      schoolId: roleGrants.schoolId,
      partnerOrganizationId: roleGrants.partnerOrganizationId,
      displayName: users.displayName,
      email: users.email,
      disabledAt: users.disabledAt,
      mfaRequired: districts.mfaRequired,
      ssoRequired: districts.ssoRequired,
      breakGlass: districts.ssoBreakGlassUserIds,
    })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .innerJoin(districts, eq(districts.id, roleGrants.districtId))
    .where(and(eq(roleGrants.userId, input.userId), eq(roleGrants.districtId, input.districtId)));
  const first = rows[0];
  if (!first || first.disabledAt) return undefined;
  const grants: Grant[] = rows.map((r) => ({ role: r.role, schoolId: r.schoolId, partnerOrganizationId: r.partnerOrganizationId }));
  const actor: Actor = {
    userId: input.userId,
    districtId: input.districtId,
    displayName: first.displayName,
    email: first.email,
    grants,
    mfaVerified: input.mfaVerified,
    via: input.via,
  };
  const withoutProvider = first.ssoRequired && !input.throughProvider;
  const breakGlass = first.breakGlass.includes(input.userId);
  const needsMfa = (first.mfaRequired && grants.some((grant) => sensitiveRoles.has(grant.role))) || (withoutProvider && breakGlass);
  return {
    actor,
    mfaPending: needsMfa && !input.mfaVerified && input.via === 'session',
    credentialsRefused: withoutProvider && !breakGlass,
  };
}

/**
 * The districts a user holds grants in (first grant first) with their single sign-on policy: where
 * a password or passkey sign-in may land (sso.rules `mayUseHavenCredentials`). One statement:
 * every sign-in runs it.
 */
export async function signInPolicyOf(systemDb: Database, userId: string) {
  const rows = await systemDb
    .selectDistinctOn([roleGrants.districtId], {
      id: districts.id,
      slug: districts.slug,
      name: districts.name,
      ssoRequired: districts.ssoRequired,
      ssoBreakGlassUserIds: districts.ssoBreakGlassUserIds,
      firstGrant: roleGrants.createdAt,
    })
    .from(roleGrants)
    .innerJoin(districts, eq(districts.id, roleGrants.districtId))
    .where(eq(roleGrants.userId, userId))
    .orderBy(roleGrants.districtId, asc(roleGrants.createdAt));
  return rows.sort((a, b) => a.firstGrant.getTime() - b.firstGrant.getTime()).map(({ firstGrant: _, ...d }) => d);
}

/**
 * Failed attempts for an e-mail from one client address since the account's last successful
 * sign-in (from anywhere), oldest first: failures elsewhere never lock this address out.
 */
export async function failuresSinceLastSuccess(systemDb: Database, emailHash: string, since: Date, addressHash: string): Promise<Date[]> {
  const rows = await systemDb
    .select({ at: signInAttempts.at, succeeded: signInAttempts.succeeded, addressHash: signInAttempts.addressHash })
    .from(signInAttempts)
    .where(and(eq(signInAttempts.emailHash, emailHash), gt(signInAttempts.at, since)))
    .orderBy(desc(signInAttempts.at))
    .limit(500);
  const failures: Date[] = [];
  for (const row of rows) {
    if (row.succeeded) break;
    if (row.addressHash === addressHash) failures.unshift(row.at);
  }
  return failures;
}

export async function recordSignInAttempt(systemDb: Database | Transaction, attempt: { emailHash: string; addressHash: string; at: Date; succeeded: boolean }) {
  await systemDb.insert(signInAttempts).values(attempt);
}

/** The e-mail addresses of a district's active, district-wide administrators: who the worker's reminders go to. */
export async function districtAdminEmails(systemDb: Database, districtId: string): Promise<string[]> {
  const rows = await systemDb
    .selectDistinct({ email: users.email })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.districtId, districtId), eq(roleGrants.role, 'district_admin'), isNull(roleGrants.schoolId), isNull(users.disabledAt)));
  return rows.map((r) => r.email);
}
