import { describe, expect, it } from 'vitest';
import type { CaseFacts, ThreatFacts } from './case.rules.ts';
import { leftSchoolForCare, type NextStepCode, nextSteps, type StepFacts, tasksClosingCancels } from './next-step.rules.ts';

const facts: CaseFacts = {
  status: 'assessing',
  type: 'suicide_risk',
  hasAssessment: true,
  suicideRiskLevel: 'low',
  safetyPlanGaps: null,
  threat: null,
  outstandingMandatoryReport: false,
  guardianNotified: true,
};
const quiet: StepFacts = { facts, guardian: 'notified', mandatoryReport: 'not_required', reentryPending: false, openCheckIns: 0 };
const verySerious: ThreatFacts = { classification: 'substantive', severity: 'very_serious', recorded: ['protectiveActions', 'victimsNotified'] };
const codes = (s: StepFacts) => nextSteps(s).map((step) => step.code);
const with_ = (f: Partial<CaseFacts>, rest: Partial<StepFacts> = {}): StepFacts => ({ ...quiet, ...rest, facts: { ...facts, ...f } });

describe('the next step follows the case', () => {
  it.each<[string, StepFacts, NextStepCode[]]>([
    ['no assessment yet: assess', with_({ status: 'open', hasAssessment: false, suicideRiskLevel: null }), ['assess']],
    ['high risk without a plan: the safety plan', with_({ suicideRiskLevel: 'high' }), ['safety_plan']],
    ['high risk with an incomplete plan: still the safety plan', with_({ suicideRiskLevel: 'high', safetyPlanGaps: ['peopleToAsk'] }), ['safety_plan']],
    ['high risk with a complete plan, not yet monitored: monitor', with_({ suicideRiskLevel: 'high', safetyPlanGaps: [] }), ['monitor']],
    ['moderate risk, no plan needed, not yet monitored: monitor', with_({ suicideRiskLevel: 'moderate' }), ['monitor']],
    ['guardian notice due today: notify', with_({ guardianNotified: false }, { guardian: 'due' }), ['notify_guardian']],
    ['guardian notice needed before closing (no clock): notify', with_({ guardianNotified: false }, { guardian: 'required' }), ['notify_guardian']],
    ['a reason not to notify waits for an administrator', with_({ guardianNotified: false }, { guardian: 'awaiting_confirmation' }), ['confirm_waiver']],
    ['mandatory report outstanding: file it', with_({ outstandingMandatoryReport: true }, { mandatoryReport: 'due' }), ['mandatory_report']],
    ['left school for care, no re-entry plan: plan re-entry', with_({}, { reentryPending: true }), ['reentry_plan']],
    [
      'everything done, check-ins ahead: check in',
      with_({ status: 'monitoring', suicideRiskLevel: 'high', safetyPlanGaps: [] }, { openCheckIns: 9 }),
      ['check_in'],
    ],
    ['everything done and monitored, no check-ins left: close', with_({ status: 'monitoring', suicideRiskLevel: 'high', safetyPlanGaps: [] }), ['close']],
    ['low risk, everything done: close', with_({}), ['close']],
    [
      'a very serious threat with actions missing: record them, then monitor',
      with_({ type: 'threat_to_others', suicideRiskLevel: null, threat: verySerious }),
      ['threat_actions'],
    ],
    [
      'a substantive threat with every action recorded: monitor',
      with_({
        type: 'threat_to_others',
        suicideRiskLevel: null,
        threat: { ...verySerious, recorded: ['protectiveActions', 'victimsNotified', 'lawEnforcement', 'safetyPlan'] },
      }),
      ['monitor'],
    ],
    [
      'safety first: assess, then the plan, the guardian, the report, re-entry, in that order',
      with_(
        { hasAssessment: false, suicideRiskLevel: 'high', guardianNotified: false, outstandingMandatoryReport: true },
        { guardian: 'overdue', mandatoryReport: 'overdue', reentryPending: true, openCheckIns: 3 },
      ),
      ['assess', 'safety_plan', 'notify_guardian', 'mandatory_report', 'reentry_plan'],
    ],
    ['a closed case has no next step', with_({ status: 'closed', hasAssessment: false }, { mandatoryReport: 'due' }), []],
  ])('%s', (_, input, expected) => {
    expect(codes(input)).toEqual(expected);
  });

  it('opens the section where the step is done, and says what is missing and what is late', () => {
    expect(nextSteps(with_({ type: 'threat_to_others', hasAssessment: false, suicideRiskLevel: null }))[0]).toMatchObject({
      code: 'assess',
      section: 'threat',
    });
    expect(nextSteps(with_({ hasAssessment: false, suicideRiskLevel: null }))[0]).toMatchObject({ code: 'assess', section: 'assessment' });
    expect(nextSteps(with_({ suicideRiskLevel: 'high', safetyPlanGaps: ['warningSigns', 'environmentSafety'] }))[0]).toEqual({
      code: 'safety_plan',
      section: 'plan',
      overdue: false,
      items: ['warningSigns', 'environmentSafety'],
    });
    expect(nextSteps(with_({ type: 'threat_to_others', threat: verySerious }))[0]?.items).toEqual(['lawEnforcement', 'safetyPlan']);
    const late = nextSteps(with_({ guardianNotified: false, outstandingMandatoryReport: true }, { guardian: 'overdue', mandatoryReport: 'overdue' }));
    expect(late.map((s) => [s.code, s.section, s.overdue])).toEqual([
      ['notify_guardian', 'guardian', true],
      ['mandatory_report', 'mandatory', true],
    ]);
    expect(nextSteps(with_({}, { mandatoryReport: 'due' }))[0]?.overdue).toBe(false);
  });
});

describe('re-entry is pending when the student left school for care', () => {
  it.each<[string, Record<string, unknown>[], boolean]>([
    ['no hand-off', [], false],
    ['transported by mobile crisis', [{ target: 'mobile_crisis', outcome: 'transported' }], true],
    ['connected to the emergency department', [{ target: 'emergency_department', outcome: 'connected' }], true],
    ['988 connected (the student stayed)', [{ target: '988', outcome: 'connected' }], false],
    ['the emergency department declined', [{ target: 'emergency_department', outcome: 'declined' }], false],
  ])('%s', (_, handoffs, expected) => {
    expect(leftSchoolForCare(handoffs)).toBe(expected);
  });
});

describe('closing cancels the open tasks', () => {
  it('every open task but the mandatory report (closing is refused while it is outstanding); done ones stay as they are', () => {
    const tasks = [
      { id: 'a', kind: 'check_in', doneAt: null },
      { id: 'b', kind: 'check_in', doneAt: '2026-12-07T16:00:00.000Z' },
      { id: 'c', kind: 'reentry_meeting', doneAt: null },
      { id: 'd', kind: 'general', doneAt: null },
      { id: 'e', kind: 'mandatory_report', doneAt: null },
      { id: 'f', kind: 'guardian_notice', doneAt: null },
    ];
    expect(tasksClosingCancels(tasks).map((t) => t.id)).toEqual(['a', 'c', 'd', 'f']);
  });
});
