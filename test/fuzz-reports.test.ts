import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeFollowUpCode } from '../src/features/crisis-reports/reports.rules.ts';
import { sha256 } from '../src/platform/secrets.ts';
import { createCrisisTeams } from './support/crisis.ts';
import { createDistrict } from './support/factories.ts';
import {
  anyBody,
  anyString,
  anyValue,
  type Body,
  expectApiAnswer,
  expectPage,
  formString,
  fuzzRuns,
  headersFor,
  headerValue,
  nextAddress,
  pct,
  rowsIn,
  someString,
  tableState,
  typedBody,
  wellFormed,
} from './support/fuzz.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

/**
 * Issue 15: every public way to ask for help on the web (the form, the app API, follow-up by code)
 * takes any input without a 5xx, and a refused request leaves no record behind. SMS: fuzz-sms.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let openCode: string;
let closedCode: string;

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  const report = async () => {
    const created = await haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { description: 'fuzz seed report', school: 'lincoln-ms' } });
    expect(created.statusCode).toBe(201);
    return created.json().followUpCode as string;
  };
  openCode = await report();
  closedCode = await report();
  await sql(`update reports set status = 'closed', closed_at = now() where follow_up_code_hash = $1`, [sha256(closedCode)]);
});
afterAll(() => haven.close());

const sql = async (text: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(text, params)).rows;

/** Every table a public report request may write to. */
const tables = ['reports', 'report_intake', 'report_messages', 'report_alerts', 'incidents', 'audit_events'] as const;
const snapshot = () => tableState(haven.deps.db.system.$client as pg.Pool, tables);

const reportFields = ['description', 'about', 'school', 'district', 'category', 'urgency', 'contact', 'language', 'lang'] as const;
const reportValues = {
  description: anyValue,
  about: anyValue,
  school: fc.oneof(anyValue, fc.constantFrom('lincoln-ms', 'LINCOLN-MS', 'aspen-es', 'nowhere')),
  district: fc.oneof(anyValue, fc.constant('__district__')),
  category: fc.oneof(anyValue, fc.constantFrom('other', 'bullying', 'weapon', 'suicide_self_harm')),
  urgency: fc.oneof(anyValue, fc.constantFrom('routine', 'urgent', 'life_safety')),
  contact: anyValue,
  language: fc.oneof(anyValue, fc.constantFrom('en', 'es')),
};
const withDistrict = (b: Body): Body => ({ ...b, payload: typeof b.payload === 'string' ? b.payload.replaceAll('__district__', d.district.slug) : b.payload });

/**
 * What is stored for a text a person typed: NUL dropped at the edge, trimmed, a lone surrogate
 * U+FFFD. A form is UTF-8 before it is sent (the client replaces lone surrogates); JSON carries them.
 */
const stored = (s: string, json: boolean) => (json ? wellFormed(s.replaceAll('\u0000', '')) : wellFormed(s).replaceAll('\u0000', '')).trim();

async function reportByCode(code: string) {
  const rows = await sql('select description, about_person, channel from reports where follow_up_code_hash = $1', [sha256(code)]);
  expect(rows, `one report for follow-up code ${code}`).toHaveLength(1);
  return rows[0] as { description: string; about_person: string | null; channel: string };
}

/** The form answers a stored report with a redirect; the thanks page it leads to shows the code (from the cookie set). */
async function thanksCode(sent: Awaited<ReturnType<typeof haven.app.inject>>): Promise<string> {
  const thanks = await haven.app.inject({
    method: 'GET',
    url: String(sent.headers.location),
    cookies: Object.fromEntries(sent.cookies.map((c) => [c.name, c.value])),
  });
  expectPage(thanks, [200]);
  return /class="code"[^>]*>([0-9A-Z-]{14})</.exec(thanks.body)?.[1] as string;
}

/** A refused request stored nothing; an accepted one stored exactly one report and nothing queued. */
async function expectOutcome(before: Record<string, string>, accepted: boolean) {
  const after = await snapshot();
  if (!accepted) expect(after, 'a refused request left a record behind').toEqual(before);
  else {
    expect(rowsIn(after, 'reports')).toBe(rowsIn(before, 'reports') + 1);
    expect(rowsIn(after, 'report_intake')).toBe(0);
  }
}

