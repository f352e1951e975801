import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseActions } from '../../data/cases.values.ts';
import { abuseReportCloseRefusal } from '../crisis-reports/reports.rules.ts';
import { guardianNoticeDeadline, mandatoryReportClock, taskState } from './case.deadlines.ts';
import {
  type CaseAction,
  type CaseFacts,
  checkTransition,
  goesBack,
  missingThreatActions,
  type RiskLevel,
  requiredThreatActions,
  safetyPlanGaps,
  type ThreatFacts,
} from './case.rules.ts';
import { safetReasonText, suggestRiskLevel } from './safet.rules.ts';

const base: CaseFacts = {
  status: 'open',
  type: 'suicide_risk',
  hasAssessment: false,
  suicideRiskLevel: null,
  safetyPlanGaps: null,
  threat: null,
  outstandingMandatoryReport: false,
  guardianNotified: false,
};
const serious: ThreatFacts = { classification: 'substantive', severity: 'serious', recorded: ['protectiveActions', 'victimsNotified', 'guardiansNotified'] };
const threatCase = { status: 'monitoring', type: 'threat_to_others', hasAssessment: true } as const;

describe('the case state machine', () => {
  it.each([
    ['open → assessing', {}, 'start_assessing', 'assessing'],
    [
      'assessing → safety planning after an assessment',
      { status: 'assessing', hasAssessment: true, suicideRiskLevel: 'high' },
      'start_safety_planning',
      'safety_planning',
    ],
    [
      'safety planning → monitoring with a complete plan',
      { status: 'safety_planning', hasAssessment: true, suicideRiskLevel: 'high', safetyPlanGaps: [] },
      'start_monitoring',
      'monitoring',
    ],
    [
      'assessing → monitoring at moderate risk without a plan',
      { status: 'assessing', hasAssessment: true, suicideRiskLevel: 'moderate' },
      'start_monitoring',
      'monitoring',
    ],
    [
      'monitoring → closed when everything is done',
      { status: 'monitoring', hasAssessment: true, suicideRiskLevel: 'high', safetyPlanGaps: [], guardianNotified: true },
      'close',
      'closed',
    ],
    [
      'a transient threat closes with no safety plan and no guardian notice',
      { ...threatCase, threat: { ...serious, classification: 'transient', severity: null, recorded: [] } },
      'close',
      'closed',
    ],
    [
      'a serious substantive threat closes once its three actions are recorded, with no Stanley-Brown plan',
      { ...threatCase, threat: serious },
      'close',
      'closed',
    ],
    [
      "the case's guardian notice counts as telling the student's guardians about the threat",
      { ...threatCase, guardianNotified: true, threat: { ...serious, recorded: ['protectiveActions', 'victimsNotified'] } },
      'close',
      'closed',
    ],
    ['closed → open again', { status: 'closed' }, 'reopen', 'open'],
  ] as const)('%s', (_name, change, action, next) => {
    expect(checkTransition({ ...base, ...change }, action)).toEqual({ ok: true, next });
  });

  it.each([
    ['no safety planning before an assessment', { status: 'assessing' }, 'start_safety_planning', ['Record a risk assessment first.'], ['assessment_first']],
    [
      'no monitoring of a high risk without a plan',
      { status: 'assessing', hasAssessment: true, suicideRiskLevel: 'high' },
      'start_monitoring',
      ['The risk is high: make a safety plan with the student first.'],
      ['high_risk_no_plan'],
    ],
    [
      'a plan with empty sections does not count: the reason names them',
      { status: 'safety_planning', hasAssessment: true, suicideRiskLevel: 'high', safetyPlanGaps: ['warningSigns', 'environmentSafety'] },
      'start_monitoring',
      ['The risk is high and the safety plan is not complete: with the student, fill in warning signs and making the environment safe.'],
      ['high_risk_plan_incomplete'],
    ],
    [
      'no closing with a mandatory report outstanding, a high risk unplanned and no guardian notice',
      { status: 'monitoring', hasAssessment: true, suicideRiskLevel: 'high', outstandingMandatoryReport: true },
      'close',
      [
        'The risk is high: make a safety plan with the student first.',
        'A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.',
        'Record the guardian notification, or a confirmed reason not to notify, before closing.',
      ],
      ['high_risk_no_plan', 'mandatory_report', 'guardian_notice'],
    ],
    [
      'a high SAFE-T on a threat case needs a complete plan and the guardian notice too',
      { ...threatCase, suicideRiskLevel: 'high', safetyPlanGaps: [] },
      'close',
      ['Record the guardian notification, or a confirmed reason not to notify, before closing.'],
      ['guardian_notice'],
    ],
    [
      'a serious substantive threat without its actions does not close',
      { ...threatCase, threat: { ...serious, recorded: [] } },
      'close',
      [
        "The threat is substantive (serious): record the protective actions taken, that the intended victims were notified and that the student's guardians were notified before closing.",
      ],
      ['threat_actions'],
    ],
    [
      'a very serious threat also needs law enforcement and a safety plan for the threat',
      { ...threatCase, threat: { ...serious, severity: 'very_serious' } },
      'close',
      ['The threat is substantive (very serious): record that law enforcement was consulted and a safety plan for the threat before closing.'],
      ['threat_actions'],
    ],
    ['no reopening an open case', { status: 'monitoring' }, 'reopen', ['A case that is monitoring cannot reopen.'], ['status']],
  ] as const)('%s', (_name, change, action, reasons, codes) => {
    const decision = checkTransition({ ...base, ...change }, action);
    expect(decision).toMatchObject({ ok: false, reasons });
    expect(decision.ok ? [] : decision.gates.map((g) => g.code)).toEqual(codes);
  });
});

