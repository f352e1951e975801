import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentFromText, shippedInstruments } from './library.ts';
import type { ScoreOptions } from './scoring.rules.ts';

/** Every published scoring rule of the shipped instruments (as listed in the project's instrument reference), scored through the one engine. */
const lib = shippedInstruments();
const score = (id: string, answers: unknown, context?: unknown, options?: ScoreOptions) => {
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
    expect(score('asq', no, { age: 7 }).errors[0]).toBe(
      'asq is validated for ages 8 and over, not 7; refer the student for a mental-health evaluation instead',
    );
    expect(score('asq', no, { age: 8 }).valid).toBe(true);
  });
});

describe('SRSS-IE', () => {
  const externalizing = (total: number) => Object.fromEntries(Object.entries(frequencyAnswers(7, total)).map(([k, v]) => [k.replace('q', 'e'), v]));
  const internalizing = (total: number) => Object.fromEntries(Object.entries(frequencyAnswers(5, total)).map(([k, v]) => [k.replace('q', 'i'), v]));

  it.each([
    [3, 'low'],
    [4, 'moderate'],
    [8, 'moderate'],
    [9, 'high'],
    [21, 'high'],
  ])('externalizing %i is %s in every grade', (total, band) => {
    for (const grade of [0, 5, 6, 12]) {
      const result = score('srss-ie', { ...externalizing(total), ...internalizing(0) }, { grade });
      expect(result.subscales.externalizing).toEqual({ score: total, band });
    }
  });

  it.each([
    [0, 1, 0, 'low'],
    [5, 2, 0, 'moderate'],
    [3, 3, 0, 'moderate'],
    [5, 4, 0, 'high'],
    // Middle and high school: the five items plus the externalizing peer-rejection rating (e4).
    [6, 3, 0, 'low'],
    [6, 3, 1, 'moderate'],
    [12, 5, 0, 'moderate'],
    [7, 3, 3, 'high'],
  ])('grade %i, internalizing items %i with peer rejection %i is %s', (grade, total, peerRejection, band) => {
    const result = score('srss-ie', { ...externalizing(0), e4: peerRejection, ...internalizing(total) }, { grade });
    expect(result).toMatchObject({ valid: true, score: null });
    expect(result.subscales.internalizing).toEqual({ score: grade >= 6 ? total + peerRejection : total, band });
    expect(result.flags.includes('positive')).toBe(band !== 'low');
  });

  it('is twelve ratings in every grade: peer rejection is rated once and counts in both scales from grade 6', () => {
    const definition = lib.get('srss-ie')?.definition;
    expect(definition?.item.map((i) => i.linkId)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'i1', 'i2', 'i3', 'i4', 'i5']);
    const result = score('srss-ie', { ...externalizing(0), e4: 3, ...internalizing(0) }, { grade: 8 });
    expect(result.subscales).toEqual({ externalizing: { score: 3, band: 'low' }, internalizing: { score: 3, band: 'low' } });
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(0), i6: 1 }, { grade: 8 }).errors).toEqual(['unknown item "i6"']);
  });

  it('needs the grade, within K–12', () => {
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(0) }).errors).toEqual([
      'context "grade" is required: Grade of the student (kindergarten = 0)',
    ]);
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(0) }, { grade: 13 }).errors).toEqual(['context "grade": 13 is out of range (0–12)']);
    expect(score('srss-ie', { ...externalizing(0), ...internalizing(0) }, { grade: 2, school: 'x' }).errors).toEqual(['unknown context "school"']);
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

describe('a risk answer is never lost because of another answer', () => {
  const phq = { q1: 0, q2: 0, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: 0, q9: 0 };
  it.each([
    ['ASQ: a "yes" to question 1, the rest unanswered', 'asq', { q1: 'yes' }, ['suicide_risk', 'imminent_risk']],
    ['ASQ: a refusal of question 3, question 1 out of the options', 'asq', { q1: 'maybe', q2: 'no', q3: 'refused', q4: 'no', q5: 'no' }, ['suicide_risk']],
    ['ASQ: a "yes" below the validated age', 'asq', { q1: 'no', q2: 'yes', q3: 'no', q4: 'no', q5: 'no' }, ['suicide_risk'], { age: 7 }],
    ['ASQ: four "no", one unanswered: no flag', 'asq', { q1: 'no', q2: 'no', q3: 'no' }, []],
    ['PHQ-9: item 9 at 1, item 1 out of range', 'phq-9', { ...phq, q1: 4, q9: 1 }, ['suicide_risk']],
    ['PHQ-9: item 9 at 2, an unknown item', 'phq-9', { ...phq, q9: 2, q10: 1 }, ['suicide_risk']],
    ['PHQ-9: item 9 out of range counts as unknown', 'phq-9', { ...phq, q9: 7 }, ['suicide_risk']],
    ['PHQ-9: item 9 at 0, item 1 out of range: no flag', 'phq-9', { ...phq, q1: 4 }, []],
    ['PHQ-A: past-month thoughts unanswered', 'phq-a', { ...phq, past_year: 'no', difficulty: 0, lifetime_attempt: 'no' }, ['suicide_risk']],
    ['PHQ-A: a past attempt, an answer out of range', 'phq-a', { ...phq, q2: 9, past_month_thoughts: 'no', lifetime_attempt: 'yes' }, ['suicide_risk']],
  ])('%s', (_name, id, answers, expected, context?: Record<string, number>) => {
    const result = score(id, answers, context);
    expect(result.flags).toEqual(expected);
    if (expected.length > 0 && id !== 'phq-a') expect(result.valid).toBe(false);
    if (!result.valid) expect(result).toMatchObject({ score: null, band: null });
    if (!result.valid) expect(result.errors.length).toBeGreaterThan(0);
  });

  it('keeps the safety actions beside the flags, and nothing that needs a score', () => {
    const result = score('phq-9', { ...phq, q1: 3, q2: 3, q3: 3, q4: 3, q5: 4, q9: 1 });
    expect(result.actions).toEqual(['same_day_safety_follow_up']);
    expect(score('asq', { q1: 'yes' }).actions).toEqual(['stat_safety_evaluation', 'resource_list']);
  });

  it('a PHQ-A answered in full with "no" to past-month thoughts raises no suicide flag', () => {
    expect(score('phq-a', { ...phq, past_year: 'no', difficulty: 0, past_month_thoughts: 'no', lifetime_attempt: 'no' }).flags).toEqual([]);
  });
});

