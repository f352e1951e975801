import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type pg from 'pg';
import { expect } from 'vitest';

/**
 * Arbitraries for the public-endpoint fuzz suites (test/fuzz-*.test.ts): any code point (lone
 * surrogates and NUL included), the characters that break parsers, raw percent escapes that are not
 * UTF-8, very long strings, arbitrary JSON and bodies of any content type.
 */

/** Any code point, lone surrogates and NUL included. */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));
const troublemakers = fc.constantFrom(
  '\u0000',
  '\ud800',
  '\udfff',
  '\ud83d',
  '\ufeff',
  '\u202e',
  '\u2028',
  '\r\n',
  '\t',
  ' ',
  '%',
  '&',
  '=',
  '+',
  '\\',
  "'",
  '"',
  '<',
  '>',
  '😀',
  'é',
  'Ａ',
  '-',
);
const plain = fc.constantFrom('a', 'b', 'z', '0', '7', 'A', 'M', ' ');

/** Any string: any code point, weighted toward the characters that cause trouble. */
export const anyString = (maxLength = 40) =>
  fc.string({ unit: fc.oneof({ weight: 3, arbitrary: anyCodePoint }, { weight: 2, arbitrary: troublemakers }, { weight: 2, arbitrary: plain }), maxLength });

/** Strings around the limits that matter (200, 5,000, the 64 KB form and 256 KB body limits). */
export const longString = fc
  .tuple(fc.constantFrom('a', ' ', '\u0000', 'é', '😀', '\ud800', 'ab '), fc.constantFrom(199, 200, 201, 4_999, 5_000, 5_001, 20_000, 70_000, 270_000))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

export const someString = fc.oneof({ weight: 8, arbitrary: anyString() }, { weight: 1, arbitrary: longString });

/** Arbitrary JSON-ish values of every type: what a client may send in place of a string. */
export const anyValue = fc.oneof(
  { weight: 4, arbitrary: someString },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1e308, [], {}, ['a', 'b'], { a: 1 }) },
);

/** Percent-encodes every byte of a string's UTF-8 (lone surrogates become U+FFFD, as a browser does). */
export const pct = (s: string) => encodeURIComponent(wellFormed(s));

/** A string as UTF-8 carries it: each lone surrogate becomes U+FFFD. */
export const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');

/** Percent escapes that are not UTF-8, or not escapes at all. */
const rawPercent = fc.constantFrom('%', '%z', '%zz', '%FF', '%C0%80', '%ED%A0%80', '%00', '%E2%82', '%%', '+', '&', '=', '==', ';');

/** One component of a query string or form body: well-formed, or raw junk. */
export const component = (value: fc.Arbitrary<string> = someString) =>
  fc.oneof({ weight: 5, arbitrary: value.map(pct) }, { weight: 1, arbitrary: rawPercent }, { weight: 1, arbitrary: fc.constant('') });

/** A query string or form body: known keys (repeated too), any keys, any values. */
export const formString = (keys: readonly string[], values: fc.Arbitrary<string> = someString) =>
  fc
    .array(
      fc.tuple(
        fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...keys, '__proto__', 'constructor', `${keys[0]}[]`) }, { weight: 1, arbitrary: anyString(8) }),
        component(values),
      ),
      { maxLength: 8 },
    )
    .map((pairs) => pairs.map(([k, v]) => `${pct(k)}=${v}`).join('&'));

/** A header value a client can actually send: printable ASCII. */
export const headerValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });

export const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/x-www-form-urlencoded',
    'application/x-www-form-urlencoded; charset=utf-16',
    'application/json',
    'application/json; charset=latin1',
    'application/problem+json',
    'text/plain',
    'text/html',
    'text/csv',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/octet-stream',
    '*/*',
    ';',
  ),
  headerValue,
);

/** An object with the given fields, each any value, plus maybe extra fields. */
export const objectWith = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc.tuple(fc.record(fields, { requiredKeys: [] }), fc.dictionary(anyString(10), anyValue, { maxKeys: 3 })).map(([known, extra]) => ({ ...extra, ...known }));

export type Body = { payload: string | Buffer; contentType: string | undefined; label: string };

