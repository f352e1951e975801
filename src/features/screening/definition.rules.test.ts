import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDefinitionErrors, loadDefinition } from './definition.rules.ts';
import { archivedInstrument } from './library.ts';

const gad7 = readFileSync(new URL('./instruments/gad-7.json', import.meta.url), 'utf8');
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('loading an instrument definition', () => {
  it('accepts every shipped definition', () => {
    for (const id of ['phq-9', 'phq-a', 'gad-7', 'asq', 'srss-ie']) {
      const loaded = loadDefinition(readFileSync(new URL(`./instruments/${id}.json`, import.meta.url), 'utf8'));
      expect(loaded.ok, id).toBe(true);
    }
  });

  it('keeps every earlier shipped version valid, so older results are shown with the questions that scored them', () => {
    for (const file of readdirSync(new URL('./instruments/archive/', import.meta.url))) {
      expect(loadDefinition(readFileSync(new URL(`./instruments/archive/${file}`, import.meta.url), 'utf8')).ok, file).toBe(true);
    }
    expect(archivedInstrument('srss-ie', '1.0.0')?.definition.item.map((i) => i.linkId)).toContain('i6');
    expect(archivedInstrument('srss-ie', '9.9.9')).toBeUndefined();
  });

  it('places a JSON syntax error on its line', () => {
    const broken = gad7.replace('"version": "1.1.0",', '"version": "1.1.0",,');
    const loaded = loadDefinition(broken);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors[0]).toMatchObject({ line: lineOf(broken, ',,'), message: expect.stringMatching(/not valid JSON/) });
  });

  it('names the line of a score that sums a question that does not exist', () => {
    const broken = gad7.replace('"q6", "q7"]', '"q6", "q8"]');
    const loaded = loadDefinition(broken);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors).toEqual([
      { line: lineOf(broken, '"q8"'), column: expect.any(Number), path: 'scoring.scores.0.items.6', message: '"q8" is not a question of this instrument' },
    ]);
    const line = lineOf(broken, '"q8"');
    const column = (broken.split('\n')[line - 1] ?? '').indexOf('"q8"') + 1;
    expect(formatDefinitionErrors('gad-7.json', loaded.errors)).toBe(
      `gad-7.json:${line}:${column}: "q8" is not a question of this instrument (at scoring.scores.0.items.6)`,
    );
  });

  it('catches a misspelt operator, then a band code that the score does not have', () => {
    const definition = JSON.parse(gad7);
    definition.scoring.actions.push({ code: 'x', when: { score: 'total', op: '=>', value: 3 }, text: { en: 'x' } });
    const misspelt = loadDefinition(JSON.stringify(definition, null, 2));
    if (misspelt.ok) throw new Error('should not load');
    expect(misspelt.errors.map((e) => e.path)).toEqual(['scoring.actions.1.when']);
    definition.scoring.actions.pop();
    definition.scoring.flags.push({ code: 'very_high', when: { band: 'total', op: 'in', value: ['extreme'] } });
    const unknownBand = loadDefinition(JSON.stringify(definition, null, 2));
    if (unknownBand.ok) throw new Error('should not load');
    expect(unknownBand.errors.map((e) => [e.path, e.message])).toEqual([['scoring.flags.2.when.value', '"extreme" is not a band of "total"']]);
  });

  it('refuses a flag that refers to a flag defined after it, and an answer value an item does not offer', () => {
    const definition = JSON.parse(gad7);
    definition.scoring.flags.unshift({ code: 'early', when: { flag: 'positive' } });
    definition.scoring.flags.push({ code: 'typo', when: { item: 'q1', op: '=', value: 'Yes' } });
    const loaded = loadDefinition(JSON.stringify(definition, null, 2));
    if (loaded.ok) throw new Error('should not load');
    expect(loaded.errors.map((e) => e.message)).toEqual(['"positive" is not a flag defined above this one', '"Yes" is not an answer of "q1"']);
  });

  it('requires English text and a known shape', () => {
    const definition = JSON.parse(gad7);
    definition.item[0].text = { es: 'Nervioso' };
    definition.item[1].colour = 'red';
    const loaded = loadDefinition(JSON.stringify(definition, null, 2));
    if (loaded.ok) throw new Error('should not load');
    expect(loaded.errors.map((e) => [e.path, e.message])).toEqual([
      ['item.0.text', 'every text needs at least English ("en")'],
      ['item.1', 'Unrecognized key: "colour"'],
    ]);
  });
});
