import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { apiTokens, roleGrants, sessions, users } from '../../data/accounts.ts';
import { districts, schools } from '../../data/districts.ts';
import { rosterStaff } from '../../data/roster.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { districtAdminEmails } from './accounts.repository.ts';
import { insertPasswordLink } from './passwords.service.ts';
import { addUser } from './users.service.ts';

/**
 * Accounts follow the roster. Staff the roster lists (teachers, counselors, principals) are offered
 * to the district administrator as people to invite, with the role the roster suggests; nobody gets
 * a role until the administrator confirms. When the roster marks someone inactive, their Haven
 * access in that district ends: the account is disabled (or, for a person who also works in
 * another district, only this district's roles are removed) and their sessions end.
 */

function requireConfigure(actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
}

/**
 * Active roster staff with an e-mail and a suggested role who have no working Haven account in
 * this district: users are visible to the app only where they hold a grant, so "no visible, enabled
 * user with this e-mail" is "no access here" (never invited, or disabled when they left).
 */
export async function listRosterInvitations(deps: Deps, actor: Actor) {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, (tx) =>
    tx
      .select({
        id: rosterStaff.id,
        givenName: rosterStaff.givenName,
        familyName: rosterStaff.familyName,
        email: rosterStaff.email,
        rosterRole: rosterStaff.rosterRole,
        offeredRole: rosterStaff.offeredRole,
        school: schools.name,
      })
      .from(rosterStaff)
      .leftJoin(schools, eq(schools.id, rosterStaff.schoolId))
      .leftJoin(users, and(eq(users.email, sql`lower(${rosterStaff.email})`), isNull(users.disabledAt)))
      .where(and(eq(rosterStaff.active, true), isNotNull(rosterStaff.email), isNotNull(rosterStaff.offeredRole), isNull(users.id)))
      .orderBy(asc(rosterStaff.familyName), asc(rosterStaff.givenName))
      .limit(1000),
  );
}

/**
 * Invites one person from the roster with the role it suggests (at their school, when the roster
 * names one), once the administrator has confirmed. They are e-mailed through the outbox: a link
 * to choose a password, or where the district signs in through its provider, its sign-in address.
 * A person whose account was disabled when they left is enabled again: the administrator chose them.
 */
