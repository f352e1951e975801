/**
 * The referral's rules, apart from any I/O: its lifecycle in FHIR Task states, and the consent gate
 * that must pass before anything about a student leaves the school. Table-tested; the services
 * store and enforce them (docs/decisions/0012 and 0019).
 */

export const taskStatuses = ['draft', 'requested', 'accepted', 'rejected', 'scheduled', 'in-progress', 'on-hold', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export type Side = 'school' | 'partner';

/** Who may move a referral from one state to the next (FHIR Task, HL7 SDOH Clinical Care guide). */
const moves: Record<TaskStatus, Partial<Record<TaskStatus, Side[]>>> = {
  draft: { requested: ['school'], cancelled: ['school'] },
  requested: { accepted: ['partner'], rejected: ['partner'], cancelled: ['school', 'partner'] },
  accepted: { scheduled: ['partner'], cancelled: ['school', 'partner'] },
  scheduled: { scheduled: ['partner'], 'in-progress': ['partner'], 'on-hold': ['partner'], failed: ['partner'], cancelled: ['school', 'partner'] },
  'in-progress': { 'on-hold': ['partner'], completed: ['partner'], failed: ['partner'], cancelled: ['school', 'partner'] },
  'on-hold': { 'in-progress': ['partner'], scheduled: ['partner'], failed: ['partner'], cancelled: ['school', 'partner'] },
  rejected: {},
  completed: {},
  failed: {},
  cancelled: {},
};

/** A reason is required for rejected, cancelled, on hold and failed. */
const needsReason = new Set<TaskStatus>(['rejected', 'cancelled', 'on-hold', 'failed']);

export function checkMove(
  from: TaskStatus,
  to: TaskStatus,
  by: Side,
  details: { reason?: string | undefined; appointmentAt?: string | undefined; consentOk?: boolean },
): { ok: true } | { ok: false; reason: string } {
  const allowed = moves[from][to];
  if (!allowed) return { ok: false, reason: `A ${from} referral cannot become ${to}.` };
  if (!allowed.includes(by)) return { ok: false, reason: `Only the ${allowed.join(' or ')} can mark a referral ${to}.` };
  if (needsReason.has(to) && !details.reason?.trim()) return { ok: false, reason: `Give the reason it is ${to}.` };
  if (to === 'scheduled' && !details.appointmentAt) return { ok: false, reason: 'Give the appointment time.' };
  if (from === 'draft' && to === 'requested' && !details.consentOk)
    return { ok: false, reason: 'Record consent (or the emergency exception) before the referral is sent.' };
  return { ok: true };
}

export type ConsentFacts = {
  /** From the birth date only; null when the roster has none (never guessed from the grade). */
  studentAge: number | null;
  /** Mental-health treatment by a qualifying professional (12+) or other mental-health services (15+). */
  serviceKind: 'psychotherapy' | 'mental_health_services' | 'other';
  urgency: 'routine' | 'urgent' | 'asap';
  /** Every written guardian consent on file that has not been withdrawn. */
  guardianConsents: { id?: string; scope: string[]; expiresOn: string | null }[];
  /** The counselor chose the student's own consent: a student-initiated connection. */
  studentConsent: boolean;
  emergency: { reason: string } | null;
  /** A current agreement makes the partner a school official under the district's direct control. */
  schoolOfficialAgreement: boolean;
  today: string;
  partnerId: string;
};

export type ConsentBasis = 'guardian_consent' | 'emergency_99_36' | 'student_consent' | 'school_official';

/** Said wherever the student's own consent is offered to a student with no birth date on record. */
export const noBirthDateReason =
  "No birth date on record: the student's own consent cannot be used; add the birth date from the student information system or ask the guardian.";

/**
 * May this student consent alone in Colorado? Psychotherapy by a qualifying professional from 12
 * (C.R.S. 12-245-203.5), other mental-health services from 15 (C.R.S. 27-65-104). The age comes
 * from the birth date only: a grade says nothing certain about a student's age, and guessing
 * wrong would let an 11-year-old's referral go out without a parent.
 */
export function studentConsentEligibility(age: number | null, serviceKind: ConsentFacts['serviceKind']): { ok: true } | { ok: false; reason: string } {
  if (age === null) return { ok: false, reason: noBirthDateReason };
  if (serviceKind === 'psychotherapy' && age >= 12) return { ok: true };
  if (serviceKind === 'mental_health_services' && age >= 15) return { ok: true };
  return {
    ok: false,
    reason: `A student of ${age} cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.`,
  };
}

/** The health-or-safety exception (34 CFR 99.36) is for a threat now, so never for a routine referral. */
export function emergencyEligibility(urgency: ConsentFacts['urgency']): { ok: true } | { ok: false; reason: string } {
  if (urgency === 'routine')
    return {
      ok: false,
      reason:
        "The health-or-safety emergency (34 CFR 99.36) is only for urgent or life-safety referrals, and this one is routine. Record the guardian's written consent, or, if the student or others are at risk now, start an urgent referral.",
    };
  return { ok: true };
}

/**
 * May the school send this referral, and on what basis? The student's own consent, when the
 * counselor chooses it, makes a student-initiated connection that carries no education records,
 * so it needs no FERPA basis and is not overridden by a guardian consent on file (using that
 * would tell the guardian what the student sought in confidence). Otherwise the minimum record
 * goes out on written guardian consent in scope and not expired (34 CFR 99.30; first, because
 * families should know); on the health-or-safety emergency with its reason, for urgent referrals
 * only (34 CFR 99.36); or to a partner under contract as a school official (34 CFR 99.31(a)(1)).
 */
export function consentBasis(f: ConsentFacts): { ok: true; basis: ConsentBasis; guardianConsentId?: string } | { ok: false; reason: string } {
  const emergency = f.emergency?.reason.trim() ? f.emergency : null;
  if (emergency) {
    const allowed = emergencyEligibility(f.urgency);
    if (!allowed.ok) return allowed;
    if (f.studentConsent)
      return {
        ok: false,
        reason: "Choose one: the student's own consent keeps the guardian out of it, while the health-or-safety emergency tells the guardian afterwards.",
      };
  }
  if (f.studentConsent) {
    const eligible = studentConsentEligibility(f.studentAge, f.serviceKind);
    return eligible.ok ? { ok: true, basis: 'student_consent' } : eligible;
  }
  const covering = f.guardianConsents.filter((c) => c.scope.includes(f.partnerId) || c.scope.includes('any_partner'));
  const current = covering.find((c) => c.expiresOn === null || c.expiresOn >= f.today);
  if (current) return { ok: true, basis: 'guardian_consent', ...(current.id ? { guardianConsentId: current.id } : {}) };
  if (emergency) return { ok: true, basis: 'emergency_99_36' };
  if (f.schoolOfficialAgreement) return { ok: true, basis: 'school_official' };
  if (covering.length > 0) return { ok: false, reason: 'The guardian consent on file for this partner has expired; record a new one.' };
  if (f.guardianConsents.length > 0) return { ok: false, reason: 'The guardian consent on file does not cover this partner; record consent that names it.' };
  return {
    ok: false,
    reason: "Record a guardian's written consent, the student's own consent where the law allows, or the health-or-safety emergency with its reason.",
  };
}

/** Which consent rule a service falls under in Colorado law. */
export function serviceKindOf(serviceType: string): ConsentFacts['serviceKind'] {
  if (serviceType === 'counseling' || serviceType === 'telehealth' || serviceType === 'school_based_clinic') return 'psychotherapy';
  if (serviceType === 'psychiatry' || serviceType === 'crisis_response' || serviceType === 'substance_use') return 'mental_health_services';
  return 'other';
}

/** The only fields a partner receives: the minimum, plus what the family chose to share. */
export const disclosedFields = ['name', 'age_or_grade', 'guardian_contact', 'need', 'urgency', 'language', 'family_shared_note'] as const;

/**
 * The partner sees the guardian's name, phone and e-mail only once it has taken the referral: it
 * decides whether it can help from the need, age, language and preferences, and a family's contact
 * details go only to the partner that will call them (minimum necessary; decision 0038). A
 * referral withdrawn or turned down hides them again.
 */
export function partnerSeesGuardianContact(status: TaskStatus): boolean {
  return ['accepted', 'scheduled', 'in-progress', 'on-hold', 'completed', 'failed'].includes(status);
}
