import { describe, expect, it } from 'vitest';
import { defaultEscalationSettings, nextEscalationAt, percentile, stepName, withinSchoolHours } from '../crisis-teams/escalation.rules.ts';
import { coveredByAcknowledgement, formatFollowUpCode, normalizeFollowUpCode, reporterStatus, sameIncident, similarity } from './reports.rules.ts';

describe('escalation timing', () => {
  const tz = 'America/Denver';
  it('life-safety moves up after the wait, at any hour', () => {
    const from = new Date('2026-11-28T09:00:00Z'); // Saturday 02:00 in Denver
    expect(nextEscalationAt({ urgency: 'life_safety', safetyFlag: true, step: 0, from, settings: defaultEscalationSettings, timeZone: tz })).toEqual(
      new Date('2026-11-28T09:05:00Z'),
    );
  });

  it('a routine report on Friday evening counts its wait from Monday 07:00 local', () => {
    const from = new Date('2026-11-28T01:00:00Z'); // Friday 18:00 in Denver (UTC-7)
    const due = nextEscalationAt({ urgency: 'routine', safetyFlag: false, step: 0, from, settings: defaultEscalationSettings, timeZone: tz });
    expect(due).toEqual(new Date('2026-11-30T15:00:00Z')); // Monday 08:00 Denver = 07:00 + 60 min
  });

  it('an urgent report with no safety flag near closing time carries the rest over to the next school day', () => {
    const from = new Date('2026-12-01T23:50:00Z'); // Tuesday 16:50 Denver; 10 minutes left today
    const due = nextEscalationAt({ urgency: 'urgent', safetyFlag: false, step: 0, from, settings: defaultEscalationSettings, timeZone: tz });
    expect(due).toEqual(new Date('2026-12-02T14:05:00Z')); // Wednesday 07:05 Denver
  });

  it.each([
    ['urgent with a safety flag (a screening answer, a self-harm report)', 'urgent', true, '2026-12-02T00:05:00Z'],
    ['routine with a safety flag', 'routine', true, '2026-12-02T00:50:00Z'],
    ['life-safety', 'life_safety', false, '2026-12-01T23:55:00Z'],
  ] as const)('%s never waits for office hours: Tuesday 16:50 Denver moves up at the wait, after closing', (_name, urgency, safetyFlag, expected) => {
    const from = new Date('2026-12-01T23:50:00Z');
    expect(nextEscalationAt({ urgency, safetyFlag, step: 0, from, settings: defaultEscalationSettings, timeZone: tz })).toEqual(new Date(expected));
  });

  it.each([
    ['Tuesday 07:00', '2026-12-01T14:00:00Z', true],
    ['Tuesday 16:59', '2026-12-01T23:59:00Z', true],
    ['Tuesday 17:00', '2026-12-02T00:00:00Z', false],
    ['Tuesday 06:59', '2026-12-01T13:59:00Z', false],
    ['Saturday 10:00', '2026-12-05T17:00:00Z', false],
  ])('%s is %s school hours', (_name, at, expected) => {
    expect(withinSchoolHours(defaultEscalationSettings, new Date(at), tz)).toBe(expected);
  });

  it('the chain ends at the district on-call and stays there', () => {
    expect([0, 1, 2, 3, 4, 9].map(stepName)).toEqual([
      'primary',
      'secondary',
      'school_administrator',
      'district_on_call',
      'district_on_call',
      'district_on_call',
    ]);
  });

  it('percentiles interpolate', () => {
    expect(percentile([10, 20, 30, 40], 0.5)).toBe(25);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(91);
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('follow-up codes', () => {
  it('carry 60 bits in 12 unambiguous symbols and read back however they are typed', () => {
    const code = formatFollowUpCode(new Uint8Array([255, 1, 2, 3, 4, 5, 6, 7]));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeFollowUpCode(code.toLowerCase().replaceAll('-', ' '))).toBe(code);
    expect(normalizeFollowUpCode('OOOO-IIII-LLLL')).toBe('0000-1111-1111');
    expect(normalizeFollowUpCode('too-short')).toBeNull();
  });

  it('different random bytes give different codes', () => {
    const codes = new Set(Array.from({ length: 1000 }, (_, i) => formatFollowUpCode(new Uint8Array([i & 255, i >> 8, 3, 4, 5, 6, 7, 8]))));
    expect(codes.size).toBe(1000);
  });
});

describe('linking duplicates into incidents', () => {
  const base = {
    schoolId: 's1',
    aboutPerson: null,
    description: 'Someone posted a threat about shooting at Lincoln Middle on Friday',
    receivedAt: new Date('2026-11-28T10:00:00Z'),
  };
  it('similar words about the same school within 72 hours are one incident', () => {
    expect(
      sameIncident(base, { ...base, description: 'threat posted about a shooting at Lincoln Middle Friday', receivedAt: new Date('2026-11-29T10:00:00Z') }),
    ).toBe(true);
  });
  it('the same named student links reports even with different words', () => {
    expect(
      sameIncident({ ...base, aboutPerson: 'Maya  Torres' }, { ...base, schoolId: null, aboutPerson: 'maya torres', description: 'very different words here' }),
    ).toBe(true);
  });
  it('different schools, different words, or too far apart are separate', () => {
    expect(sameIncident(base, { ...base, schoolId: 's2' })).toBe(false);
    expect(sameIncident(base, { ...base, description: 'bullying in the cafeteria during lunch' })).toBe(false);
    expect(sameIncident(base, { ...base, receivedAt: new Date('2026-12-02T10:00:01Z') })).toBe(false);
  });
  it('similarity ignores accents and case', () => {
    expect(similarity('Amenaza en la ESCUELA', 'amenaza en la escuela')).toBe(1);
  });
});

describe('what the reporter sees', () => {
  it.each([
    [{ status: 'received', acknowledgedAt: null }, 'received'],
    [{ status: 'acknowledged', acknowledgedAt: new Date() }, 'in_progress'],
    [{ status: 'closed', acknowledgedAt: new Date() }, 'closed'],
  ] as const)('%o -> %s', (report, expected) => {
    expect(reporterStatus(report)).toBe(expected);
  });
});

describe('what acknowledging one report of an incident also takes', () => {
  const r = (urgency: 'life_safety' | 'urgent' | 'routine', safetyFlag = false) => ({ urgency, safetyFlag });
  it('takes a linked report as urgent or less, never a more urgent one or one that alone speaks of self-harm or a weapon', () => {
    expect(coveredByAcknowledgement(r('urgent'), r('urgent'))).toBe(true);
    expect(coveredByAcknowledgement(r('urgent'), r('routine'))).toBe(true);
    expect(coveredByAcknowledgement(r('urgent'), r('life_safety'))).toBe(false);
    expect(coveredByAcknowledgement(r('routine'), r('urgent'))).toBe(false);
    expect(coveredByAcknowledgement(r('urgent'), r('routine', true))).toBe(false);
    expect(coveredByAcknowledgement(r('life_safety', true), r('life_safety', true))).toBe(true);
  });
});
