import {
  type caseActions,
  caseStatuses,
  type caseTypes,
  type recordKinds,
  requiredPlanSections,
  type riskLevels,
  type threatActions,
  type threatClassifications,
  type threatSeverities,
} from '../../data/cases.values.ts';

export type CaseStatus = (typeof caseStatuses)[number];
export type CaseAction = (typeof caseActions)[number];
export type RiskLevel = (typeof riskLevels)[number];
export type PlanSection = (typeof requiredPlanSections)[number];
export type ThreatAction = (typeof threatActions)[number];

/** What the latest threat assessment says, and which of the required actions it records. */
export type ThreatFacts = {
  classification: (typeof threatClassifications)[number];
  /** Null for a transient threat (and for substantive threats recorded before severity existed). */
  severity: (typeof threatSeverities)[number] | null;
  /** Actions recorded with content. */
  recorded: readonly ThreatAction[];
};

/** What the rules need to know about a case, read from its records and tasks. */
export type CaseFacts = {
  status: CaseStatus;
  type: (typeof caseTypes)[number];
  /** A suicide or threat assessment has been recorded. */
  hasAssessment: boolean;
  /**
   * The clinician's level in the latest suicide (SAFE-T) assessment. A threat assessment never
   * sets it: its level is about danger to others, which a Stanley-Brown plan does not address.
   */
  suicideRiskLevel: RiskLevel | null;
  /** Required sections still empty in the latest safety plan; null when there is no plan at all. */
  safetyPlanGaps: readonly PlanSection[] | null;
  /** The latest threat assessment, or null. */
  threat: ThreatFacts | null;
  outstandingMandatoryReport: boolean;
  /** The guardian was told, or an administrator confirmed a documented reason not to tell them. */
  guardianNotified: boolean;
};

/** Why a step is refused: a code the web app translates, the items it names, and English text for the API. */
export type Gate =
  | { code: 'status' | 'assessment_first' | 'high_risk_no_plan' | 'mandatory_report' | 'guardian_notice' }
  | { code: 'high_risk_plan_incomplete'; items: readonly PlanSection[] }
  | { code: 'threat_actions'; items: readonly ThreatAction[]; severity: NonNullable<ThreatFacts['severity']> };

export type Decision = { ok: true; next: CaseStatus } | { ok: false; reasons: string[]; gates: Gate[] };

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

/** The required sections as the timeline and the API's messages name them. */
export const planSectionNames: Record<PlanSection, string> = {
  warningSigns: 'warning signs',
  copingStrategies: 'coping strategies',
  peopleToAsk: 'people to ask for help',
  environmentSafety: 'making the environment safe',
};

const actionNames: Record<ThreatAction, string> = {
  protectiveActions: 'the protective actions taken',
  victimsNotified: 'that the intended victims were notified',
  guardiansNotified: "that the student's guardians were notified",
  lawEnforcement: 'that law enforcement was consulted',
  safetyPlan: 'a safety plan for the threat',
};

/**
 * The required Stanley-Brown sections the plan leaves empty. Step 5 always carries the crisis lines
 * and step 3 may honestly be short, but a plan without warning signs, coping strategies, people to
 * ask and a safer environment (lethal means) is a form, not a plan.
 */
export function safetyPlanGaps(plan: { readonly [section: string]: unknown }): PlanSection[] {
  return requiredPlanSections.filter((s) => {
    const value = plan[s];
    return !Array.isArray(value) || !value.some((item) => typeof item === 'string' && item.trim() !== '');
  });
}

/**
 * What a threat requires before the case closes (Comprehensive School Threat Assessment Guidelines,
 * Cornell 2018). Transient: nothing beyond the response recorded. Serious substantive: protective
 * action, notice to intended victims, notice to the student's guardians. Very serious: also law
 * enforcement and a safety plan. A substantive threat without a severity counts as serious.
 */
export function requiredThreatActions(threat: Pick<ThreatFacts, 'classification' | 'severity'>): ThreatAction[] {
  if (threat.classification === 'transient') return [];
  const serious: ThreatAction[] = ['protectiveActions', 'victimsNotified', 'guardiansNotified'];
  return threat.severity === 'very_serious' ? [...serious, 'lawEnforcement', 'safetyPlan'] : serious;
}

/** The required actions not yet recorded; the case's guardian notice also counts as telling the guardians. */
export function missingThreatActions(threat: ThreatFacts, guardianNotified: boolean): ThreatAction[] {
  return requiredThreatActions(threat).filter((a) => !threat.recorded.includes(a) && !(a === 'guardiansNotified' && guardianNotified));
}

