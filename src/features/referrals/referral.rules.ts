/**
 * The referral's rules, apart from any I/O: its lifecycle in FHIR Task states, and the consent gate
 * that must pass before anything about a student leaves the school. Table-tested; the referral
 * workflow (issue 6, next) stores and enforces them.
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
  studentAge: number;
  /** Mental-health treatment by a qualifying professional (12+) or other mental-health services (15+). */
  serviceKind: 'psychotherapy' | 'mental_health_services' | 'other';
  /** Every written guardian consent on file that has not been withdrawn. */
  guardianConsents: { scope: string[]; expiresOn: string | null }[];
  studentConsent: boolean;
  emergency: { reason: string } | null;
  /** A current agreement makes the partner a school official under the district's direct control. */
  schoolOfficialAgreement: boolean;
  today: string;
  partnerId: string;
};

export type ConsentBasis = 'guardian_consent' | 'emergency_99_36' | 'student_consent' | 'school_official';

/**
 * May the school disclose the minimum to this partner? Written guardian consent in scope and not
 * expired; or the health-or-safety emergency exception (34 CFR 99.36) with its reason; or the
 * student's own consent where Colorado allows it (12+ for psychotherapy, C.R.S. 12-245-203.5;
 * 15+ for mental-health services, C.R.S. 27-65-104); or a partner under contract as a school
 * official (34 CFR 99.31(a)(1)). Guardian consent comes first because families should know.
 */
export function consentBasis(f: ConsentFacts): { ok: true; basis: ConsentBasis } | { ok: false; reason: string } {
  const covering = f.guardianConsents.filter((c) => c.scope.includes(f.partnerId) || c.scope.includes('any_partner'));
  if (covering.some((c) => c.expiresOn === null || c.expiresOn >= f.today)) return { ok: true, basis: 'guardian_consent' };
  if (f.emergency?.reason.trim()) return { ok: true, basis: 'emergency_99_36' };
  if (f.studentConsent) {
    if (f.serviceKind === 'psychotherapy' && f.studentAge >= 12) return { ok: true, basis: 'student_consent' };
    if (f.serviceKind === 'mental_health_services' && f.studentAge >= 15) return { ok: true, basis: 'student_consent' };
    return {
      ok: false,
      reason: `A student of ${f.studentAge} cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.`,
    };
  }
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
