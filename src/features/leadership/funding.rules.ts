import { dayCount, daysBetween } from '../../platform/durations.ts';

/**
 * Braided funding, apart from I/O: how far each source is spent and obligated, whether a deadline
 * needs attention, and which services lose how much of their funding when a source ends (the
 * "ESSER cliff" the guidance warns about). Amounts are integer cents.
 */
export type Source = { id: string; name: string; awardCents: number; periodStart: string; periodEnd: string; obligationDeadline: string };
export type Allocation = { sourceId: string; funds: string; amountCents: number };
export type Spending = { sourceId: string; spentOn: string; amountCents: number };

/** Deadlines within this many days, with money still unspent or unallocated, are flagged. */
export const deadlineWarningDays = 60;

/** "today", "in 1 day", "in 48 days": never "in 0 days" or "in 1 days". */
const inDays = (days: number) => (days <= 0 ? 'today' : `in ${dayCount(days)}`);

/** What an alert is about, so a screen can say it in its reader's language from the figures beside it. */
export type FundingAlertKind = 'unobligated' | 'unspent' | 'overspent';

export function burnDown(source: Source, allocations: Allocation[], spending: Spending[], today: string) {
  const allocated = allocations.filter((a) => a.sourceId === source.id).reduce((sum, a) => sum + a.amountCents, 0);
  const spent = spending.filter((s) => s.sourceId === source.id && s.spentOn <= today).reduce((sum, s) => sum + s.amountCents, 0);
  const elapsedDays = Math.max(0, Math.min(daysBetween(source.periodStart, today), daysBetween(source.periodStart, source.periodEnd)));
  const totalDays = Math.max(1, daysBetween(source.periodStart, source.periodEnd));
  const perDay = elapsedDays > 0 ? spent / elapsedDays : 0;
  const projected = Math.round(spent + perDay * Math.max(0, daysBetween(today, source.periodEnd)));
  const daysToObligation = daysBetween(today, source.obligationDeadline);
  const daysToEnd = daysBetween(today, source.periodEnd);
  const unallocated = source.awardCents - allocated;
  const raised: { kind: FundingAlertKind; text: string }[] = [];
  if (daysToObligation >= 0 && daysToObligation <= deadlineWarningDays && unallocated > 0)
    raised.push({ kind: 'unobligated', text: `${dollars(unallocated)} is not yet obligated and the obligation deadline is ${inDays(daysToObligation)}` });
  if (daysToEnd >= 0 && daysToEnd <= deadlineWarningDays && projected < source.awardCents)
    raised.push({
      kind: 'unspent',
      text: `at the current pace ${dollars(source.awardCents - projected)} will be left unspent when the period ends ${inDays(daysToEnd)}`,
    });
  if (projected > source.awardCents)
    raised.push({ kind: 'overspent', text: `at the current pace spending passes the award by ${dollars(projected - source.awardCents)}` });
  return {
    allocatedCents: allocated,
    spentCents: spent,
    remainingCents: source.awardCents - spent,
    unallocatedCents: unallocated,
    /** Expected share spent by today if spending were even over the period. */
    expectedSpentShare: elapsedDays / totalDays,
    spentShare: source.awardCents ? spent / source.awardCents : 0,
    projectedAtEndCents: projected,
    daysToObligation,
    daysToEnd,
    /** In English, for e-mail and the CSV; `alertKinds` says the same for a screen in any language. */
    alerts: raised.map((a) => a.text),
    alertKinds: raised.map((a) => a.kind),
  };
}

/**
 * What each funded thing loses when the sources ending by `horizon` end: its total allocation,
 * the part paid by ending sources, and which they are. Sorted by the largest loss.
 */
export function losingFunding(sources: Source[], allocations: Allocation[], today: string, horizon: string) {
  const ending = new Map(sources.filter((s) => s.periodEnd >= today && s.periodEnd <= horizon).map((s) => [s.id, s]));
  const byFunds = new Map<string, { totalCents: number; endingCents: number; endingSources: Map<string, { name: string; endsOn: string }> }>();
  for (const a of allocations) {
    const entry = byFunds.get(a.funds) ?? { totalCents: 0, endingCents: 0, endingSources: new Map() };
    entry.totalCents += a.amountCents;
    const source = ending.get(a.sourceId);
    if (source) {
      entry.endingCents += a.amountCents;
      entry.endingSources.set(source.id, { name: source.name, endsOn: source.periodEnd });
    }
    byFunds.set(a.funds, entry);
  }
  return [...byFunds.entries()]
    .filter(([, e]) => e.endingCents > 0)
    .map(([funds, e]) => ({
      funds,
      totalCents: e.totalCents,
      losingCents: e.endingCents,
      losingShare: e.endingCents / e.totalCents,
      endingSources: [...e.endingSources.values()],
    }))
    .sort((a, b) => b.losingCents - a.losingCents);
}

export const dollars = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 0 })}`;
