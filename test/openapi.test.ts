import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDistrict, createStudent, password, type Session, signIn } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

type Route = { method: string; path: string };
type Operation = { responses?: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }> };

/**
 * Every route the whole app registers, as Fastify adds it. Each Fastify instance made in this file
 * (the one `startTestHaven` builds with `buildApp`) is given an onRoute hook the moment it is made,
 * before any route; nothing else about Fastify changes. A route added anywhere, by any feature or
 * plugin, is found without this file naming it.
 */
const registered = vi.hoisted(() => [] as Route[]);
vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>();
  const make = actual.default as (options?: FastifyServerOptions) => FastifyInstance;
  const watched = ((options?: FastifyServerOptions) => {
    const app = make(options);
    app.addHook('onRoute', (route) => {
      // Fastify writes parameters as :id, OpenAPI as {id}.
      for (const method of [route.method].flat()) registered.push({ method: method.toLowerCase(), path: route.url.replace(/:(\w+)/g, '{$1}') });
    });
    return app;
  }) as typeof actual.default;
  return { ...actual, default: watched };
});

/** Why an operation's success answer is not documented, or null when it is. A redirect (3xx) is the success of a route that sends the browser on. */
function undocumented(operation: Operation | undefined): string | null {
  if (!operation) return 'not in /api/openapi.json';
  const success = Object.entries(operation.responses ?? {}).filter(([status]) => /^[23]\d\d$/.test(status));
  if (success.length === 0) return 'no 2xx or 3xx response';
  for (const [status, response] of success) {
    if (status === '204' || status.startsWith('3')) continue;
    const contents = Object.entries(response.content ?? {});
    if (contents.length === 0) return `${status} has no content`;
    for (const [type, { schema }] of contents) {
      // An empty schema ({}, what z.unknown() gives) says nothing about the answer.
      if (!schema || Object.keys(schema).length === 0) return `${status} ${type} has no schema`;
    }
  }
  return null;
}

let haven: TestHaven;
let spec: { paths: Record<string, Record<string, Operation>> };
/** The API's routes: HEAD answers as GET does, and is left out. */
let routes: Route[];

beforeAll(async () => {
  haven = await startTestHaven();
  spec = (await haven.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  routes = registered.filter((r) => r.method !== 'head' && r.path.startsWith('/api/v1/'));
});
afterAll(() => haven.close());

describe('/api/openapi.json describes every answer', () => {
  it('finds every route the app registers, from every feature', () => {
    expect(routes.length).toBeGreaterThan(130);
    const features = new Set(routes.map((r) => r.path.split('/')[3]));
    for (const prefix of ['auth', 'me', 'reports', 'alerts', 'students', 'cases', 'screening', 'hsds', 'partners', 'referrals', 'leadership'])
      expect(features, prefix).toContain(prefix);
  });

  it('documents a response schema for the success status of every /api/v1 route', () => {
    const missing = routes.flatMap((r) => {
      const why = undocumented(spec.paths[r.path]?.[r.method]);
      return why ? [`${r.method.toUpperCase()} ${r.path}: ${why}`] : [];
    });
    expect(missing).toEqual([]);
  });

  it('documents a response schema for the success status of every operation it lists, inside /api/v1 or not (the HSDS API)', () => {
    const missing = Object.entries(spec.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) => {
        const why = undocumented(operation);
        return why ? [`${method.toUpperCase()} ${path}: ${why}`] : [];
      }),
    );
    expect(missing).toEqual([]);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/hsds/{district}/services/{id}', '/api/v1/hsds/services']));
  });

  it('names the content type of answers that are not JSON: CSV, printable pages, calendars, FHIR, the live alert stream', () => {
    const types = (path: string) => Object.keys(spec.paths[path]?.get?.responses?.['200']?.content ?? {});
    expect(types('/api/v1/leadership/capacity')).toEqual(['application/json', 'text/csv']);
    expect(types('/api/v1/students/{id}/access-log/export')).toEqual(['text/html', 'text/csv']);
    expect(types('/api/v1/cases/{id}/safety-plans/{version}/print')).toEqual(['text/html']);
    expect(types('/api/v1/referrals/{id}/appointment.ics')).toEqual(['text/calendar']);
    expect(types('/api/v1/referrals/{id}/fhir')).toEqual(['application/fhir+json']);
    expect(types('/api/v1/alerts/stream')).toEqual(['text/event-stream']);
    expect(Object.keys(spec.paths['/api/v1/channels/sms']?.post?.responses?.['200']?.content ?? {})).toEqual(['text/xml']);
  });
});

