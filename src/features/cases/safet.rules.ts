import type { behaviourLevels, ideationLevels, protectiveFactors, riskFactors } from '../../data/cases.values.ts';
import type { RiskLevel } from './case.rules.ts';

export type SuicideInquiry = {
  ideation: (typeof ideationLevels)[number];
  plan: boolean;
  behaviour: (typeof behaviourLevels)[number];
  intent: boolean;
};

export type SafetInput = {
  riskFactors: (typeof riskFactors)[number][];
  protectiveFactors: (typeof protectiveFactors)[number][];
  inquiry: SuicideInquiry;
};

/**
 * Why the card points where it does, as a code (and counts) the staff app says in the reader's
 * language; `safetReasonText` says it in English for the stored record and the API.
 */
export type SafetReason =
  | {
      code: 'intent' | 'recent_behaviour' | 'plan_with_means' | 'plan' | 'active_ideation' | 'past_behaviour' | 'passive_ideation' | 'nothing_reported';
      values: Record<string, never>;
    }
  | { code: 'risk_factors'; values: { risk: number; protective: number } };

/**
 * The level SAMHSA's SAFE-T card points to, with the reasons, for the clinician to weigh. It is a
 * suggestion: the clinician decides, and a different decision is recorded beside it.
 * - High: intent, suicidal behaviour in the past 3 months, or active ideation with a plan and
 *   access to lethal means.
 * - Moderate: a plan without intent or recent behaviour, active ideation, older behaviour, or
 *   several risk factors with few protective ones.
 * - Low: thoughts of death at most, no plan, intent or behaviour.
 */
export function suggestRiskLevel(input: SafetInput): { level: RiskLevel; reasons: SafetReason[] } {
  const { inquiry } = input;
  const because = (code: Exclude<SafetReason['code'], 'risk_factors'>): SafetReason => ({ code, values: {} });
  const high: SafetReason[] = [];
  if (inquiry.intent) high.push(because('intent'));
  if (inquiry.behaviour === 'within_3_months') high.push(because('recent_behaviour'));
  if (inquiry.ideation === 'active' && inquiry.plan && input.riskFactors.includes('access_to_lethal_means')) high.push(because('plan_with_means'));
  if (high.length > 0) return { level: 'high', reasons: high };
  const moderate: SafetReason[] = [];
  if (inquiry.plan) moderate.push(because('plan'));
  if (inquiry.ideation === 'active') moderate.push(because('active_ideation'));
  if (inquiry.behaviour === 'more_than_3_months_ago') moderate.push(because('past_behaviour'));
  if (input.riskFactors.length >= 3 && input.protectiveFactors.length <= 1)
    moderate.push({ code: 'risk_factors', values: { risk: input.riskFactors.length, protective: input.protectiveFactors.length } });
  if (moderate.length > 0) return { level: 'moderate', reasons: moderate };
  return { level: 'low', reasons: [because(inquiry.ideation === 'passive' ? 'passive_ideation' : 'nothing_reported')] };
}

const english: Record<Exclude<SafetReason['code'], 'risk_factors'>, string> = {
  intent: 'states intent to act',
  recent_behaviour: 'suicidal behaviour in the past 3 months',
  plan_with_means: 'active ideation with a plan and access to lethal means',
  plan: 'a plan, without intent or recent behaviour',
  active_ideation: 'active suicidal ideation',
  past_behaviour: 'suicidal behaviour more than 3 months ago',
  passive_ideation: 'thoughts of death without plan, intent or behaviour',
  nothing_reported: 'no suicidal ideation, plan, intent or behaviour reported',
};

/** A reason in English, as the assessment record stores it and the API answers it. */
export function safetReasonText(reason: SafetReason): string {
  return reason.code === 'risk_factors' ? `${reason.values.risk} risk factors with ${reason.values.protective} protective` : english[reason.code];
}
