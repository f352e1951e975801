import fc from 'fast-check';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordLink } from '../src/features/accounts/passwords.service.ts';
import { importDirectory, readHsds } from '../src/features/partners/hsds.service.ts';
import { createCrisisTeams } from './support/crisis.ts';
import { createDistrict, createStudent, password, type Session, signIn } from './support/factories.ts';
import { fixture } from './support/fixtures.ts';
import {
  anyBody,
  anyString,
  anyValue,
  expectApiAnswer,
  expectPage,
  formString,
  fuzzRuns,
  headersFor,
  headerValue,
  longString,
  nextAddress,
  pct,
  rowsIn,
  someString,
  tableState,
  typedBody,
} from './support/fuzz.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

/**
 * Issue 15: the student screen, sign-in, password reset, the public HSDS directory and the public
 * scoring endpoint take any input without a 5xx, and a refused request changes nothing.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
/** A screen in progress (its cookie) and the question it is on. */
let screen: { cookie: string; instrument: string; item: string; options: string[] };
let spentCode: string;

const decoded = (form: string) => {
  try {
    return decodeURIComponent(form.replaceAll('+', ' '));
  } catch {
    return form;
  }
};
const sql = async (text: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(text, params)).rows;
const snapshot = (tables: readonly string[]) => tableState(haven.deps.db.system.$client as pg.Pool, tables);
const screenTables = ['screening_sessions', 'screening_results', 'reports', 'report_alerts', 'audit_events'] as const;
const accountTables = ['users', 'sessions', 'password_resets', 'role_grants', 'api_tokens'] as const;

