import { type Condition, describeAges, type InstrumentDefinition, type InstrumentItem, type ScoreDefinition, validatedAges } from './definition.schema.ts';

/** What scoring one set of answers gives; the shape `haven score` prints and the API returns. */
export interface ScoreResult {
  instrument: string;
  version: string;
  score: number | null;
  band: string | null;
  valid: boolean;
  prorated: boolean;
  subscales: Record<string, { score: number | null; band: string | null }>;
  flags: string[];
  actions: string[];
  errors: string[];
  /** The same problems in Spanish, for staff who read Haven in Spanish (the import report, the API's refusal). */
  errorsEs: string[];
}

/** Problems with a set of answers, said in English and in Spanish at once. */
type Problems = { en: string[]; es: string[]; add: (en: string, es: string) => void };
const noProblems = (): Problems => {
  const en: string[] = [];
  const es: string[] = [];
  return {
    en,
    es,
    add: (english, spanish) => {
      en.push(english);
      es.push(spanish);
    },
  };
};

/**
 * `partial`: score a screen still in progress. Questions not yet shown are unknown (neither
 * answered nor missing), nothing is required yet, and only the flags matter: a suicide-risk
 * answer raises its alert the moment it is given, not when the last question is done.
 */
export type Scorer = (answers: unknown, context?: unknown, options?: ScoreOptions) => ScoreResult;

/**
 * `abandoned`: score a screen that ended part-way (closed, timed out, code voided or re-issued)
 * on what was answered. Questions never reached are unknown, as with `partial`, but the score is
 * only valid when enough was answered, and a safety question never reached raises `risk_unknown`.
 */
export type ScoreOptions = { partial?: boolean; abandoned?: boolean };

/** Flags that put a student in front of a person the same day; they survive invalid answers. */
export const safetyFlagCodes = ['suicide_risk', 'imminent_risk'] as const;
const isSafetyFlag = (code: string) => (safetyFlagCodes as readonly string[]).includes(code);
/** What to do about a safety flag; kept beside it when the rest of the answers cannot be scored. */
const actionsForSafety = new Set([
  'same_day_safety_follow_up',
  'stat_safety_evaluation',
  'brief_suicide_safety_assessment',
  'mandatory_clinical_interview',
  'resource_list',
]);

/**
 * Raised on a screen scored part-way (abandoned, timed out, voided) when a question a safety flag
 * reads was never reached and no safety flag was raised: the follow-up queue asks a person to
 * find out, the same school day.
 */
export const riskUnknown = 'risk_unknown';

/** `undefined`: not yet shown (partial scoring only); `null`: shown and left unanswered. */
type Value = number | string | null | undefined;

interface State {
  values: Record<string, Value>;
  context: Record<string, Value>;
  scores: Record<string, { value: number | null; rounded: number | null; band: string | null }>;
  conditions: Record<string, boolean>;
  flags: Set<string>;
  result: string | null;
}

/**
 * Half up, as the PHQ policy asks. Bands and thresholds use the rounded value so that what a
 * counselor sees and the band always agree (9.5 shows as 10 and is "moderate").
 */
export const roundHalfUp = (x: number) => Math.floor(x + 0.5);

/**
 * Turns a validated definition into a scoring function. Everything that can be decided once
 * (conditions, item lookups, score groups) is decided here, so scoring a response is only the
 * arithmetic; bench/screening.ts keeps this within a few times of a hand-written PHQ-9.
 */
