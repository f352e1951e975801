import type { studentMarks } from '../../data/screening.values.ts';
import { type ConsentRow, type ConsentScope, consentFor } from './consent.rules.ts';
import type { Eligibility } from './eligibility.rules.ts';

/**
 * What a proctor sees of a student and may do for several at once: pure, so each rule is a table
 * test. A proctor sees where a student stands (consent, code, started, screened, absent), never a
 * result; decision 31 explains the choices.
 */

/** Where a student stands in a window; none of these says anything about answers or scores. */
export type SittingStatus =
  | 'held'
  | 'screened'
  | 'issued'
  | 'started'
  | 'absent'
  | 'declined'
  | 'not_started'
  | Exclude<Eligibility['status'], 'eligible'>
  | 'not_in_window';

export type SittingFacts = {
  screened: boolean;
  /** The latest sitting that is not void. */
  session: 'issued' | 'started' | 'absent' | 'declined' | null;
  /** Imminent risk during the screen: the adult in the room must keep the student with them. */
  held: boolean;
};

/**
 * A student's status: a held screen first (the proctor must act on it), then what the student did
 * (screened, started, absent, declined, a code given), then whether they may be screened at all.
 */
export function sittingStatus(facts: SittingFacts | undefined, eligibility: Eligibility['status'], inWindowGrades = true): SittingStatus {
  if (!inWindowGrades) return 'not_in_window';
  if (facts?.held) return 'held';
  if (facts?.screened) return 'screened';
  if (facts?.session) return facts.session;
  return eligibility === 'eligible' ? 'not_started' : eligibility;
}

/**
 * Does printing a class's codes give this student a new code? Only a student who may be screened
 * and has not begun: a new code would end a screen in progress, and a student marked absent or
 * who chose not to take part gets a code from the roster, one at a time, when they ask.
 */
export function printsCode(status: SittingStatus): boolean {
  return status === 'not_started' || status === 'issued';
}

/** What the guardian's latest word says for every instrument of the window: all consent, all refusal, or neither. */
export function guardianWord(rows: readonly ConsentRow[], scope: ConsentScope, instrumentIds: readonly string[]): 'consent' | 'refusal' | null {
  const said = instrumentIds.map((id) => consentFor(rows, scope, id).guardian);
  if (said.length > 0 && said.every((s) => s === 'consent')) return 'consent';
  if (said.length > 0 && said.every((s) => s !== null && s !== 'consent')) return 'refusal';
  return null;
}

export type Mark = (typeof studentMarks)[number];
/** Why a mark is left out for one student (the others in the same action are still marked). */
export type MarkSkipped = 'held' | 'started' | 'screened' | 'declined' | 'already';

/**
 * A mark that does not apply to a student is skipped, with the reason, never forced: a student in
 * the middle of a screen, screened, or who chose not to take part is not absent; a consent or a
 * refusal the family already gave is not recorded twice. A refusal after a screen is recorded (the
 * family's word stands for what follows).
 */
export function markSkipped(mark: Mark, status: SittingStatus, word: 'consent' | 'refusal' | null): MarkSkipped | null {
  if (mark === 'absent') {
    if (status === 'held' || status === 'started' || status === 'screened' || status === 'declined') return status;
    return status === 'absent' ? 'already' : null;
  }
  if (mark === 'consent_received') return word === 'consent' ? 'already' : null;
  return word === 'refusal' ? 'already' : null;
}
