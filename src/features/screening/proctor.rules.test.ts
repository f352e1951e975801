import { describe, expect, it } from 'vitest';
import type { ConsentRow } from './consent.rules.ts';
import { guardianWord, markSkipped, printsCode, type SittingFacts, type SittingStatus, sittingStatus } from './proctor.rules.ts';

const fresh: SittingFacts = { screened: false, session: null, held: false };

describe("a student's status, as a proctor sees it (never a result)", () => {
  it.each([
    ['nothing yet, may be screened', fresh, 'eligible', 'not_started'],
    ['nothing yet, no consent', fresh, 'needs_consent', 'needs_consent'],
    ['no facts at all, in the notice period', undefined, 'notice_period', 'notice_period'],
    ['a code printed', { ...fresh, session: 'issued' }, 'eligible', 'issued'],
    ['started', { ...fresh, session: 'started' }, 'eligible', 'started'],
    ['screened', { ...fresh, screened: true }, 'eligible', 'screened'],
    ['absent', { ...fresh, session: 'absent' }, 'eligible', 'absent'],
    ['chose not to take part', { ...fresh, session: 'declined' }, 'eligible', 'declined'],
    ['held after an imminent-risk answer: first, whatever else is true', { screened: true, session: 'started', held: true }, 'eligible', 'held'],
  ] as const)('%s → %s', (_name, facts, eligibility, status) => {
    expect(sittingStatus(facts, eligibility)).toBe(status);
  });

  it('a class student outside the window grades is listed as not in this window', () => {
    expect(sittingStatus(fresh, 'eligible', false)).toBe('not_in_window');
  });

  it.each([
    ['not_started', true],
    ['issued', true],
    ['started', false],
    ['held', false],
    ['screened', false],
    ['absent', false],
    ['declined', false],
    ['needs_consent', false],
    ['opted_out', false],
    ['not_in_window', false],
  ] as const)('printing the class codes gives a %s student a new code: %s', (status, prints) => {
    expect(printsCode(status)).toBe(prints);
  });
});

describe('marking several students at once', () => {
  const scope = { windowId: 'fall', schoolYear: '2026-27' };
  const row = (kind: ConsentRow['kind'], day: string, extra: Partial<ConsentRow> = {}): ConsentRow => ({
    kind,
    windowId: 'fall',
    schoolYear: '2026-27',
    instrumentId: null,
    recordedAt: `${day}T12:00:00Z`,
    ...extra,
  });

  it.each([
    ['nothing said', [], null],
    ['consent for the window', [row('consent', '2026-10-05')], 'consent'],
    ['an opt-out of the window', [row('opt_out', '2026-10-05')], 'refusal'],
    ['consent, then withdrawn', [row('consent', '2026-10-05'), row('withdrawn', '2026-10-09')], 'refusal'],
    ['an opt-out of the school year', [row('opt_out', '2026-09-01', { windowId: null })], 'refusal'],
    ['consent for another window only', [row('consent', '2026-10-05', { windowId: 'spring' })], null],
    ['an opt-out of the ASQ only: neither', [row('consent', '2026-10-05'), row('opt_out', '2026-10-06', { instrumentId: 'asq' })], null],
  ] as const)("the guardian's word with %s: %s", (_name, rows, word) => {
    expect(guardianWord(rows, scope, ['phq-a', 'asq'])).toBe(word);
  });

  const table: [string, 'absent' | 'consent_received' | 'consent_refused', SittingStatus, 'consent' | 'refusal' | null, string | null][] = [
    ['absent: a student with a code', 'absent', 'issued', null, null],
    ['absent: a student not started', 'absent', 'not_started', null, null],
    ['absent: a student in the middle of the screen', 'absent', 'started', null, 'started'],
    ['absent: a held student', 'absent', 'held', null, 'held'],
    ['absent: a screened student', 'absent', 'screened', null, 'screened'],
    ['absent: a student who chose not to take part (never counted absent)', 'absent', 'declined', null, 'declined'],
    ['absent: already absent', 'absent', 'absent', null, 'already'],
    ['consent received: nothing said yet', 'consent_received', 'needs_consent', null, null],
    ['consent received: after an opt-out (the family changed its mind)', 'consent_received', 'opted_out', 'refusal', null],
    ['consent received: already consented', 'consent_received', 'not_started', 'consent', 'already'],
    ['consent refused: after a consent', 'consent_refused', 'not_started', 'consent', null],
    ['consent refused: after the screen (recorded: it stands for what follows)', 'consent_refused', 'screened', 'consent', null],
    ['consent refused: already refused', 'consent_refused', 'opted_out', 'refusal', 'already'],
  ];
  it.each(table)('%s', (_name, mark, status, word, skipped) => {
    expect(markSkipped(mark, status, word)).toBe(skipped);
  });
});
