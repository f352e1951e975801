import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Spanish equal to English in the staff app: every English string has a Spanish one, and each
 * Spanish string fills in the same values ({{name}}, {{count}}...), so a Spanish reader is never
 * shown an English fallback or a sentence with a name or a number missing.
 */
type Tree = { [key: string]: string | Tree };
const load = (language: string) => JSON.parse(readFileSync(new URL(`../web/src/locales/${language}.json`, import.meta.url), 'utf8')) as Tree;
const flatten = (tree: Tree, prefix = ''): [string, string][] =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[prefix + key, value]] : flatten(value, `${prefix}${key}.`)));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
/** i18next plural forms: Spanish adds `_many`; a key's base name is what both languages share. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

describe('the staff app in Spanish', () => {
  const en = new Map(flatten(load('en')));
  const es = new Map(flatten(load('es')));

  it('has every English string in Spanish, and nothing only in Spanish', () => {
    expect([...en.keys()].filter((key) => !es.has(key))).toEqual([]);
    const english = new Set([...en.keys()].map(base));
    expect([...es.keys()].filter((key) => !english.has(base(key)))).toEqual([]);
  });

  it('fills in the same values in both languages', () => {
    const differing = [...en].filter(([key, text]) => es.has(key) && placeholders(text).join() !== placeholders(es.get(key) as string).join());
    expect(differing.map(([key]) => key)).toEqual([]);
  });
});
