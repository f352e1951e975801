import type { consentPolicies } from '../../data/screening.values.ts';
import { addDays, addSchoolDays, ageOn, dayCount, daysAgo, daysBetween, daysWaited } from '../../platform/durations.ts';
import {
  type ConsentRow,
  consentFor,
  type Refusal,
  type RefusalWords,
  refusalOutsideWindows,
  refusalText,
  refusalWords,
  schoolYearOf,
} from './consent.rules.ts';
import { describeAges, type ValidatedAges } from './definition.schema.ts';
import { eligibilityReasonEs, refusalTextEs } from './eligibility.text.ts';

export type ConsentPolicy = {
  consent: (typeof consentPolicies)[number];
  selfConsentAge: number;
  noticeDays: number;
};

/**
 * Why a student may not be screened, or not with every instrument of the window, one sentence
 * each, as codes and values the staff app says in the reader's language (the roster, the
 * proctor). A refusal's `leftOut` names the instruments it leaves out while others are given
 * (empty: it refuses the window).
 */
export type EligibilityWords =
  | { code: RefusalWords['code']; values: RefusalWords['values'] & { leftOut: string[] } }
  | { code: 'no_consent_for'; values: { instruments: string[] } }
  | { code: 'no_instrument'; values: { age: number; estimated: boolean; ranges: { instrument: string; min: number; max: number | null }[] } }
  | { code: 'needs_consent'; values: { selfConsentAge: number } }
  | { code: 'no_notice'; values: Record<string, never> }
  | { code: 'notice_period'; values: { waitedDays: number; noticeDays: number; startsOn: string } };

export type Eligibility =
  | {
      status: 'eligible';
      instruments: string[];
      basis: 'guardian_consent' | 'student_consent' | 'notice_period_passed';
      /** Why some of the window's instruments are left out for this student (opted out, no consent), or null; `words`, the same in parts. */
      reason: string | null;
      words: EligibilityWords[];
      ageEstimated: boolean;
    }
  | {
      status: 'opted_out' | 'needs_consent' | 'notice_period' | 'no_instrument';
      instruments: string[];
      reason: string;
      words: EligibilityWords[];
      ageEstimated: boolean;
    };

/** Without a birth date, the usual age for the grade (kindergarten at 5); the roster says which. */
export function estimatedAge(grade: string): number {
  if (grade === 'PK') return 4;
  if (grade === 'K') return 5;
  return Number(grade) + 5;
}

const names = (ids: string[]) => ids.map((id) => id.toUpperCase()).join(', ');

/** One reason in English, as the API's messages and the import report say it. */
function englishWords(words: EligibilityWords): string {
  switch (words.code) {
    case 'opted_out_window':
    case 'withdrawn_window':
    case 'opted_out_year':
    case 'opted_out_standing': {
      const refusal = refusalText({ code: words.code, values: words.values });
      return words.values.leftOut.length > 0 ? `Not the ${names(words.values.leftOut)}: ${refusal}` : refusal;
    }
    case 'no_consent_for':
      return `Not the ${names(words.values.instruments)}: no consent for ${words.values.instruments.length > 1 ? 'them' : 'it'}.`;
    case 'no_instrument': {
      const { age, estimated, ranges } = words.values;
      const range = (r: (typeof ranges)[number]) => `${r.instrument.toUpperCase()}: ${describeAges({ ...r, source: null })}`;
      return `No instrument in this window is validated at age ${age}${estimated ? ' (estimated from the grade)' : ''} (${ranges.map(range).join('; ')}).`;
    }
    case 'needs_consent':
      return `Written consent from a guardian for this window is needed (or the student's own from age ${words.values.selfConsentAge}).`;
    case 'no_notice':
      return 'No notice has been sent to the family for this window yet.';
    case 'notice_period': {
      const { waitedDays, noticeDays, startsOn } = words.values;
      return `The family was first told ${daysAgo(waitedDays)} and has ${dayCount(noticeDays)} to opt out; screening can start on ${startsOn}.`;
    }
  }
}

