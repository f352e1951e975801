import { addDays, dayCount, daysAgo, daysBetween, daysWaited } from '../../platform/durations.ts';
import { type ConsentRow, consentFor, describeRefusal, type Refusal, refusedOutsideWindows, schoolYearOf } from './consent.rules.ts';
import { describeAges, type ValidatedAges } from './definition.schema.ts';
import type { consentPolicies } from './screening.values.ts';

export type ConsentPolicy = {
  consent: (typeof consentPolicies)[number];
  selfConsentAge: number;
  noticeDays: number;
};

export type Eligibility =
  | {
      status: 'eligible';
      instruments: string[];
      basis: 'guardian_consent' | 'student_consent' | 'notice_period_passed';
      /** Why some of the window's instruments are left out for this student (opted out, no consent), or null. */
      reason: string | null;
      ageEstimated: boolean;
    }
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

const names = (ids: string[]) => ids.map((id) => id.toUpperCase()).join(', ');

/**
 * May this student be screened in this window, and with which instruments? Pure, so every
 * consent rule is a table test. Consent is per window (and instrument): only rows for this
 * window, or a refusal for its school year, count. A guardian's refusal always wins, over any
 * student assent too; otherwise the guardian's latest word counts. Under active consent a
 * guardian's consent (or the student's own, from the district's age) is needed; under passive
 * consent the notice period must have passed since the first notice for this window. Instruments
 * are given only within the ages they were validated for (the ASQ from 8, the PHQ-A at 13–18).
 */
export function eligibility(input: {
  student: { dateOfBirth: string | null; grade: string };
  today: string;
  window: { id: string; opensOn: string };
  instruments: { id: string; ages?: ValidatedAges | null | undefined }[];
  policy: ConsentPolicy;
  consents: readonly ConsentRow[];
  firstNoticeOn: string | null;
}): Eligibility {
  const ageEstimated = input.student.dateOfBirth === null;
  const age = input.student.dateOfBirth ? ageOn(input.student.dateOfBirth, input.today) : estimatedAge(input.student.grade);
  const fits = (ages: ValidatedAges | null | undefined) => !ages || (age >= ages.min && (ages.max === null || age <= ages.max));
  const schoolYear = schoolYearOf(input.window.opensOn);
  const said = new Map(input.instruments.map((i) => [i.id, consentFor(input.consents, { windowId: input.window.id, schoolYear }, i.id)]));
  const refusalOf = (id: string) => {
    const guardian = said.get(id)?.guardian ?? null;
    return guardian !== null && guardian !== 'consent' ? guardian : null;
  };
  const refused = input.instruments.map((i) => i.id).filter((id) => refusalOf(id) !== null);
  const fitting = input.instruments.filter((i) => fits(i.ages)).map((i) => i.id);
  const refusedReason = (ids: string[]) => describeRefusal(refusalOf(ids[0] as string) as Refusal, schoolYear);
  if (input.instruments.length > 0 && refused.length === input.instruments.length) {
    return { status: 'opted_out', reason: refusedReason(refused), instruments: [], ageEstimated };
  }
  if (fitting.length === 0) {
    const ranges = input.instruments.map((i) => `${i.id.toUpperCase()}: ${i.ages ? describeAges(i.ages) : 'any age'}`).join('; ');
    return {
      status: 'no_instrument',
      reason: `No instrument in this window is validated at age ${age}${ageEstimated ? ' (estimated from the grade)' : ''} (${ranges}).`,
      instruments: fitting,
      ageEstimated,
    };
  }
  const candidates = fitting.filter((id) => !refused.includes(id));
  const leftOut = fitting.filter((id) => refused.includes(id));
  if (candidates.length === 0) return { status: 'opted_out', reason: refusedReason(leftOut), instruments: [], ageEstimated };
  const byGuardian = candidates.filter((id) => said.get(id)?.guardian === 'consent');
  const byStudent = candidates.filter((id) => !byGuardian.includes(id) && said.get(id)?.student && age >= input.policy.selfConsentAge);
  const consented = candidates.filter((id) => byGuardian.includes(id) || byStudent.includes(id));
  const optedOutNote = leftOut.length > 0 ? `Not the ${names(leftOut)}: ${refusedReason(leftOut)}` : null;
  const basis = byGuardian.length > 0 ? ('guardian_consent' as const) : ('student_consent' as const);
  if (input.policy.consent === 'active') {
    if (consented.length === 0) {
      return {
        status: 'needs_consent',
        reason: `Written consent from a guardian for this window is needed (or the student's own from age ${input.policy.selfConsentAge}).`,
        instruments: candidates,
        ageEstimated,
      };
    }
    const missing = candidates.filter((id) => !consented.includes(id));
    const note = [optedOutNote, missing.length > 0 ? `Not the ${names(missing)}: no consent for ${missing.length > 1 ? 'them' : 'it'}.` : null]
      .filter(Boolean)
      .join(' ');
    return { status: 'eligible', basis, instruments: consented, reason: note || null, ageEstimated };
  }
  if (consented.length === candidates.length) return { status: 'eligible', basis, instruments: candidates, reason: optedOutNote, ageEstimated };
  const base = { instruments: candidates, ageEstimated };
  if (!input.firstNoticeOn) return { status: 'notice_period', reason: 'No notice has been sent to the family for this window yet.', ...base };
  const waited = daysWaited(input.firstNoticeOn, input.today);
  if (waited < input.policy.noticeDays) {
    const from = addDays(input.firstNoticeOn, input.policy.noticeDays);
    return {
      status: 'notice_period',
      reason: `The family was first told ${daysAgo(waited)} and has ${dayCount(input.policy.noticeDays)} to opt out; screening can start on ${from}.`,
      ...base,
    };
  }
  return { status: 'eligible', basis: 'notice_period_passed', instruments: candidates, reason: optedOutNote, ageEstimated };
}

/**
 * May a result entered by staff or imported be stored? A result that falls in a window (open
 * that day, for the student's school and grade, with this instrument) follows that window's rule
 * exactly as the student's own screen would; where windows overlap, a refusal of any of them is
 * honored and otherwise one that allows is enough. Outside every window only a school-year or
 * standing opt-out speaks. Returns why not, or null. The emergency path never asks.
 */
export function resultRefusal(input: {
  student: { dateOfBirth: string | null; grade: string };
  day: string;
  instrumentId: string;
  policy: ConsentPolicy;
  windows: { id: string; name: string; opensOn: string; firstNoticeOn: string | null }[];
  consents: readonly ConsentRow[];
}): string | null {
  if (input.windows.length === 0) return refusedOutsideWindows(input.consents, input.day, input.instrumentId);
  const decided = input.windows.map((w) => ({
    name: w.name,
    e: eligibility({
      student: input.student,
      today: input.day,
      window: w,
      instruments: [{ id: input.instrumentId }],
      policy: input.policy,
      consents: input.consents,
      firstNoticeOn: w.firstNoticeOn,
    }),
  }));
  const refused = decided.find((d) => d.e.status === 'opted_out');
  if (refused) return `${refused.name}: ${refused.e.reason}`;
  if (decided.some((d) => d.e.status === 'eligible')) return null;
  const first = decided[0] as (typeof decided)[number];
  return `${first.name}: ${first.e.reason}`;
}

/** Kept here for the features that take it from screening (funding); the rule lives in platform/durations. */
export { daysBetween };

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
