import { describe, expect, it } from 'vitest';
import type { InstrumentDefinition } from './definition.schema.ts';
import { shippedInstruments } from './library.ts';
import { formatScreenCode, instrumentComplete, nextStep, normalizeScreenCode, partsInEnglish, shownInLanguage } from './screen.rules.ts';

const asq = shippedInstruments().get('asq')?.definition as InstrumentDefinition;
const phqa = shippedInstruments().get('phq-a')?.definition as InstrumentDefinition;
const none = () => ({});

describe('screen codes', () => {
  it('are 8 Crockford symbols, read back however they are typed', () => {
    const code = formatScreenCode(new Uint8Array([255, 0, 128, 7, 99]));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normalizeScreenCode(code.toLowerCase().replace('-', ' '))).toBe(code);
    expect(normalizeScreenCode('oi12 3456')).toBe('0112-3456');
    expect(normalizeScreenCode('1234')).toBeNull();
  });

  it('differ for different random bytes', () => {
    expect(formatScreenCode(new Uint8Array([1, 2, 3, 4, 5]))).not.toBe(formatScreenCode(new Uint8Array([1, 2, 3, 4, 6])));
  });
});

describe('which question comes next', () => {
  it('walks instruments in order and skips a question its branching does not ask', () => {
    const answers = { asq: { q1: 'no', q2: 'no', q3: 'no', q4: 'no' } };
    const step = nextStep([asq, phqa], answers, none);
    expect(step).toMatchObject({ done: false, instrument: { id: 'phq-a' }, item: { linkId: 'q1' }, position: 1 });
    expect(instrumentComplete(asq, answers.asq, {})).toBe(true);
  });

  it('asks ASQ question 5 after a "yes"', () => {
    const step = nextStep([asq], { asq: { q1: 'yes', q2: 'no', q3: 'no', q4: 'no' } }, none);
    expect(step).toMatchObject({ done: false, item: { linkId: 'q5' }, position: 5, of: 5 });
  });

  it('a skipped question (null) counts as answered; the screen ends after the last one', () => {
    const all = Object.fromEntries(phqa.item.map((i) => [i.linkId, null]));
    expect(nextStep([phqa], { 'phq-a': all }, none)).toEqual({ done: true });
  });
});

describe('which parts of a screen are in English on a Spanish screen', () => {
  /** The ASQ as if Haven shipped a validated Spanish translation of every question and answer. */
  const spanishAsq: InstrumentDefinition = {
    ...asq,
    validatedLanguages: ['en', 'es'],
    item: asq.item.map((item) => ({
      ...item,
      text: { ...item.text, es: `(es) ${item.text.en}` },
      answerOption: item.answerOption.map((o) => ({ ...o, display: { ...o.display, es: `(es) ${o.display.en}` } })),
    })),
  };
  const halfTranslated: InstrumentDefinition = {
    ...spanishAsq,
    item: [...spanishAsq.item.slice(0, 2), ...asq.item.slice(2).map((item) => ({ ...item, text: { en: item.text.en as string } }))],
  };

  it.each([
    ['English: always shown as written', [asq, phqa], 'en', []],
    ['no instrument Haven ships has Spanish yet: both parts in English', [asq, phqa], 'es', [1, 2]],
    ['a validated Spanish ASQ first, the PHQ-A second: part 2 only', [spanishAsq, phqa], 'es', [2]],
    ['validated Spanish for every part: nothing in English', [spanishAsq], 'es', []],
    ['marked validated but a question without Spanish: English throughout, never half and half', [halfTranslated], 'es', [1]],
  ] as const)('%s', (_name, instruments, lang, parts) => {
    expect(partsInEnglish(instruments, lang)).toEqual(parts);
  });

  it('a translation not marked validated is not used', () => {
    expect(shownInLanguage({ ...spanishAsq, validatedLanguages: ['en'] }, 'es')).toBe(false);
    expect(shownInLanguage(spanishAsq, 'es')).toBe(true);
  });

  it('the ASQ carries NIMH’s Spanish questions for staff who ask them in Spanish; a student on their own still reads the English', () => {
    expect(asq.item.map((item) => item.text.es)).toEqual([
      'En las últimas semanas, ¿ha deseado estar muerto?',
      'En las últimas semanas, ¿ha sentido que usted o su familia estarían mejor si estuviera muerto?',
      'En la última semana, ¿ha estado pensando en suicidarse?',
      '¿Alguna vez ha intentado suicidarse?',
      '¿Está pensando en suicidarse en este momento?',
    ]);
    expect(asq.scoring.actions?.every((action) => action.text.es)).toBe(true);
    expect(shownInLanguage(asq, 'es')).toBe(false);
  });
});