describe('POST /report (the public web form)', () => {
  it('answers any body under any content type with an HTML page, and a refused report stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(anyBody(reportFields, reportValues), formString(['lang', 'district']), async (raw, query) => {
        const body = withDistrict(raw);
        const before = await snapshot();
        const response = await haven.app.inject({
          method: 'POST',
          url: `/report?${query}`,
          payload: body.payload,
          headers: headersFor(body),
          remoteAddress: nextAddress(),
        });
        expectPage(response, [303, 400, 413, 415]);
        await expectOutcome(before, response.statusCode === 303);
        if (response.statusCode === 303) expect(await thanksCode(response)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      }),
      fuzzRuns(),
    );
  });

  it('stores exactly what was written (NUL dropped, trimmed) and never refuses a valid report', async () => {
    await fc.assert(
      fc.asyncProperty(someString, fc.option(anyString(250), { nil: undefined }), fc.boolean(), async (description, about, asJson) => {
        const fields: Record<string, string> = { description, school: 'lincoln-ms', ...(about === undefined ? {} : { about }) };
        const payload = asJson
          ? JSON.stringify(fields)
          : Object.entries(fields)
              .map(([k, v]) => `${k}=${pct(v)}`)
              .join('&');
        const before = await snapshot();
        const response = await haven.app.inject({
          method: 'POST',
          url: '/report',
          payload,
          headers: { 'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded' },
          remoteAddress: nextAddress(),
        });
        // The limits count characters (code points): 5,000 emoji are 5,000 characters.
        const characters = (s: string) => [...s].length;
        const valid =
          characters(stored(description, asJson)) >= 1 && characters(stored(description, asJson)) <= 5000 && characters(stored(about ?? '', asJson)) <= 200;
        expectPage(response, valid ? [303] : [400, 413]);
        await expectOutcome(before, valid);
        if (!valid) return;
        const code = await thanksCode(response);
        const report = await reportByCode(code);
        expect(report.description).toBe(stored(description, asJson));
        expect(report.about_person).toBe(stored(about ?? '', asJson) || null);
      }),
      fuzzRuns(150),
    );
  });
});

describe('POST /api/v1/reports (the app API)', () => {
  it('answers 201 or a 4xx problem, and stores exactly what was sent', async () => {
    const typed = typedBody(
      fc.record(
        { description: someString, about: anyString(250), school: fc.constantFrom('lincoln-ms', 'aspen-es', 'nowhere') },
        { requiredKeys: ['description'] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody(reportFields, reportValues), typed), async (raw) => {
        const body = withDistrict(raw);
        const before = await snapshot();
        const response = await haven.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          payload: body.payload,
          headers: headersFor(body),
          remoteAddress: nextAddress(),
        });
        expectApiAnswer(response, [201]);
        await expectOutcome(before, response.statusCode === 201);
        if (response.statusCode !== 201 || body.label !== 'json') return;
        const sent = JSON.parse(body.payload as string) as Record<string, unknown>;
        const report = await reportByCode(response.json().followUpCode);
        expect(report).toMatchObject({ channel: 'api', description: stored(sent.description as string, true) });
        expect(report.about_person).toBe(typeof sent.about === 'string' ? stored(sent.about, true) || null : null);
      }),
      fuzzRuns(150),
    );
  });
});

