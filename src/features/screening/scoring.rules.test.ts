import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentFromText, shippedInstruments } from './library.ts';

/** Every rule in shared/reference/instruments.md, scored through the one engine. */
const lib = shippedInstruments();
const score = (id: string, answers: unknown, context?: unknown, options?: { partial?: boolean }) => {
  const instrument = lib.get(id);
  if (!instrument) throw new Error(`no ${id}`);
  return instrument.score(answers, context, options);
};

/** Answers q1..qN adding up to `total`, filled from the first item, with item 9 set separately. */
function frequencyAnswers(count: number, total: number, extra: Record<string, unknown> = {}) {
  const answers: Record<string, unknown> = {};
  let left = total;
  for (let i = 1; i <= count; i++) {
    const v = Math.min(3, left);
    answers[`q${i}`] = v;
    left -= v;
  }
  return { ...answers, ...extra };
}

describe('PHQ-9', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately_severe'],
    [19, 'moderately_severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('a total of %i is %s', (total, band) => {
    const result = score('phq-9', frequencyAnswers(9, total));
    expect(result).toMatchObject({ score: total, band, valid: true, prorated: false, errors: [] });
    expect(result.flags.includes('refer_for_evaluation')).toBe(total >= 10);
  });

  it('item 9 at 1 flags suicide risk and same-day follow-up even with a minimal total', () => {
    const result = score('phq-9', { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 1 });
    expect(result).toMatchObject({ score: 1, band: 'minimal', valid: true });
    expect(result.flags).toContain('suicide_risk');
    expect(result.actions).toContain('same_day_safety_follow_up');
    expect(result.flags).not.toContain('refer_for_evaluation');
  });

  it('item 9 at 0 raises no suicide flag', () => {
    expect(score('phq-9', frequencyAnswers(9, 12, { q9: 0 })).flags).toEqual(['refer_for_evaluation', 'positive']);
  });

  it('a missing item 9 is unknown risk: prorated total and the same suicide-risk follow-up', () => {
    const result = score('phq-9', { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: null });
    expect(result).toMatchObject({ score: 9, band: 'mild', valid: true, prorated: true });
    expect(result.flags).toContain('suicide_risk');
  });

  it('two missing answers are replaced by the mean; the unrounded score is kept and banded rounded half up', () => {
    // 4 over 8 answered items, × 9 = 4.5: shown as 5, so "mild" rather than "minimal".
    const result = score('phq-9', { q1: 1, q2: 1, q3: 1, q4: 1, q5: 0, q6: 0, q7: 0, q9: 0 });
    expect(result).toMatchObject({ score: 4.5, band: 'mild', prorated: true, valid: true });
    const two = score('phq-9', { q1: 2, q2: 2, q3: 2, q4: 2, q5: 2, q6: 2, q7: 2, q8: null, q9: null });
    expect(two).toMatchObject({ score: 18, band: 'moderately_severe', prorated: true });
  });

  it('more than two missing answers make the score invalid, but item 9 still counts', () => {
    const result = score('phq-9', { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q9: 2 });
    expect(result).toMatchObject({ score: null, band: null, valid: false });
    expect(result.errors).toEqual(['total: 3 of 9 answers are missing (q6, q7, q8); at most 2 may be missing for a valid score']);
    expect(result.flags).toContain('suicide_risk');
  });

  it.each([
    [{ q1: 4 }, 'q1: 4 is out of range (0–3)'],
    [{ q1: -1 }, 'q1: -1 is out of range (0–3)'],
    [{ q2: 1.5 }, 'q2: 1.5 is not one of 0, 1, 2, 3'],
    [{ q3: '2' }, 'q3: "2" is not one of 0, 1, 2, 3'],
    [{ q10: 1 }, 'unknown item "q10"'],
  ])('rejects %j: %s, and scores nothing', (bad, message) => {
    const result = score('phq-9', { ...frequencyAnswers(9, 3), ...bad });
    expect(result).toMatchObject({ valid: false, score: null, band: null, flags: [], actions: [] });
    expect(result.errors).toContain(message);
  });

  it('rejects answers that are not an object', () => {
    expect(score('phq-9', [1, 2, 3]).errors).toEqual(['answers must be a JSON object of question id -> answer']);
  });
});