/** An ISO 8601 moment as the server sends it. */
const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('an answer carries only what its schema names', () => {
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let whitfield: Session;
  beforeAll(async () => {
    d = await createDistrict(haven.deps);
    whitfield = await signIn(haven.app, d.people.whitfield.email);
  });
  const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: object) =>
    haven.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });

  it('the crisis-team list names members, shifts and overrides without the tenant and team ids stored beside them', async () => {
    const team = (await call(whitfield, 'POST', '/api/v1/crisis-teams', { schoolId: d.schools.lincoln.id, name: 'Lincoln crisis team' })).json();
    const member = (
      await call(whitfield, 'POST', `/api/v1/crisis-teams/${team.id}/members`, { userId: d.people.okafor.id, name: 'Sam Okafor', teamRole: 'social_worker' })
    ).json();
    await call(whitfield, 'POST', `/api/v1/crisis-teams/${team.id}/shifts`, {
      memberId: member.id,
      position: 'primary',
      weekdays: [1, 2],
      startsAt: '07:00',
      endsAt: '17:00',
    });
    const listed = await call(whitfield, 'GET', '/api/v1/crisis-teams');
    expect(listed.statusCode).toBe(200);
    const [shown] = listed.json().teams;
    expect(shown.members).toEqual([expect.objectContaining({ id: member.id, name: 'Sam Okafor', teamRole: 'social_worker', userId: d.people.okafor.id })]);
    expect(shown.members[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(shown.shifts).toHaveLength(2);
    for (const row of [...shown.members, ...shown.shifts]) {
      expect(row).not.toHaveProperty('districtId');
      expect(row).not.toHaveProperty('teamId');
    }
  });

  it("a student's support plans are sent without the district id stored with them", async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const created = await call(rivera, 'POST', `/api/v1/students/${student.id}/plans`, {
      tier: 2,
      concern: 'Withdrawn in class since October',
      goals: [{ description: 'Joins a group activity', measure: 'days a week', baseline: 0, target: 3 }],
      interventions: [{ code: 'check_in_check_out', frequency: 'daily' }],
      startDate: '2026-11-30',
      reviewEveryDays: 30,
    });
    expect(created.statusCode, created.body).toBe(201);
    const plans = await call(rivera, 'GET', `/api/v1/students/${student.id}/plans`);
    expect(plans.statusCode).toBe(200);
    const [plan] = plans.json().plans;
    expect(plan).toMatchObject({ id: created.json().id, studentId: student.id, tier: 2, concern: 'Withdrawn in class since October' });
    expect(plan).not.toHaveProperty('districtId');
  });
  it("Ms. Whitfield's API tokens are listed with their dates as ISO times, and the token itself only once, when it is made", async () => {
    const made = await call(whitfield, 'POST', '/api/v1/me/tokens', { name: 'nightly export', scope: 'read', days: 30, password });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toEqual({
      id: expect.any(String),
      name: 'nightly export',
      scope: 'read',
      expiresAt: expect.stringMatching(iso),
      token: expect.any(String),
    });
    const listed = await call(whitfield, 'GET', '/api/v1/me/tokens');
    expect(listed.statusCode).toBe(200);
    const [token] = listed.json().items;
    expect(token).toEqual({
      id: made.json().id,
      name: 'nightly export',
      scope: 'read',
      createdAt: expect.stringMatching(iso),
      expiresAt: made.json().expiresAt,
      expired: false,
      lastUsedAt: null,
    });
  });

  it('the roster history lists what each import changed and when, without its rejected rows, which come one import at a time', async () => {
    const csv = 'Student Number,First,Last,Grade,School\n6001,Maya,Torres,07,lincoln-ms\n6002,Leo,Park,13,nowhere\n';
    const mapping = { localId: 'Student Number', firstName: 'First', lastName: 'Last', grade: 'Grade', school: 'School' };
    const imported = await call(whitfield, 'POST', '/api/v1/roster/students-csv', { csv, mapping, dryRun: false });
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toEqual({ dryRun: false, created: 1, updated: 0, unchanged: 0, rejected: [{ line: 3, reason: expect.any(String) }] });
    const history = await call(whitfield, 'GET', '/api/v1/roster/imports');
    expect(history.statusCode).toBe(200);
    const [past] = history.json();
    expect(past).toMatchObject({ source: 'student CSV', at: expect.stringMatching(iso), rejectedCount: 1, warningCount: 0, error: null });
    expect(past.summary).toEqual({ dryRun: false, created: 1, updated: 0, unchanged: 0 });
    const one = await call(whitfield, 'GET', `/api/v1/roster/imports/${past.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().summary.rejected).toEqual([{ line: 3, reason: expect.any(String) }]);
  });

  it('a screening window is listed with its schools, grades, instruments and days, without the district id stored with it', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const window = {
      name: 'Fall wellness check',
      schoolIds: [d.schools.lincoln.id],
      grades: ['7'],
      instrumentIds: ['phq-a'],
      opensOn: '2026-11-01',
      closesOn: '2026-12-18',
    };
    const created = await call(rivera, 'POST', '/api/v1/screening/windows', window);
    expect(created.statusCode, created.body).toBe(201);
    const listed = await call(rivera, 'GET', '/api/v1/screening/windows');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual([{ id: created.json().id, ...window, proctorUserIds: [] }]);
  });

  it("Ms. Rivera's report inbox and the report's page send times as ISO strings, and the inbox no internal incident id", async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const sent = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        description: 'Two students keep pushing a sixth grader into the lockers',
        school: 'lincoln-ms',
        district: d.district.slug,
        category: 'bullying_harassment',
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json()).toEqual({ id: expect.any(String), followUpCode: expect.any(String), throttled: false });
    const inbox = await call(rivera, 'GET', '/api/v1/reports?status=open');
    expect(inbox.statusCode).toBe(200);
    const row = inbox.json().items.find((r: { id: string }) => r.id === sent.json().id);
    expect(row).toMatchObject({ receivedAt: expect.stringMatching(iso), school: 'Lincoln Middle School', status: 'received', throttleGroup: null });
    expect(row).not.toHaveProperty('incidentId');
    expect(row).not.toHaveProperty('districtId');
    const page = (await call(rivera, 'GET', `/api/v1/reports/${sent.json().id}`)).json();
    expect(page.times.receivedAt).toMatch(iso);
    expect(page).not.toHaveProperty('districtId');
    const acknowledged = await call(rivera, 'POST', `/api/v1/reports/${sent.json().id}/acknowledge`);
    expect(acknowledged.json()).toEqual({ acknowledgedAt: expect.stringMatching(iso) });
    const followUp = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${sent.json().followUpCode}` });
    expect(followUp.json()).toEqual({ status: 'in_progress', receivedAt: page.times.receivedAt, language: 'en', messages: [] });
  });

  it("Ms. Whitfield's district channels are listed with the date each was added, without the district id stored with them", async () => {
    const address = `help@${d.district.slug}.test`;
    const added = await call(whitfield, 'POST', '/api/v1/district/channels', { kind: 'email', address });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toEqual({ id: expect.any(String), kind: 'email', address, createdAt: expect.stringMatching(iso) });
    const listed = await call(whitfield, 'GET', '/api/v1/district/channels');
    expect(listed.json()).toEqual([added.json()]);
  });
});
