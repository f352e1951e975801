import { z } from 'zod';

/**
 * The instrument definition language. An instrument is a FHIR-Questionnaire-shaped list of items
 * (linkId, text per language, answer options with ordinal values, enableWhen) plus a declarative
 * `scoring` section. One engine (scoring.rules.ts) scores every instrument, so a district can load
 * a licensed instrument such as the C-SSRS screener without code. docs/instruments.md explains the
 * language with examples.
 */

const text = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'language codes look like "en" or "es"'), z.string().min(1)).refine((t) => 'en' in t, {
  message: 'every text needs at least English ("en")',
});

const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'ids are lower-case letters, digits and "_", starting with a letter');
const answerValue = z.union([z.number().int(), z.string().min(1).max(40)]);

export const comparisons = ['=', '!=', '>', '>=', '<', '<=', 'in', 'answered', 'missing'] as const;

/** Where a condition looks. `band` and `result` compare band codes; `flag` and `condition` are true or false. */
export const operandKinds = ['item', 'context', 'score', 'band', 'result', 'flag', 'condition'] as const;
export type OperandKind = (typeof operandKinds)[number];

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { count: Condition[]; op: '=' | '>=' | '>' | '<=' | '<'; value: number }
  | ({ op?: (typeof comparisons)[number]; value?: unknown } & Partial<Record<OperandKind, string>>);

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(condition).min(1) }),
    z.strictObject({ any: z.array(condition).min(1) }),
    z.strictObject({ not: condition }),
    z.strictObject({ count: z.array(condition).min(1), op: z.enum(['=', '>=', '>', '<=', '<']), value: z.number().int().min(0) }),
    z
      .strictObject({
        item: id.optional(),
        context: id.optional(),
        score: id.optional(),
        band: id.optional(),
        result: z.literal(true).optional(),
        flag: id.optional(),
        condition: id.optional(),
        op: z.enum(comparisons).optional(),
        value: z.union([answerValue, z.array(answerValue).min(1), z.boolean()]).optional(),
      })
      .superRefine((c, ctx) => {
        const kinds = operandKinds.filter((k) => c[k] !== undefined);
        if (kinds.length !== 1) {
          ctx.addIssue({ code: 'custom', message: `a condition names exactly one of ${operandKinds.join(', ')} (or uses all / any / not / count)` });
          return;
        }
        const truthy = kinds[0] === 'flag' || kinds[0] === 'condition';
        if (truthy && c.op !== undefined) ctx.addIssue({ code: 'custom', message: `a ${kinds[0]} condition is simply true or false; leave out "op"` });
        if (!truthy && c.op === undefined) ctx.addIssue({ code: 'custom', message: 'this condition needs an "op"' });
        const needsValue = c.op !== undefined && c.op !== 'answered' && c.op !== 'missing';
        if (needsValue && c.value === undefined) ctx.addIssue({ code: 'custom', message: `"op": "${c.op}" needs a "value"` });
        if (c.op === 'in' && !Array.isArray(c.value)) ctx.addIssue({ code: 'custom', message: '"op": "in" needs a list as "value"' });
      }),
  ]),
) as z.ZodType<Condition>;

/** FHIR enableWhen, extended so a question can also depend on context (the student's grade). */
const enableWhen = z
  .strictObject({
    question: id.optional(),
    context: id.optional(),
    operator: z.enum(['exists', '=', '!=', '>', '<', '>=', '<=']),
    answer: z.union([answerValue, z.boolean()]),
  })
  .refine((e) => (e.question === undefined) !== (e.context === undefined), { message: 'enableWhen names either "question" or "context"' });

const coding = z.object({ system: z.string(), code: z.string(), display: z.string().optional() });

