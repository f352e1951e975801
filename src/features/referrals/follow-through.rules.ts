import { addDays, addSchoolDays, schoolDaysBetween } from '../../platform/durations.ts';
import type { TaskStatus } from './referral.rules.ts';

/**
 * Following a referral through until the student is seen. Referral networks fail silently: a
 * partner never answers, an appointment never gets made, a student misses the first visit and
 * nobody notices. These rules say, for one referral on one day, what must happen next. Due
 * dates are derived from the referral's own dates, so running the sweep twice changes nothing.
 */
export type FollowThroughFacts = {
  status: TaskStatus;
  /** District days (YYYY-MM-DD). */
  requestedOn: string | null;
  acceptedOn: string | null;
  appointmentOn: string | null;
  partnerReminded: boolean;
};

export type FollowUpKind = 'partner_no_answer' | 'no_appointment' | 'missed_appointment' | 'family_checkin';
export type FollowThroughStep = { remindPartner: boolean; followUps: { kind: FollowUpKind; dueOn: string }[] };

/** Partners answer within 2 school days; the counselor hears a day after the partner was reminded. */
export const partnerAnswerSchoolDays = 2;
/** An accepted referral gets an appointment within 10 days. */
export const appointmentWithinDays = 10;

export function followThrough(f: FollowThroughFacts, today: string): FollowThroughStep {
  const step: FollowThroughStep = { remindPartner: false, followUps: [] };
  if (f.status === 'requested' && f.requestedOn) {
    const waited = schoolDaysBetween(f.requestedOn, today);
    if (waited >= partnerAnswerSchoolDays && !f.partnerReminded) step.remindPartner = true;
    if (waited >= partnerAnswerSchoolDays + 1)
      step.followUps.push({ kind: 'partner_no_answer', dueOn: addSchoolDays(f.requestedOn, partnerAnswerSchoolDays + 1) });
  }
  if (f.status === 'accepted' && f.acceptedOn) {
    const due = addDays(f.acceptedOn, appointmentWithinDays);
    if (today >= due) step.followUps.push({ kind: 'no_appointment', dueOn: due });
  }
  // The appointment day is over and the partner has not marked the student as attended.
  if (f.status === 'scheduled' && f.appointmentOn && today > f.appointmentOn)
    step.followUps.push({ kind: 'missed_appointment', dueOn: addSchoolDays(f.appointmentOn, 1) });
  return step;
}

/** After the first appointment the counselor checks in with the family within 2 school days. */
export const familyCheckInDue = (attendedOn: string) => addSchoolDays(attendedOn, 2);

/** Which open follow-ups a move settles: the partner answered, an appointment was made, the student was seen. */
export function settledBy(to: TaskStatus): FollowUpKind[] {
  if (to === 'accepted' || to === 'rejected') return ['partner_no_answer'];
  if (to === 'scheduled') return ['partner_no_answer', 'no_appointment'];
  if (to === 'in-progress' || to === 'completed') return ['partner_no_answer', 'no_appointment', 'missed_appointment'];
  if (to === 'cancelled' || to === 'failed') return ['partner_no_answer', 'no_appointment', 'missed_appointment'];
  return [];
}