/** The reasons in English, one sentence after another; null when there are none. */
function eligibilityReason(words: readonly EligibilityWords[]): string | null {
  return words.length > 0 ? words.map(englishWords).join(' ') : null;
}

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
  /** The refusal of the first of `ids` (the guardian's latest word on it); `leftOut` when others are still given. */
  const refusalOfFirst = (ids: string[], leftOut: string[]): EligibilityWords => {
    const { code, values } = refusalWords(refusalOf(ids[0] as string) as Refusal, schoolYear);
    return { code, values: { ...values, leftOut } };
  };
  const notYet = (status: Exclude<Eligibility['status'], 'eligible'>, why: EligibilityWords, instruments: string[]): Eligibility => ({
    status,
    instruments,
    reason: eligibilityReason([why]) as string,
    words: [why],
    ageEstimated,
  });
  const eligible = (basis: Extract<Eligibility, { status: 'eligible' }>['basis'], instruments: string[], words: EligibilityWords[]): Eligibility => ({
    status: 'eligible',
    basis,
    instruments,
    reason: eligibilityReason(words),
    words,
    ageEstimated,
  });
  if (input.instruments.length > 0 && refused.length === input.instruments.length) return notYet('opted_out', refusalOfFirst(refused, []), []);
  if (fitting.length === 0) {
    // Only an instrument with validated ages can be out of range: each here has them.
    const ranges = input.instruments.map((i) => ({ instrument: i.id, min: i.ages?.min ?? 0, max: i.ages?.max ?? null }));
    return notYet('no_instrument', { code: 'no_instrument', values: { age, estimated: ageEstimated, ranges } }, fitting);
  }
  const candidates = fitting.filter((id) => !refused.includes(id));
  const leftOut = fitting.filter((id) => refused.includes(id));
  if (candidates.length === 0) return notYet('opted_out', refusalOfFirst(leftOut, []), []);
  const byGuardian = candidates.filter((id) => said.get(id)?.guardian === 'consent');
  const byStudent = candidates.filter((id) => !byGuardian.includes(id) && said.get(id)?.student && age >= input.policy.selfConsentAge);
  const consented = candidates.filter((id) => byGuardian.includes(id) || byStudent.includes(id));
  const optedOut: EligibilityWords[] = leftOut.length > 0 ? [refusalOfFirst(leftOut, leftOut)] : [];
  const basis = byGuardian.length > 0 ? ('guardian_consent' as const) : ('student_consent' as const);
  if (input.policy.consent === 'active') {
    if (consented.length === 0) return notYet('needs_consent', { code: 'needs_consent', values: { selfConsentAge: input.policy.selfConsentAge } }, candidates);
    const missing = candidates.filter((id) => !consented.includes(id));
    return eligible(basis, consented, [...optedOut, ...(missing.length > 0 ? [{ code: 'no_consent_for' as const, values: { instruments: missing } }] : [])]);
  }
  if (consented.length === candidates.length) return eligible(basis, candidates, optedOut);
  if (!input.firstNoticeOn) return notYet('notice_period', { code: 'no_notice', values: {} }, candidates);
  const waited = daysWaited(input.firstNoticeOn, input.today);
  if (waited < input.policy.noticeDays) {
    const startsOn = addDays(input.firstNoticeOn, input.policy.noticeDays);
    return notYet('notice_period', { code: 'notice_period', values: { waitedDays: waited, noticeDays: input.policy.noticeDays, startsOn } }, candidates);
  }
  return eligible('notice_period_passed', candidates, optedOut);
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
  return resultRefusalIn(input)?.en ?? null;
}

/** A reason in English and in Spanish, for a message said in the reader's language. */
export type Bilingual = { en: string; es: string };

/** `resultRefusal`'s reason in both languages (the staff app and the import report ask in either). */
export function resultRefusalIn(input: Parameters<typeof resultRefusal>[0]): Bilingual | null {
  if (input.windows.length === 0) {
    const words = refusalOutsideWindows(input.consents, input.day, input.instrumentId);
    return words ? { en: refusalText(words), es: refusalTextEs(words) } : null;
  }
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
  const said = (d: (typeof decided)[number]): Bilingual => ({ en: `${d.name}: ${d.e.reason}`, es: `${d.name}: ${eligibilityReasonEs(d.e.words)}` });
  const refused = decided.find((d) => d.e.status === 'opted_out');
  if (refused) return said(refused);
  if (decided.some((d) => d.e.status === 'eligible')) return null;
  return said(decided[0] as (typeof decided)[number]);
}

/** Kept here for the features that take it from screening (funding); the rule lives in platform/durations. */
export { addSchoolDays, ageOn, daysBetween };
