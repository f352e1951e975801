import type { InstrumentDefinition, InstrumentItem } from './definition.schema.ts';

/** Pure rules of the student's screen: one-time codes and which question comes next. */

const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/** A one-time screen code from 40 random bits, shown as XXXX-XXXX (easy to read out and type). */
export function formatScreenCode(random: Uint8Array): string {
  let code = '';
  let bits = 0;
  let value = 0;
  for (const byte of random.slice(0, 5)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      code += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `${code.slice(0, 4)}-${code.slice(4, 8)}`;
}

/** Reads a code as a student types it: any case, spaces or dashes, O for 0 and I or L for 1. */
export function normalizeScreenCode(input: string): string | null {
  const compact = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(compact)) return null;
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

type Answers = Record<string, unknown>;

/** FHIR enableWhen against the answers given so far (and context such as the grade). */
export function isEnabled(item: InstrumentItem, answers: Answers, context: Answers): boolean {
  if (!item.enableWhen) return true;
  const results = item.enableWhen.map((rule) => {
    const raw = rule.question !== undefined ? answers[rule.question] : context[rule.context as string];
    const v = raw === undefined ? null : raw;
    switch (rule.operator) {
      case 'exists':
        return (v !== null) === (rule.answer === true);
      case '=':
        return v !== null && v === rule.answer;
      case '!=':
        return v !== null && v !== rule.answer;
      case '>':
        return typeof v === 'number' && v > (rule.answer as number);
      case '>=':
        return typeof v === 'number' && v >= (rule.answer as number);
      case '<':
        return typeof v === 'number' && v < (rule.answer as number);
      default:
        return typeof v === 'number' && v <= (rule.answer as number);
    }
  });
  return item.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
}

export type NextStep = { done: false; instrument: InstrumentDefinition; item: InstrumentItem; position: number; of: number } | { done: true };

/**
 * The next question: the first shown-and-enabled question not yet answered (a skipped question
 * is answered with null), instrument by instrument in the window's order.
 */
export function nextStep(instruments: InstrumentDefinition[], answers: Record<string, Answers>, context: (def: InstrumentDefinition) => Answers): NextStep {
  for (const instrument of instruments) {
    const given = answers[instrument.id] ?? {};
    const ctx = context(instrument);
    const enabled = instrument.item.filter((item) => isEnabled(item, given, ctx));
    const index = enabled.findIndex((item) => !(item.linkId in given));
    const item = enabled[index];
    if (item) return { done: false, instrument, item, position: index + 1, of: enabled.length };
  }
  return { done: true };
}

/** True when every enabled question of the instrument has an answer (or was skipped). */
export function instrumentComplete(instrument: InstrumentDefinition, given: Answers, context: Answers): boolean {
  return instrument.item.every((item) => !isEnabled(item, given, context) || item.linkId in given);
}

/**
 * Is the instrument shown in this language? Only from a translation Haven ships as validated for
 * it (`validatedLanguages`), with every question and answer in that language; anything less is
 * shown in English throughout, never half and half.
 */
export function shownInLanguage(instrument: InstrumentDefinition, lang: string): boolean {
  if (lang === 'en') return true;
  if (!instrument.validatedLanguages.includes(lang)) return false;
  return instrument.item.every((item) => Boolean(item.text[lang]) && item.answerOption.every((option) => Boolean(option.display[lang])));
}

/**
 * The parts of a screen (numbered from 1, in the order given) whose questions will be in English
 * on a screen in another language, so the student is told on the first page, before answering,
 * instead of meeting English mid-way.
 */
export function partsInEnglish(instruments: readonly InstrumentDefinition[], lang: string): number[] {
  return instruments.flatMap((instrument, index) => (shownInLanguage(instrument, lang) ? [] : [index + 1]));
}