export async function inviteFromRoster(deps: Deps, actor: Actor, rosterStaffId: string) {
  requireConfigure(actor);
  if (!isUuid(rosterStaffId)) throw notFound('That person on the roster');
  const { person, district } = await withTenant(deps.db.app, actor, async (tx) => {
    const [person] = await tx
      .select({
        email: rosterStaff.email,
        givenName: rosterStaff.givenName,
        familyName: rosterStaff.familyName,
        offeredRole: rosterStaff.offeredRole,
        active: rosterStaff.active,
        schoolCode: schools.code,
      })
      .from(rosterStaff)
      .leftJoin(schools, eq(schools.id, rosterStaff.schoolId))
      .where(eq(rosterStaff.id, rosterStaffId));
    const [district] = await tx
      .select({ slug: districts.slug, name: districts.name, ssoRequired: districts.ssoRequired })
      .from(districts)
      .where(eq(districts.id, actor.districtId));
    return { person, district };
  });
  if (!person || !district) throw notFound('That person on the roster');
  if (!person.active)
    throw conflict('The roster lists this person as no longer working in the district.', {
      code: 'roster_person_left',
      es: 'Según la lista, esta persona ya no trabaja en el distrito.',
    });
  if (!person.email || !person.offeredRole)
    throw badRequest('The roster gives this person no e-mail address or no role Haven could offer.', {
      code: 'roster_person_incomplete',
      es: 'La lista no indica para esta persona ningún correo electrónico o ningún rol que Haven pueda ofrecer.',
    });
  const email = person.email.toLowerCase();
  const name = `${person.givenName} ${person.familyName}`.trim();
  const by = auditActor(actor);
  const added = await addUser(
    deps,
    { districtId: actor.districtId, email, role: person.offeredRole, displayName: name, schoolCode: person.schoolCode ?? undefined },
    by,
    {
      passwordLink: false,
      alsoInTransaction: async (tx, user) => {
        const [row] = await tx.select({ disabledAt: users.disabledAt, passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
        if (row?.disabledAt) await tx.update(users).set({ disabledAt: null }).where(eq(users.id, user.id));
        const link = district.ssoRequired || row?.passwordHash ? null : await insertPasswordLink(deps, tx, user.id, 7 * 24 * 60);
        await deps.audit.append(tx, actor.districtId, by, {
          action: 'roster.staff_invited',
          subjectType: 'user',
          subjectId: user.id,
          detail: { role: person.offeredRole, schoolCode: person.schoolCode, reEnabled: Boolean(row?.disabledAt) },
        });
        await enqueueMessage(deps, tx, {
          districtId: actor.districtId,
          purpose: 'roster.staff_invited',
          message: {
            kind: 'email',
            to: email,
            subject: `${district.name} invites you to Haven`,
            text: [
              `Hello ${name},`,
              '',
              link
                ? `${district.name} invites you to Haven. Choose your password within 7 days here:`
                : `${district.name} invites you to Haven. Sign in with your school account here:`,
              link ?? `${deps.settings.publicUrl}/sign-in/${district.slug}`,
              '',
              `Hola ${name}: ${district.name} le invita a Haven. Use el enlace de arriba para entrar.`,
            ].join('\n'),
          },
        });
      },
    },
  );
  return { userId: added.userId, email };
}

/**
 * After a roster import or sync: every Haven account in this district whose e-mail belongs only
 * to roster staff the roster marks inactive loses its access here, once. An account that holds no
 * role elsewhere is disabled; one that also works in another district keeps that district and
 * loses only this one's roles. Either way its sessions in this district end (all of them when
 * disabled), its API tokens here are revoked, the audit trail says why and the district's
 * administrators get a note through the outbox. Returns how many accounts were closed.
 */
export async function followRosterLeavers(deps: Deps, districtId: string): Promise<number> {
  const leavers = await deps.db.system.execute<{ id: string; display_name: string; email: string; other_districts: number }>(sql`
    select u.id, u.display_name, u.email,
      (select count(distinct g2.district_id)::int from ${roleGrants} g2 where g2.user_id = u.id and g2.district_id <> ${districtId}) as other_districts
    from ${users} u
    where u.disabled_at is null
      and exists (select 1 from ${roleGrants} g where g.user_id = u.id and g.district_id = ${districtId})
      and exists (select 1 from ${rosterStaff} r where r.district_id = ${districtId} and lower(r.email) = u.email and not r.active)
      and not exists (select 1 from ${rosterStaff} r where r.district_id = ${districtId} and lower(r.email) = u.email and r.active)`);
  if (leavers.rows.length === 0) return 0;
  const administrators = await districtAdminEmails(deps.db.system, districtId);
  const by = { userId: null, label: 'system: roster' };
  await deps.db.system.transaction(async (tx) => {
    for (const person of leavers.rows) {
      const disable = person.other_districts === 0;
      if (disable) {
        await tx.update(users).set({ disabledAt: deps.clock.now() }).where(eq(users.id, person.id));
        await tx.delete(sessions).where(eq(sessions.userId, person.id));
      } else {
        await tx.delete(roleGrants).where(and(eq(roleGrants.userId, person.id), eq(roleGrants.districtId, districtId)));
        await tx.delete(sessions).where(and(eq(sessions.userId, person.id), eq(sessions.districtId, districtId)));
      }
      await tx
        .update(apiTokens)
        .set({ revokedAt: deps.clock.now() })
        .where(and(eq(apiTokens.userId, person.id), eq(apiTokens.districtId, districtId), isNull(apiTokens.revokedAt)));
      await deps.audit.append(tx, districtId, by, {
        action: disable ? 'user.disabled_by_roster' : 'user.roles_removed_by_roster',
        subjectType: 'user',
        subjectId: person.id,
        detail: { email: person.email },
      });
      for (const to of administrators.filter((a) => a !== person.email)) {
        await enqueueMessage(deps, tx, { districtId, purpose: 'roster.account_closed', message: leaverNote(to, person.display_name, person.email, disable) });
      }
    }
  });
  return leavers.rows.length;
}

function leaverNote(to: string, name: string, email: string, disabled: boolean) {
  return {
    kind: 'email' as const,
    to,
    subject: `Haven: ${name} left the roster, so their access ended`,
    text: [
      disabled
        ? `The roster now lists ${name} (${email}) as inactive, so Haven disabled their account and ended their sessions.`
        : `The roster now lists ${name} (${email}) as inactive, so Haven removed their roles in your district and ended their sessions here (they still work in another district).`,
      'If this is a mistake, correct the roster, then invite them again from District settings → People waiting for access.',
      '',
      `El roster ahora indica que ${name} (${email}) ya no está activo: Haven cerró su acceso en su distrito y terminó sus sesiones.`,
    ].join('\n'),
  };
}