/** What a browser sends for a page: the student screen is used from school computers. */
const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  await importDirectory(haven.deps, d.district.id, await readHsds(`${fixture('hsds-3.1')}/service_full.json`), 'test');
  rivera = await signIn(haven.app, d.people.rivera.email);
  const post = (url: string, payload: unknown) =>
    haven.app.inject({ method: 'POST', url, headers: rivera.headers, payload: payload as Record<string, unknown> });
  const window = await post('/api/v1/screening/windows', {
    name: 'Fuzz check',
    schoolIds: [d.schools.lincoln.id],
    grades: ['7'],
    instrumentIds: ['phq-a', 'asq'],
    opensOn: '2026-11-01',
    closesOn: '2026-12-18',
  });
  expect(window.statusCode, window.body).toBe(201);
  const code = async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    await post(`/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId: window.json().id });
    const issued = await post(`/api/v1/screening/windows/${window.json().id}/codes`, { studentId: student.id });
    expect(issued.statusCode, issued.body).toBe(201);
    return issued.json().code as string;
  };
  spentCode = await code();
  const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: spentCode, lang: 'en' } });
  expect(start.statusCode).toBe(303);
  const cookie = String(start.headers['set-cookie']).split(';')[0] as string;
  const page = await haven.app.inject({ method: 'GET', url: '/screen/question', headers: { cookie } });
  screen = {
    cookie,
    instrument: /name="instrument" value="([^"]+)"/.exec(page.body)?.[1] as string,
    item: /name="item" value="([^"]+)"/.exec(page.body)?.[1] as string,
    options: [...page.body.matchAll(/name="value" value="([^"]*)"/g)].map((m) => m[1] as string),
  };
  expect(screen.options.length).toBeGreaterThan(1);
});
afterAll(() => haven.close());

describe('the student screen (/screen)', () => {
  it('POST /screen/start answers a page for any code or body and starts nothing', async () => {
    const code = fc.oneof(fc.constantFrom('__spent__', 'ABCD-EFGH', 'abcd efgh', 'OOOO-IIII', '0000-0000', ''), anyString(30));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(anyBody(['code', 'lang'], { code, lang: anyValue }), typedBody(fc.record({ code, lang: anyString(5) }))),
        fc.option(headerValue, { nil: undefined }),
        async (raw, acceptLanguage) => {
          const body = typeof raw.payload === 'string' ? { ...raw, payload: raw.payload.replaceAll('__spent__', spentCode) } : raw;
          const before = await snapshot(screenTables);
          const headers = headersFor(body, { ...browser, ...(acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage }) });
          const response = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: body.payload, headers, remoteAddress: nextAddress() });
          expectPage(response, [400, 413, 415]);
          expect(await snapshot(screenTables)).toEqual(before);
        },
      ),
      fuzzRuns(),
    );
  });

  it('GET /screen/* (and /screening/instruments) answer a page or a redirect for any cookie and query, and change nothing', async () => {
    const cookie = fc.oneof(
      fc.constant(screen.cookie),
      fc.constant(undefined),
      headerValue,
      anyString(70).map((v) => `haven_screen=${pct(v)}`),
      fc.constantFrom('haven_screen=', 'haven_screen="', `haven_screen=${'f'.repeat(64)}`, `${screen.cookie}; haven_screen=x`, 'a=b;;;=c'),
    );
    const path = fc.oneof(
      fc.constantFrom('/screen', '/screen/question', '/screen/done', '/screen/hold', '/screen/declined', '/screening/instruments'),
      fc.oneof(fc.constantFrom('phq-a', 'gad-7'), anyString(40)).map((id) => `/screening/instruments/${pct(id) || 'x'}`),
    );
    await fc.assert(
      fc.asyncProperty(path, cookie, formString(['lang', 'care']), async (url, value, query) => {
        const before = await snapshot(screenTables);
        const headers = { ...browser, ...(value === undefined ? {} : { cookie: value }) };
        const response = await haven.app.inject({ method: 'GET', url: `${url}?${query}`, headers, remoteAddress: nextAddress() });
        expectPage(response, [200, 303, 400, 404, 414]);
        if (url === '/screen/question' && value === screen.cookie) {
          expect(response.statusCode).toBe(200);
          expect(response.body).toContain(`name="item" value="${screen.item}"`);
        }
        expect(await snapshot(screenTables)).toEqual(before);
      }),
      fuzzRuns(),
    );
  });

  it('POST /screen/decline without a live screen declines nothing, whatever the body', async () => {
    const cookie = fc.oneof(
      fc.constant(undefined),
      anyString(70).map((v) => `haven_screen=${pct(v)}`),
      fc.constant(`haven_screen=${'a'.repeat(64)}`),
    );
    await fc.assert(
      fc.asyncProperty(anyBody(['lang'], { lang: anyValue }), cookie, async (body, value) => {
        const before = await snapshot(screenTables);
        const headers = headersFor(body, { ...browser, ...(value === undefined ? {} : { cookie: value }) });
        const response = await haven.app.inject({ method: 'POST', url: '/screen/decline', payload: body.payload, headers, remoteAddress: nextAddress() });
        expectPage(response, [303, 400, 413, 415]);
        expect(await snapshot(screenTables)).toEqual(before);
      }),
      fuzzRuns(150),
    );
  });

  it('POST /screen/answer stores nothing for any answer that is not one of the options, with or without a screen', async () => {
    const notAnOption = someString.filter((v) => !screen.options.includes(v.replaceAll('\u0000', '')));
    const fields = {
      instrument: fc.oneof(fc.constant(screen.instrument), anyValue),
      item: fc.oneof(fc.constant(screen.item), anyValue),
      value: fc.oneof(
        notAnOption,
        anyValue.filter((v) => typeof v !== 'string' || !screen.options.includes(v.replaceAll('\u0000', ''))),
      ),
      skip: fc.oneof(fc.constantFrom('0', 'yes', ' 1', '1 '), anyValue).filter((v) => v !== '1'),
      lang: anyValue,
    };
    await fc.assert(
      fc.asyncProperty(anyBody(Object.keys(fields), fields), fc.boolean(), async (body, withScreen) => {
        // A repeated key in a form (skip=1&skip=1) arrives as a list, never as "1".
        if (body.label === 'form' && /(^|&)skip=1(&|$)/.test(body.payload as string)) return;
        const before = await snapshot(screenTables);
        const headers = headersFor(body, { ...browser, ...(withScreen ? { cookie: screen.cookie } : {}) });
        const response = await haven.app.inject({ method: 'POST', url: '/screen/answer', payload: body.payload, headers, remoteAddress: nextAddress() });
        expectPage(response, [303, 400, 413, 415]);
        if (response.statusCode === 303)
          expect(response.headers.location).toMatch(withScreen ? /^\/screen\/question\?lang=(en|es)$/ : /^\/screen\?lang=(en|es)$/);
        expect(await snapshot(screenTables), 'a refused answer changed the screen').toEqual(before);
      }),
      fuzzRuns(),
    );
  });
});

describe('sign-in and password reset', () => {
  const email = fc.oneof(
    fc.constantFrom('__shah__', ' __SHAH__ ', '__lee__', 'nobody@haven.test', 'a@b', ''),
    anyString(40),
    anyString(8).map((local) => `${local}@haven.test`),
  );
  const real = (b: { payload: string | Buffer }) =>
    typeof b.payload === 'string'
      ? b.payload
          .replaceAll('__shah__', d.people.shah.email)
          .replaceAll('__SHAH__', d.people.shah.email.toUpperCase())
          .replaceAll('__lee__', d.people.lee.email)
          .replaceAll('__password__', password)
      : b.payload;

  it('POST /api/v1/auth/login answers a session or a 4xx problem; a refused sign-in changes no account', async () => {
    const fields = { email, password: fc.oneof(fc.constant('__password__'), someString, anyValue), otp: anyValue };
    const typed = typedBody(
      fc.record({ email, password: fc.oneof(fc.constant('__password__'), someString), otp: anyString(40) }, { requiredKeys: ['email', 'password'] }),
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody(Object.keys(fields), fields), typed), async (body) => {
        const before = await snapshot(accountTables);
        const response = await haven.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: real(body),
          headers: headersFor(body),
          remoteAddress: nextAddress(),
        });
        expectApiAnswer(response, [200]);
        const after = await snapshot(accountTables);
        if (response.statusCode !== 200) return void expect(after, 'a refused sign-in changed an account').toEqual(before);
        expect([d.people.shah.email, d.people.lee.email]).toContain(response.json().user.email);
        expect(rowsIn(after, 'sessions')).toBe(rowsIn(before, 'sessions') + 1);
      }),
      fuzzRuns(150),
    );
  });

  it('POST /api/v1/auth/password-reset answers 202 for any address (a link only for a real account) or a 4xx problem', async () => {
    const links = async () => Number((await sql('select count(*)::int as n from password_resets'))[0].n);
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyBody(['email'], { email }), typedBody(fc.record({ email }))), async (body) => {
        const payload = real(body);
        const before = await snapshot(accountTables);
        const response = await haven.app.inject({
          method: 'POST',
          url: '/api/v1/auth/password-reset',
          payload,
          headers: headersFor(body),
          remoteAddress: nextAddress(),
        });
        expectApiAnswer(response, [202]);
        if (response.statusCode !== 202) return void expect(await snapshot(accountTables), 'a refused reset request left a record').toEqual(before);
        // The link is made after the answer (so its timing reveals nothing): wait for it.
        const text = typeof payload === 'string' ? decoded(payload).toLowerCase() : '';
        const forAccount = [d.people.shah.email, d.people.lee.email].some((e) => text.includes(e));
        const first = rowsIn(before, 'password_resets');
        for (let i = 0; i < 40 && forAccount && (await links()) === first; i++) await new Promise((r) => setTimeout(r, 25));
        expect((await links()) - first).toBeLessThanOrEqual(forAccount ? 1 : 0);
        expect({ ...(await snapshot(accountTables)), password_resets: '' }).toEqual({ ...before, password_resets: '' });
      }),
      fuzzRuns(150),
    );
  });

  it('POST /api/v1/auth/password-reset/complete sets the password only from a live link and a good password; otherwise nothing changes', async () => {
    let link = await createPasswordLink(haven.deps, d.people.lee.id);
    const token = fc.oneof(fc.constant('__token__'), someString, anyValue);
    const newPassword = fc.oneof(
      someString,
      anyValue,
      fc.constantFrom('a'.repeat(12), 'lee.fuzz-password-1', 'correct horse battery staple 2', '\u0000'.repeat(12)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyBody(['token', 'password'], { token, password: newPassword }),
          typedBody(
            fc.record({
              token: fc.oneof(fc.constant('__token__'), someString),
              password: fc.oneof(someString, fc.constantFrom('lee.fuzz-password-1', 'correct horse battery staple 2')),
            }),
          ),
        ),
        async (body) => {
          const live = link.split('#token=')[1] as string;
          const payload = typeof body.payload === 'string' ? body.payload.replaceAll('__token__', live) : body.payload;
          const before = await snapshot(accountTables);
          const response = await haven.app.inject({
            method: 'POST',
            url: '/api/v1/auth/password-reset/complete',
            payload,
            headers: headersFor(body),
            remoteAddress: nextAddress(),
          });
          expectApiAnswer(response, [204]);
          const after = await snapshot(accountTables);
          if (response.statusCode !== 204) return void expect(after, 'a refused reset changed an account or spent the link').toEqual(before);
          const [spent] = await sql('select used_at from password_resets where user_id = $1 and used_at is not null', [d.people.lee.id]);
          expect(spent).toBeDefined();
          link = await createPasswordLink(haven.deps, d.people.lee.id);
        },
      ),
      fuzzRuns(150),
    );
  });
});

describe('the public HSDS directory and scoring', () => {
  it('GET /api/v1/hsds/* answers JSON or a 4xx problem for any query string', async () => {
    const value = fc.oneof(fc.constant('__district__'), someString, fc.constantFrom('counsel', '%', '_', '\\', "'", '%%', 'Community'));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('services', 'organizations', 'service_at_locations'), formString(['district', 'q'], value), async (path, query) => {
        const url = `/api/v1/hsds/${path}?${query.replaceAll('__district__', d.district.slug)}`;
        const response = await haven.app.inject({ method: 'GET', url, remoteAddress: nextAddress() });
        expectApiAnswer(response, [200]);
        if (response.statusCode === 200) expect(Array.isArray(response.json())).toBe(true);
      }),
      fuzzRuns(),
    );
  });

  it('POST /api/v1/instruments/:id/score answers a score, a 422 score with errors, or a 4xx problem; and stores nothing', async () => {
    const item = fc.constantFrom(
      'q1',
      'q2',
      'q3',
      'q4',
      'q5',
      'q6',
      'q7',
      'q8',
      'q9',
      'difficulty',
      'past_year',
      'past_month_thoughts',
      'lifetime_attempt',
      'acute',
    );
    const answer = fc.oneof(fc.integer({ min: -1, max: 4 }), fc.constantFrom('yes', 'no', null, 1.5, '1', true), anyValue);
    const fields = {
      answers: fc.oneof(fc.dictionary(item, answer), anyValue),
      context: fc.oneof(fc.record({ age: anyValue, grade: anyValue }, { requiredKeys: [] }), fc.record({ age: fc.integer({ min: -5, max: 120 }) }), anyValue),
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('gad-7', 'phq-a', 'asq', 'phq-9'), anyString(30), longString),
        anyBody(Object.keys(fields), fields),
        async (id, body) => {
          const before = await snapshot([...screenTables, 'instrument_definitions']);
          const response = await haven.app.inject({
            method: 'POST',
            url: `/api/v1/instruments/${pct(id) || 'x'}/score`,
            payload: body.payload,
            headers: headersFor(body),
            remoteAddress: nextAddress(),
          });
          expectApiAnswer(response, [200, 422]);
          if (response.statusCode === 422) expect(response.json().errors.length).toBeGreaterThan(0);
          expect(await snapshot([...screenTables, 'instrument_definitions'])).toEqual(before);
        },
      ),
      fuzzRuns(),
    );
  });

  // The router's own errors get problem+json on the API.
  it('a malformed escape or an id over 200 characters in /api/v1/instruments/:id/score is answered with problem+json', async () => {
    for (const id of ['%E0%A4', 'x'.repeat(201)]) {
      expectApiAnswer(await haven.app.inject({ method: 'POST', url: `/api/v1/instruments/${id}/score`, payload: { answers: {} } }), []);
    }
  });
});

describe('the per-address limit on screen codes', () => {
  it('a browser over the limit gets a page, not a JSON error (a class behind one school address shares the limit)', async () => {
    const start = () =>
      haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: 'ABCD-EFGH' }, headers: browser, remoteAddress: '192.0.2.9' });
    let last = await start();
    for (let i = 0; i < 40 && last.statusCode !== 429; i++) last = await start();
    expect(last.statusCode).toBe(429);
    expectPage(last, [429]);
    expect(last.headers['retry-after']).toBeDefined();
  });
});