describe('PHQ-A', () => {
  const base = { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 0 };

  it('the four extra questions are not added to the total', () => {
    const result = score('phq-a', { ...frequencyAnswers(9, 7, { q9: 0 }), past_year: 'yes', difficulty: 3, past_month_thoughts: 'no', lifetime_attempt: 'no' });
    expect(result).toMatchObject({ score: 7, band: 'mild', valid: true });
    expect(result.flags).not.toContain('suicide_risk');
  });

  it.each(['past_month_thoughts', 'lifetime_attempt'])('%s = yes is suicide risk and a mandatory clinical interview with a total of 0', (question) => {
    const result = score('phq-a', { ...base, [question]: 'yes' });
    expect(result).toMatchObject({ score: 0, band: 'minimal' });
    expect(result.flags).toContain('suicide_risk');
    expect(result.actions).toContain('mandatory_clinical_interview');
  });

  it('item 9 at 1 is suicide risk', () => {
    expect(score('phq-a', { ...base, q9: 1 }).flags).toContain('suicide_risk');
  });

  it.each([
    ['core item, five positives, somewhat difficult', { q1: 2, q2: 0, q3: 2, q4: 2, q5: 2, q6: 0, q7: 0, q8: 0, q9: 1, difficulty: 1 }, true],
    ['item 2 as the core item', { q1: 0, q2: 3, q3: 2, q4: 2, q5: 2, q6: 2, q7: 0, q8: 0, q9: 0, difficulty: 2 }, true],
    ['difficulty "not difficult at all"', { q1: 2, q2: 0, q3: 2, q4: 2, q5: 2, q6: 0, q7: 0, q8: 0, q9: 1, difficulty: 0 }, false],
    ['difficulty not answered', { q1: 2, q2: 0, q3: 2, q4: 2, q5: 2, q6: 0, q7: 0, q8: 0, q9: 1 }, false],
    ['only four positive items', { q1: 2, q2: 0, q3: 2, q4: 2, q5: 1, q6: 1, q7: 1, q8: 1, q9: 1, difficulty: 1 }, false],
    ['no core item at 2 or more', { q1: 1, q2: 1, q3: 2, q4: 2, q5: 2, q6: 2, q7: 2, q8: 0, q9: 0, difficulty: 1 }, false],
  ])('probable major depression aid: %s', (_name, answers, expected) => {
    expect(score('phq-a', answers).flags.includes('probable_major_depression')).toBe(expected);
  });

  it('rejects an answer outside the difficulty scale', () => {
    expect(score('phq-a', { ...base, difficulty: 4 }).errors).toEqual(['difficulty: 4 is out of range (0–3)']);
  });
});

describe('GAD-7', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('a total of %i is %s', (total, band) => {
    const result = score('gad-7', frequencyAnswers(7, total));
    expect(result).toMatchObject({ score: total, band, valid: true });
    expect(result.flags.includes('refer_for_evaluation')).toBe(total >= 10);
  });

  it('prorates one or two missing answers and refuses three', () => {
    expect(score('gad-7', { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3 })).toMatchObject({ score: 21, prorated: true, band: 'severe' });
    expect(score('gad-7', { q1: 3, q2: 3, q3: 3, q4: 3 })).toMatchObject({ score: null, valid: false });
  });
});

describe('ASQ', () => {
  const no = { q1: 'no', q2: 'no', q3: 'no', q4: 'no' };

  it('all "no" is negative, with no flags and question 5 not asked', () => {
    expect(score('asq', no)).toMatchObject({ band: 'negative', score: null, flags: [], actions: [], valid: true });
  });

  it.each([
    ['a "yes", question 5 "no"', { ...no, q2: 'yes', q5: 'no' }, 'non_acute_positive'],
    ['a refusal counts as positive', { ...no, q3: 'refused', q5: 'no' }, 'non_acute_positive'],
    ['question 5 "yes"', { ...no, q1: 'yes', q5: 'yes' }, 'acute_positive'],
    ['question 5 unanswered is treated as acute', { ...no, q4: 'yes' }, 'acute_positive'],
    ['question 5 refused is treated as acute', { ...no, q4: 'yes', q5: 'refused' }, 'acute_positive'],
  ])('%s → %s', (_name, answers, band) => {
    const result = score('asq', answers);
    expect(result).toMatchObject({ band, valid: true });
    expect(result.flags).toContain('suicide_risk');
    expect(result.flags.includes('imminent_risk')).toBe(band === 'acute_positive');
    expect(result.actions).toContain(band === 'acute_positive' ? 'stat_safety_evaluation' : 'brief_suicide_safety_assessment');
  });

  it('question 5 answered after four "no" breaks the branching', () => {
    expect(score('asq', { ...no, q5: 'no' }).errors).toEqual([
      'q5 is only asked when q1 = "yes" or q1 = "refused" or q2 = "yes" or q2 = "refused" or q3 = "yes" or q3 = "refused" or q4 = "yes" or q4 = "refused"; leave it out',
    ]);
  });

  it('questions 1–4 must be answered (a refusal is an answer)', () => {
    expect(score('asq', { q1: 'no', q2: 'no', q3: 'no' }).errors).toEqual(['q4 needs an answer']);
    expect(score('asq', { ...no, q1: 'maybe' }).errors).toEqual(['q1: "maybe" is not one of "yes", "no", "refused"']);
  });

  it('is not given below age 8', () => {
    expect(score('asq', no, { age: 7 }).errors[0]).toMatch(/not validated below age 8/);
    expect(score('asq', no, { age: 8 }).valid).toBe(true);
  });
});

