/**
 * The referral's rules, apart from any I/O: its lifecycle in FHIR Task states, and the consent gate
 * that must pass before anything about a student leaves the school. Table-tested; the services
 * store and enforce them (docs/decisions/0012 and 0019).
 */

import { type TaskStatus, taskStatuses } from '../../data/referrals.values.ts';

export { type TaskStatus, taskStatuses };
export type Side = 'school' | 'partner';

/**
 * Who may move a referral from one state to the next (FHIR Task, HL7 SDOH Clinical Care guide).
 * Only the referring school cancels: a partner that cannot take a referral declines it, and one
 * whose care has ended (or never began: the family stopped answering) closes it as completed or
 * failed, so the school reads why the loop ended in the partner's own words.
 */
const moves: Record<TaskStatus, Partial<Record<TaskStatus, Side[]>>> = {
  draft: { requested: ['school'], cancelled: ['school'] },
  requested: { accepted: ['partner'], rejected: ['partner'], cancelled: ['school'] },
  accepted: { scheduled: ['partner'], failed: ['partner'], cancelled: ['school'] },
  scheduled: { scheduled: ['partner'], 'in-progress': ['partner'], 'on-hold': ['partner'], failed: ['partner'], cancelled: ['school'] },
  'in-progress': { 'on-hold': ['partner'], completed: ['partner'], failed: ['partner'], cancelled: ['school'] },
  'on-hold': { 'in-progress': ['partner'], scheduled: ['partner'], failed: ['partner'], cancelled: ['school'] },
  rejected: {},
  completed: {},
  failed: {},
  cancelled: {},
};

/** A reason is required for rejected, cancelled, on hold and failed. */
const needsReason = new Set<TaskStatus>(['rejected', 'cancelled', 'on-hold', 'failed']);

/** The states as staff read them on the referral page (web/src/locales), for refusals that name them. */
const statusWords: Record<'en' | 'es', Record<TaskStatus, string>> = {
  en: {
    draft: 'Draft (not sent)',
    requested: 'Waiting for the partner',
    accepted: 'Accepted',
    rejected: 'Declined',
    scheduled: 'Appointment scheduled',
    'in-progress': 'Seen; in care',
    'on-hold': 'On hold',
    completed: 'Completed',
    failed: 'Did not work out',
    cancelled: 'Cancelled',
  },
  es: {
    draft: 'Borrador (no enviada)',
    requested: 'Esperando al socio',
    accepted: 'Aceptada',
    rejected: 'Rechazada',
    scheduled: 'Cita programada',
    'in-progress': 'Atendido; en tratamiento',
    'on-hold': 'En pausa',
    completed: 'Completada',
    failed: 'No funcionó',
    cancelled: 'Cancelada',
  },
};

/** When the move is asked for, in the district's days (YYYY-MM-DD), for the rules that depend on the date. */
export type MoveDays = { appointmentDay?: string | null | undefined; today?: string | undefined };

/**
 * "Attended" records that the student was seen, which closes the school's loop and starts the
 * family check-in: it cannot be true before the day of the appointment.
 */
const attendedTooEarly = (from: TaskStatus, to: TaskStatus, days: MoveDays) =>
  from === 'scheduled' && to === 'in-progress' && Boolean(days.appointmentDay && days.today && days.today < days.appointmentDay);

/** A refusal in English and Spanish; `forbidden` when the move is the other side's to make (403, not 400). */
export type MoveRefusal = { ok: false; reason: string; es: string; forbidden?: true };

export function checkMove(
  from: TaskStatus,
  to: TaskStatus,
  by: Side,
  details: { reason?: string | undefined; appointmentAt?: string | undefined; consentOk?: boolean } & MoveDays,
): { ok: true } | MoveRefusal {
  const en = statusWords.en;
  const es = statusWords.es;
  const allowed = moves[from][to];
  if (!allowed)
    return {
      ok: false,
      reason: `A referral marked "${en[from]}" cannot become "${en[to]}".`,
      es: `Una derivación en «${es[from]}» no puede pasar a «${es[to]}».`,
    };
  if (!allowed.includes(by) && to === 'cancelled')
    return {
      ok: false,
      forbidden: true,
      reason: 'Only the school can cancel a referral. If you cannot take it, decline it; once care has ended, mark it completed or "Did not work out".',
      es: 'Solo la escuela puede cancelar una derivación. Si no puede aceptarla, recházela; cuando termine la atención, márquela como completada o «No funcionó».',
    };
  if (!allowed.includes(by))
    return {
      ok: false,
      forbidden: true,
      reason: `Only the ${allowed.join(' or ')} can mark a referral "${en[to]}".`,
      es: `Solo ${allowed.map((side) => (side === 'school' ? 'la escuela' : 'el socio')).join(' o ')} puede marcar una derivación como «${es[to]}».`,
    };
  if (attendedTooEarly(from, to, details))
    return {
      ok: false,
      reason: 'The appointment has not happened yet: mark it attended on the day of the appointment or after.',
      es: 'La cita todavía no ha llegado: marque la asistencia el día de la cita o después.',
    };
  if (needsReason.has(to) && !details.reason?.trim()) return { ok: false, reason: `Give the reason for "${en[to]}".`, es: `Indique el motivo de «${es[to]}».` };
  if (to === 'scheduled' && !details.appointmentAt) return { ok: false, reason: 'Give the appointment time.', es: 'Indique la fecha y la hora de la cita.' };
  if (from === 'draft' && to === 'requested' && !details.consentOk)
    return {
      ok: false,
      reason: 'Record consent (or the emergency exception) before the referral is sent.',
      es: 'Registre el consentimiento (o la excepción de emergencia) antes de enviar la derivación.',
    };
  return { ok: true };
}