/**
 * Whether the case may not close before the guardian is told (or a reason not to is confirmed):
 * every suicide or self-harm case, and any case whose latest SAFE-T is high. The case summary and
 * the next step read the same rule, so the page never says "not needed" where closing would refuse.
 */
export function guardianNoticeRequired(facts: Pick<CaseFacts, 'type' | 'suicideRiskLevel'>): boolean {
  return suicideTypes.has(facts.type) || facts.suicideRiskLevel === 'high';
}

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

function gateText(gate: Gate, facts: CaseFacts, action: CaseAction): string {
  switch (gate.code) {
    case 'status':
      return `A case that is ${facts.status.replace('_', ' ')} cannot ${action.replaceAll('_', ' ').replace('start ', 'move to ')}.`;
    case 'assessment_first':
      return 'Record a risk assessment first.';
    case 'high_risk_no_plan':
      return 'The risk is high: make a safety plan with the student first.';
    case 'high_risk_plan_incomplete':
      return `The risk is high and the safety plan is not complete: with the student, fill in ${list(gate.items.map((s) => planSectionNames[s]))}.`;
    case 'mandatory_report':
      return 'A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.';
    case 'guardian_notice':
      return 'Record the guardian notification, or a confirmed reason not to notify, before closing.';
    case 'threat_actions':
      return `The threat is substantive (${gate.severity.replace('_', ' ')}): record ${list(gate.items.map((a) => actionNames[a]))} before closing.`;
  }
}

/**
 * May this action happen now, and if not, every reason why (so the page can say all of them at
 * once). A case is never closed while a mandatory report is outstanding, nor with a high suicide
 * risk and no complete safety plan, nor with a substantive threat whose required actions are not
 * recorded, nor (suicide, self-harm or a high suicide risk) before the guardian was told or a
 * reason not to tell them was confirmed.
 */
export function checkTransition(facts: CaseFacts, action: CaseAction): Decision {
  const gates: Gate[] = [];
  if (!from[action].includes(facts.status)) {
    const gate: Gate = { code: 'status' };
    return { ok: false, reasons: [gateText(gate, facts, action)], gates: [gate] };
  }
  const needsAssessment = action === 'start_safety_planning' || action === 'start_monitoring';
  if (needsAssessment && !facts.hasAssessment) gates.push({ code: 'assessment_first' });
  if ((action === 'start_monitoring' || action === 'close') && facts.suicideRiskLevel === 'high') {
    if (facts.safetyPlanGaps === null) gates.push({ code: 'high_risk_no_plan' });
    else if (facts.safetyPlanGaps.length > 0) gates.push({ code: 'high_risk_plan_incomplete', items: facts.safetyPlanGaps });
  }
  if (action === 'close') {
    if (facts.outstandingMandatoryReport) gates.push({ code: 'mandatory_report' });
    if (guardianNoticeRequired(facts) && !facts.guardianNotified) gates.push({ code: 'guardian_notice' });
    const missing = facts.threat ? missingThreatActions(facts.threat, facts.guardianNotified) : [];
    if (facts.threat && missing.length > 0) gates.push({ code: 'threat_actions', items: missing, severity: facts.threat.severity ?? 'serious' });
  }
  return gates.length > 0 ? { ok: false, reasons: gates.map((g) => gateText(g, facts, action)), gates } : { ok: true, next: to[action] };
}

/** Records are added to open cases only; a closed case is reopened first (with a reason). */
export function canAddRecord(facts: Pick<CaseFacts, 'status'>, _kind: (typeof recordKinds)[number] | 'task'): boolean {
  return facts.status !== 'closed';
}

/** The transitions the page may offer now, each with whether it is allowed and why not. */
export function availableActions(facts: CaseFacts): { action: CaseAction; allowed: boolean; reasons: string[]; gates: Gate[] }[] {
  return (Object.keys(from) as CaseAction[])
    .filter((action) => from[action].includes(facts.status))
    .map((action) => {
      const decision = checkTransition(facts, action);
      return decision.ok ? { action, allowed: true, reasons: [], gates: [] } : { action, allowed: false, reasons: decision.reasons, gates: decision.gates };
    });
}

/**
 * A move back to an earlier status (from monitoring back to assessing, say). A case may worsen, so
 * the move is offered, but the page never makes it the prominent one. Statuses run in the order of
 * `caseStatuses`; reopening a closed case starts it over and is not counted as a step back.
 */
export function goesBack(status: string, action: CaseAction): boolean {
  return action !== 'reopen' && caseStatuses.indexOf(to[action]) < caseStatuses.indexOf(status as CaseStatus);
}
