import { describe, expect, it } from 'vitest';
import {
  type ConsentFacts,
  checkMove,
  consentBasis,
  emergencyEligibility,
  movesFor,
  noBirthDateReason,
  partnerSeesGuardianContact,
  studentConsentEligibility,
} from './referral.rules.ts';

describe('the referral lifecycle (FHIR Task states)', () => {
  it.each([
    ['draft', 'requested', 'school', { consentOk: true }],
    ['requested', 'accepted', 'partner', {}],
    ['accepted', 'scheduled', 'partner', { appointmentAt: '2026-12-02T16:00:00Z' }],
    ['accepted', 'failed', 'partner', { reason: 'the family never called back' }],
    ['scheduled', 'in-progress', 'partner', {}],
    ['scheduled', 'in-progress', 'partner', { appointmentDay: '2026-12-02', today: '2026-12-02' }],
    ['in-progress', 'on-hold', 'partner', { reason: 'family travelling' }],
    ['on-hold', 'in-progress', 'partner', {}],
    ['in-progress', 'completed', 'partner', {}],
    ['requested', 'cancelled', 'school', { reason: 'family moved' }],
  ] as const)('%s → %s by the %s', (from, to, by, details) => {
    expect(checkMove(from, to, by, details)).toEqual({ ok: true });
  });

  it.each([
    ['draft', 'requested', 'school', {}, 'Record consent (or the emergency exception) before the referral is sent.'],
    ['requested', 'rejected', 'partner', {}, 'Give the reason for "Declined".'],
    ['accepted', 'scheduled', 'partner', {}, 'Give the appointment time.'],
    ['completed', 'in-progress', 'partner', {}, 'A referral marked "Completed" cannot become "Seen; in care".'],
    ['requested', 'completed', 'partner', {}, 'A referral marked "Waiting for the partner" cannot become "Completed".'],
    [
      'scheduled',
      'in-progress',
      'partner',
      { appointmentDay: '2026-12-02', today: '2026-12-01' },
      'The appointment has not happened yet: mark it attended on the day of the appointment or after.',
    ],
  ] as const)('%s → %s by the %s is refused, in English and Spanish', (from, to, by, details, reason) => {
    expect(checkMove(from, to, by, details)).toEqual({ ok: false, reason, es: expect.stringMatching(/\S/) });
  });

  it.each([
    ['requested', 'accepted', 'school', 'Only the partner can mark a referral "Accepted".'],
    ['scheduled', 'cancelled', 'partner', /^Only the school can cancel a referral\. If you cannot take it, decline it/],
    ['requested', 'cancelled', 'partner', /^Only the school can cancel a referral/],
  ] as const)("%s → %s by the %s is the other side's move: forbidden", (from, to, by, reason) => {
    const refused = checkMove(from, to, by, { reason: 'the family moved' });
    expect(refused).toMatchObject({ ok: false, forbidden: true, reason: expect.stringMatching(reason), es: expect.stringMatching(/^Solo /) });
  });

  it('offers each side only its own moves, and "attended" from the day of the appointment', () => {
    expect(movesFor('requested', 'partner', {})).toEqual(['accepted', 'rejected']);
    expect(movesFor('requested', 'school', {})).toEqual(['cancelled']);
    expect(movesFor('scheduled', 'partner', { appointmentDay: '2026-12-02', today: '2026-12-01' })).toEqual(['scheduled', 'on-hold', 'failed']);
    expect(movesFor('scheduled', 'partner', { appointmentDay: '2026-12-02', today: '2026-12-02' })).toEqual(['scheduled', 'in-progress', 'on-hold', 'failed']);
    expect(movesFor('completed', 'partner', {})).toEqual([]);
  });
});

