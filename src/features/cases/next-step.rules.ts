import { type CaseFacts, missingThreatActions, type PlanSection, type ThreatAction } from './case.rules.ts';

/**
 * What the crisis team should do next on a case, read from the case itself (pure: no I/O, no
 * clock). The page used to offer every status change at once and leave the order to whoever held
 * the phone; now it names one next step, and lists the other outstanding ones beneath it so that
 * nothing due is hidden.
 */

/** Where on the case page a step is done: the tool section it opens. */
export type CaseSection = 'assessment' | 'threat' | 'plan' | 'guardian' | 'mandatory' | 'reentry' | 'tasks' | 'status';

export type NextStepCode =
  | 'assess'
  | 'safety_plan'
  | 'threat_actions'
  | 'notify_guardian'
  | 'confirm_waiver'
  | 'mandatory_report'
  | 'reentry_plan'
  | 'check_in'
  | 'monitor'
  | 'close';

export type NextStep = {
  code: NextStepCode;
  section: CaseSection;
  /** A legal or same-day deadline has passed (the mandatory report's 24 hours, the guardian's school day). */
  overdue: boolean;
  /** What is missing: empty plan sections, or threat actions not yet recorded. */
  items: readonly (PlanSection | ThreatAction)[];
};

/** Where the guardian notice stands (see case-summary.rules.ts). */
export type GuardianStatus = 'notified' | 'waived' | 'awaiting_confirmation' | 'due' | 'overdue' | 'required' | 'not_required';
/** Where the mandatory report stands. */
export type MandatoryStatus = 'recorded' | 'due' | 'overdue' | 'not_required';

export type StepFacts = {
  facts: CaseFacts;
  guardian: GuardianStatus;
  mandatoryReport: MandatoryStatus;
  /** The student left school for care (see `leftSchoolForCare`) and no re-entry plan is recorded yet. */
  reentryPending: boolean;
  /** Re-entry check-ins still to do. */
  openCheckIns: number;
};

const step = (code: NextStepCode, section: CaseSection, overdue = false, items: NextStep['items'] = []): NextStep => ({ code, section, overdue, items });

/**
 * Every outstanding step, the next one first. The order is safety first: know the risk (assess),
 * then keep the student safe (a complete safety plan when the risk is high; the actions a
 * substantive threat requires), then the people who must be told (the guardian the same school
 * day, the mandatory report within 24 hours), then the return to school. Only when nothing is
 * outstanding does the case move on: check-ins while any remain, monitoring while a moderate or
 * high risk (or a substantive threat) is not yet being monitored, and otherwise closing. A closed
 * case has no next step.
 */
export function nextSteps(s: StepFacts): NextStep[] {
  const { facts } = s;
  if (facts.status === 'closed') return [];
  const steps: NextStep[] = [];
  if (!facts.hasAssessment) steps.push(step('assess', facts.type === 'threat_to_others' ? 'threat' : 'assessment'));
  if (facts.suicideRiskLevel === 'high' && (facts.safetyPlanGaps === null || facts.safetyPlanGaps.length > 0))
    steps.push(step('safety_plan', 'plan', false, facts.safetyPlanGaps ?? []));
  const missing = facts.threat ? missingThreatActions(facts.threat, facts.guardianNotified) : [];
  if (missing.length > 0) steps.push(step('threat_actions', 'threat', false, missing));
  if (s.guardian === 'due' || s.guardian === 'overdue' || s.guardian === 'required') steps.push(step('notify_guardian', 'guardian', s.guardian === 'overdue'));
  if (s.guardian === 'awaiting_confirmation') steps.push(step('confirm_waiver', 'guardian'));
  if (s.mandatoryReport === 'due' || s.mandatoryReport === 'overdue') steps.push(step('mandatory_report', 'mandatory', s.mandatoryReport === 'overdue'));
  if (s.reentryPending) steps.push(step('reentry_plan', 'reentry'));
  if (steps.length > 0) return steps;
  if (s.openCheckIns > 0) return [step('check_in', 'tasks')];
  const watch = facts.suicideRiskLevel === 'high' || facts.suicideRiskLevel === 'moderate' || facts.threat?.classification === 'substantive';
  if (watch && facts.status !== 'monitoring') return [step('monitor', 'status')];
  return [step('close', 'status')];
}

/**
 * Did the student leave school for care? A hand-off recorded as "transported", or one to the
 * emergency department that connected. Then the student will come back, and the return needs a
 * re-entry plan (meeting, supports, check-ins through day 90) before they walk in.
 */
export function leftSchoolForCare(handoffs: readonly Record<string, unknown>[]): boolean {
  return handoffs.some((h) => h.outcome === 'transported' || (h.target === 'emergency_department' && h.outcome === 'connected'));
}

/**
 * The tasks closing a case cancels: every open one (check-ins, the re-entry meeting, the team's own
 * tasks). A closed case is off everyone's lists, so an open task on it would only go on sending
 * reminders nobody acts on; if the student still needs check-ins, the case should stay open in
 * monitoring. The mandatory report is never among them: closing is refused while it is outstanding.
 */
export function tasksClosingCancels<T extends { kind: string; doneAt: unknown }>(tasks: readonly T[]): T[] {
  return tasks.filter((t) => (t.doneAt === null || t.doneAt === undefined) && t.kind !== 'mandatory_report');
}
