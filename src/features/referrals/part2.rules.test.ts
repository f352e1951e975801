import { describe, expect, it } from 'vitest';
import { type FlowEvent, part2ScopeOf, redisclosureNotice, schoolSees } from './part2.rules.ts';

const events: FlowEvent[] = [
  { at: '1', side: 'school', from: null, to: 'draft', reason: null },
  { at: '2', side: 'school', from: 'draft', to: 'requested', reason: null },
  { at: '3', side: 'partner', from: 'requested', to: 'accepted', reason: null },
  { at: '4', side: 'partner', from: 'accepted', to: 'scheduled', reason: null },
  { at: '5', side: 'partner', from: 'scheduled', to: 'on-hold', reason: 'Missed two sessions; relapse discussed' },
];
const referral = { status: 'on-hold', statusReason: 'Missed two sessions; relapse discussed', appointment: { at: 'x' }, firstSeenAt: '2026-12-02', events };

describe('what flows back to the school from a substance-use program (42 CFR Part 2)', () => {
  it.each([
    ['not a Part 2 program', undefined, 'on-hold', 'Missed two sessions; relapse discussed', true, 5],
    ['attendance and progress', 'attendance_and_progress', 'on-hold', 'Missed two sessions; relapse discussed', true, 5],
    ['attendance only: the statuses, not the notes', 'attendance', 'on-hold', null, true, 5],
    ['nothing: only what the school did itself', 'none', 'requested', null, false, 2],
  ] as const)('%s', (_name, scope, status, reason, appointment, eventCount) => {
    const seen = schoolSees(scope, referral);
    expect(seen.status).toBe(status);
    expect(seen.statusReason).toBe(reason);
    expect(seen.appointment !== null).toBe(appointment);
    expect(seen.events).toHaveLength(eventCount);
    expect(JSON.stringify(seen).includes('relapse')).toBe(reason !== null);
  });

  it("keeps the school's own cancellation visible when nothing else may flow back", () => {
    const cancelled = [...events, { at: '6', side: 'school', from: 'on-hold', to: 'cancelled', reason: 'Family moved' }];
    expect(schoolSees('none', { ...referral, status: 'cancelled', events: cancelled })).toMatchObject({ status: 'cancelled', statusReason: 'Family moved' });
  });

  it.each([
    ['counseling', undefined, undefined],
    ['substance_use', 'attendance', 'attendance'],
    ['substance_use', undefined, 'none'],
  ] as const)('%s with %s recorded is governed by %s', (serviceType, recorded, scope) => {
    expect(part2ScopeOf(serviceType, recorded)).toBe(scope);
  });

  it('carries the 42 CFR 2.32 notice in full', () => {
    expect(redisclosureNotice).toMatch(/^This record which has been disclosed to you is protected by Federal confidentiality rules \(42 CFR part 2\)\./);
    expect(redisclosureNotice).toContain('A general authorization for the release of medical or other information is NOT sufficient');
    expect(redisclosureNotice).toContain('(see 42 CFR 2.31)');
  });
});
