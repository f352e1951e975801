import { describe, expect, it } from 'vitest';
import { type ConsentFacts, checkMove, consentBasis } from './referral.rules.ts';

describe('the referral lifecycle (FHIR Task states)', () => {
  it.each([
    ['draft', 'requested', 'school', { consentOk: true }],
    ['requested', 'accepted', 'partner', {}],
    ['accepted', 'scheduled', 'partner', { appointmentAt: '2026-12-02T16:00:00Z' }],
    ['scheduled', 'in-progress', 'partner', {}],
    ['in-progress', 'on-hold', 'partner', { reason: 'family travelling' }],
    ['on-hold', 'in-progress', 'partner', {}],
    ['in-progress', 'completed', 'partner', {}],
    ['requested', 'cancelled', 'school', { reason: 'family moved' }],
  ] as const)('%s → %s by the %s', (from, to, by, details) => {
    expect(checkMove(from, to, by, details)).toEqual({ ok: true });
  });

  it.each([
    ['draft', 'requested', 'school', {}, 'Record consent (or the emergency exception) before the referral is sent.'],
    ['requested', 'accepted', 'school', {}, 'Only the partner can mark a referral accepted.'],
    ['requested', 'rejected', 'partner', {}, 'Give the reason it is rejected.'],
    ['accepted', 'scheduled', 'partner', {}, 'Give the appointment time.'],
    ['completed', 'in-progress', 'partner', {}, 'A completed referral cannot become in-progress.'],
    ['requested', 'completed', 'partner', {}, 'A requested referral cannot become completed.'],
  ] as const)('%s → %s by the %s is refused', (from, to, by, details, reason) => {
    expect(checkMove(from, to, by, details)).toEqual({ ok: false, reason });
  });
});

describe('the consent gate', () => {
  const base: ConsentFacts = {
    studentAge: 13,
    serviceKind: 'psychotherapy',
    guardianConsents: [],
    studentConsent: false,
    emergency: null,
    schoolOfficialAgreement: false,
    today: '2026-11-28',
    partnerId: 'p1',
  };
  it.each([
    [
      'guardian consent naming the partner',
      {
        guardianConsents: [
          { scope: ['p2'], expiresOn: null },
          { scope: ['p1'], expiresOn: '2027-06-30' },
        ],
      },
      'guardian_consent',
    ],
    ['a partner under contract as a school official', { schoolOfficialAgreement: true }, 'school_official'],
    ['the emergency exception with a reason', { emergency: { reason: 'Imminent risk; mobile crisis team needs the student now' } }, 'emergency_99_36'],
    ['a 13-year-old consenting to psychotherapy', { studentConsent: true }, 'student_consent'],
    ['a 15-year-old consenting to mental-health services', { studentConsent: true, studentAge: 15, serviceKind: 'mental_health_services' }, 'student_consent'],
  ] as const)('%s', (_name, change, basis) => {
    expect(consentBasis({ ...base, ...change } as ConsentFacts)).toEqual({ ok: true, basis });
  });

  it.each([
    ['nothing recorded', {}, /Record a guardian's written consent/],
    ['expired guardian consent', { guardianConsents: [{ scope: ['p1'], expiresOn: '2026-10-01' }] }, /has expired/],
    ['consent for another partner', { guardianConsents: [{ scope: ['p2'], expiresOn: null }] }, /does not cover this partner/],
    ['an 11-year-old alone', { studentConsent: true, studentAge: 11 }, /cannot consent alone/],
    ['a 14-year-old alone for services', { studentConsent: true, studentAge: 14, serviceKind: 'mental_health_services' }, /cannot consent alone/],
  ] as const)('refuses %s', (_name, change, reason) => {
    const result = consentBasis({ ...base, ...change } as ConsentFacts);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
