import { and, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { partnerAgreements, partnerServices } from '../../data/directory.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import type { agreementTypes } from '../../data/partners.values.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessages } from '../../platform/outbox/outbox.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { districtAdminEmails } from '../accounts/index.ts';
import { districtTimeZone } from '../districts/index.ts';
import { matchServices, type Need } from '../referrals/index.ts';
import type { agreementInput, serviceChange } from './partners.schema.ts';

const capacityOnly = new Set(['capacityAvailable', 'capacityMaximum', 'waitlistWeeks']);

/** Partners with their services and whether a current agreement covers them; partners see their own. */
export async function listPartners(deps: Deps, actor: Actor) {
  if (!can(actor, 'partner.view', null)) throw notFound('The partner directory');
  const own = actor.grants.filter((g) => g.role === 'partner').map((g) => g.partnerOrganizationId as string);
  const partnerOnly = !actor.grants.some((g) => g.role !== 'partner');
  return withTenant(deps.db.app, actor, async (tx) => {
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    const orgs = await tx
      .select()
      .from(partnerOrganizations)
      .where(partnerOnly ? inArray(partnerOrganizations.id, own.length ? own : ['00000000-0000-0000-0000-000000000000']) : undefined)
      .orderBy(partnerOrganizations.name);
    const ids = orgs.map((o) => o.id);
    const services = ids.length ? await tx.select().from(partnerServices).where(inArray(partnerServices.organizationId, ids)) : [];
    const agreements = ids.length ? await tx.select().from(partnerAgreements).where(inArray(partnerAgreements.organizationId, ids)) : [];
    return orgs.map((o) => {
      const current = agreements.filter((a) => a.organizationId === o.id && a.startsOn <= today && a.endsOn >= today);
      return {
        id: o.id,
        name: o.name,
        website: o.website,
        agreement: current[0] ? { type: current[0].type, endsOn: current[0].endsOn, ferpaBasis: current[0].ferpaBasis } : null,
        services: services
          .filter((s) => s.organizationId === o.id)
          .map(({ document: _d, districtId: _x, ...s }) => ({ ...s, capacityUpdatedAt: s.capacityUpdatedAt?.toISOString() ?? null })),
      };
    });
  });
}

/** Changes what a service offers (district administrators) or its capacity (also its own partner). */
export async function updateService(deps: Deps, actor: Actor, serviceId: string, change: z.infer<typeof serviceChange>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [service] = isUuid(serviceId) ? await tx.select().from(partnerServices).where(eq(partnerServices.id, serviceId)) : [];
    if (!service || !can(actor, 'partner.updateCapacity', { organizationId: service.organizationId })) throw notFound('That service');
    if (!can(actor, 'partner.manage', null) && Object.keys(change).some((k) => !capacityOnly.has(k)))
      throw badRequest('Partners update capacity and waitlist; the district keeps what the service offers.', {
        code: 'partner_edits_capacity_only',
        es: 'Los socios actualizan la capacidad y la lista de espera; el distrito mantiene lo que ofrece el servicio.',
      });
    const capacity = Object.keys(change).some((k) => capacityOnly.has(k));
    await tx
      .update(partnerServices)
      .set({ ...change, ...(capacity ? { capacityUpdatedAt: deps.clock.now() } : {}) })
      .where(eq(partnerServices.id, service.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'partner.service_updated',
      subjectType: 'partner_service',
      subjectId: service.id,
      detail: { fields: Object.keys(change) },
    });
    return { updated: true };
  });
}

export async function addAgreement(deps: Deps, actor: Actor, organizationId: string, input: z.infer<typeof agreementInput>) {
  if (!can(actor, 'partner.manage', null)) throw notFound('That partner');
  if (input.endsOn < input.startsOn)
    throw badRequest('The agreement ends before it starts; check the dates.', {
      code: 'agreement_dates_reversed',
      es: 'El acuerdo termina antes de empezar; revise las fechas.',
    });
  return withTenant(deps.db.app, actor, async (tx) => {
    const [org] = isUuid(organizationId) ? await tx.select().from(partnerOrganizations).where(eq(partnerOrganizations.id, organizationId)) : [];
    if (!org) throw notFound('That partner');
    const id = deps.ids.uuid();
    await tx.insert(partnerAgreements).values({ id, districtId: actor.districtId, organizationId: org.id, ...input, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'partner.agreement_added',
      subjectType: 'partner_organization',
      subjectId: org.id,
      detail: { type: input.type, endsOn: input.endsOn },
    });
    return { id };
  });
}

/** Ranks the directory's services for a need, with the reasons; services without a current agreement are set aside, with that reason. */
export async function matchNeed(deps: Deps, actor: Actor, need: Need) {
  if (!can(actor, 'referral.match', null)) throw notFound('Referral matching');
  const partners = await listPartners(deps, actor);
  const candidates = partners.flatMap((p) =>
    p.services.map((s) => ({ ...s, interpretation: s.interpretation, agreementActive: p.agreement !== null, name: `${s.name} (${p.name})` })),
  );
  const { ranked, excluded } = matchServices(need, candidates);
  const view = (c: { id: string; name: string }) => ({ id: c.id, name: c.name });
  return {
    ranked: ranked.map((m) => ({ service: view(m.candidate), score: m.score, fits: m.fits, gaps: m.gaps })),
    excluded: excluded.map((e) => ({ service: view(e.candidate), reasons: e.reasons })),
  };
}

/** Each kind of agreement by its full name, as staff mail names it (the web app names them from its locale files). */
const agreementNames: Record<(typeof agreementTypes)[number], string> = {
  mou: 'memorandum of understanding (MOU)',
  data_sharing_agreement: 'data-sharing agreement',
  contract: 'contract',
};

/** A calendar day (YYYY-MM-DD) as a person reads it in English mail: "December 20, 2026". */
const longDay = (day: string) => new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));

/** Agreements ending within 30 days: the district's administrators are reminded once (worker). */
export async function remindAgreementRenewals(deps: Deps): Promise<number> {
  const soon = new Date(deps.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
  const today = deps.clock.now().toISOString().slice(0, 10);
  const due = await deps.db.system
    .select({ agreement: partnerAgreements, partner: partnerOrganizations.name })
    .from(partnerAgreements)
    .innerJoin(partnerOrganizations, eq(partnerOrganizations.id, partnerAgreements.organizationId))
    .where(and(isNull(partnerAgreements.renewalRemindedAt), lte(partnerAgreements.endsOn, soon), gte(partnerAgreements.endsOn, today)));
  for (const { agreement, partner } of due) {
    const admins = await districtAdminEmails(deps.db.system, agreement.districtId);
    // Marked and queued together: the reminder is sent (or listed for the administrators as failed), never dropped.
    await deps.db.system.transaction(async (tx) => {
      await tx.update(partnerAgreements).set({ renewalRemindedAt: deps.clock.now() }).where(eq(partnerAgreements.id, agreement.id));
      await enqueueMessages(
        deps,
        tx,
        admins.map((email) => ({
          districtId: agreement.districtId,
          purpose: 'partner.agreement_renewal',
          message: {
            kind: 'email',
            to: email,
            subject: `Haven: the agreement with ${partner} ends on ${longDay(agreement.endsOn)}`,
            text: `The ${agreementNames[agreement.type]} with ${partner} ends on ${longDay(agreement.endsOn)}. Renew it so referrals to them stay covered.`,
          },
        })),
      );
    });
  }
  return due.length;
}