export function compileInstrument(def: InstrumentDefinition): Scorer {
  const items = def.item;
  const itemById = new Map(items.map((i) => [i.linkId, i]));
  const enabledChecks = items.map((item) => compileEnableWhen(item));
  const contextParams = def.context;
  const scoreGroups = groupScores(def.scoring.scores).map(([name, variants]) => ({
    name,
    variants: variants.map((v) => ({
      def: v,
      when: v.when ? compileCondition(v.when) : null,
      indices: v.items.map((id) => items.findIndex((i) => i.linkId === id)),
    })),
  }));
  const conditions = def.scoring.conditions.map((c) => ({ name: c.name, test: compileCondition(c.when) }));
  const levels = def.scoring.levels
    ? { rules: def.scoring.levels.rules.map((r) => ({ code: r.code, test: compileCondition(r.when) })), otherwise: def.scoring.levels.otherwise }
    : null;
  const flags = def.scoring.flags.map((f) => ({ code: f.code, test: compileCondition(f.when) }));
  const actions = def.scoring.actions.map((a) => ({ code: a.code, test: compileCondition(a.when) }));
  const total = def.scoring.total;
  const subscaleNames = new Set(def.scoring.scores.filter((s) => s.subscale).map((s) => s.name));
  const hasAge = contextParams.some((c) => c.name === 'age');
  const ages = validatedAges(def);
  const safetyFlags = new Set(def.scoring.flags.filter((f) => isSafetyFlag(f.code)).map((f) => f.code));
  const safetyActions = new Set(def.scoring.actions.filter((a) => actionsForSafety.has(a.code)).map((a) => a.code));
  // The questions a safety flag reads: when one was never reached, the risk is unknown.
  const safetyItems = [...new Set(def.scoring.flags.filter((f) => safetyFlags.has(f.code)).flatMap((f) => itemsReadBy(f.when, def.scoring.conditions)))];
  const unknownRisk = (s: State) => ![...s.flags].some((f) => safetyFlags.has(f)) && safetyItems.some((id) => s.values[id] === undefined);

  return (answers, context, options) => {
    const abandoned = options?.abandoned === true;
    const partial = options?.partial === true || abandoned;
    const problems = noProblems();
    const errors = problems.en;
    const result = (extra: Partial<ScoreResult>): ScoreResult => ({
      instrument: def.id,
      version: def.version,
      score: null,
      band: null,
      valid: false,
      prorated: false,
      subscales: {},
      flags: [],
      actions: [],
      errors,
      errorsEs: problems.es,
      ...extra,
    });
    if (!isPlainObject(answers)) {
      problems.add('answers must be a JSON object of question id -> answer', 'las respuestas deben ser un objeto JSON de id de pregunta -> respuesta');
      return result({});
    }
    if (context !== undefined && context !== null && !isPlainObject(context)) {
      problems.add('context must be a JSON object, e.g. {"grade": 7}', 'el contexto debe ser un objeto JSON, por ejemplo {"grade": 7}');
      return result({});
    }
    const state: State = { values: {}, context: {}, scores: {}, conditions: {}, flags: new Set(), result: null };

    const ctx = (context ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(ctx))
      if (!contextParams.some((p) => p.name === key)) problems.add(`unknown context "${key}"`, `contexto desconocido "${key}"`);
    for (const param of contextParams) {
      const v = ctx[param.name];
      if (v === undefined || v === null) {
        if (param.required)
          problems.add(
            `context "${param.name}" is required${param.text ? `: ${param.text.en}` : ''}`,
            `falta el contexto "${param.name}"${param.text ? `: ${param.text.es ?? param.text.en}` : ''}`,
          );
        state.context[param.name] = null;
      } else if (typeof v !== 'number' || !Number.isInteger(v) || v < param.min || v > param.max) {
        problems.add(
          `context "${param.name}": ${JSON.stringify(v)} is out of range (${param.min}–${param.max})`,
          `contexto "${param.name}": ${JSON.stringify(v)} está fuera del rango (${param.min}–${param.max})`,
        );
        state.context[param.name] = null;
      } else state.context[param.name] = v;
    }
    const age = state.context.age;
    if (hasAge && ages && typeof age === 'number' && (age < ages.min || (ages.max !== null && age > ages.max))) {
      problems.add(
        `${def.id} is validated for ${describeAges(ages)}, not ${age}${age < ages.min ? '; refer the student for a mental-health evaluation instead' : ''}`,
        `${def.id} está validado ${ages.max === null ? `desde los ${ages.min} años` : `de ${ages.min} a ${ages.max} años`}, no para los ${age}${age < ages.min ? '; en su lugar, derive al estudiante a una evaluación de salud mental' : ''}`,
      );
    }

    const given = answers as Record<string, unknown>;
    for (const key of Object.keys(given)) if (!itemById.has(key)) problems.add(`unknown item "${key}"`, `pregunta desconocida "${key}"`);
    for (let i = 0; i < items.length; i++) {
      const item = items[i] as InstrumentItem;
      const raw = given[item.linkId];
      if (partial && raw === undefined) {
        state.values[item.linkId] = undefined;
        continue;
      }
      const value = raw === undefined || raw === null ? null : checkAnswer(item, raw, problems);
      const enabled = enabledChecks[i]?.(state) ?? true;
      if (!enabled) {
        if (raw !== undefined && raw !== null)
          problems.add(
            `${item.linkId} is only asked when ${describeEnableWhen(item)}; leave it out`,
            `${item.linkId} solo se pregunta cuando ${describeEnableWhen(item, 'es')}; déjela en blanco`,
          );
        state.values[item.linkId] = null;
        continue;
      }
      if (value === null && item.required && (raw === undefined || raw === null))
        problems.add(`${item.linkId} needs an answer`, `${item.linkId} necesita una respuesta`);
      state.values[item.linkId] = value;
    }
    // Answers that break the rules get no score, but the safety flags the valid answers support
    // are still raised: a "yes" to a suicide question is never lost because another answer is
    // missing or out of range. An invalid answer counts as unanswered (unknown).
    const invalid = errors.length > 0;
    let prorated = false;
    for (const group of scoreGroups) {
      const variant = group.variants.find((v) => v.when === null || v.when(state));
      if (!variant) {
        state.scores[group.name] = { value: null, rounded: null, band: null };
        continue;
      }
      const computed = sumScore(variant.def, variant.indices, state, enabledChecks, (partial && !abandoned) || invalid ? null : problems);
      if (computed.prorated) prorated = true;
      state.scores[group.name] = computed;
    }
    for (const c of conditions) state.conditions[c.name] = c.test(state);
    const totalScore = total ? state.scores[total] : undefined;
    state.result = levels ? (levels.rules.find((r) => r.test(state))?.code ?? levels.otherwise) : (totalScore?.band ?? null);
    for (const f of flags) if (f.test(state)) state.flags.add(f.code);
    if (invalid) {
      const raised = [...state.flags].filter((f) => safetyFlags.has(f));
      return result({ flags: raised, actions: raised.length > 0 ? actions.filter((a) => safetyActions.has(a.code) && a.test(state)).map((a) => a.code) : [] });
    }
    if (abandoned && unknownRisk(state)) state.flags.add(riskUnknown);
    const subscales: ScoreResult['subscales'] = {};
    for (const name of subscaleNames) {
      const s = state.scores[name];
      subscales[name] = { score: s?.value ?? null, band: s?.band ?? null };
    }
    return result({
      score: totalScore?.value ?? null,
      band: state.result,
      valid: errors.length === 0,
      prorated,
      subscales,
      flags: [...state.flags],
      actions: actions.filter((a) => a.test(state)).map((a) => a.code),
    });
  };
}