describe('PHQ-9 diagnostic aid: probable major depression', () => {
  // Kroenke, Spitzer & Williams 2001: five or more of the nine symptoms "more than half the days"
  // (item 9 at any level), with depressed mood or loss of interest (item 1 or 2) among them.
  it.each([
    ['five at 2 with item 1', { q1: 2, q2: 0, q3: 2, q4: 2, q5: 2, q6: 2, q7: 0, q8: 0, q9: 0 }, true],
    ['item 2 as the core item, item 9 at 1 counting', { q1: 0, q2: 3, q3: 2, q4: 2, q5: 0, q6: 0, q7: 0, q8: 2, q9: 1 }, true],
    ['five at 2 without item 1 or 2', { q1: 1, q2: 1, q3: 2, q4: 2, q5: 2, q6: 2, q7: 2, q8: 0, q9: 0 }, false],
    ['only four', { q1: 2, q2: 2, q3: 2, q4: 2, q5: 1, q6: 1, q7: 1, q8: 1, q9: 0 }, false],
    ['item 9 at 1 and four at 2: item 9 counts at any level', { q1: 2, q2: 1, q3: 2, q4: 1, q5: 2, q6: 1, q7: 1, q8: 2, q9: 1 }, true],
    ['item 9 at 1 and three at 2: "several days" elsewhere does not count', { q1: 2, q2: 1, q3: 1, q4: 1, q5: 2, q6: 1, q7: 1, q8: 2, q9: 1 }, false],
  ])('%s', (_name, answers, expected) => {
    expect(score('phq-9', answers).flags.includes('probable_major_depression')).toBe(expected);
  });
});

describe('a screen abandoned part-way is scored on what was answered', () => {
  const abandoned = { abandoned: true };
  it('PHQ-A left before item 9: too few answers for a score, and the risk is unknown', () => {
    const result = score('phq-a', { q1: 2, q2: 1, q3: 1, q4: 0, q5: 1 }, undefined, abandoned);
    expect(result).toMatchObject({ valid: false, score: null });
    expect(result.flags).toEqual(['risk_unknown']);
    expect(result.errors[0]).toMatch(/4 of 9 answers are missing/);
  });

  it('PHQ-9 left after item 9 was answered "several days": suicide risk, not unknown', () => {
    const result = score('phq-9', { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q8: 1, q9: 1 }, undefined, abandoned);
    expect(result).toMatchObject({ valid: true, score: 9 });
    expect(result.flags).toEqual(['suicide_risk']);
  });

  it('PHQ-9 left with only item 8 unanswered is scored (prorated) and the risk is known', () => {
    const result = score('phq-9', { q1: 1, q2: 1, q3: 1, q4: 1, q5: 1, q6: 1, q7: 1, q9: 0 }, undefined, abandoned);
    expect(result).toMatchObject({ valid: true, score: 7.875, band: 'mild', prorated: true, flags: [] });
  });

  it('ASQ left after two "no": the other suicide questions were never asked, so the risk is unknown', () => {
    expect(score('asq', { q1: 'no', q2: 'no' }, undefined, abandoned).flags).toEqual(['risk_unknown']);
    expect(score('asq', { q1: 'no', q2: 'yes' }, undefined, abandoned).flags).toEqual(['suicide_risk', 'imminent_risk', 'positive']);
  });

  it('GAD-7 has no safety question, so leaving it never raises unknown risk', () => {
    expect(score('gad-7', { q1: 1 }, undefined, abandoned).flags).toEqual([]);
  });
});

describe('validated ages', () => {
  it.each([
    ['phq-a', 13, 18],
    ['phq-9', 13, null],
    ['gad-7', 12, null],
    ['asq', 8, null],
  ])('%s is validated for ages %i to %s, with its source', (id, min, max) => {
    const ages = lib.get(id)?.definition.ages;
    expect(ages?.min).toBe(min);
    expect(ages?.max ?? null).toBe(max);
    expect(ages?.source).toMatch(/\d{4}/);
  });
});
