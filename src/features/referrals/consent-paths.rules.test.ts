import { describe, expect, it } from 'vitest';
import {
  checkContactRoute,
  disclosedFieldsFor,
  guardianMayBeTold,
  invitationRecipients,
  restsOnConsent,
  type StudentConnection,
} from './consent-paths.rules.ts';

const connection: StudentConnection = {
  name: 'Maya',
  share: [],
  note: null,
  contactRoute: 'school_counselor',
  contact: null,
  guardianMayBeTold: false,
  guardianTold: null,
};
const told = { because: 'clinician_necessity' as const, reason: 'Clear and imminent risk', byUserId: 'u1', at: '2026-12-01T00:00:00Z' };

describe('a student-initiated connection keeps the guardian out until the student agrees or the clinician finds it necessary', () => {
  it.each([
    ['any other basis', undefined, true, ['guardian']],
    ['the student said no, through the counselor', connection, false, ['counselor']],
    ['the student said no, at their own e-mail', { ...connection, contactRoute: 'own_email', contact: 'maya@example.org' }, false, ['student']],
    ['the student said no, by their own phone (the partner calls)', { ...connection, contactRoute: 'own_phone', contact: '303-555-0142' }, false, []],
    ['the student agreed', { ...connection, guardianMayBeTold: true }, true, ['guardian', 'counselor']],
    [
      'the clinician recorded that it is necessary',
      { ...connection, contactRoute: 'own_phone', contact: '303-555-0142', guardianTold: told },
      true,
      ['guardian'],
    ],
  ] as const)('%s', (_name, c, mayTell, invited) => {
    expect(guardianMayBeTold(c as StudentConnection | undefined)).toBe(mayTell);
    expect(invitationRecipients(c as StudentConnection | undefined)).toEqual(invited);
  });
});

describe('the contact route the student chose', () => {
  it.each([
    ['school_counselor', undefined, true],
    ['own_phone', '303-555-0142', true],
    ['own_phone', '+1 (720) 555-0199', true],
    ['own_phone', 'call me', false],
    ['own_phone', undefined, false],
    ['own_email', 'maya.t@example.org', true],
    ['own_email', 'maya at example', false],
  ] as const)('%s %s', (route, contact, ok) => {
    expect(checkContactRoute(route, contact).ok).toBe(ok);
  });
});

describe('what the access log says was disclosed', () => {
  it('the minimum record on a FERPA basis', () => {
    expect(disclosedFieldsFor('guardian_consent', undefined)).toEqual([
      'name',
      'age_or_grade',
      'guardian_contact',
      'need',
      'urgency',
      'language',
      'family_shared_note',
    ]);
  });
  it("only the student's choices on the student's own consent: no guardian contact, no records", () => {
    expect(disclosedFieldsFor('student_consent', { ...connection, share: ['age'], note: 'I want to talk about stress' })).toEqual([
      'name_given_by_student',
      'age',
      'student_note',
      'contact_route',
      'need',
      'urgency',
    ]);
  });
});

describe('which referrals rest on a withdrawn guardian consent', () => {
  const sent = { status: 'accepted', consentBasis: 'guardian_consent', organizationId: 'p1', facts: {} };
  const consent: { id: string; scope: string[] } = { id: 'c1', scope: ['p1'] };
  const anyPartner: { id: string; scope: string[] } = { id: 'c1', scope: ['any_partner'] };
  it.each([
    ['one sent on it', { ...sent, facts: { restsOnConsentId: 'c1' } }, true],
    ['one sent on another consent', { ...sent, facts: { restsOnConsentId: 'c2' } }, false],
    ['an older one for the partner it names', sent, true],
    ['an older one for another partner', { ...sent, organizationId: 'p2' }, false],
    ['an older one under "any partner"', { ...sent, organizationId: 'p2' }, true, anyPartner],
    ['a draft', { ...sent, status: 'draft' }, false],
    ["one on the student's own consent", { ...sent, consentBasis: 'student_consent' }, false],
    ['one on the emergency', { ...sent, consentBasis: 'emergency_99_36' }, false],
    ['one already withdrawn', { ...sent, facts: { consentWithdrawnAt: '2026-12-01T00:00:00Z' } }, false],
  ] as const)('%s', (_name, r, rests, withdrawn = consent) => {
    expect(restsOnConsent(r, withdrawn)).toBe(rests);
  });
});
