import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseAction, type CaseFacts, checkTransition, type RiskLevel } from './case.rules.ts';
import { caseActions } from './cases.values.ts';
import { suggestRiskLevel } from './safet.rules.ts';

const base: CaseFacts = {
  status: 'open',
  type: 'suicide_risk',
  hasAssessment: false,
  riskLevel: null,
  hasSafetyPlan: false,
  outstandingMandatoryReport: false,
  guardianNotified: false,
};

describe('the case state machine', () => {
  it.each([
    ['open → assessing', {}, 'start_assessing', 'assessing'],
    [
      'assessing → safety planning after an assessment',
      { status: 'assessing', hasAssessment: true, riskLevel: 'high' },
      'start_safety_planning',
      'safety_planning',
    ],
    [
      'safety planning → monitoring with a plan',
      { status: 'safety_planning', hasAssessment: true, riskLevel: 'high', hasSafetyPlan: true },
      'start_monitoring',
      'monitoring',
    ],
    [
      'assessing → monitoring at moderate risk without a plan',
      { status: 'assessing', hasAssessment: true, riskLevel: 'moderate' },
      'start_monitoring',
      'monitoring',
    ],
    [
      'monitoring → closed when everything is done',
      { status: 'monitoring', hasAssessment: true, riskLevel: 'high', hasSafetyPlan: true, guardianNotified: true },
      'close',
      'closed',
    ],
    [
      'a threat case closes without a guardian notice',
      { status: 'monitoring', type: 'threat_to_others', hasAssessment: true, riskLevel: 'low' },
      'close',
      'closed',
    ],
    ['closed → open again', { status: 'closed' }, 'reopen', 'open'],
  ] as const)('%s', (_name, change, action, next) => {
    expect(checkTransition({ ...base, ...change }, action)).toEqual({ ok: true, next });
  });

  it.each([
    ['no safety planning before an assessment', { status: 'assessing' }, 'start_safety_planning', ['Record a risk assessment first.']],
    [
      'no monitoring of a high risk without a plan',
      { status: 'assessing', hasAssessment: true, riskLevel: 'high' },
      'start_monitoring',
      ['The risk is high: make a safety plan with the student first.'],
    ],
    [
      'no closing with a mandatory report outstanding, a high risk unplanned and no guardian notice',
      { status: 'monitoring', hasAssessment: true, riskLevel: 'high', outstandingMandatoryReport: true },
      'close',
      [
        'The risk is high: make a safety plan with the student first.',
        'A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.',
        'Record the guardian notification, or a confirmed reason not to notify, before closing.',
      ],
    ],
    ['no reopening an open case', { status: 'monitoring' }, 'reopen', ['A case that is monitoring cannot reopen.']],
  ] as const)('%s', (_name, change, action, reasons) => {
    expect(checkTransition({ ...base, ...change }, action)).toEqual({ ok: false, reasons });
  });
});

type Step =
  | { do: 'transition'; action: CaseAction }
  | { do: 'assess'; level: RiskLevel }
  | { do: 'safety_plan' }
  | { do: 'open_mandatory_report' }
  | { do: 'file_mandatory_report' }
  | { do: 'notify_guardian' };

/** The same facts a real case accumulates, with records refused on a closed case as the service does. */
function apply(facts: CaseFacts, step: Step): CaseFacts {
  if (step.do === 'transition') {
    const decision = checkTransition(facts, step.action);
    return decision.ok ? { ...facts, status: decision.next } : facts;
  }
  if (facts.status === 'closed') return facts;
  switch (step.do) {
    case 'assess':
      return { ...facts, hasAssessment: true, riskLevel: step.level };
    case 'safety_plan':
      return { ...facts, hasSafetyPlan: true };
    case 'open_mandatory_report':
      return { ...facts, outstandingMandatoryReport: true };
    case 'file_mandatory_report':
      return { ...facts, outstandingMandatoryReport: false };
    default:
      return { ...facts, guardianNotified: true };
  }
}

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(...caseActions).map((action) => ({ do: 'transition' as const, action })),
  fc.constantFrom('low', 'moderate', 'high').map((level) => ({ do: 'assess' as const, level: level as RiskLevel })),
  fc.constant({ do: 'safety_plan' as const }),
  fc.constant({ do: 'open_mandatory_report' as const }),
  fc.constant({ do: 'file_mandatory_report' as const }),
  fc.constant({ do: 'notify_guardian' as const }),
);

describe('no sequence of actions closes a case it should not', () => {
  it('never closed with an outstanding mandatory report or an unplanned high risk', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('suicide_risk', 'self_harm', 'threat_to_others', 'abuse_neglect', 'other_crisis'),
        fc.array(step, { maxLength: 40 }),
        (type, steps) => {
          let facts: CaseFacts = { ...base, type: type as CaseFacts['type'] };
          for (const s of steps) {
            facts = apply(facts, s);
            if (facts.status === 'closed') {
              expect(facts.outstandingMandatoryReport).toBe(false);
              expect(facts.riskLevel === 'high' && !facts.hasSafetyPlan).toBe(false);
            }
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('SAFE-T suggestion', () => {
  const none = { ideation: 'none', plan: false, behaviour: 'none', intent: false } as const;
  it.each([
    ['intent', { ...none, ideation: 'active', intent: true }, [], 'high'],
    ['a recent attempt', { ...none, behaviour: 'within_3_months' }, [], 'high'],
    ['a plan and access to means', { ...none, ideation: 'active', plan: true }, ['access_to_lethal_means'], 'high'],
    ['a plan without intent', { ...none, ideation: 'active', plan: true }, [], 'moderate'],
    ['an old attempt', { ...none, behaviour: 'more_than_3_months_ago' }, [], 'moderate'],
    ['passive thoughts of death', { ...none, ideation: 'passive' }, [], 'low'],
  ] as const)('%s → %s', (_name, inquiry, riskFactors, level) => {
    const suggestion = suggestRiskLevel({ inquiry, riskFactors: [...riskFactors], protectiveFactors: [] });
    expect(suggestion.level).toBe(level);
    expect(suggestion.reasons.length).toBeGreaterThan(0);
  });

  it('several risk factors with few protective ones are moderate, and say so', () => {
    expect(
      suggestRiskLevel({
        inquiry: none,
        riskFactors: ['substance_use', 'social_isolation', 'recent_loss_or_crisis'],
        protectiveFactors: ['connected_to_family'],
      }),
    ).toEqual({
      level: 'moderate',
      reasons: ['3 risk factors with 1 protective'],
    });
  });
});