describe('a safety plan counts only with content in the four sections that make it a plan', () => {
  const full = { warningSigns: ['Stays in room'], copingStrategies: ['Music'], peopleToAsk: ['Aunt Carmen'], environmentSafety: ['Pills locked away'] };
  it.each([
    ['a complete plan', full, []],
    ['an empty plan', {}, ['warningSigns', 'copingStrategies', 'peopleToAsk', 'environmentSafety']],
    ['blank lines are empty', { ...full, copingStrategies: ['  '] }, ['copingStrategies']],
    [
      'distractions and the crisis lines alone are not a plan',
      { distractions: ['Library'], professionals: ['988'] },
      ['warningSigns', 'copingStrategies', 'peopleToAsk', 'environmentSafety'],
    ],
    ['no lethal-means step', { ...full, environmentSafety: [] }, ['environmentSafety']],
  ] as const)('%s', (_name, plan, gaps) => {
    expect(safetyPlanGaps(plan)).toEqual(gaps);
  });
});

describe('what a threat requires (CSTAG, Cornell 2018)', () => {
  it.each([
    ['transient: nothing more', { classification: 'transient', severity: null }, []],
    ['serious substantive', { classification: 'substantive', severity: 'serious' }, ['protectiveActions', 'victimsNotified', 'guardiansNotified']],
    [
      'very serious substantive',
      { classification: 'substantive', severity: 'very_serious' },
      ['protectiveActions', 'victimsNotified', 'guardiansNotified', 'lawEnforcement', 'safetyPlan'],
    ],
    [
      'substantive recorded before severity existed counts as serious',
      { classification: 'substantive', severity: null },
      ['protectiveActions', 'victimsNotified', 'guardiansNotified'],
    ],
  ] as const)('%s', (_name, threat, actions) => {
    expect(requiredThreatActions(threat)).toEqual(actions);
  });

  it('the guardian notice on the case stands in for the threat record saying the guardians were told', () => {
    const threat: ThreatFacts = { classification: 'substantive', severity: 'serious', recorded: ['protectiveActions'] };
    expect(missingThreatActions(threat, false)).toEqual(['victimsNotified', 'guardiansNotified']);
    expect(missingThreatActions(threat, true)).toEqual(['victimsNotified']);
  });
});

describe('the mandatory-report clock runs from when the information reached Haven', () => {
  const now = new Date('2026-12-01T17:00:00Z');
  const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
  it.each([
    ['a case opened 20 hours after its report has 4 hours left', [hoursAgo(20)], '2026-12-01T21:00:00.000Z'],
    ['the earliest of several reports starts it', [hoursAgo(2), hoursAgo(10)], '2026-12-02T07:00:00.000Z'],
    ['no report: it starts now', [], '2026-12-02T17:00:00.000Z'],
    ['a report opened 30 hours ago is already late', [hoursAgo(30)], '2026-12-01T11:00:00.000Z'],
    ['a time after now (a clock ahead) never moves it later', [new Date(now.getTime() + 3_600_000)], '2026-12-02T17:00:00.000Z'],
  ] as const)('%s', (_name, received, deadline) => {
    const clock = mandatoryReportClock(received, now);
    expect(clock.hardDeadlineAt.toISOString()).toBe(deadline);
    expect(clock.dueAt).toEqual(now);
  });
});

