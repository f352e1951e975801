import { describe, expect, it } from 'vitest';
import type { CaseFacts } from './case.rules.ts';
import { cancelledTaskIds, caseOverview, guardianSummary, mandatorySummary, nextCheckIn, type RecordRow, type TaskRow } from './case-summary.rules.ts';

const now = new Date('2026-11-30T18:00:00Z'); // Monday 11:00 in Denver
const zone = 'America/Denver';
const facts: CaseFacts = {
  status: 'assessing',
  type: 'suicide_risk',
  hasAssessment: false,
  suicideRiskLevel: null,
  safetyPlanGaps: null,
  threat: null,
  outstandingMandatoryReport: false,
  guardianNotified: false,
};
const by = 'Elena Rivera (counselor)';
const record = (kind: RecordRow['kind'], content: Record<string, unknown>, version = 1, at = '2026-11-30T16:05:00Z'): RecordRow => ({
  kind,
  version,
  createdAt: new Date(at),
  createdBy: by,
  content,
});
const task = (kind: TaskRow['kind'], dueAt: string, extra: Partial<TaskRow> = {}): TaskRow => ({
  id: `${kind}-${dueAt}`,
  kind,
  title: kind,
  dueAt: new Date(dueAt),
  hardDeadlineAt: null,
  doneAt: null,
  ...extra,
});
const safet = (level: string, suggestedLevel: string, extra: Record<string, unknown> = {}) =>
  record('suicide_assessment', {
    level,
    suggestedLevel,
    differs: level !== suggestedLevel,
    riskFactors: ['prior_attempt', 'access_to_lethal_means'],
    protectiveFactors: ['connected_to_family'],
    ...extra,
  });

describe('the risk at a glance', () => {
  it('is the latest SAFE-T: the clinician’s level, who recorded it and when, and the factors', () => {
    const older = safet('low', 'low');
    const latest = { ...safet('high', 'high'), version: 2, createdAt: new Date('2026-11-30T17:00:00Z') };
    const o = caseOverview({ facts: { ...facts, hasAssessment: true, suicideRiskLevel: 'high' }, records: [latest, older], tasks: [], now, timeZone: zone });
    expect(o.risk).toEqual({
      version: 2,
      by,
      at: '2026-11-30T17:00:00.000Z',
      level: 'high',
      suggestedLevel: 'high',
      differs: false,
      rationale: null,
      riskFactors: ['prior_attempt', 'access_to_lethal_means'],
      protectiveFactors: ['connected_to_family'],
    });
  });

  it('keeps Haven’s suggestion and the rationale beside the level when the clinician chose differently', () => {
    const o = caseOverview({
      facts: { ...facts, hasAssessment: true, suicideRiskLevel: 'moderate' },
      records: [safet('moderate', 'high', { rationale: 'Intent withdrawn after the parent arrived' })],
      tasks: [],
      now,
      timeZone: zone,
    });
    expect(o.risk).toMatchObject({ level: 'moderate', suggestedLevel: 'high', differs: true, rationale: 'Intent withdrawn after the parent arrived' });
  });

  it('has no risk before a SAFE-T, and a threat assessment’s level is its own', () => {
    const threat = record('threat_assessment', { classification: 'substantive', severity: 'serious', level: 'high', actions: {} });
    const o = caseOverview({
      facts: { ...facts, type: 'threat_to_others', hasAssessment: true, threat: { classification: 'substantive', severity: 'serious', recorded: [] } },
      records: [threat],
      tasks: [],
      now,
      timeZone: zone,
    });
    expect(o.risk).toBeNull();
    expect(o.threat).toMatchObject({
      classification: 'substantive',
      severity: 'serious',
      level: 'high',
      missingActions: ['protectiveActions', 'victimsNotified', 'guardiansNotified'],
    });
  });
});

describe('the safety plan at a glance', () => {
  it.each<[string, Partial<CaseFacts>, RecordRow[], string, string[]]>([
    ['none', {}, [], 'none', []],
    [
      'complete, made with the student',
      { safetyPlanGaps: [] },
      [record('safety_plan', { madeWithStudent: true, language: 'es', warningSigns: ['x'] })],
      'complete',
      [],
    ],
    [
      'incomplete, naming the empty sections',
      { safetyPlanGaps: ['peopleToAsk', 'environmentSafety'] },
      [record('safety_plan', { madeWithStudent: true })],
      'incomplete',
      ['peopleToAsk', 'environmentSafety'],
    ],
  ])('%s', (_, f, records, status, gaps) => {
    const plan = caseOverview({ facts: { ...facts, ...f }, records, tasks: [], now, timeZone: zone }).safetyPlan;
    expect(plan.status).toBe(status);
    if (plan.status !== 'none') expect(plan).toMatchObject({ gaps, madeWithStudent: true, version: 1, by });
  });
});

