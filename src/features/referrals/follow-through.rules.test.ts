import { describe, expect, it } from 'vitest';
import { type FollowThroughFacts, familyCheckInDue, followThrough, settledBy } from './follow-through.rules.ts';

// 2026-11-30 is a Monday.
const sent: FollowThroughFacts = { status: 'requested', requestedOn: '2026-11-30', acceptedOn: null, appointmentOn: null, partnerReminded: false };

describe('following a referral through', () => {
  it.each([
    ['a partner with a day left to answer', sent, '2026-12-01', { remindPartner: false, followUps: [] }],
    ['no answer in 2 school days: the partner is reminded', sent, '2026-12-02', { remindPartner: true, followUps: [] }],
    ['a weekend does not count', { ...sent, requestedOn: '2026-12-04' }, '2026-12-07', { remindPartner: false, followUps: [] }],
    [
      'still no answer a school day after the reminder: the counselor is alerted',
      { ...sent, partnerReminded: true },
      '2026-12-03',
      { remindPartner: false, followUps: [{ kind: 'partner_no_answer', dueOn: '2026-12-03' }] },
    ],
    [
      'accepted 10 days ago and no appointment',
      { ...sent, status: 'accepted', acceptedOn: '2026-12-01' },
      '2026-12-11',
      { remindPartner: false, followUps: [{ kind: 'no_appointment', dueOn: '2026-12-11' }] },
    ],
    ['accepted 9 days ago', { ...sent, status: 'accepted', acceptedOn: '2026-12-01' }, '2026-12-10', { remindPartner: false, followUps: [] }],
    ['the appointment is today', { ...sent, status: 'scheduled', appointmentOn: '2026-12-04' }, '2026-12-04', { remindPartner: false, followUps: [] }],
    [
      'the appointment day passed without "attended": check in the next school day',
      { ...sent, status: 'scheduled', appointmentOn: '2026-12-04' },
      '2026-12-05',
      { remindPartner: false, followUps: [{ kind: 'missed_appointment', dueOn: '2026-12-07' }] },
    ],
    ['the student was seen', { ...sent, status: 'in-progress', appointmentOn: '2026-12-04' }, '2026-12-09', { remindPartner: false, followUps: [] }],
  ] as const)('%s', (_name, facts, today, expected) => {
    expect(followThrough(facts as FollowThroughFacts, today)).toEqual(expected);
  });

  it('the same day gives the same due dates, so a second sweep adds nothing', () => {
    const facts = { ...sent, partnerReminded: true };
    expect(followThrough(facts, '2026-12-08')).toEqual(followThrough(facts, '2026-12-09'));
  });

  it('the family check-in falls 2 school days after the first visit; moves settle what they answer', () => {
    expect(familyCheckInDue('2026-12-04')).toBe('2026-12-08');
    expect(settledBy('accepted')).toEqual(['partner_no_answer']);
    expect(settledBy('in-progress')).toContain('missed_appointment');
    expect(settledBy('on-hold')).toEqual([]);
  });
});
