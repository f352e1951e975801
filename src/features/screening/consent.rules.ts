import type { consentKinds } from '../../data/screening.values.ts';

/**
 * Whose word counts for which screening: pure, so every rule is a table test. Consent belongs to
 * a window (C.R.S. 22-1-123 and PPRA ask for it before each survey, with a chance to see it): a
 * guardian's consent for the fall window says nothing about the spring one. An opt-out names its
 * window too, or covers all screening in a school year. Decision 20 explains the choices.
 */

export type ConsentKind = (typeof consentKinds)[number];

export type ConsentRow = {
  kind: ConsentKind;
  /** The window the row is for; null for a school-year opt-out or an opt-out from before windows. */
  windowId: string | null;
  /** "2026-27"; null only on opt-outs recorded before consent was per window (they stand). */
  schoolYear: string | null;
  /** One instrument of the window (or year); null for all of them. */
  instrumentId: string | null;
  /** When it was recorded (a Date or an ISO string): among a guardian's words the latest counts. */
  recordedAt: Date | string;
};

/** What a consent is checked against: one window, or (outside any window) the school year of a day. */
export type ConsentScope = { windowId: string | null; schoolYear: string };

export type Refusal = { kind: 'opt_out' | 'withdrawn'; by: 'window' | 'school_year' | 'standing'; instrumentId: string | null };

/** What the family and the student said about one instrument in one scope. */
export type Said = { guardian: 'consent' | Refusal | null; student: boolean };

const refusals: readonly ConsentKind[] = ['opt_out', 'withdrawn'];
export const isRefusal = (kind: ConsentKind) => refusals.includes(kind);

/** The school year a day (`YYYY-MM-DD`) falls in, July to June, written "2026-27". */
export function schoolYearOf(day: string): string {
  const year = Number(day.slice(0, 4));
  const start = Number(day.slice(5, 7)) >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/**
 * Does this row speak about this instrument in this scope? A window row speaks for its window
 * only; a school-year row for every window (and every day) of its year; a row with neither is an
 * opt-out from before consent was per window and keeps standing. A consent never reaches beyond
 * its window.
 */
export function covers(row: ConsentRow, scope: ConsentScope, instrumentId: string): boolean {
  if (row.instrumentId !== null && row.instrumentId !== instrumentId) return false;
  if (row.windowId !== null) return row.windowId === scope.windowId;
  if (row.schoolYear !== null) return row.schoolYear === scope.schoolYear && isRefusal(row.kind);
  return isRefusal(row.kind);
}

const time = (at: Date | string) => (typeof at === 'string' ? Date.parse(at) : at.getTime());

/**
 * The guardian's latest word decides between consent and refusal (a family may change its mind
 * either way). The student's own assent is kept apart: it never undoes a guardian's refusal,
 * earlier or later (the law does not let a student override a parent's opt-out).
 */
export function consentFor(rows: readonly ConsentRow[], scope: ConsentScope, instrumentId: string): Said {
  let latest: ConsentRow | null = null;
  let student = false;
  for (const row of rows) {
    if (!covers(row, scope, instrumentId)) continue;
    if (row.kind === 'student_consent') student = true;
    else if (!latest || time(row.recordedAt) >= time(latest.recordedAt)) latest = row;
  }
  if (!latest) return { guardian: null, student };
  if (latest.kind === 'consent') return { guardian: 'consent', student };
  const by = latest.windowId !== null ? 'window' : latest.schoolYear !== null ? 'school_year' : 'standing';
  return { guardian: { kind: latest.kind as Refusal['kind'], by, instrumentId: latest.instrumentId }, student };
}

/**
 * A refusal as a code and values the staff app says in the reader's language (the roster, the
 * proctor): of this window, withdrawn for it, of the school year, or standing from before windows;
 * `instrument` when the family refused one instrument only.
 */
export type RefusalWords = {
  code: 'opted_out_window' | 'withdrawn_window' | 'opted_out_year' | 'opted_out_standing';
  values: { instrument: string | null; schoolYear: string };
};

/** A refusal (consentFor's guardian word) in parts. */
export function refusalWords(refusal: Refusal, schoolYear: string): RefusalWords {
  const code =
    refusal.by === 'school_year'
      ? 'opted_out_year'
      : refusal.by === 'standing'
        ? 'opted_out_standing'
        : refusal.kind === 'withdrawn'
          ? 'withdrawn_window'
          : 'opted_out_window';
  return { code, values: { instrument: refusal.instrumentId, schoolYear } };
}

/** A refusal in English, for the API's messages and the import report. */
export function refusalText({ code, values }: RefusalWords): string {
  const what = values.instrument ? ` of the ${values.instrument.toUpperCase()}` : '';
  switch (code) {
    case 'opted_out_year':
      return `The family opted out${what} for all screening in the ${values.schoolYear} school year.`;
    case 'opted_out_standing':
      return `The family opted out${what} before consent was asked per window; that stands until they consent to a window.`;
    case 'withdrawn_window':
      return `The family withdrew their consent${what} for this window.`;
    case 'opted_out_window':
      return `The family opted out${what} of this window.`;
  }
}

/**
 * Outside any window (a counselor's PHQ-9 in a session, a teacher's SRSS-IE rating, an imported
 * row that falls in no window), only a refusal can speak: a school-year or standing opt-out.
 * Returns the refusal in parts (to be said in the reader's language), or null.
 */
export function refusalOutsideWindows(rows: readonly ConsentRow[], day: string, instrumentId: string): RefusalWords | null {
  const schoolYear = schoolYearOf(day);
  const said = consentFor(rows, { windowId: null, schoolYear }, instrumentId);
  return said.guardian !== null && said.guardian !== 'consent' ? refusalWords(said.guardian, schoolYear) : null;
}
