import { describe, expect, it } from 'vitest';
import type { InstrumentDefinition } from './definition.schema.ts';
import { shippedInstruments } from './library.ts';
import { formatScreenCode, instrumentComplete, nextStep, normalizeScreenCode } from './screen.rules.ts';

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
