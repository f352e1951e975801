import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { restDataFromCsv, startOneRosterServer } from '../../../test/support/oneroster-server.ts';
import { auditEvents } from '../../data/audit.ts';
import { schools } from '../../data/districts.ts';
import { outbox } from '../../data/outbox.ts';
import { rosterImports, rosterSettings } from '../../data/roster.ts';
import { students } from '../../data/students.ts';
import { runDueRosterSyncs, syncRoster } from './rest-sync.service.ts';
import { importOneRoster, readExport } from './roster.service.ts';
import { saveRosterSettings } from './roster-settings.service.ts';

/**
 * Rosters that stay current by themselves (issue 18): Haven syncs from a OneRoster REST server the
 * test starts (real HTTP on 127.0.0.1, OAuth 2 client credentials, paging), first in full, then by
 * what changed, and the result is what importing the same data by CSV gives.
 */
let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());
const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const oneTwo = () => readExport(fixture('oneroster-1.2'));
const oneOne = () => readExport(fixture('oneroster-1.1'));
const before = '2026-11-01T12:00:00.000Z';
async function server(version: '1.1' | '1.2', files: Map<string, string>, options: { maxPageSize?: number; totalCount?: boolean } = {}) {
  const s = await startOneRosterServer({ version, data: await restDataFromCsv(files, version, before), ...options });
  servers.push(s);
  return s;
}
const sourceOf = (s: Awaited<ReturnType<typeof server>>, version: '1.1' | '1.2') => ({
  baseUrl: s.baseUrl,
  tokenUrl: s.tokenUrl,
  clientId: s.clientId,
  clientSecret: s.clientSecret,
  version,
});
const studentsOf = async (districtId: string) =>
  (
    await haven.deps.db.system
      .select({
        localId: students.localId,
        firstName: students.firstName,
        lastName: students.lastName,
        preferredName: students.preferredName,
        grade: students.grade,
        dateOfBirth: students.dateOfBirth,
        gender: students.gender,
        raceEthnicity: students.raceEthnicity,
        active: students.active,
        school: schools.name,
      })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .where(eq(students.districtId, districtId))
  ).sort((a, b) => a.localId.localeCompare(b.localId));
const counts = (s: Record<string, unknown>) => {
  const { version: _v, dryRun: _d, rejected, warnings, ...rest } = s as { rejected: unknown[]; warnings: unknown[] } & Record<string, unknown>;
  return { ...rest, rejected: rejected.length, warnings: warnings.length };
};