describe('SRSS-IE', () => {
  const externalizing = (total: number) => Object.fromEntries(Object.entries(frequencyAnswers(7, total)).map(([k, v]) => [k.replace('q', 'e'), v]));
  const internalizing = (count: number, total: number) =>
    Object.fromEntries(Object.entries(frequencyAnswers(count, total)).map(([k, v]) => [k.replace('q', 'i'), v]));

  it.each([
    [3, 'low'],
    [4, 'moderate'],
    [8, 'moderate'],
    [9, 'high'],
    [21, 'high'],
  ])('externalizing %i is %s in every grade', (total, band) => {
    for (const grade of [0, 5, 6, 12]) {
      const items = grade >= 6 ? 6 : 5;
      const result = score('srss-ie', { ...externalizing(total), ...internalizing(items, 0) }, { grade });
      expect(result.subscales.externalizing).toEqual({ score: total, band });
    }
  });

  it.each([
    [0, 1, 'low'],
    [5, 2, 'moderate'],
    [3, 3, 'moderate'],
    [5, 4, 'high'],
    [6, 3, 'low'],
    [6, 4, 'moderate'],
    [12, 5, 'moderate'],
    [7, 6, 'high'],
  ])('grade %i, internalizing %i is %s', (grade, total, band) => {
    const result = score('srss-ie', { ...externalizing(0), ...internalizing(grade >= 6 ? 6 : 5, total) }, { grade });
    expect(result).toMatchObject({ valid: true, score: null });
    expect(result.subscales.internalizing).toEqual({ score: total, band });
    expect(result.flags.includes('positive')).toBe(band !== 'low');
  });

  it('the sixth internalizing item is for grades 6–12 only', () => {
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(6, 0) }, { grade: 5 }).errors).toEqual(['i6 is only asked when grade >= 6; leave it out']);
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(5, 0) }, { grade: 6 }).valid).toBe(false);
  });

  it('needs the grade, within K–12', () => {
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(5, 0) }).errors).toEqual([
      'context "grade" is required: Grade of the student (kindergarten = 0)',
    ]);
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(5, 0) }, { grade: 13 }).errors).toEqual(['context "grade": 13 is out of range (0–12)']);
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(5, 0) }, { grade: 2, school: 'x' }).errors).toEqual(['unknown context "school"']);
  });
});

describe('a licensed definition loaded as data: the C-SSRS screener triage', () => {
  const cssrs = instrumentFromText(readFileSync('test/fixtures/instruments/c-ssrs-screener.test-only.json', 'utf8'), 'c-ssrs');
  const base = { q1: 'no', q2: 'no', q6: 'no' };

  it.each([
    ['nothing reported', base, 'none'],
    ['wish to be dead only', { ...base, q1: 'yes' }, 'low'],
    ['thoughts, no method, intent or plan', { ...base, q2: 'yes', q3: 'no', q4: 'no', q5: 'no' }, 'low'],
    ['thoughts with a method', { ...base, q2: 'yes', q3: 'yes', q4: 'no', q5: 'no' }, 'moderate'],
    ['behaviour more than 3 months ago', { ...base, q6: 'yes', q6_recent: 'no' }, 'moderate'],
    ['intent', { ...base, q2: 'yes', q3: 'no', q4: 'yes', q5: 'no' }, 'high'],
    ['plan with intent', { ...base, q2: 'yes', q3: 'yes', q4: 'no', q5: 'yes' }, 'high'],
    ['behaviour within 3 months', { ...base, q1: 'yes', q6: 'yes', q6_recent: 'yes' }, 'high'],
    ['behaviour, "within 3 months" not answered, counts as within', { ...base, q6: 'yes' }, 'high'],
  ])('%s → %s (highest level wins)', (_name, answers, band) => {
    expect(cssrs.score(answers)).toMatchObject({ band, valid: true });
  });

  it('questions 3–5 are asked only after a "yes" to question 2', () => {
    expect(cssrs.score({ ...base, q3: 'yes' }).errors).toEqual(['q3 is only asked when q2 = "yes"; leave it out']);
  });
});

describe('partial scoring of a screen in progress', () => {
  it('a PHQ-A item 9 answer raises suicide risk before the last question; questions not yet shown are not "missing"', () => {
    expect(score('phq-a', { q1: 1, q2: 0 }, undefined, { partial: true }).flags).toEqual([]);
    expect(score('phq-a', { q1: 1, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 1 }, undefined, { partial: true }).flags).toContain('suicide_risk');
    expect(score('phq-a', { q1: 1, q9: null }, undefined, { partial: true }).flags).toContain('suicide_risk');
  });

  it('an ASQ "yes" is treated as imminent until question 5 is answered', () => {
    expect(score('asq', { q1: 'no' }, undefined, { partial: true }).flags).toEqual([]);
    expect(score('asq', { q1: 'yes' }, undefined, { partial: true }).flags).toEqual(['suicide_risk', 'imminent_risk', 'positive']);
  });
});
