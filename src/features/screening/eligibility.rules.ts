import { describeAges, type ValidatedAges } from './definition.schema.ts';
import type { consentKinds, consentPolicies } from './screening.values.ts';

export type ConsentPolicy = {
  consent: (typeof consentPolicies)[number];
  selfConsentAge: number;
  noticeDays: number;
};

export type Eligibility =
  | { status: 'eligible'; instruments: string[]; basis: 'guardian_consent' | 'student_consent' | 'notice_period_passed'; ageEstimated: boolean }
  | { status: 'opted_out' | 'needs_consent' | 'notice_period' | 'no_instrument'; instruments: string[]; reason: string; ageEstimated: boolean };

/** Whole years between a birth date and a day, both `YYYY-MM-DD`. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Without a birth date, the usual age for the grade (kindergarten at 5); the roster says which. */
export function estimatedAge(grade: string): number {
  if (grade === 'PK') return 4;
  if (grade === 'K') return 5;
  return Number(grade) + 5;
}

/**
 * May this student be screened in this window, and with which instruments? Pure, so every
 * consent rule is a table test. An opt-out or withdrawal always wins. Under active consent a
 * guardian's consent (or the student's own, from the district's age) is needed; under passive
 * consent the notice period must have passed since the first notice. Instruments are given only
 * within the ages they were validated for (the ASQ from 8, the PHQ-A at 13–18).
 */
export function eligibility(input: {
  student: { dateOfBirth: string | null; grade: string };
  today: string;
  instruments: { id: string; ages?: ValidatedAges | null | undefined }[];
  policy: ConsentPolicy;
  latestConsent: (typeof consentKinds)[number] | null;
  firstNoticeOn: string | null;
}): Eligibility {
  const ageEstimated = input.student.dateOfBirth === null;
  const age = input.student.dateOfBirth ? ageOn(input.student.dateOfBirth, input.today) : estimatedAge(input.student.grade);
  const fits = (ages: ValidatedAges | null | undefined) => !ages || (age >= ages.min && (ages.max === null || age <= ages.max));
  const instruments = input.instruments.filter((i) => fits(i.ages)).map((i) => i.id);
  const base = { instruments, ageEstimated };
  if (input.latestConsent === 'opt_out' || input.latestConsent === 'withdrawn') {
    return { status: 'opted_out', reason: 'The family opted out (or withdrew consent).', ...base };
  }
  if (instruments.length === 0) {
    const ranges = input.instruments.map((i) => `${i.id.toUpperCase()}: ${i.ages ? describeAges(i.ages) : 'any age'}`).join('; ');
    return {
      status: 'no_instrument',
      reason: `No instrument in this window is validated at age ${age}${ageEstimated ? ' (estimated from the grade)' : ''} (${ranges}).`,
      ...base,
    };
  }
  if (input.latestConsent === 'consent') return { status: 'eligible', basis: 'guardian_consent', ...base };
  if (input.latestConsent === 'student_consent' && age >= input.policy.selfConsentAge) return { status: 'eligible', basis: 'student_consent', ...base };
  if (input.policy.consent === 'active') {
    return {
      status: 'needs_consent',
      reason: `Written consent from a guardian is needed (or the student's own from age ${input.policy.selfConsentAge}).`,
      ...base,
    };
  }
  if (!input.firstNoticeOn) return { status: 'notice_period', reason: 'No notice has been sent to the family yet.', ...base };
  const waited = daysBetween(input.firstNoticeOn, input.today);
  if (waited < input.policy.noticeDays) {
    return { status: 'notice_period', reason: `The family was told ${waited} of ${input.policy.noticeDays} days ago; they may still opt out.`, ...base };
  }
  return { status: 'eligible', basis: 'notice_period_passed', ...base };
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The day `count` school days (Monday to Friday) after `day`; the follow-up due date. */
export function addSchoolDays(day: string, count: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  let left = count;
  while (left > 0) {
    date.setUTCDate(date.getUTCDate() + 1);
    const weekday = date.getUTCDay();
    if (weekday !== 0 && weekday !== 6) left -= 1;
  }
  return date.toISOString().slice(0, 10);
}
