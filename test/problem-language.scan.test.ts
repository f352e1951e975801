import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasNotFoundWords } from '../src/platform/errors.text.ts';
import allowList from './problem-language.allow.json' with { type: 'json' };

/**
 * Staff who read Haven in Spanish must not meet an English refusal: every problem a service
 * builds carries its Spanish (`es`) and a stable `code` the web app can translate. This reads the
 * sources: each call of a problem helper, with its arguments up to the closing parenthesis, must
 * name both, or (for `notFound`) name a subject errors.text.ts says in Spanish. A schema's own
 * validation message (`message: '...'`, `.min(1, '...')`) is said through `inSpanish`.
 * `problem-language.allow.json` counts, per file, what is not done yet; it can only shrink.
 */

const root = join(import.meta.dirname, '..');
const helpers = /\b(badRequest|conflict|forbidden|unauthorized|notFound|tooManyRequests)\(|new HttpProblem\(/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The text between a call's parentheses (strings and template literals may hold parentheses). */
function argumentsAt(text: string, open: number): string {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Whether one call says its problem in Spanish with a code. */
function inSpanish(helper: string, args: string): boolean {
  if (helper === 'unauthorized' && args.trim() === '') return true; // the default carries both
  if (helper === 'notFound') {
    const subject = /^\s*'([^']*)'\s*$/.exec(args)?.[1];
    if (subject !== undefined && hasNotFoundWords(subject)) return true;
  }
  const named = (key: string) => new RegExp(`\\b${key}\\s*:|[{,]\\s*${key}\\s*[,}]`).test(args);
  return named('es') && named('code');
}

/** Files and how many of their problems lack Spanish or a code. */
function englishOnly(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of sourceFiles(join(root, 'src'))) {
    const name = relative(root, file).replaceAll('\\', '/');
    if (name === 'src/platform/errors.ts') continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(helpers)) {
      const helper = match[1] ?? 'HttpProblem';
      const before = text.slice(Math.max(0, match.index - 20), match.index);
      if (/\b(const|function|import)\s+$|\.\s*$/.test(before)) continue; // a declaration or a method, not a problem
      const args = argumentsAt(text, match.index + match[0].length - 1);
      if (!inSpanish(helper, args)) counts[name] = (counts[name] ?? 0) + 1;
    }
  }
  return counts;
}

/** A schema message given as a bare string rather than through `inSpanish(english, spanish, code)`. */
const bareMessage = /\bmessage:\s*['"`]|\.(?:min|max|length|regex)\(\s*(?:[^,()]|\([^()]*\))+,\s*['"`]/g;

/** Schema files and how many of their validation messages have no Spanish. */
function bareSchemaMessages(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of sourceFiles(join(root, 'src')).filter((f) => f.endsWith('.schema.ts'))) {
    const found = readFileSync(file, 'utf8').match(bareMessage)?.length ?? 0;
    if (found > 0) counts[relative(root, file).replaceAll('\\', '/')] = found;
  }
  return counts;
}

/** Files over their allowance, and files under it (whose allowance must be lowered). */
function against(found: Record<string, number>, allowed: Record<string, number>) {
  return {
    over: Object.entries(found)
      .filter(([file, count]) => count > (allowed[file] ?? 0))
      .map(([file, count]) => `${file}: ${count} without Spanish and a code (allowed ${allowed[file] ?? 0})`),
    stale: Object.entries(allowed)
      .filter(([file, count]) => (found[file] ?? 0) < count)
      .map(([file, count]) => `${file}: listed ${count}, now ${found[file] ?? 0}; lower it in test/problem-language.allow.json`),
  };
}

describe('problems in the request language', () => {
  const problems = against(englishOnly(), allowList.problems);
  const schemas = against(bareSchemaMessages(), allowList.schemaMessages);

  it('every problem a service builds has its Spanish and a code, beyond the files still listed', () => {
    expect(problems.over).toEqual([]);
  });

  it('every validation message a schema writes has its Spanish and a code, beyond the files still listed', () => {
    expect(schemas.over).toEqual([]);
  });

  it('the allow-list only shrinks: a file whose words were translated is taken off it', () => {
    expect([...problems.stale, ...schemas.stale]).toEqual([]);
  });
});