/**
 * The moves this side may make now, so the page offers exactly those (the reason and the
 * appointment time are asked for by the form itself).
 */
export function movesFor(from: TaskStatus, by: Side, days: MoveDays): TaskStatus[] {
  return (Object.entries(moves[from]) as [TaskStatus, Side[]][])
    .filter(([to, sides]) => sides.includes(by) && !attendedTooEarly(from, to, days))
    .map(([to]) => to);
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
/** Why a consent path cannot be used, in English and in Spanish (shown to the counselor, and in a 400). */
export type ConsentRefusal = { ok: false; reason: string; es: string };

export const noBirthDateReason =
  "No birth date on record: the student's own consent cannot be used; add the birth date from the student information system or ask the guardian.";
const noBirthDateEs =
  'No hay fecha de nacimiento registrada: no se puede usar el consentimiento del propio estudiante; agregue la fecha de nacimiento desde el sistema de información estudiantil o pregunte al padre, la madre o el tutor.';

/**
 * May this student consent alone in Colorado? Psychotherapy by a qualifying professional from 12
 * (C.R.S. 12-245-203.5), other mental-health services from 15 (C.R.S. 27-65-104). The age comes
 * from the birth date only: a grade says nothing certain about a student's age, and guessing
 * wrong would let an 11-year-old's referral go out without a parent.
 */
export function studentConsentEligibility(age: number | null, serviceKind: ConsentFacts['serviceKind']): { ok: true } | ConsentRefusal {
  if (age === null) return { ok: false, reason: noBirthDateReason, es: noBirthDateEs };
  if (serviceKind === 'psychotherapy' && age >= 12) return { ok: true };
  if (serviceKind === 'mental_health_services' && age >= 15) return { ok: true };
  return {
    ok: false,
    reason: `A student of ${age} cannot consent alone to this service in Colorado (12+ for psychotherapy, 15+ for mental-health services); ask a guardian.`,
    es: `Un estudiante de ${age} años no puede dar su consentimiento solo para este servicio en Colorado (desde los 12 para psicoterapia, desde los 15 para otros servicios de salud mental); pregunte al padre, la madre o el tutor.`,
  };
}

/** The health-or-safety exception (34 CFR 99.36) is for a threat now, so never for a routine referral. */
export function emergencyEligibility(urgency: ConsentFacts['urgency']): { ok: true } | ConsentRefusal {
  if (urgency === 'routine')
    return {
      ok: false,
      reason:
        "The health-or-safety emergency (34 CFR 99.36) is only for urgent or life-safety referrals, and this one is routine. Record the guardian's written consent, or, if the student or others are at risk now, start an urgent referral.",
      es: 'La emergencia de salud o seguridad (34 CFR 99.36) es solo para derivaciones urgentes o de riesgo para la vida, y esta es de rutina. Registre el consentimiento escrito del padre, la madre o el tutor o, si el estudiante u otras personas están en riesgo ahora, inicie una derivación urgente.',
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
export function consentBasis(f: ConsentFacts): { ok: true; basis: ConsentBasis; guardianConsentId?: string } | ConsentRefusal {
  const emergency = f.emergency?.reason.trim() ? f.emergency : null;
  if (emergency) {
    const allowed = emergencyEligibility(f.urgency);
    if (!allowed.ok) return allowed;
    if (f.studentConsent)
      return {
        ok: false,
        reason: "Choose one: the student's own consent keeps the guardian out of it, while the health-or-safety emergency tells the guardian afterwards.",
        es: 'Elija una opción: el consentimiento del propio estudiante deja fuera al padre, la madre o el tutor, mientras que la emergencia de salud o seguridad le avisa después.',
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
  if (covering.length > 0)
    return {
      ok: false,
      reason: 'The guardian consent on file for this partner has expired; record a new one.',
      es: 'El consentimiento del padre, la madre o el tutor registrado para este socio venció; registre uno nuevo.',
    };
  if (f.guardianConsents.length > 0)
    return {
      ok: false,
      reason: 'The guardian consent on file does not cover this partner; record consent that names it.',
      es: 'El consentimiento del padre, la madre o el tutor registrado no incluye a este socio; registre un consentimiento que lo nombre.',
    };
  return {
    ok: false,
    reason: "Record a guardian's written consent, the student's own consent where the law allows, or the health-or-safety emergency with its reason.",
    es: 'Registre el consentimiento escrito del padre, la madre o el tutor, el consentimiento del propio estudiante cuando la ley lo permita, o la emergencia de salud o seguridad con su motivo.',
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
