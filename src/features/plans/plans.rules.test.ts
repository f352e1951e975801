import { describe, expect, it } from 'vitest';
import { applyDecision, queueEntry, schoolDaysBetween } from './plans.rules.ts';

describe('review decisions', () => {
  it.each([
    [2, 'continue', { tier: 2, status: 'active' }],
    [2, 'intensify', { tier: 3, status: 'active' }],
    [3, 'intensify', { tier: 3, status: 'active' }],
    [2, 'step_down', { tier: 1, status: 'active' }],
    [1, 'step_down', { tier: 1, status: 'active' }],
    [2, 'close', { tier: 2, status: 'closed' }],
  ] as const)('tier %i, %s → %j', (tier, decision, result) => {
    expect(applyDecision(tier, decision)).toEqual(result);
  });
});

describe('the "needs support now" queue', () => {
  const screen = { reason: 'high_risk_screen' as const, since: '2026-11-02' };
  const none = { hasActivePlan: false, hasOpenReferral: false, lastContactOn: null };
  it('holds a student with a reason and nothing in place, waiting since the oldest reason', () => {
    expect(queueEntry({ ...none, reasons: [screen, { reason: 'crisis_case', since: '2026-11-10' }] }, '2026-11-20', 10)).toEqual({
      reasons: [screen, { reason: 'crisis_case', since: '2026-11-10' }],
      waitingSince: '2026-11-02',
      waitedDays: 18,
    });
  });
  it.each([
    ['no reason', { ...none, reasons: [] }],
    ['an active plan', { ...none, reasons: [screen], hasActivePlan: true }],
    ['an open referral', { ...none, reasons: [screen], hasOpenReferral: true }],
    ['a contact 9 school days ago', { ...none, reasons: [screen], lastContactOn: '2026-11-09' }],
  ])('leaves out a student with %s', (_name, facts) => {
    expect(queueEntry(facts, '2026-11-20', 10)).toBeNull();
  });
  it('brings a student back 10 school days after the last contact', () => {
    expect(queueEntry({ ...none, reasons: [screen], lastContactOn: '2026-11-06' }, '2026-11-20', 10)).toMatchObject({
      waitingSince: '2026-11-06',
      waitedDays: 14,
    });
  });
  it('never waits a negative time: a tier 3 plan starting next week has waited 0 days, not "-5 days"', () => {
    const later = { reason: 'tier_3' as const, since: '2026-11-25' };
    expect(queueEntry({ ...none, reasons: [later] }, '2026-11-20', 10)).toMatchObject({ waitingSince: '2026-11-25', waitedDays: 0 });
  });
  it('counts school days only', () => {
    expect(schoolDaysBetween('2026-11-06', '2026-11-09')).toBe(1);
    expect(schoolDaysBetween('2026-11-02', '2026-11-16')).toBe(10);
  });
});
