/**
 * What each consent path lets out of the school, and to whom the referral's messages go. Pure and
 * table-tested; docs/decisions/0019-referral-consent-paths.md gives each rule its legal source.
 */
import type { Part2Scope } from './part2.rules.ts';
import { type ConsentBasis, disclosedFields } from './referral.rules.ts';

/** What a student may choose to tell the partner, beyond the name they give and their own note. */
export const studentShares = ['age', 'grade', 'language', 'preferences'] as const;
export type StudentShare = (typeof studentShares)[number];

/** How the partner reaches a student who sought care on their own consent. */
export const contactRoutes = ['own_phone', 'own_email', 'school_counselor'] as const;
export type ContactRoute = (typeof contactRoutes)[number];

/** Why a guardian may now be told about a student-initiated connection. */
export const guardianTellReasons = ['student_agreed', 'clinician_necessity'] as const;
export type GuardianTellReason = (typeof guardianTellReasons)[number];

/**
 * A student-initiated connection: a referral sent on the student's own consent (C.R.S.
 * 12-245-203.5, 27-65-104). The partner learns only what the student chose and reaches the student
 * the way the student chose; the guardian is not told unless the student agrees or the treating
 * clinician records that it is necessary.
 */
export type StudentConnection = {
  /** The name the student asked the partner to use. */
  name: string;
  share: StudentShare[];
  /** In the student's own words. */
  note: string | null;
  contactRoute: ContactRoute;
  /** The student's own phone number or e-mail address, for those routes. */
  contact: string | null;
  guardianMayBeTold: boolean;
  guardianTold: { because: GuardianTellReason; reason: string | null; byUserId: string; at: string } | null;
};

/**
 * Facts about a referral's consent that have no column of their own. They live beside the family's
 * preferences in the referral's jsonb column; the partner's view is built field by field, so none
 * of them reaches the partner unless a view names it.
 */
export type ConsentFactsOnFile = {
  studentConnection?: StudentConnection;
  /** The written guardian consent the referral was sent on: withdrawing it withdraws the referral. */
  restsOnConsentId?: string;
  /** For substance-use programs: what the student's 42 CFR Part 2 consent lets flow back. */
  part2Scope?: Part2Scope;
  /** The notice the guardian was sent after a 34 CFR 99.36 disclosure. */
  emergencyNotice?: { at: string; emailed: number };
  consentWithdrawnAt?: string;
};

export const factsOf = (preferences: unknown): ConsentFactsOnFile => (preferences ?? {}) as ConsentFactsOnFile;

const phonePattern = /^\+?[0-9 ().-]{7,20}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The contact a route needs: the student's own phone or e-mail; the counselor's route needs none. */
export function checkContactRoute(route: ContactRoute, contact: string | null | undefined): { ok: true } | { ok: false; reason: string; es: string } {
  const value = contact?.trim() ?? '';
  if (route === 'own_phone' && !phonePattern.test(value))
    return {
      ok: false,
      reason: "Give the student's own phone number, the way the partner should reach them (for example 303-555-0142).",
      es: 'Indique el número de teléfono del propio estudiante, por el que el socio debe comunicarse con él (por ejemplo, 303-555-0142).',
    };
  if (route === 'own_email' && !emailPattern.test(value))
    return {
      ok: false,
      reason: "Give the student's own e-mail address, the way the partner should reach them.",
      es: 'Indique el correo electrónico del propio estudiante, por el que el socio debe comunicarse con él.',
    };
  return { ok: true };
}

/** May the guardian be told (e-mailed, sent the invitation, shown to the partner)? */
export function guardianMayBeTold(connection: StudentConnection | undefined): boolean {
  if (!connection) return true;
  return connection.guardianMayBeTold || connection.guardianTold !== null;
}

/**
 * Who is sent the appointment invitation. A referral on any other basis invites the guardian, as
 * before. A student-initiated connection invites whoever the student chose (their own e-mail, or
 * the counselor who relays it) and the guardian only once the guardian may be told.
 */
export function invitationRecipients(connection: StudentConnection | undefined): ('guardian' | 'student' | 'counselor')[] {
  if (!connection) return ['guardian'];
  const to: ('guardian' | 'student' | 'counselor')[] = [];
  if (guardianMayBeTold(connection)) to.push('guardian');
  if (connection.contactRoute === 'own_email') to.push('student');
  if (connection.contactRoute === 'school_counselor') to.push('counselor');
  return to;
}

/** What the access log says was disclosed. A student-initiated connection carries no education records. */
export function disclosedFieldsFor(basis: ConsentBasis, connection: StudentConnection | undefined): string[] {
  if (basis !== 'student_consent' || !connection) return [...disclosedFields];
  return ['name_given_by_student', ...connection.share, ...(connection.note ? ['student_note'] : []), 'contact_route', 'need', 'urgency'];
}

/**
 * Does a referral rest on the guardian consent being withdrawn? A referral sent since the consent
 * it rests on was recorded names it; one sent before that rests on any guardian consent covering
 * its partner. Drafts rest on nothing yet: the gate will refuse them at sending.
 */
export function restsOnConsent(
  r: { status: string; consentBasis: string | null; organizationId: string; facts: ConsentFactsOnFile },
  consent: { id: string; scope: string[] },
): boolean {
  if (r.status === 'draft' || r.consentBasis !== 'guardian_consent' || r.facts.consentWithdrawnAt) return false;
  if (r.facts.restsOnConsentId) return r.facts.restsOnConsentId === consent.id;
  return consent.scope.includes(r.organizationId) || consent.scope.includes('any_partner');
}