describe('a high risk: the guardian notice is due by the end of the school day (district time)', () => {
  const hours = { hoursEnd: '17:00', weekdays: [1, 2, 3, 4, 5] };
  it.each([
    ['Tuesday 10:00 → Tuesday 17:00', '2026-12-01T17:00:00Z', hours, '2026-12-02T00:00:00.000Z'],
    ['Tuesday 18:00, after school → Wednesday 17:00', '2026-12-02T01:00:00Z', hours, '2026-12-03T00:00:00.000Z'],
    ['Friday 18:00 → Monday 17:00', '2026-12-05T01:00:00Z', hours, '2026-12-08T00:00:00.000Z'],
    ['Saturday 08:00 → Monday 17:00', '2026-11-28T15:00:00Z', hours, '2026-12-01T00:00:00.000Z'],
    ['a district whose school ends at 15:30', '2026-12-01T17:00:00Z', { hoursEnd: '15:30:00', weekdays: [1, 2, 3, 4, 5] }, '2026-12-01T22:30:00.000Z'],
    ['across the spring clock change: Saturday → Monday 17:00 MDT', '2026-03-07T17:00:00Z', hours, '2026-03-09T23:00:00.000Z'],
  ] as const)('%s', (_name, at, schoolHours, deadline) => {
    expect(guardianNoticeDeadline(new Date(at), schoolHours, 'America/Denver').toISOString()).toBe(deadline);
  });
});

describe('where a task stands', () => {
  const now = new Date('2026-12-01T17:00:00Z');
  const at = (h: number) => new Date(now.getTime() + h * 3_600_000);
  it.each([
    ['a duty due now with its deadline ahead is due, not overdue', { dueAt: at(0), hardDeadlineAt: at(4), doneAt: null }, 'due'],
    ['past its hard deadline it is overdue', { dueAt: at(-6), hardDeadlineAt: at(-1), doneAt: null }, 'overdue'],
    ['an ordinary task past its due time is overdue', { dueAt: at(-1), hardDeadlineAt: null, doneAt: null }, 'overdue'],
    ['a task due tomorrow is upcoming', { dueAt: at(24), hardDeadlineAt: null, doneAt: null }, 'upcoming'],
    ['done is done, however late', { dueAt: at(-48), hardDeadlineAt: at(-24), doneAt: at(-1) }, 'done'],
  ] as const)('%s', (_name, task, state) => {
    expect(taskState(task, now)).toBe(state);
  });
});

describe('a report of suspected abuse closes only once the duty to report is met', () => {
  it.each([
    ['abuse, nothing recorded: refused', { category: 'abuse_neglect', mandatoryReportRecorded: false, noCauseFinding: false }, true],
    ['abuse, mandatory report on a linked case', { category: 'abuse_neglect', mandatoryReportRecorded: true, noCauseFinding: false }, false],
    ["abuse, an administrator's finding of no reasonable cause", { category: 'abuse_neglect', mandatoryReportRecorded: false, noCauseFinding: true }, false],
    [
      'sexual assault (sexual abuse of a child), nothing recorded: refused',
      { category: 'sexual_assault_dating_violence', mandatoryReportRecorded: false, noCauseFinding: false },
      true,
    ],
    [
      "sexual assault, an administrator's finding (peers, no caregiver involved)",
      { category: 'sexual_assault_dating_violence', mandatoryReportRecorded: false, noCauseFinding: true },
      false,
    ],
    ['another category closes as before', { category: 'bullying_harassment', mandatoryReportRecorded: false, noCauseFinding: false }, false],
  ] as const)('%s', (_name, facts, refused) => {
    const refusal = abuseReportCloseRefusal(facts);
    expect(refusal !== null).toBe(refused);
    if (refused) expect(refusal).toMatch(/record the mandatory report \(C\.R\.S\. 19-3-304\).*administrator must record a finding/);
  });
});

