import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { createDistrict, createStudent, type Session, signIn } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

let haven: TestHaven;
let district: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;

beforeAll(async () => {
  haven = await startTestHaven();
  district = await createDistrict(haven.deps);
  await createStudent(haven.deps, district.district.id, district.schools.lincoln.id);
  rivera = await signIn(haven.app, district.people.rivera.email);
});
afterAll(() => haven.close());

describe('the HTTP surface', () => {
  it('GET /healthz answers ok when the database answers', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('publishes OpenAPI with the stable endpoints', async () => {
    const spec = (await haven.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/auth/login', '/api/v1/auth/logout', '/api/v1/me', '/api/v1/students', '/api/v1/students/{id}']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    expect((await haven.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBe(200);
  });

  it('sends a strict Content-Security-Policy and no-referrer', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/' });
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown API paths with problem+json 404', async () => {
    const response = await haven.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('refuses a body over 256 KB with 413 and a message', async () => {
    const response = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'a@b.c', password: 'x'.repeat(300_000) } });
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toBe('The request body is too large.');
  });

  it('behind a trusted proxy, the client is the first untrusted address from the right; a forged left-most entry changes nothing', async () => {
    const proxied = await buildApp(haven.deps, { logger: false, signInPerMinute: 3, trustProxy: ['10.0.0.0/8', '127.0.0.1'] });
    const attempt = (forwarded: string) =>
      proxied.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': forwarded },
        payload: { email: `proxied-${forwarded.length}@y.test`, password: 'nope nope nope' },
      });
    // The attacker writes a new left-most address each time; the proxies append the real one.
    for (let i = 0; i < 3; i++) expect((await attempt(`198.51.100.${i}, 203.0.113.9, 10.1.2.3`)).statusCode).toBe(401);
    expect((await attempt('198.51.100.99, 203.0.113.9, 10.1.2.3')).statusCode).toBe(429);
    // Another real client behind the same proxies is not limited by the first one.
    expect((await attempt('203.0.113.10, 10.1.2.3')).statusCode).toBe(401);
    await proxied.close();
  });

  it('limits sign-in attempts per address', async () => {
    const strict = await buildApp(haven.deps, { logger: false, signInPerMinute: 3 });
    const attempt = () => strict.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'x@y.test', password: 'nope nope nope' } });
    for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
    const limited = await attempt();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    await strict.close();
  });
});

/** Bad input never earns a 5xx: always a clear 4xx problem, and nothing half-stored. */
describe('bad input (property-based)', () => {
  const jsonish = fc.oneof(
    fc.anything(),
    fc.record({ email: fc.anything(), password: fc.anything(), otp: fc.anything() }, { requiredKeys: [] }),
    fc.record({ email: fc.string(), password: fc.string({ maxLength: 2000 }), otp: fc.string() }),
  );

  it('POST /api/v1/auth/login answers 4xx problem+json for any body', async () => {
    await fc.assert(
      fc.asyncProperty(jsonish, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async (body, type) => {
        const encoded = JSON.stringify(body ?? null) ?? 'null';
        const payload = type === 'application/json' ? encoded : `email=${encodeURIComponent(encoded)}`;
        const response = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers: { 'content-type': type } });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(typeof response.json().detail).toBe('string');
      }),
      { numRuns: 150 },
    );
  });

  it('GET /api/v1/students answers 200 or 4xx for any query string', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('q', 'school', 'page', 'pageSize', 'includeInactive', 'x'), fc.string({ maxLength: 120 })),
        async (query) => {
          const response = await haven.app.inject({ method: 'GET', url: '/api/v1/students', query, headers: rivera.headers });
          expect([200, 400]).toContain(response.statusCode);
          if (response.statusCode === 400) expect(response.json().detail).toBeTruthy();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('GET /api/v1/students/:id answers 404 for any id that is not a student', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 80 })), async (id) => {
        const response = await haven.app.inject({ method: 'GET', url: `/api/v1/students/${encodeURIComponent(id)}`, headers: rivera.headers });
        expect(response.statusCode).toBeGreaterThanOrEqual(400);
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 100 },
    );
  });

  it('refused sign-ins store no session', async () => {
    const { rows } = await haven.deps.db.system.$client.query(`select count(*)::int as n from sessions s join users u on u.id = s.user_id where u.email = $1`, [
      district.people.rivera.email,
    ]);
    expect(rows[0].n).toBe(1);
  });
});
