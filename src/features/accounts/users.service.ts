import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { type Role, roles } from '../../access/roles.ts';
import { roleGrants, users } from '../../data/accounts.ts';
import { schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { findUserByEmail } from './accounts.repository.ts';
import { passwordProblems } from './accounts.rules.ts';
import { passwordRefusalEs } from './accounts.text.ts';
import { createPasswordLink } from './passwords.service.ts';

export type AddUserInput = {
  districtId: string;
  email: string;
  role: string;
  displayName?: string | undefined;
  schoolCode?: string | undefined;
  partnerOrganizationId?: string | undefined;
  password?: string | undefined;
};

export type AddUserOptions = {
  /** False for a person who signs in through the district's provider: no link to choose a password. */
  passwordLink?: boolean;
  /** What must be stored with the grant, atomically (an identity link, an invitation e-mail). */
  alsoInTransaction?: (tx: Transaction, user: { id: string; created: boolean }) => Promise<void>;
};

/**
 * Adds a person (or finds them by e-mail) and grants them a role in a district, optionally at one
 * school. Without a password, returns a single-use link (valid 7 days) for them to choose one.
 */
export async function addUser(
  deps: Deps,
  input: AddUserInput,
  by: { userId: string | null; label: string } = { userId: null, label: 'system: command line' },
  options: AddUserOptions = {},
) {
  const email = z.email().safeParse(input.email.trim().toLowerCase());
  if (!email.success)
    throw badRequest(`"${input.email}" is not an e-mail address.`, {
      code: 'email_invalid',
      es: `"${input.email}" no es una dirección de correo electrónico.`,
    });
  if (!(roles as readonly string[]).includes(input.role))
    throw badRequest(`Unknown role "${input.role}". Roles: ${roles.join(', ')}.`, {
      code: 'role_unknown',
      es: `Rol desconocido: "${input.role}". Roles: ${roles.join(', ')}.`,
    });
  const role = input.role as Role;
  if (role === 'partner' && !input.partnerOrganizationId)
    throw badRequest('A partner account must belong to a partner organization.', {
      code: 'partner_organization_required',
      es: 'Una cuenta de socio debe pertenecer a una organización asociada.',
    });
  if (input.password) {
    const problems = passwordProblems(input.password, email.data);
    if (problems.length > 0)
      throw badRequest(`Choose another password: ${problems.join(' ')}`, { code: 'password_weak', es: passwordRefusalEs(problems), problems });
  }
  let schoolId: string | null = null;
  if (input.schoolCode) {
    const [school] = await deps.db.system
      .select({ id: schools.id })
      .from(schools)
      .where(and(eq(schools.districtId, input.districtId), eq(schools.code, input.schoolCode)));
    if (!school)
      throw badRequest(`This district has no school with the code "${input.schoolCode}".`, {
        code: 'school_code_unknown',
        es: `Este distrito no tiene ninguna escuela con el código "${input.schoolCode}".`,
      });
    schoolId = school.id;
  }
  if (input.partnerOrganizationId) {
    const [org] = await deps.db.system
      .select({ id: partnerOrganizations.id })
      .from(partnerOrganizations)
      .where(and(eq(partnerOrganizations.id, input.partnerOrganizationId), eq(partnerOrganizations.districtId, input.districtId)));
    if (!org)
      throw badRequest('That partner organization is not in this district.', {
        code: 'partner_not_in_district',
        es: 'Esa organización asociada no pertenece a este distrito.',
      });
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const existing = await findUserByEmail(deps.db.system, email.data);
  const userId = existing?.id ?? deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    if (!existing) {
      await tx.insert(users).values({
        id: userId,
        email: email.data,
        displayName: input.displayName?.trim() || email.data.split('@')[0] || email.data,
        passwordHash,
        passwordChangedAt: passwordHash ? deps.clock.now() : null,
      });
    } else if (passwordHash) {
      await tx.update(users).set({ passwordHash, passwordChangedAt: deps.clock.now() }).where(eq(users.id, userId));
    }
    await tx
      .insert(roleGrants)
      .values({ id: deps.ids.uuid(), districtId: input.districtId, userId, role, schoolId, partnerOrganizationId: input.partnerOrganizationId ?? null })
      .onConflictDoNothing();
    await deps.audit.append(tx, input.districtId, by, {
      action: 'user.role_granted',
      subjectType: 'user',
      subjectId: userId,
      detail: { role, schoolId, created: !existing },
    });
    await options.alsoInTransaction?.(tx, { id: userId, created: !existing });
  });
  const wantsLink = options.passwordLink ?? true;
  const setPasswordLink = !wantsLink || passwordHash || existing?.passwordHash ? null : await createPasswordLink(deps, userId, 7 * 24 * 60);
  return { userId, email: email.data, created: !existing, setPasswordLink };
}
