import { findNodeAtLocation, type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Condition, InstrumentDefinition } from './definition.schema.ts';
import { instrumentDefinition } from './definition.schema.ts';

/** A problem in a definition file, placed on the line a person has to fix. */
export interface DefinitionError {
  line: number;
  column: number;
  path: string;
  message: string;
}

export type LoadedDefinition = { ok: true; definition: InstrumentDefinition } | { ok: false; errors: DefinitionError[] };

type Path = (string | number)[];

/**
 * Reads an instrument definition from JSON text: syntax, shape, then every cross-reference
 * (enableWhen targets, score items, condition operands, band codes), so a definition that loads
 * can always be scored. Errors carry the line and column of the offending value.
 */
export function loadDefinition(text: string): LoadedDefinition {
  const syntax: ParseError[] = [];
  const tree = parseTree(text, syntax, { allowTrailingComma: false, disallowComments: true });
  const place = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
  };
  if (syntax.length > 0 || !tree) {
    const first = syntax[0];
    return {
      ok: false,
      errors: [{ ...place(first?.offset ?? 0), path: '', message: `not valid JSON (${first ? printParseErrorCode(first.error) : 'empty file'})` }],
    };
  }
  const at = (path: Path, message: string): DefinitionError => {
    let node = findNodeAtLocation(tree, path);
    for (let trimmed = [...path]; !node && trimmed.length > 0; trimmed = trimmed.slice(0, -1)) node = findNodeAtLocation(tree, trimmed);
    return { ...place(node?.offset ?? 0), path: path.join('.'), message };
  };
  const parsed = instrumentDefinition.safeParse(JSON.parse(text));
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => at(issue.path as Path, issue.message)).sort((a, b) => a.line - b.line) };
  }
  const errors = crossReferenceErrors(parsed.data).map(([path, message]) => at(path, message));
  return errors.length > 0 ? { ok: false, errors: errors.sort((a, b) => a.line - b.line) } : { ok: true, definition: parsed.data };
}

/** Formats errors the way compilers do: `file:line:column: message (at path)`. */
export function formatDefinitionErrors(file: string, errors: DefinitionError[]): string {
  return errors.map((e) => `${file}:${e.line}:${e.column}: ${e.message}${e.path ? ` (at ${e.path})` : ''}`).join('\n');
}