describe('the guardian notice at a glance', () => {
  const duty = task('guardian_notice', '2026-11-30T16:05:00Z', { hardDeadlineAt: new Date('2026-12-01T00:00:00Z') });
  const told = record('guardian_notice', { notified: true, guardianName: 'Rosa Torres', method: 'phone', at: '2026-11-30T16:30:00Z' });
  const reason = record('guardian_notice', { notified: false, reason: 'The stepfather is the source of harm' });
  const confirmed = record(
    'guardian_notice',
    { notified: false, reason: 'x', confirmedBy: 'u1', confirmedByName: 'Marcus Bell', confirmedAt: '2026-11-30T17:10:00Z' },
    2,
  );
  it.each<[string, RecordRow | undefined, TaskRow | undefined, Partial<CaseFacts>, Date, Record<string, unknown>]>([
    [
      'told: who, how, when, recorded by whom',
      told,
      undefined,
      {},
      now,
      { status: 'notified', guardianName: 'Rosa Torres', method: 'phone', toldAt: '2026-11-30T16:30:00Z', by },
    ],
    [
      'waived with the administrator’s confirmation',
      confirmed,
      undefined,
      {},
      now,
      { status: 'waived', confirmedBy: 'Marcus Bell', confirmedAt: '2026-11-30T17:10:00Z', version: 2 },
    ],
    [
      'a reason waiting for an administrator, with the clock still running',
      reason,
      duty,
      {},
      now,
      { status: 'awaiting_confirmation', deadline: '2026-12-01T00:00:00.000Z' },
    ],
    ['due by the end of the school day', undefined, duty, {}, now, { status: 'due', deadline: '2026-12-01T00:00:00.000Z' }],
    ['overdue after it', undefined, duty, {}, new Date('2026-12-01T00:00:01Z'), { status: 'overdue' }],
    ['required before closing a suicide case (no clock)', undefined, undefined, {}, now, { status: 'required' }],
    ['not required for a low-risk threat case', undefined, undefined, { type: 'threat_to_others', suicideRiskLevel: 'low' }, now, { status: 'not_required' }],
  ])('%s', (_, notice, openDuty, f, at, expected) => {
    expect(guardianSummary(notice, openDuty, { ...facts, ...f }, at)).toMatchObject(expected);
  });
});

describe('the mandatory report at a glance (the 24-hour clock)', () => {
  const duty = task('mandatory_report', '2026-11-30T16:00:00Z', { hardDeadlineAt: new Date('2026-12-01T15:00:00Z') });
  const made = record('mandatory_report', { agency: 'state_hotline', summary: 'x' });
  it.each<[string, RecordRow | undefined, TaskRow | undefined, Date, Record<string, unknown>]>([
    ['due now, by the 24-hour deadline', undefined, duty, now, { status: 'due', deadline: '2026-12-01T15:00:00.000Z' }],
    ['overdue once the 24 hours pass', undefined, duty, new Date('2026-12-01T15:00:01Z'), { status: 'overdue' }],
    ['recorded: by whom, when, to which agency', made, undefined, now, { status: 'recorded', by, agency: 'state_hotline' }],
    ['recorded, content restricted: no agency', { ...made, content: {} }, undefined, now, { status: 'recorded', agency: null }],
    ['a new duty after a report wins: new information', made, duty, now, { status: 'due' }],
    ['not required', undefined, undefined, now, { status: 'not_required' }],
  ])('%s', (_, report, openDuty, at, expected) => {
    expect(mandatorySummary(report, openDuty, at)).toMatchObject(expected);
  });
});

describe('the next check-in at a glance', () => {
  const plan = record('reentry_plan', { returnDate: '2026-12-07' });
  const checkIns = [
    task('check_in', '2026-12-14T16:00:00Z'),
    task('check_in', '2026-12-07T16:00:00Z', { doneAt: new Date('2026-12-07T17:00:00Z') }),
    task('check_in', '2026-12-21T16:00:00Z'),
    task('general', '2026-12-01T16:00:00Z'),
  ];
  it('is the earliest open one, on the district’s calendar, with its day after the return', () => {
    expect(nextCheckIn(checkIns, plan, now, zone)).toEqual({ dueAt: '2026-12-14T16:00:00.000Z', date: '2026-12-14', day: 7, overdue: false, remaining: 2 });
  });
  it('is overdue once its time passes, has no day without a return date, and is null with none open', () => {
    expect(nextCheckIn(checkIns, undefined, new Date('2026-12-15T00:00:00Z'), zone)).toMatchObject({ overdue: true, day: null });
    expect(nextCheckIn([checkIns[1] as TaskRow], plan, now, zone)).toBeNull();
  });
  it('reads the district’s day: 8 p.m. in Denver on the 13th is the 13th, not UTC’s 14th', () => {
    expect(nextCheckIn([task('check_in', '2026-12-14T03:00:00Z')], plan, now, zone)).toMatchObject({ date: '2026-12-13', day: 6 });
  });
});

describe('closing at a glance', () => {
  const closure = record('closure', { outcome: 'referred_community_care', summary: 'Weekly sessions at Front Range', cancelledTaskIds: ['a', 'b'] });
  it('shows the outcome, the summary and how many tasks it cancelled, only while the case is closed', () => {
    const closed = caseOverview({ facts: { ...facts, status: 'closed' }, records: [closure], tasks: [], now, timeZone: zone });
    expect(closed.closure).toMatchObject({ outcome: 'referred_community_care', summary: 'Weekly sessions at Front Range', cancelledTasks: 2, by });
    expect(closed.nextSteps).toEqual([]);
    expect(caseOverview({ facts, records: [closure], tasks: [], now, timeZone: zone }).closure).toBeNull();
  });
  it('marks the tasks every closing cancelled', () => {
    expect([...cancelledTaskIds([closure, { ...closure, version: 2, content: { cancelledTaskIds: ['c'] } }, record('handoff', {})])]).toEqual(['a', 'b', 'c']);
  });
});

describe('the next steps are read from the same records', () => {
  it('a high SAFE-T with a duty to tell the guardian and a student taken to the hospital', () => {
    const o = caseOverview({
      facts: { ...facts, hasAssessment: true, suicideRiskLevel: 'high' },
      records: [safet('high', 'high'), record('handoff', { target: 'emergency_department', outcome: 'connected' })],
      tasks: [task('guardian_notice', '2026-11-30T16:05:00Z', { hardDeadlineAt: new Date('2026-12-01T00:00:00Z') })],
      now,
      timeZone: zone,
    });
    expect(o.nextSteps.map((s) => s.code)).toEqual(['safety_plan', 'notify_guardian', 'reentry_plan']);
  });
});
