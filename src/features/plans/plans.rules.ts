import type { needReasons, reviewDecisions } from '../../data/plans.values.ts';
import { addDays, daysWaited, schoolDaysBetween } from '../../platform/durations.ts';

export { addDays, schoolDaysBetween };

/** What a review decides: intensify and step down move the tier (1–3); close ends the plan. */
export function applyDecision(tier: number, decision: (typeof reviewDecisions)[number]): { tier: number; status: 'active' | 'closed' } {
  if (decision === 'intensify') return { tier: Math.min(3, tier + 1), status: 'active' };
  if (decision === 'step_down') return { tier: Math.max(1, tier - 1), status: 'active' };
  if (decision === 'close') return { tier, status: 'closed' };
  return { tier, status: 'active' };
}

export type NeedFacts = {
  reasons: { reason: (typeof needReasons)[number]; since: string }[];
  hasActivePlan: boolean;
  hasOpenReferral: boolean;
  lastContactOn: string | null;
};

/**
 * Does this student belong on the "needs support now" queue? Yes when something says they need
 * support (a high-risk screen, a crisis case, a re-entry plan, tier 3) and nothing is in place: no
 * active plan, no open referral, and no contact in the last `contactDays` school days. The wait
 * counts from the oldest reason (or the last contact, if later).
 */
export function queueEntry(
  facts: NeedFacts,
  today: string,
  contactDays: number,
): { reasons: NeedFacts['reasons']; waitingSince: string; waitedDays: number } | null {
  if (facts.reasons.length === 0 || facts.hasActivePlan || facts.hasOpenReferral) return null;
  if (facts.lastContactOn && schoolDaysBetween(facts.lastContactOn, today) < contactDays) return null;
  const oldest = facts.reasons.map((r) => r.since).sort()[0] as string;
  const waitingSince = facts.lastContactOn && facts.lastContactOn > oldest ? facts.lastContactOn : oldest;
  // Never a negative wait: a reason dated after today (a plan starting next week) has waited 0 days.
  return { reasons: facts.reasons, waitingSince, waitedDays: daysWaited(waitingSince, today) };
}