describe('a district administrator sets the OneRoster REST source and syncs', () => {
  it('a full sync gives what the CSV import of the same export gives; the secret is stored encrypted and never shown', async () => {
    haven.clock.set(new Date('2026-11-28T15:00:00Z'));
    const { district, people } = await createDistrict(haven.deps);
    const csv = await createDistrict(haven.deps);
    const byCsv = await importOneRoster(haven.deps, csv.district.id, oneTwo(), { dryRun: false, source: 'upload', by: 'test' });
    // The server answers at most two records a page, whatever Haven asks: Haven reads on by X-Total-Count.
    const sis = await server('1.2', oneTwo(), { maxPageSize: 2 });
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const put = await haven.app.inject({
      method: 'PUT',
      url: '/api/v1/roster/settings',
      headers: whitfield.headers,
      payload: { ...sourceOf(sis, '1.2'), syncTime: '02:00' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual(
      expect.objectContaining({ baseUrl: sis.baseUrl, clientId: sis.clientId, clientSecretSet: true, version: '1.2', syncTime: '02:00', deltaFrom: null }),
    );
    expect(put.body).not.toContain(sis.clientSecret);
    const [stored] = await haven.deps.db.system.select().from(rosterSettings).where(eq(rosterSettings.districtId, district.id));
    expect(stored?.restClientSecretEncrypted).not.toContain(sis.clientSecret);
    expect(haven.deps.secrets.decrypt(stored?.restClientSecretEncrypted as string)).toBe(sis.clientSecret);
    const events = await haven.deps.db.system.select().from(auditEvents).where(eq(auditEvents.districtId, district.id));
    expect(JSON.stringify(events)).not.toContain(sis.clientSecret);
    expect(events.find((e) => e.action === 'roster.settings_changed')?.detail).toMatchObject({
      changed: expect.arrayContaining(['clientSecret', 'restBaseUrl']),
    });

    const dry = await haven.app.inject({ method: 'POST', url: '/api/v1/roster/syncs?dryRun=true', headers: whitfield.headers });
    expect(dry.json()).toMatchObject({ dryRun: true, students: { created: 2 } });
    expect(await studentsOf(district.id)).toEqual([]);
    sis.requests.length = 0;

    const sync = await haven.app.inject({ method: 'POST', url: '/api/v1/roster/syncs', headers: whitfield.headers });
    expect(sync.statusCode).toBe(201);
    expect(counts(sync.json())).toEqual(counts(byCsv));
    expect(sync.json().students).toEqual({ created: 2, updated: 0, unchanged: 0, deactivated: 0 });
    expect(await studentsOf(district.id)).toEqual(await studentsOf(csv.district.id));
    const users = sis.requests.filter((r) => r.path.endsWith('/users') && r.status === 200);
    expect(users.map((r) => [r.offset, r.filter])).toEqual([
      [0, undefined],
      [2, undefined],
      [4, undefined],
      [6, undefined],
    ]);

    const history = await haven.app.inject({ method: 'GET', url: '/api/v1/roster/imports', headers: whitfield.headers });
    expect(history.json()[0]).toMatchObject({ source: 'rest sync', format: 'oneroster 1.2 REST', error: null, summary: { students: { created: 2 } } });
    const settings = await haven.app.inject({ method: 'GET', url: '/api/v1/roster/settings', headers: whitfield.headers });
    expect(settings.json()).toMatchObject({ clientSecretSet: true, deltaFrom: '2026-11-28T15:00:00.000Z', lastSync: { outcome: 'succeeded', error: null } });
    expect(settings.body).not.toContain(sis.clientSecret);
    const rivera = await signIn(haven.app, (await createDistrict(haven.deps)).people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/roster/settings', headers: rivera.headers })).statusCode).toBe(404);
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/roster/syncs', headers: rivera.headers })).statusCode).toBe(404);
  });

  it('the next sync asks only for what changed: one student renamed, one tobedeleted (made inactive, never deleted)', async () => {
    haven.clock.set(new Date('2026-11-28T15:00:00Z'));
    const { district } = await createDistrict(haven.deps);
    const sis = await server('1.2', oneTwo());
    await saveRosterSettings(haven.deps, district.id, sourceOf(sis, '1.2'), { userId: null, label: 'test' });
    await syncRoster(haven.deps, district.id, { dryRun: false, by: 'test' });
    haven.clock.advance(86_400_000);
    const changed = new Date(haven.clock.now().getTime() - 3_600_000).toISOString();
    const sofia = sis.data.users.find((u) => u.sourcedId === 'usr-s-1001') as Record<string, unknown>;
    const bao = sis.data.users.find((u) => u.sourcedId === 'usr-s-1002') as Record<string, unknown>;
    sis.put('users', { ...sofia, givenName: 'Sofia', dateLastModified: changed });
    sis.put('users', { ...bao, status: 'tobedeleted', dateLastModified: changed });
    sis.requests.length = 0;

    const delta = await syncRoster(haven.deps, district.id, { dryRun: false, by: 'test' });
    expect(delta.students).toEqual({ created: 0, updated: 1, unchanged: 0, deactivated: 1 });
    expect(delta.guardians).toMatchObject({ created: 0, updated: 0 });
    expect(delta.links.created).toBe(0);
    expect((await studentsOf(district.id)).map((s) => [s.localId, s.firstName, s.active])).toEqual([
      ['1001', 'Sofia', true],
      ['1002', 'Bao', false],
    ]);
    const userPages = sis.requests.filter((r) => r.path.endsWith('/users'));
    expect(userPages.map((r) => r.filter)).toEqual(["dateLastModified>'2026-11-28T14:50:00.000Z'"]);
    expect(sis.requests.filter((r) => r.path.endsWith('/orgs')).map((r) => r.filter)).toEqual([undefined]);

    // The same change by CSV (a delta users file beside the whole orgs) changes the same students.
    const csv = await createDistrict(haven.deps);
    await importOneRoster(haven.deps, csv.district.id, oneTwo(), { dryRun: false, source: 'upload', by: 'test' });
    const files = oneTwo();
    files.set('manifest.csv', (files.get('manifest.csv') as string).replace('file.users,bulk', 'file.users,delta'));
    files.set(
      'users.csv',
      (files.get('users.csv') as string)
        .replace('Ramírez,Sofía,usr-s-1001,,,', 'Ramírez,Sofia,usr-s-1001,,,')
        .replace('Nguyen,Bao,usr-s-1002,,,', `Nguyen,Bao,usr-s-1002,tobedeleted,${changed},`),
    );
    expect((await importOneRoster(haven.deps, csv.district.id, files, { dryRun: false, source: 'upload', by: 'test' })).students).toEqual(delta.students);
  });

  it('a wrong secret is refused with a clear message and changes nothing; the failure is listed', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const sis = await server('1.2', oneTwo());
    await saveRosterSettings(haven.deps, district.id, { ...sourceOf(sis, '1.2'), clientSecret: 'not-the-secret' }, { userId: null, label: 'test' });
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const refused = await haven.app.inject({ method: 'POST', url: '/api/v1/roster/syncs', headers: whitfield.headers });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toBe(
      'The OneRoster token endpoint refused the client ID and secret (HTTP 401, "invalid_client"). Check them under District settings → Roster sync. Nothing was changed.',
    );
    expect(await studentsOf(district.id)).toEqual([]);
    expect(sis.requests.map((r) => r.path)).toEqual(['/oauth/token']);
    const [settings] = await haven.deps.db.system.select().from(rosterSettings).where(eq(rosterSettings.districtId, district.id));
    expect(settings).toMatchObject({ deltaFrom: null, lastSyncOutcome: 'failed' });
    const history = await haven.app.inject({ method: 'GET', url: '/api/v1/roster/imports', headers: whitfield.headers });
    expect(history.json()).toEqual([expect.objectContaining({ source: 'rest sync', error: refused.json().detail, rejectedCount: 0 })]);
  });

  it('settings are refused with a clear message when incomplete, not HTTPS, or not a time', async () => {
    const { people } = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const put = (payload: Record<string, unknown>) => haven.app.inject({ method: 'PUT', url: '/api/v1/roster/settings', headers: whitfield.headers, payload });
    const good = { baseUrl: 'https://sis.example.org', tokenUrl: 'https://sis.example.org/token', clientId: 'haven', clientSecret: 's3cret', version: '1.1' };
    expect((await put({ ...good, baseUrl: 'http://sis.example.org' })).json()).toMatchObject({
      status: 400,
      detail: 'The base URL must start with https:// (the roster and the client secret must travel encrypted).',
    });
    expect((await put({ baseUrl: good.baseUrl })).json().detail).toBe(
      'To sync from OneRoster, set the base URL, the token URL, the client ID, the client secret and the version together.',
    );
    expect((await put({ ...good, syncTime: '2am' })).json().detail).toMatch(/HH:MM/);
    expect((await put({ ...good, version: '2.0' })).statusCode).toBe(400);
    expect((await put(good)).statusCode).toBe(200);
    // Saving again without the secret keeps it.
    expect((await put({ ...good, clientSecret: undefined, syncTime: '03:30' })).json()).toMatchObject({ clientSecretSet: true, syncTime: '03:30' });
  });

  it('OneRoster 1.1 over REST matches the 1.1 CSV import; without X-Total-Count Haven stops on a short page', async () => {
    const { district } = await createDistrict(haven.deps);
    const csv = await createDistrict(haven.deps);
    const byCsv = await importOneRoster(haven.deps, csv.district.id, oneOne(), { dryRun: false, source: 'upload', by: 'test' });
    const sis = await server('1.1', oneOne(), { totalCount: false });
    await saveRosterSettings(haven.deps, district.id, sourceOf(sis, '1.1'), { userId: null, label: 'test' });
    const summary = await syncRoster(haven.deps, district.id, { dryRun: false, by: 'test', pageSize: 4 });
    expect(counts(summary)).toEqual(counts(byCsv));
    // Six users: a full page of four, then a short page of two, and no request after it.
    expect(sis.requests.filter((r) => r.path.endsWith('/users')).map((r) => [r.offset, r.limit])).toEqual([
      [0, 4],
      [4, 4],
    ]);
  });
});

describe('the nightly sync', () => {
  it('runs at 02:00 in the district’s time zone, once a day; a failed night e-mails the district administrators and is listed', async () => {
    haven.clock.set(new Date('2026-11-28T15:00:00Z'));
    const { district, people } = await createDistrict(haven.deps);
    const sis = await server('1.2', oneTwo());
    // Saved on 28 November at 08:00 in Denver: the first night is the 29th, 02:00 MST = 09:00 UTC.
    await saveRosterSettings(haven.deps, district.id, { ...sourceOf(sis, '1.2'), syncTime: '02:00' }, { userId: null, label: 'test' });
    const mine = async () => (await studentsOf(district.id)).length;
    haven.clock.set(new Date('2026-11-29T08:59:00Z'));
    await runDueRosterSyncs(haven.deps);
    expect(await mine()).toBe(0);
    haven.clock.set(new Date('2026-11-29T09:00:00Z'));
    await runDueRosterSyncs(haven.deps);
    expect(await mine()).toBe(2);
    haven.clock.set(new Date('2026-11-29T20:00:00Z'));
    await runDueRosterSyncs(haven.deps);
    const imports = () => haven.deps.db.system.select().from(rosterImports).where(eq(rosterImports.districtId, district.id));
    expect((await imports()).map((i) => [i.source, i.byLabel])).toEqual([['rest sync', 'system: nightly roster sync']]);

    // The next night the SIS is down: the sync fails, changes nothing, and says so.
    await sis.close();
    haven.clock.set(new Date('2026-11-30T09:00:00Z'));
    await runDueRosterSyncs(haven.deps);
    const failed = (await imports()).map((i) => (i.summary as { error?: string }).error).filter(Boolean);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^Could not reach the OneRoster token endpoint at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Nothing was changed\.$/);
    const mail = await haven.deps.db.system
      .select()
      .from(outbox)
      .where(and(eq(outbox.districtId, district.id), eq(outbox.purpose, 'roster.sync_failed')));
    expect(mail).toHaveLength(1);
    const message = JSON.parse(haven.deps.secrets.decrypt(mail[0]?.messageEncrypted as string));
    expect(message).toMatchObject({ kind: 'email', to: people.whitfield.email, subject: "Haven: last night's roster sync failed" });
    expect(message.text).toContain('ECONNREFUSED');
    expect(message.text).toContain('http://haven.test/district');
    expect(message.text).not.toMatch(/Sof[ií]a|Bao|Ramírez/);
    const [settings] = await haven.deps.db.system.select().from(rosterSettings).where(eq(rosterSettings.districtId, district.id));
    expect(settings).toMatchObject({ lastSyncOutcome: 'failed', deltaFrom: new Date('2026-11-29T09:00:00Z') });
    // Once a night: it is not retried every second, and it is mailed once.
    haven.clock.set(new Date('2026-11-30T09:05:00Z'));
    expect(await runDueRosterSyncs(haven.deps)).toBe(0);
    expect(await mine()).toBe(2);
  });
});
