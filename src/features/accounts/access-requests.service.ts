import { and, desc, eq, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts, schools } from '../../data/districts.ts';
import { accessRequests, identityLinks, identityProviders } from '../../data/sso.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { grantableRoles } from './sso.rules.ts';
import { addUser } from './users.service.ts';

/**
 * People the district's provider vouched for whom Haven did not know. They got no access and no
 * role; the district administrator grants one role (which links their provider account, so their
 * next sign-in works) or dismisses them.
 */

function requireConfigure(actor: Actor) {
  if (!can(actor, 'district.configure', null)) throw notFound('District settings');
}

/** Open requests, newest first, with the provider each came through. */
export async function listAccessRequests(deps: Deps, actor: Actor) {
  requireConfigure(actor);
  return withTenant(deps.db.app, actor, (tx) =>
    tx
      .select({
        id: accessRequests.id,
        email: accessRequests.email,
        displayName: accessRequests.displayName,
        requestedAt: accessRequests.requestedAt,
        provider: identityProviders.label,
      })
      .from(accessRequests)
      .innerJoin(identityProviders, eq(identityProviders.id, accessRequests.providerId))
      .where(isNull(accessRequests.resolvedAt))
      .orderBy(desc(accessRequests.requestedAt))
      .limit(500),
  );
}

async function openRequest(deps: Deps, actor: Actor, requestId: string) {
  if (!isUuid(requestId)) throw notFound('That access request');
  const [request] = await withTenant(deps.db.app, actor, (tx) =>
    tx
      .select({
        id: accessRequests.id,
        providerId: accessRequests.providerId,
        subject: accessRequests.subject,
        email: accessRequests.email,
        displayName: accessRequests.displayName,
        resolvedAt: accessRequests.resolvedAt,
      })
      .from(accessRequests)
      .where(eq(accessRequests.id, requestId)),
  );
  if (!request) throw notFound('That access request');
  if (request.resolvedAt) throw conflict('This request was already answered.', { code: 'access_request_answered', es: 'Esta solicitud ya fue respondida.' });
  return request;
}

/**
 * Grants the person one role (at one school, or district-wide) and links their provider account
 * to it; they are told by e-mail (through the outbox) where to sign in. Nothing else comes from
 * the provider: the role is the administrator's choice.
 */
export async function grantAccessRequest(deps: Deps, actor: Actor, requestId: string, input: { role: string; schoolId?: string | null | undefined }) {
  requireConfigure(actor);
  if (!(grantableRoles as readonly string[]).includes(input.role)) {
    throw badRequest('Choose a role: district administrator, school administrator, counselor, crisis team, staff or analyst.', {
      code: 'access.role',
      es: 'Elija un rol: administración del distrito, administración de la escuela, consejería, equipo de crisis, personal o análisis.',
    });
  }
  const request = await openRequest(deps, actor, requestId);
  const { schoolCode, district } = await withTenant(deps.db.app, actor, async (tx) => {
    const [district] = await tx.select({ slug: districts.slug, name: districts.name }).from(districts).where(eq(districts.id, actor.districtId));
    if (!input.schoolId) return { schoolCode: undefined, district };
    const [school] = isUuid(input.schoolId) ? await tx.select({ code: schools.code }).from(schools).where(eq(schools.id, input.schoolId)) : [];
    if (!school) throw badRequest('That school is not in this district.', { code: 'school_not_in_district', es: 'Esa escuela no pertenece a este distrito.' });
    return { schoolCode: school.code, district };
  });
  const by = auditActor(actor);
  const added = await addUser(
    deps,
    { districtId: actor.districtId, email: request.email, role: input.role, displayName: request.displayName, schoolCode },
    by,
    {
      passwordLink: false,
      alsoInTransaction: async (tx, user) => {
        const now = deps.clock.now();
        const resolved = await tx
          .update(accessRequests)
          .set({ resolvedAt: now, resolvedBy: actor.userId, outcome: 'granted' })
          .where(and(eq(accessRequests.id, request.id), isNull(accessRequests.resolvedAt)))
          .returning({ id: accessRequests.id });
        if (resolved.length !== 1)
          throw conflict('This request was already answered.', { code: 'access_request_answered', es: 'Esta solicitud ya fue respondida.' });
        await tx
          .insert(identityLinks)
          .values({
            id: deps.ids.uuid(),
            districtId: actor.districtId,
            providerId: request.providerId,
            subject: request.subject,
            userId: user.id,
            linkedAt: now,
          })
          .onConflictDoNothing();
        await deps.audit.append(tx, actor.districtId, by, {
          action: 'sso.access_granted',
          subjectType: 'user',
          subjectId: user.id,
          detail: { role: input.role, schoolCode: schoolCode ?? null, email: request.email },
        });
        await enqueueMessage(deps, tx, {
          districtId: actor.districtId,
          purpose: 'sso.access_granted',
          message: {
            kind: 'email',
            to: request.email,
            subject: 'You can now sign in to Haven',
            text: [
              `Hello ${request.displayName},`,
              '',
              `${district?.name ?? 'Your district'} gave you access to Haven. Sign in with your school account at:`,
              `${deps.settings.publicUrl}/sign-in/${district?.slug ?? ''}`,
              '',
              `Hola ${request.displayName}: ${district?.name ?? 'su distrito'} le dio acceso a Haven. Entre con su cuenta escolar en el enlace de arriba.`,
            ].join('\n'),
          },
        });
      },
    },
  );
  return { userId: added.userId, email: added.email };
}

/** Dismisses a request: the person stays without access, and is not listed again when they retry. */
export async function dismissAccessRequest(deps: Deps, actor: Actor, requestId: string) {
  requireConfigure(actor);
  const request = await openRequest(deps, actor, requestId);
  await withTenant(deps.db.app, actor, async (tx) => {
    await tx
      .update(accessRequests)
      .set({ resolvedAt: deps.clock.now(), resolvedBy: actor.userId, outcome: 'dismissed' })
      .where(eq(accessRequests.id, request.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'sso.access_dismissed',
      subjectType: 'access_request',
      subjectId: request.id,
      detail: { email: request.email },
    });
  });
}
