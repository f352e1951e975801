import type { caseActions, caseStatuses, caseTypes, recordKinds, riskLevels } from './cases.values.ts';

export type CaseStatus = (typeof caseStatuses)[number];
export type CaseAction = (typeof caseActions)[number];
export type RiskLevel = (typeof riskLevels)[number];

/** What the rules need to know about a case, read from its records and tasks. */
export type CaseFacts = {
  status: CaseStatus;
  type: (typeof caseTypes)[number];
  /** A suicide or threat assessment has been recorded. */
  hasAssessment: boolean;
  /** The clinician's level in the latest assessment. */
  riskLevel: RiskLevel | null;
  hasSafetyPlan: boolean;
  outstandingMandatoryReport: boolean;
  /** The guardian was told, or an administrator confirmed a documented reason not to tell them. */
  guardianNotified: boolean;
};

export type Decision = { ok: true; next: CaseStatus } | { ok: false; reasons: string[] };

const from: Record<CaseAction, readonly CaseStatus[]> = {
  start_assessing: ['open', 'safety_planning', 'monitoring'],
  start_safety_planning: ['assessing', 'monitoring'],
  start_monitoring: ['assessing', 'safety_planning'],
  close: ['open', 'assessing', 'safety_planning', 'monitoring'],
  reopen: ['closed'],
};

const to: Record<CaseAction, CaseStatus> = {
  start_assessing: 'assessing',
  start_safety_planning: 'safety_planning',
  start_monitoring: 'monitoring',
  close: 'closed',
  reopen: 'open',
};

const suicideTypes = new Set(['suicide_risk', 'self_harm']);

/**
 * May this action happen now, and if not, every reason why (so the page can say all of them at
 * once). A case is never closed while a mandatory report is outstanding, nor with a high risk
 * level and no safety plan, nor (suicide and self-harm) before the guardian was told or a reason
 * not to tell them was confirmed.
 */
export function checkTransition(facts: CaseFacts, action: CaseAction): Decision {
  const reasons: string[] = [];
  if (!from[action].includes(facts.status)) {
    return { ok: false, reasons: [`A case that is ${facts.status.replace('_', ' ')} cannot ${action.replaceAll('_', ' ').replace('start ', 'move to ')}.`] };
  }
  const needsAssessment = action === 'start_safety_planning' || action === 'start_monitoring';
  if (needsAssessment && !facts.hasAssessment) reasons.push('Record a risk assessment first.');
  const highWithoutPlan = facts.riskLevel === 'high' && !facts.hasSafetyPlan;
  if ((action === 'start_monitoring' || action === 'close') && highWithoutPlan) reasons.push('The risk is high: make a safety plan with the student first.');
  if (action === 'close') {
    if (facts.outstandingMandatoryReport) reasons.push('A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.');
    if (suicideTypes.has(facts.type) && !facts.guardianNotified)
      reasons.push('Record the guardian notification, or a confirmed reason not to notify, before closing.');
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, next: to[action] };
}

/** Records are added to open cases only; a closed case is reopened first (with a reason). */
export function canAddRecord(facts: Pick<CaseFacts, 'status'>, _kind: (typeof recordKinds)[number] | 'task'): boolean {
  return facts.status !== 'closed';
}

/** The transitions the page may offer now, each with whether it is allowed and why not. */
export function availableActions(facts: CaseFacts): { action: CaseAction; allowed: boolean; reasons: string[] }[] {
  return (Object.keys(from) as CaseAction[])
    .filter((action) => from[action].includes(facts.status))
    .map((action) => {
      const decision = checkTransition(facts, action);
      return { action, allowed: decision.ok, reasons: decision.ok ? [] : decision.reasons };
    });
}