/** A request body: JSON of any shape, a form, broken JSON, raw bytes, each under any content type. */
export const anyBody = (keys: readonly string[], fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Body> =>
  fc.oneof(
    { weight: 3, arbitrary: objectWith(fields).map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json', label: 'json' })) },
    { weight: 3, arbitrary: formString(keys).map((f) => ({ payload: f, contentType: 'application/x-www-form-urlencoded', label: 'form' })) },
    {
      weight: 1,
      arbitrary: fc.anything().map((v) => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json', label: 'json-anything' })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '',
          '{',
          '{"a":',
          '[1,',
          'nul',
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          '"\\ud800"',
          '\ufeff{}',
          '{"a":1}{"b":2}',
        )
        .map((p) => ({ payload: p, contentType: 'application/json', label: 'broken-json' })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
            someString,
          ),
          fc.option(contentTypes, { nil: undefined }),
        )
        .map(([payload, contentType]) => ({ payload, contentType, label: 'raw' })),
    },
  );

/** A body of the expected shape (strings in the expected fields), as JSON or as a form. */
export const typedBody = (record: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<Body> =>
  fc.oneof(
    record.map((o) => ({ payload: JSON.stringify(o), contentType: 'application/json', label: 'json' })),
    record.map((o) => ({
      payload: Object.entries(o)
        .map(([k, v]) => `${pct(k)}=${pct(v)}`)
        .join('&'),
      contentType: 'application/x-www-form-urlencoded',
      label: 'form',
    })),
  );

/** The headers to send a body with (no content-type header when there is none). */
export const headersFor = (body: Body, extra: Record<string, string> = {}) => ({
  ...(body.contentType === undefined ? {} : { 'content-type': body.contentType }),
  ...extra,
});

/** A JSON API answers 2xx, or a 4xx problem+json whose detail a person can read; never a 5xx. */
export function expectApiAnswer(response: LightMyRequestResponse, ok: number[] = [200]) {
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
  if (ok.includes(response.statusCode)) return;
  expect(response.statusCode, response.body.slice(0, 500)).toBeGreaterThanOrEqual(400);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expectReadable(problem.detail);
  expect(problem.status).toBe(response.statusCode);
}

/** A sentence a person can read: not empty, not a stack, not an internal code or "[object Object]". */
export function expectReadable(detail: unknown) {
  expect(typeof detail).toBe('string');
  expect(detail as string).toMatch(/[A-Za-z]{3}/);
  expect(detail as string).not.toMatch(/FST_|ERR_|TypeError|ReferenceError|\bat \w+ \(|\[object |SQLSTATE|Failed query/);
}

/** A public HTML page answers HTML (a page or a redirect), never a 5xx or a bare JSON error. */
export function expectPage(response: LightMyRequestResponse, statuses: number[]) {
  expect(response.statusCode, response.body.slice(0, 500)).toBeLessThan(500);
  expect(statuses, `status ${response.statusCode}: ${response.body.slice(0, 300)}`).toContain(response.statusCode);
  if (response.statusCode === 303) return;
  expect(response.headers['content-type'], response.body.slice(0, 300)).toMatch(/^text\/html/);
  expect(response.body).toMatch(/^<!doctype html>/i);
}

/** Long runs of one character are shown as "a…(×5000)" so a counterexample stays readable. */
const shorten = (text: string) =>
  text.replace(/(.{1,3}?)\1{20,}/gsu, (run, unit: string) => `${unit}…(×${Math.round(run.length / unit.length)})`).slice(0, 6000);

/**
 * fast-check parameters for a fuzz property: a moderate number of runs (FUZZ_RUNS=2000 digs deeper)
 * and a readable report.
 */
export function fuzzRuns<T>(numRuns = 200): fc.Parameters<T> {
  return {
    numRuns: Number(process.env.FUZZ_RUNS) || numRuns,
    asyncReporter: async (out) => {
      if (!out.failed) return;
      const message = (await fc.asyncDefaultReportMessage(out)) ?? 'property failed';
      throw new Error(shorten(message), { cause: out.errorInstance });
    },
  };
}

/**
 * Per table, its row count and the newest transaction that wrote one of its rows (xmin): an
 * insert, an update or a delete changes one of them. Compared before and after a refused request.
 */
export async function tableState(client: pg.Pool, tables: readonly string[]): Promise<Record<string, string>> {
  const columns = tables.map((t) => `(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ${t}) as ${t}`);
  const { rows } = await client.query(`select ${columns.join(', ')}`);
  return rows[0];
}

/** Row count of a table in a `tableState`. */
export const rowsIn = (state: Record<string, string>, table: string) => Number(state[table]?.split(':')[0]);

let address = 0;
/** Each request from its own address: the per-address limits are tested on their own. */
export const nextAddress = () => {
  address += 1;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};