describe('the consent gate', () => {
  const base: ConsentFacts = {
    studentAge: 13,
    serviceKind: 'psychotherapy',
    urgency: 'routine',
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
    [
      'the emergency exception with a reason, for an urgent referral',
      { urgency: 'urgent', emergency: { reason: 'Imminent risk; mobile crisis team needs the student now' } },
      'emergency_99_36',
    ],
    ['the emergency exception for an asap referral', { urgency: 'asap', emergency: { reason: 'Threat to others reported today' } }, 'emergency_99_36'],
    [
      "the student's own choice, even with a guardian consent on file (it would tell the guardian)",
      { studentConsent: true, guardianConsents: [{ scope: ['any_partner'], expiresOn: null }] },
      'student_consent',
    ],
    [
      'a guardian consent before the emergency, for an urgent referral',
      { urgency: 'urgent', emergency: { reason: 'x' }, guardianConsents: [{ scope: ['p1'], expiresOn: null }] },
      'guardian_consent',
    ],
    ['a blank emergency reason is no emergency', { emergency: { reason: '  ' }, schoolOfficialAgreement: true }, 'school_official'],
    ['a 13-year-old consenting to psychotherapy', { studentConsent: true }, 'student_consent'],
    ['a 15-year-old consenting to mental-health services', { studentConsent: true, studentAge: 15, serviceKind: 'mental_health_services' }, 'student_consent'],
  ] as const)('%s', (_name, change, basis) => {
    expect(consentBasis({ ...base, ...change } as ConsentFacts)).toMatchObject({ ok: true, basis });
  });

  it('names the guardian consent the referral rests on, so withdrawing it withdraws the referral', () => {
    const guardianConsents = [
      { id: 'c-old', scope: ['p1'], expiresOn: '2026-10-01' },
      { id: 'c-now', scope: ['any_partner'], expiresOn: null },
    ];
    expect(consentBasis({ ...base, guardianConsents })).toEqual({ ok: true, basis: 'guardian_consent', guardianConsentId: 'c-now' });
  });

  it.each([
    ['nothing recorded', {}, /Record a guardian's written consent/],
    ['expired guardian consent', { guardianConsents: [{ scope: ['p1'], expiresOn: '2026-10-01' }] }, /has expired/],
    ['consent for another partner', { guardianConsents: [{ scope: ['p2'], expiresOn: null }] }, /does not cover this partner/],
    ['an 11-year-old alone', { studentConsent: true, studentAge: 11 }, /cannot consent alone/],
    ['a 14-year-old alone for services', { studentConsent: true, studentAge: 14, serviceKind: 'mental_health_services' }, /cannot consent alone/],
    [
      'a student with no birth date on record',
      { studentConsent: true, studentAge: null },
      /^No birth date on record: the student's own consent cannot be used/,
    ],
    [
      'the emergency for a routine referral',
      { emergency: { reason: 'Worried about her' } },
      /only for urgent or life-safety referrals, and this one is routine/,
    ],
    [
      'the emergency for a routine referral, even with guardian consent on file',
      { emergency: { reason: 'x' }, guardianConsents: [{ scope: ['p1'], expiresOn: null }] },
      /only for urgent or life-safety referrals/,
    ],
    ["the emergency and the student's own consent together", { urgency: 'urgent', emergency: { reason: 'x' }, studentConsent: true }, /^Choose one/],
  ] as const)('refuses %s', (_name, change, reason) => {
    const result = consentBasis({ ...base, ...change } as ConsentFacts);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe("the student's own consent (C.R.S. 12-245-203.5, 27-65-104), from the birth date only", () => {
  it.each([
    [null, 'psychotherapy', noBirthDateReason],
    [
      11,
      'psychotherapy',
      'A student of 11 cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.',
    ],
    [12, 'psychotherapy', null],
    [
      14,
      'mental_health_services',
      'A student of 14 cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.',
    ],
    [15, 'mental_health_services', null],
    [17, 'other', 'A student of 17 cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.'],
  ] as const)('age %s, %s', (age, kind, reason) => {
    expect(studentConsentEligibility(age, kind)).toEqual(
      reason === null ? { ok: true } : { ok: false, reason, es: expect.stringMatching(/^(No hay fecha|Un estudiante de \d+ años)/) },
    );
  });

  it('says what to do when there is no birth date', () => {
    expect(noBirthDateReason).toBe(
      "No birth date on record: the student's own consent cannot be used; add the birth date from the student information system or ask the guardian.",
    );
  });
});

describe('the health-or-safety emergency (34 CFR 99.36) is for urgent referrals only', () => {
  it.each([
    ['routine', false],
    ['urgent', true],
    ['asap', true],
  ] as const)('%s → %s', (urgency, ok) => {
    expect(emergencyEligibility(urgency).ok).toBe(ok);
  });
});

describe("when the partner sees the guardian's contact", () => {
  it('only once it has taken the referral, and no longer when it was turned down or withdrawn', () => {
    expect(partnerSeesGuardianContact('requested')).toBe(false);
    expect(partnerSeesGuardianContact('accepted')).toBe(true);
    expect(partnerSeesGuardianContact('scheduled')).toBe(true);
    expect(partnerSeesGuardianContact('rejected')).toBe(false);
    expect(partnerSeesGuardianContact('cancelled')).toBe(false);
  });
});