function crossReferenceErrors(def: InstrumentDefinition): [Path, string][] {
  const errors: [Path, string][] = [];
  const items = new Map(def.item.map((i) => [i.linkId, i]));
  const contextNames = new Set(def.context.map((c) => c.name));
  const scoreBands = new Map<string, Set<string>>();
  for (const s of def.scoring.scores) {
    const codes = scoreBands.get(s.name) ?? new Set<string>();
    for (const b of s.bands) codes.add(b.code);
    scoreBands.set(s.name, codes);
  }
  const seen = new Set<string>();
  def.item.forEach((item, i) => {
    if (seen.has(item.linkId)) errors.push([['item', i, 'linkId'], `"${item.linkId}" is used by two questions`]);
    seen.add(item.linkId);
    const values = item.answerOption.map((o) => o.value);
    if (new Set(values).size !== values.length) errors.push([['item', i, 'answerOption'], 'two answer options have the same value']);
    item.enableWhen?.forEach((rule, r) => {
      if (rule.question !== undefined && !seen.has(rule.question)) {
        errors.push([['item', i, 'enableWhen', r, 'question'], `"${rule.question}" is not a question asked before this one`]);
      } else if (rule.question !== undefined && rule.operator !== 'exists') {
        const target = items.get(rule.question);
        if (target && !target.answerOption.some((o) => o.value === rule.answer)) {
          errors.push([['item', i, 'enableWhen', r, 'answer'], `${JSON.stringify(rule.answer)} is not an answer of "${rule.question}"`]);
        }
      }
      if (rule.context !== undefined && !contextNames.has(rule.context)) {
        errors.push([['item', i, 'enableWhen', r, 'context'], `"${rule.context}" is not declared under "context"`]);
      }
    });
  });

  const known = { conditions: new Set<string>(), flags: new Set<string>(), result: false };
  const checkCondition = (c: Condition, path: Path): void => {
    if ('all' in c || 'any' in c) {
      const list = 'all' in c ? c.all : c.any;
      for (const [k, sub] of list.entries()) checkCondition(sub, [...path, 'all' in c ? 'all' : 'any', k]);
      return;
    }
    if ('not' in c) {
      checkCondition(c.not, [...path, 'not']);
      return;
    }
    if ('count' in c) {
      for (const [k, sub] of c.count.entries()) checkCondition(sub, [...path, 'count', k]);
      return;
    }
    const values = Array.isArray(c.value) ? c.value : c.value === undefined ? [] : [c.value];
    if (c.item !== undefined) {
      const item = items.get(c.item);
      if (!item) errors.push([[...path, 'item'], `"${c.item}" is not a question of this instrument`]);
      else if (c.op === '=' || c.op === '!=' || c.op === 'in') {
        for (const v of values)
          if (!item.answerOption.some((o) => o.value === v)) errors.push([[...path, 'value'], `${JSON.stringify(v)} is not an answer of "${c.item}"`]);
      }
    }
    if (c.context !== undefined && !contextNames.has(c.context)) errors.push([[...path, 'context'], `"${c.context}" is not declared under "context"`]);
    if (c.score !== undefined && !scoreBands.has(c.score)) errors.push([[...path, 'score'], `"${c.score}" is not a score of this instrument`]);
    if (c.band !== undefined) {
      const codes = scoreBands.get(c.band);
      if (!codes) errors.push([[...path, 'band'], `"${c.band}" is not a score of this instrument`]);
      else for (const v of values) if (!codes.has(String(v))) errors.push([[...path, 'value'], `"${v}" is not a band of "${c.band}"`]);
    }
    if (c.result !== undefined && !known.result) errors.push([[...path, 'result'], 'the result is only known in flags and actions']);
    if (c.flag !== undefined && !known.flags.has(c.flag)) errors.push([[...path, 'flag'], `"${c.flag}" is not a flag defined above this one`]);
    if (c.condition !== undefined && !known.conditions.has(c.condition)) {
      errors.push([[...path, 'condition'], `"${c.condition}" is not a condition defined above this one`]);
    }
  };

  def.scoring.scores.forEach((s, i) => {
    if (s.when) checkCondition(s.when, ['scoring', 'scores', i, 'when']);
    s.items.forEach((linkId, k) => {
      const item = items.get(linkId);
      if (!item) errors.push([['scoring', 'scores', i, 'items', k], `"${linkId}" is not a question of this instrument`]);
      else if (item.answerOption.some((o) => typeof o.value !== 'number')) {
        errors.push([['scoring', 'scores', i, 'items', k], `"${linkId}" has answers that are not numbers, so it cannot be summed`]);
      }
    });
    s.bands.forEach((b, k) => {
      if (b.max !== undefined && b.max < b.min)
        errors.push([['scoring', 'scores', i, 'bands', k], `band "${b.code}" ends (${b.max}) before it starts (${b.min})`]);
    });
  });
  if (def.scoring.total !== undefined && !scoreBands.has(def.scoring.total)) {
    errors.push([['scoring', 'total'], `"${def.scoring.total}" is not a score of this instrument`]);
  }
  def.scoring.conditions.forEach((c, i) => {
    checkCondition(c.when, ['scoring', 'conditions', i, 'when']);
    known.conditions.add(c.name);
  });
  for (const [i, rule] of (def.scoring.levels?.rules ?? []).entries()) checkCondition(rule.when, ['scoring', 'levels', 'rules', i, 'when']);
  known.result = true;
  def.scoring.flags.forEach((flag, i) => {
    checkCondition(flag.when, ['scoring', 'flags', i, 'when']);
    known.flags.add(flag.code);
  });
  for (const [i, action] of def.scoring.actions.entries()) checkCondition(action.when, ['scoring', 'actions', i, 'when']);
  return errors;
}
