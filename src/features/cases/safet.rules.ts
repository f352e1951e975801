import type { RiskLevel } from './case.rules.ts';
import type { behaviourLevels, ideationLevels, protectiveFactors, riskFactors } from './cases.values.ts';

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
 * The level SAMHSA's SAFE-T card points to, with the reasons, for the clinician to weigh. It is a
 * suggestion: the clinician decides, and a different decision is recorded beside it.
 * - High: intent, suicidal behaviour in the past 3 months, or active ideation with a plan and
 *   access to lethal means.
 * - Moderate: a plan without intent or recent behaviour, active ideation, older behaviour, or
 *   several risk factors with few protective ones.
 * - Low: thoughts of death at most, no plan, intent or behaviour.
 */
export function suggestRiskLevel(input: SafetInput): { level: RiskLevel; reasons: string[] } {
  const { inquiry } = input;
  const high: string[] = [];
  if (inquiry.intent) high.push('states intent to act');
  if (inquiry.behaviour === 'within_3_months') high.push('suicidal behaviour in the past 3 months');
  if (inquiry.ideation === 'active' && inquiry.plan && input.riskFactors.includes('access_to_lethal_means'))
    high.push('active ideation with a plan and access to lethal means');
  if (high.length > 0) return { level: 'high', reasons: high };
  const moderate: string[] = [];
  if (inquiry.plan) moderate.push('a plan, without intent or recent behaviour');
  if (inquiry.ideation === 'active') moderate.push('active suicidal ideation');
  if (inquiry.behaviour === 'more_than_3_months_ago') moderate.push('suicidal behaviour more than 3 months ago');
  if (input.riskFactors.length >= 3 && input.protectiveFactors.length <= 1)
    moderate.push(`${input.riskFactors.length} risk factors with ${input.protectiveFactors.length} protective`);
  if (moderate.length > 0) return { level: 'moderate', reasons: moderate };
  const low =
    inquiry.ideation === 'passive' ? ['thoughts of death without plan, intent or behaviour'] : ['no suicidal ideation, plan, intent or behaviour reported'];
  return { level: 'low', reasons: low };
}
