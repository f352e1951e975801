import { asc, eq } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { districtAbilities, rosterSchools } from '../../access/policy.ts';
import { districts, schools } from '../../data/districts.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtsOfUser } from './accounts.repository.ts';
import type { ResolvedSession } from './sessions.service.ts';
import { accountOf } from './sessions.service.ts';

/**
 * Everything the web app needs to draw itself for this person: who they are, the district they
 * act in and the others they may switch to, their roles, the schools they work with, and what
 * they may do (so the app shows what the server allows instead of re-deciding it).
 */
export async function describeMe(deps: Deps, actor: Actor, session: ResolvedSession | null) {
  const account = await accountOf(deps, actor.userId);
  const otherDistricts = await districtsOfUser(deps.db.system, actor.userId);
  const { district, allSchools } = await withTenant(deps.db.app, actor, async (tx) => {
    const [district] = await tx.select().from(districts).where(eq(districts.id, actor.districtId));
    const allSchools = await tx
      .select({ id: schools.id, code: schools.code, name: schools.name, level: schools.level })
      .from(schools)
      .orderBy(asc(schools.name));
    return { district, allSchools };
  });
  const visible = rosterSchools(actor);
  const grantedSchoolIds = new Set(actor.grants.map((g) => g.schoolId));
  const mySchools = visible === 'all' || actor.grants.some((g) => g.schoolId === null) ? allSchools : allSchools.filter((s) => grantedSchoolIds.has(s.id));
  const schoolName = new Map(allSchools.map((s) => [s.id, s.name]));
  return {
    user: account,
    district: district ? { id: district.id, slug: district.slug, name: district.name, timeZone: district.timeZone, mfaRequired: district.mfaRequired } : null,
    districts: otherDistricts,
    roles: actor.grants.map((g) => ({ role: g.role, schoolId: g.schoolId, schoolName: g.schoolId ? (schoolName.get(g.schoolId) ?? null) : null })),
    schools: mySchools,
    abilities: districtAbilities(actor),
    mfaPending: session?.mfaPending ?? false,
    csrfToken: session?.csrfToken ?? null,
  };
}

export type Me = Awaited<ReturnType<typeof describeMe>>;
