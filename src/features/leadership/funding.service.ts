import { eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { fundingAllocations, fundingSources, fundingSpending } from '../../data/leadership.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { addDays } from '../../platform/durations.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessages } from '../../platform/outbox/outbox.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { districtAdminEmails } from '../accounts/index.ts';
import { districtTimeZone } from '../districts/index.ts';
import { burnDown, losingFunding } from './funding.rules.ts';
import type { allocationInput, sourceInput, spendingInput } from './leadership.schema.ts';

/** Allocations for a source may not exceed its award: over-committing a grant is the error to catch early. */
export async function addSource(deps: Deps, actor: Actor, input: z.infer<typeof sourceInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Funding');
  if (input.periodEnd < input.periodStart)
    throw badRequest('The period ends before it starts; check the dates.', {
      code: 'funding_period_reversed',
      es: 'El período termina antes de empezar; revise las fechas.',
    });
  if (input.obligationDeadline < input.periodStart)
    throw badRequest('The obligation deadline is before the period starts; check the dates.', {
      code: 'obligation_before_period',
      es: 'El plazo para comprometer los fondos es anterior al inicio del período; revise las fechas.',
    });
  return withTenant(deps.db.app, actor, async (tx) => {
    const id = deps.ids.uuid();
    await tx
      .insert(fundingSources)
      .values({ id, districtId: actor.districtId, ...input, liquidationDeadline: input.liquidationDeadline ?? null, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'funding.source_added',
      subjectType: 'funding_source',
      subjectId: id,
      detail: { kind: input.kind, awardCents: input.awardCents },
    });
    return { id };
  });
}

export async function addAllocation(deps: Deps, actor: Actor, sourceId: string, input: z.infer<typeof allocationInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Funding');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [source] = isUuid(sourceId) ? await tx.select().from(fundingSources).where(eq(fundingSources.id, sourceId)) : [];
    if (!source) throw notFound('That funding source');
    const existing = await tx.select({ amount: fundingAllocations.amountCents }).from(fundingAllocations).where(eq(fundingAllocations.sourceId, source.id));
    const allocated = existing.reduce((sum, a) => sum + a.amount, 0);
    if (allocated + input.amountCents > source.awardCents)
      throw badRequest(`That would allocate more than the award: $${((source.awardCents - allocated) / 100).toLocaleString('en-US')} is left to allocate.`, {
        code: 'allocation_over_award',
        es: `Eso asignaría más que el monto otorgado: quedan $${((source.awardCents - allocated) / 100).toLocaleString('es-US')} por asignar.`,
      });
    const id = deps.ids.uuid();
    await tx.insert(fundingAllocations).values({ id, districtId: actor.districtId, sourceId: source.id, ...input, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'funding.allocated',
      subjectType: 'funding_source',
      subjectId: source.id,
      detail: input,
    });
    return { id };
  });
}

export async function addSpending(deps: Deps, actor: Actor, sourceId: string, input: z.infer<typeof spendingInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Funding');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [source] = isUuid(sourceId) ? await tx.select().from(fundingSources).where(eq(fundingSources.id, sourceId)) : [];
    if (!source) throw notFound('That funding source');
    const last = source.liquidationDeadline ?? source.periodEnd;
    if (input.spentOn < source.periodStart || input.spentOn > last)
      throw badRequest(`Spending must fall between ${source.periodStart} and ${last}, the source's period.`, {
        code: 'spending_outside_period',
        es: `El gasto debe estar entre ${source.periodStart} y ${last}, el período de la fuente.`,
      });
    const id = deps.ids.uuid();
    await tx
      .insert(fundingSpending)
      .values({ id, districtId: actor.districtId, sourceId: source.id, ...input, note: input.note ?? null, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'funding.spent',
      subjectType: 'funding_source',
      subjectId: source.id,
      detail: { amountCents: input.amountCents },
    });
    return { id };
  });
}

/** Every source with its burn-down and alerts, and what loses funding within 180 days. */
export async function fundingView(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('Funding');
  return withTenant(deps.db.app, actor, async (tx) => {
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    const sources = await tx.select().from(fundingSources).orderBy(fundingSources.obligationDeadline);
    const allocations = await tx.select().from(fundingAllocations);
    const spending = await tx.select().from(fundingSpending);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.funding_viewed', subjectType: 'dashboard' });
    return {
      today,
      sources: sources.map((s) => ({
        id: s.id,
        kind: s.kind,
        name: s.name,
        awardCents: s.awardCents,
        periodStart: s.periodStart,
        periodEnd: s.periodEnd,
        obligationDeadline: s.obligationDeadline,
        liquidationDeadline: s.liquidationDeadline,
        ...burnDown(s, allocations, spending, today),
        allocations: allocations
          .filter((a) => a.sourceId === s.id)
          .map((a) => ({ id: a.id, fundsKind: a.fundsKind, funds: a.funds, amountCents: a.amountCents })),
      })),
      losingFunding: losingFunding(sources, allocations, today, addDays(today, 180)),
    };
  });
}

/** Worker: tells district administrators once when a source has a deadline alert. */
export async function remindFundingDeadlines(deps: Deps): Promise<number> {
  const rows = await deps.db.system
    .select({ source: fundingSources, timeZone: districts.timeZone })
    .from(fundingSources)
    .innerJoin(districts, eq(districts.id, fundingSources.districtId))
    .where(isNull(fundingSources.deadlineAlertedAt));
  let sent = 0;
  for (const { source, timeZone } of rows) {
    const today = districtDay(deps.clock.now(), timeZone);
    const allocations = await deps.db.system.select().from(fundingAllocations).where(eq(fundingAllocations.sourceId, source.id));
    const spending = await deps.db.system.select().from(fundingSpending).where(eq(fundingSpending.sourceId, source.id));
    const { alerts } = burnDown(source, allocations, spending, today);
    if (alerts.length === 0) continue;
    const admins = await districtAdminEmails(deps.db.system, source.districtId);
    // Marked and queued together: the alert is sent (or listed for the administrators as failed), never dropped.
    await deps.db.system.transaction(async (tx) => {
      await tx.update(fundingSources).set({ deadlineAlertedAt: deps.clock.now() }).where(eq(fundingSources.id, source.id));
      await enqueueMessages(
        deps,
        tx,
        admins.map((email) => ({
          districtId: source.districtId,
          purpose: 'funding.deadline',
          message: {
            kind: 'email',
            to: email,
            subject: `Haven: ${source.name} needs attention`,
            text: `${source.name}: ${alerts.join('; ')}.\n${deps.settings.publicUrl}/leadership`,
          },
        })),
      );
    });
    sent += 1;
  }
  return sent;
}