type Step =
  | { do: 'transition'; action: CaseAction }
  | { do: 'assess'; level: RiskLevel }
  | { do: 'safety_plan'; gaps: CaseFacts['safetyPlanGaps'] }
  | { do: 'threat'; threat: ThreatFacts }
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
      return { ...facts, hasAssessment: true, suicideRiskLevel: step.level };
    case 'safety_plan':
      return { ...facts, safetyPlanGaps: step.gaps };
    case 'threat':
      return { ...facts, hasAssessment: true, threat: step.threat };
    case 'open_mandatory_report':
      return { ...facts, outstandingMandatoryReport: true };
    case 'file_mandatory_report':
      return { ...facts, outstandingMandatoryReport: false };
    default:
      return { ...facts, guardianNotified: true };
  }
}

const threat: fc.Arbitrary<ThreatFacts> = fc.record({
  classification: fc.constantFrom('transient' as const, 'substantive' as const),
  severity: fc.constantFrom(null, 'serious' as const, 'very_serious' as const),
  recorded: fc.subarray(['protectiveActions', 'victimsNotified', 'guardiansNotified', 'lawEnforcement', 'safetyPlan'] as const),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom(...caseActions).map((action) => ({ do: 'transition' as const, action })),
  fc.constantFrom('low', 'moderate', 'high').map((level) => ({ do: 'assess' as const, level: level as RiskLevel })),
  fc.constantFrom<CaseFacts['safetyPlanGaps']>([], ['warningSigns'], ['copingStrategies', 'peopleToAsk', 'environmentSafety']).map((gaps) => ({
    do: 'safety_plan' as const,
    gaps,
  })),
  threat.map((t) => ({ do: 'threat' as const, threat: t })),
  fc.constant({ do: 'open_mandatory_report' as const }),
  fc.constant({ do: 'file_mandatory_report' as const }),
  fc.constant({ do: 'notify_guardian' as const }),
);

describe('no sequence of actions closes a case it should not', () => {
  it('never closed with an outstanding mandatory report, a high risk without a complete plan, or a substantive threat without its actions', () => {
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
              expect(facts.suicideRiskLevel === 'high' && facts.safetyPlanGaps?.length !== 0).toBe(false);
              expect(facts.threat ? missingThreatActions(facts.threat, facts.guardianNotified) : []).toEqual([]);
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
      reasons: [{ code: 'risk_factors', values: { risk: 3, protective: 1 } }],
    });
  });

  it('each reason is a code the staff app says in the reader’s language, and reads in English as the record stores it', () => {
    const reasons = suggestRiskLevel({
      inquiry: { ideation: 'active', plan: true, behaviour: 'more_than_3_months_ago', intent: false },
      riskFactors: ['substance_use', 'social_isolation', 'recent_loss_or_crisis'],
      protectiveFactors: [],
    }).reasons;
    expect(reasons.map((r) => r.code)).toEqual(['plan', 'active_ideation', 'past_behaviour', 'risk_factors']);
    expect(reasons.map(safetReasonText)).toEqual([
      'a plan, without intent or recent behaviour',
      'active suicidal ideation',
      'suicidal behaviour more than 3 months ago',
      '3 risk factors with 0 protective',
    ]);
    expect(suggestRiskLevel({ inquiry: none, riskFactors: [], protectiveFactors: [] }).reasons.map(safetReasonText)).toEqual([
      'no suicidal ideation, plan, intent or behaviour reported',
    ]);
  });
});

describe('which status changes go back a step (the page shows them as secondary)', () => {
  it('from monitoring, back to assessing or safety planning goes back; closing goes forward', () => {
    expect(goesBack('monitoring', 'start_assessing')).toBe(true);
    expect(goesBack('monitoring', 'start_safety_planning')).toBe(true);
    expect(goesBack('monitoring', 'close')).toBe(false);
  });
  it('from assessing, safety planning and monitoring go forward; reopening a closed case is not a step back', () => {
    expect(goesBack('assessing', 'start_safety_planning')).toBe(false);
    expect(goesBack('assessing', 'start_monitoring')).toBe(false);
    expect(goesBack('safety_planning', 'start_assessing')).toBe(true);
    expect(goesBack('closed', 'reopen')).toBe(false);
  });
});