function checkAnswer(item: InstrumentItem, raw: unknown, problems: Problems): Value {
  for (const option of item.answerOption) if (option.value === raw) return option.value;
  const numbers = item.answerOption.map((o) => o.value).filter((v): v is number => typeof v === 'number');
  if (numbers.length === item.answerOption.length && typeof raw === 'number' && Number.isInteger(raw)) {
    const range = `${Math.min(...numbers)}–${Math.max(...numbers)}`;
    problems.add(`${item.linkId}: ${raw} is out of range (${range})`, `${item.linkId}: ${raw} está fuera del rango (${range})`);
  } else {
    const options = item.answerOption.map((o) => JSON.stringify(o.value)).join(', ');
    problems.add(
      `${item.linkId}: ${JSON.stringify(raw)} is not one of ${options}`,
      `${item.linkId}: ${JSON.stringify(raw)} no es una de estas opciones: ${options}`,
    );
  }
  return null;
}

/** `problems`: where a score that cannot be given is said; null when it is not a problem (a partial screen, answers already invalid). */
function sumScore(def: ScoreDefinition, indices: number[], state: State, enabled: (((s: State) => boolean) | null)[], problems: Problems | null) {
  let sum = 0;
  let answered = 0;
  const missing: string[] = [];
  let counted = 0;
  for (let k = 0; k < indices.length; k++) {
    const linkId = def.items[k] as string;
    if (!(enabled[indices[k] as number]?.(state) ?? true)) continue;
    counted++;
    const v = state.values[linkId];
    if (typeof v === 'number') {
      sum += v;
      answered++;
    } else missing.push(linkId);
  }
  if (missing.length > def.missing.max || answered === 0) {
    const allowed = def.missing.max === 0 ? 'every answer is needed' : `at most ${def.missing.max} may be missing`;
    const permitidas = def.missing.max === 0 ? 'se necesitan todas las respuestas' : `pueden faltar ${def.missing.max} como máximo`;
    problems?.add(
      `${def.name}: ${missing.length} of ${counted} answers are missing (${missing.join(', ')}); ${allowed} for a valid score`,
      `${def.name}: faltan ${missing.length} de ${counted} respuestas (${missing.join(', ')}); ${permitidas} para un puntaje válido`,
    );
    return { value: null, rounded: null, band: null, prorated: false };
  }
  const value = missing.length === 0 ? sum : (sum * counted) / answered;
  const rounded = Number.isInteger(value) ? value : roundHalfUp(value);
  const band = def.bands.find((b) => rounded >= b.min && (b.max === undefined || rounded <= b.max))?.code ?? null;
  return { value, rounded, band, prorated: missing.length > 0 };
}