describe('follow-up by code', () => {
  const code = fc.oneof(
    fc.constant('__open__'),
    fc.constant('__closed__'),
    fc.constantFrom(' __open__ ', '__open_lower__', 'OOOO-IIII-LLLL', '0000-0000-0000', 'ZZZZ-ZZZZ-ZZZZ'),
    anyString(50),
  );
  const real = (c: string) =>
    c.replace('__open_lower__', openCode.toLowerCase().replaceAll('-', ' ')).replace('__open__', openCode).replace('__closed__', closedCode);

  it('GET and POST /report/follow-up answer a page for any code, query or body, and store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(formString(['code', 'lang'], code.map(real)), fc.constant('')),
        fc.oneof(anyBody(['code', 'lang'], { code: fc.oneof(code.map(real), anyValue), lang: anyValue }), fc.constant(undefined)),
        fc.option(headerValue, { nil: undefined }),
        async (query, body, acceptLanguage) => {
          const before = await snapshot();
          const headers: Record<string, string> = acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage };
          const viewed = await haven.app.inject({ method: 'GET', url: `/report/follow-up?${query}`, headers, remoteAddress: nextAddress() });
          expectPage(viewed, [200, 404]);
          if (body) {
            const posted = await haven.app.inject({
              method: 'POST',
              url: '/report/follow-up',
              payload: body.payload,
              headers: headersFor(body, headers),
              remoteAddress: nextAddress(),
            });
            expectPage(posted, [200, 400, 404, 413, 415]);
          }
          expect(await snapshot()).toEqual(before);
        },
      ),
      fuzzRuns(),
    );
  });

  it('POST /report/follow-up/message stores the message as written, or nothing when it is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        code.map(real),
        fc.oneof({ weight: 3, arbitrary: someString }, { weight: 1, arbitrary: anyValue }),
        fc.boolean(),
        async (c, message, asJson) => {
          const fields = { code: c, message, lang: 'en' };
          const payload = asJson
            ? JSON.stringify(fields)
            : Object.entries(fields)
                .map(([k, v]) => `${k}=${typeof v === 'string' ? pct(v) : pct(JSON.stringify(v) ?? '')}`)
                .join('&');
          const before = await snapshot();
          const response = await haven.app.inject({
            method: 'POST',
            url: '/report/follow-up/message',
            payload,
            headers: { 'content-type': asJson ? 'application/json' : 'application/x-www-form-urlencoded' },
            remoteAddress: nextAddress(),
          });
          expectPage(response, [303, 400, 404, 413]);
          const after = await snapshot();
          if (response.statusCode !== 303) return void expect(after, 'a refused message left a record behind').toEqual(before);
          expect(normalizeFollowUpCode(c.replaceAll('\u0000', '').slice(0, 40))).toBe(openCode);
          expect(rowsIn(after, 'report_messages')).toBe(rowsIn(before, 'report_messages') + 1);
          const text = stored(typeof message === 'string' ? message : JSON.stringify(message), asJson);
          expect((await sql(`select count(*)::int as n from report_messages where body = $1`, [text]))[0].n).toBeGreaterThanOrEqual(1);
        },
      ),
      fuzzRuns(),
    );
  });

  it('the follow-up API (GET /api/v1/reports/follow-up/:code, POST …/messages) answers JSON or a 4xx problem; a refused message stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(code.map(real), anyBody(['message'], { message: fc.oneof(someString, anyValue) }), async (c, body) => {
        const url = `/api/v1/reports/follow-up/${pct(c) || 'x'}`;
        const viewed = await haven.app.inject({ method: 'GET', url, remoteAddress: nextAddress() });
        expectApiAnswer(viewed, [200]);
        const before = await snapshot();
        const posted = await haven.app.inject({
          method: 'POST',
          url: `${url}/messages`,
          payload: body.payload,
          headers: headersFor(body),
          remoteAddress: nextAddress(),
        });
        expectApiAnswer(posted, [201]);
        const after = await snapshot();
        if (posted.statusCode !== 201) return void expect(after, 'a refused message left a record behind').toEqual(before);
        expect(rowsIn(after, 'report_messages')).toBe(rowsIn(before, 'report_messages') + 1);
      }),
      fuzzRuns(150),
    );
  });

  it('GET /report/:school answers the form for any school and query', async () => {
    const school = fc.oneof(
      fc.constantFrom('lincoln-ms', 'LINCOLN-MS'),
      anyString(80).map((s) => pct(s) || 'x'),
      fc.constantFrom('%', '%zz', '%E0%A4', '%C0%80', '%00'),
    );
    await fc.assert(
      fc.asyncProperty(school, formString(['lang', 'district']), async (path, query) => {
        const response = await haven.app.inject({ method: 'GET', url: `/report/${path}?${query}`, remoteAddress: nextAddress() });
        // 400 and 414 are the router's own answers to a malformed %-escape or a path over 200 characters: a page too.
        expectPage(response, [200, 400, 414]);
        expect(response.statusCode).toBeLessThan(500);
      }),
      fuzzRuns(),
    );
  });

  // The router's own errors (a path segment over 200 characters, a malformed %-escape) get a page or problem+json too.
  it('a school code over 200 characters in /report/:school is answered with a page', async () => {
    const response = await haven.app.inject({ method: 'GET', url: `/report/${'x'.repeat(201)}` });
    expectPage(response, [200, 400, 404, 414]);
  });
});

describe('regressions found by this suite', () => {
  it('a lone surrogate (half an emoji) in a report is stored as U+FFFD, not a 500 that loses the report', async () => {
    const web = await haven.app.inject({ method: 'POST', url: '/report', payload: { description: 'help \ud83d', about: '\udc00', school: 'lincoln-ms' } });
    expectPage(web, [303]);
    const code = await thanksCode(web);
    expect(await reportByCode(code)).toMatchObject({ description: 'help \ufffd', about_person: '\ufffd' });
    const api = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: '{"description":"\\ud800 x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(api.statusCode, api.body).toBe(201);
    expect((await reportByCode(api.json().followUpCode)).description).toBe('\ufffd x');
  });

  it('?district= given twice is ignored, not a 500', async () => {
    expectPage(await haven.app.inject({ method: 'GET', url: '/report/lincoln-ms?district=a&district=b' }), [200]);
    expectPage(await haven.app.inject({ method: 'GET', url: '/report?district=&district=%25' }), [200]);
  });

  it('a form too large, or a body that cannot be read, is answered with the form page and the crisis lines', async () => {
    const large = await haven.app.inject({
      method: 'POST',
      url: '/report?lang=es',
      payload: `description=${'a'.repeat(70_000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectPage(large, [413]);
    expect(large.body).toContain('demasiado largo');
    expect(large.body).toContain('href="tel:988"');
    const unreadable = await haven.app.inject({ method: 'POST', url: '/report/follow-up', payload: '{', headers: { 'content-type': 'application/json' } });
    expectPage(unreadable, [400]);
  });
});

describe('the per-address limits on the public pages', () => {
  it('a person over the follow-up limit gets an HTML page with the crisis lines, not a JSON error', async () => {
    const from = '192.0.2.77';
    let last = await haven.app.inject({ method: 'GET', url: '/report/follow-up', remoteAddress: from });
    for (let i = 0; i < 40 && last.statusCode !== 429; i++) last = await haven.app.inject({ method: 'GET', url: '/report/follow-up', remoteAddress: from });
    expect(last.statusCode).toBe(429);
    expect(last.headers['retry-after']).toBeDefined();
    expect(last.headers['content-type']).toMatch(/^text\/html/);
    expect(last.body).toContain('href="tel:988"');
  });
});