const item = z.strictObject({
  linkId: id,
  type: z.enum(['choice']).default('choice'),
  text,
  code: z.array(coding).optional(),
  required: z.boolean().default(false),
  answerOption: z
    .array(z.strictObject({ value: answerValue, display: text, code: z.string().optional() }))
    .min(2, 'a question needs at least two answer options'),
  enableWhen: z.array(enableWhen).min(1).optional(),
  enableBehavior: z.enum(['all', 'any']).default('all'),
});

const band = z.strictObject({ code: id, min: z.number(), max: z.number().optional() });

const score = z.strictObject({
  name: id,
  /** When present, this definition of the score applies only when the condition holds (first match wins). */
  when: condition.optional(),
  items: z.array(id).min(1),
  /** Missing answers: up to `max` are replaced by the mean of the answered ones (prorated); more makes the score invalid. */
  missing: z.strictObject({ max: z.number().int().min(0), method: z.enum(['mean']).default('mean') }).default({ max: 0, method: 'mean' }),
  bands: z.array(band).default([]),
  subscale: z.boolean().default(false),
  code: z.array(coding).optional(),
});

const contextParam = z.strictObject({
  name: id,
  type: z.enum(['integer']),
  min: z.number().int(),
  max: z.number().int(),
  required: z.boolean().default(false),
  text: text.optional(),
});

export const instrumentDefinition = z.strictObject({
  resourceType: z.literal('Questionnaire'),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'an instrument id is lower-case letters, digits and "-", e.g. "phq-9"'),
  version: z.string().min(1).max(20),
  name: z.string().min(1),
  title: text,
  status: z.enum(['draft', 'active', 'retired']).default('active'),
  code: z.array(coding).optional(),
  copyright: z.string().optional(),
  /** Languages whose item text is a validated translation; others see English with a note. */
  validatedLanguages: z.array(z.string()).min(1).default(['en']),
  /** Who answers: the student, or an adult rating the student (SRSS-IE). */
  respondent: z.enum(['student', 'teacher', 'clinician']).default('student'),
  /** Earlier form of `ages.min`, still read from older district definitions. */
  minAge: z.number().int().min(0).optional(),
  /** The ages the instrument was validated for, with the study that says so; none given outside. */
  ages: z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0).optional(), source: z.string().min(1) }).optional(),
  recallPeriod: text.optional(),
  context: z.array(contextParam).default([]),
  item: z.array(item).min(1),
  scoring: z.strictObject({
    scores: z.array(score).default([]),
    /** The score reported as `score` and whose band is `band`, unless `levels` decide the band. */
    total: id.optional(),
    /** Named conditions, evaluated in order after the scores; later ones may use earlier ones. */
    conditions: z.array(z.strictObject({ name: id, when: condition })).default([]),
    /** Ordered from most to least severe: the first that holds is the band ("highest level wins"). */
    levels: z.strictObject({ rules: z.array(z.strictObject({ code: id, when: condition })).min(1), otherwise: id }).optional(),
    flags: z.array(z.strictObject({ code: id, when: condition, text: text.optional() })).default([]),
    actions: z.array(z.strictObject({ code: id, when: condition, text })).default([]),
  }),
});

export type InstrumentDefinition = z.infer<typeof instrumentDefinition>;
export type InstrumentItem = InstrumentDefinition['item'][number];
export type ScoreDefinition = InstrumentDefinition['scoring']['scores'][number];

export type ValidatedAges = { min: number; max: number | null; source: string | null };

/** The ages a definition may be given at (from `ages`, or an older definition's `minAge`). */
export function validatedAges(def: Pick<InstrumentDefinition, 'ages' | 'minAge'>): ValidatedAges | null {
  if (def.ages) return { min: def.ages.min, max: def.ages.max ?? null, source: def.ages.source };
  return def.minAge === undefined ? null : { min: def.minAge, max: null, source: null };
}

/** "ages 13–18" or "ages 8 and over", for messages. */
export function describeAges(ages: ValidatedAges): string {
  return ages.max === null ? `ages ${ages.min} and over` : `ages ${ages.min}–${ages.max}`;
}