function groupScores(scores: ScoreDefinition[]): [string, ScoreDefinition[]][] {
  const groups = new Map<string, ScoreDefinition[]>();
  for (const s of scores) groups.set(s.name, [...(groups.get(s.name) ?? []), s]);
  return [...groups];
}

function compileEnableWhen(item: InstrumentItem): ((s: State) => boolean) | null {
  if (!item.enableWhen) return null;
  const rules = item.enableWhen.map((rule) => {
    const read =
      rule.question !== undefined ? (s: State) => s.values[rule.question as string] ?? null : (s: State) => s.context[rule.context as string] ?? null;
    if (rule.operator === 'exists') return (s: State) => (read(s) !== null) === (rule.answer === true);
    return (s: State) => compare(read(s), rule.operator, rule.answer as Value);
  });
  return item.enableBehavior === 'any' ? (s) => rules.some((r) => r(s)) : (s) => rules.every((r) => r(s));
}

function describeEnableWhen(item: InstrumentItem, lang: 'en' | 'es' = 'en'): string {
  const parts = (item.enableWhen ?? []).map((r) => `${r.question ?? r.context} ${r.operator} ${JSON.stringify(r.answer)}`);
  const joiner = item.enableBehavior === 'any' ? (lang === 'es' ? ' o ' : ' or ') : lang === 'es' ? ' y ' : ' and ';
  return parts.join(joiner);
}

function compare(v: Value, op: string, expected: unknown): boolean {
  switch (op) {
    case 'answered':
      return v !== null && v !== undefined;
    case 'missing':
      return v === null;
    case '=':
      return v !== null && v !== undefined && v === expected;
    case '!=':
      return v !== null && v !== undefined && v !== expected;
    case 'in':
      return v !== null && v !== undefined && (expected as unknown[]).includes(v);
    case '>':
      return typeof v === 'number' && v > (expected as number);
    case '>=':
      return typeof v === 'number' && v >= (expected as number);
    case '<':
      return typeof v === 'number' && v < (expected as number);
    case '<=':
      return typeof v === 'number' && v <= (expected as number);
    default:
      return false;
  }
}

/** Conditions become closures once; `!=` and comparisons never hold for a missing answer (use "missing"). */
export function compileCondition(c: Condition): (s: State) => boolean {
  if ('all' in c) {
    const parts = c.all.map(compileCondition);
    return (s) => parts.every((p) => p(s));
  }
  if ('any' in c) {
    const parts = c.any.map(compileCondition);
    return (s) => parts.some((p) => p(s));
  }
  if ('not' in c) {
    const inner = compileCondition(c.not);
    return (s) => !inner(s);
  }
  if ('count' in c) {
    const parts = c.count.map(compileCondition);
    const { op, value } = c;
    return (s) =>
      compare(
        parts.reduce((n, p) => n + (p(s) ? 1 : 0), 0),
        op,
        value,
      );
  }
  const { op = '=', value } = c;
  if (c.flag !== undefined) return (s) => s.flags.has(c.flag as string);
  if (c.condition !== undefined) return (s) => s.conditions[c.condition as string] === true;
  const read: (s: State) => Value =
    c.item !== undefined
      ? (s) => s.values[c.item as string]
      : c.context !== undefined
        ? (s) => s.context[c.context as string] ?? null
        : c.score !== undefined
          ? (s) => s.scores[c.score as string]?.rounded ?? null
          : c.band !== undefined
            ? (s) => s.scores[c.band as string]?.band ?? null
            : (s) => s.result;
  return (s) => compare(read(s), op, value);
}

/** Every item a condition reads, following named conditions. */
function itemsReadBy(c: Condition, named: { name: string; when: Condition }[], seen = new Set<string>()): string[] {
  if ('all' in c) return c.all.flatMap((p) => itemsReadBy(p, named, seen));
  if ('any' in c) return c.any.flatMap((p) => itemsReadBy(p, named, seen));
  if ('not' in c) return itemsReadBy(c.not, named, seen);
  if ('count' in c) return c.count.flatMap((p) => itemsReadBy(p, named, seen));
  if (c.item !== undefined) return [c.item];
  if (c.condition !== undefined && !seen.has(c.condition)) {
    seen.add(c.condition);
    const target = named.find((n) => n.name === c.condition);
    return target ? itemsReadBy(target.when, named, seen) : [];
  }
  return [];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
