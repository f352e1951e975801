import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts, type schoolLevels, schools } from '../../data/districts.ts';
import type { consentPolicies } from '../../data/screening.values.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';

const system = { userId: null, label: 'system: command line' };

export const slugSchema = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'use 1-40 lower-case letters, digits and hyphens, e.g. "adams-12"');

function assertTimeZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw badRequest(`"${timeZone}" is not a time zone; use an IANA name such as America/Denver.`, {
      code: 'time_zone_invalid',
      es: `"${timeZone}" no es una zona horaria; use un nombre IANA como America/Denver.`,
    });
  }
}

/**
 * Creates a district (a tenant). Its audit chain starts with this event. Screening starts on
 * active (written) consent unless the caller chooses otherwise: C.R.S. 22-1-123 asks for written
 * consent before a survey about mental health, so passive consent is a district's deliberate choice.
 */
export async function addDistrict(
  deps: Deps,
  input: { slug: string; name: string; timeZone: string; mfaRequired?: boolean; screeningConsent?: (typeof consentPolicies)[number] },
) {
  const slug = slugSchema.safeParse(input.slug);
  if (!slug.success)
    throw badRequest(`District slug "${input.slug}": ${slug.error.issues[0]?.message}`, {
      code: 'district_slug_invalid',
      es: `El identificador del distrito "${input.slug}" no es válido: use de 1 a 40 letras minúsculas, números y guiones, por ejemplo "adams-12".`,
    });
  if (!input.name.trim()) throw badRequest('A district needs a name.', { code: 'district_name_required', es: 'El distrito necesita un nombre.' });
  assertTimeZone(input.timeZone);
  const [existing] = await deps.db.system.select({ id: districts.id }).from(districts).where(eq(districts.slug, input.slug));
  if (existing)
    throw conflict(`A district with the slug "${input.slug}" already exists.`, {
      code: 'district_slug_taken',
      es: `Ya existe un distrito con el identificador "${input.slug}".`,
    });
  const id = deps.ids.uuid();
  const screeningConsent = input.screeningConsent ?? 'active';
  await deps.db.system.transaction(async (tx) => {
    await tx
      .insert(districts)
      .values({ id, slug: input.slug, name: input.name.trim(), timeZone: input.timeZone, mfaRequired: input.mfaRequired ?? true, screeningConsent });
    await deps.audit.append(tx, id, system, {
      action: 'district.created',
      subjectType: 'district',
      subjectId: id,
      detail: { slug: input.slug, screeningConsent },
    });
  });
  return { id, slug: input.slug, name: input.name.trim(), timeZone: input.timeZone, screeningConsent };
}

export async function findDistrictBySlug(deps: Pick<Deps, 'db'>, slug: string) {
  const [district] = await deps.db.system.select().from(districts).where(eq(districts.slug, slug));
  if (!district)
    throw badRequest(`There is no district with the slug "${slug}". List them with \`haven district list\`.`, {
      code: 'district_slug_unknown',
      es: `No hay ningún distrito con el identificador "${slug}". Vea la lista con \`haven district list\`.`,
    });
  return district;
}

export async function listDistricts(deps: Pick<Deps, 'db'>) {
  return deps.db.system.select().from(districts).orderBy(districts.slug);
}

export async function addSchool(
  deps: Deps,
  districtId: string,
  input: { code: string; name: string; level: (typeof schoolLevels)[number]; sourcedId?: string },
) {
  const id = deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(schools).values({ id, districtId, ...input });
    await deps.audit.append(tx, districtId, system, { action: 'school.created', subjectType: 'school', subjectId: id, detail: { code: input.code } });
  });
  return { id, ...input };
}

export async function districtSettings(deps: Deps, actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [row] = await tx.select().from(districts).where(eq(districts.id, actor.districtId));
    if (!row) throw notFound('District settings');
    return settingsOf(row);
  });
}

function settingsOf(row: typeof districts.$inferSelect) {
  return {
    name: row.name,
    timeZone: row.timeZone,
    mfaRequired: row.mfaRequired,
    staffSeeWholeSchool: row.staffSeeWholeSchool,
    screeningConsent: row.screeningConsent,
    screeningSelfConsentAge: row.screeningSelfConsentAge,
    screeningNoticeDays: row.screeningNoticeDays,
    screeningFollowUpDays: row.screeningFollowUpDays,
    smallCellThreshold: row.smallCellThreshold,
    studentsPerCounselor: row.studentsPerCounselor,
  };
}

type SettingsChange = Partial<Omit<ReturnType<typeof settingsOf>, 'name'>>;

/** Changes district settings (e.g. requiring MFA for sensitive roles); every change is audited. */
export async function changeDistrictSettings(deps: Deps, actor: Actor, change: { [K in keyof SettingsChange]?: SettingsChange[K] | undefined }) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [row] = await tx.update(districts).set(change).where(eq(districts.id, actor.districtId)).returning();
    if (!row) throw notFound('District settings');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'district.settings_changed',
      subjectType: 'district',
      subjectId: actor.districtId,
      detail: change,
    });
    return settingsOf(row);
  });
}
