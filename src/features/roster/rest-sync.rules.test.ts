import { describe, expect, it } from 'vitest';
import { buildRoster } from './oneroster.rules.ts';
import { collectionUrl, deltaFilter, nightlyDue, restFinding, rowsFromObjects, sourceUrlProblem, syncModes, usersToFetch } from './rest-sync.rules.ts';

describe('where a OneRoster REST collection lives', () => {
  it.each([
    ['https://sis.example.org', '1.1', 'https://sis.example.org/ims/oneroster/v1p1/users'],
    ['https://sis.example.org/', '1.2', 'https://sis.example.org/ims/oneroster/rostering/v1p2/users'],
    ['https://api.vendor.example/district-9/ims/oneroster/v1p1', '1.1', 'https://api.vendor.example/district-9/ims/oneroster/v1p1/users'],
    ['https://api.vendor.example/ims/oneroster/rostering/v1p2/', '1.2', 'https://api.vendor.example/ims/oneroster/rostering/v1p2/users'],
  ] as const)('%s (%s)', (base, version, url) => {
    expect(collectionUrl(base, version, 'users')).toBe(url);
  });

  it('a delta asks from ten minutes before the last sync began, for a source whose clock runs behind', () => {
    expect(deltaFilter(new Date('2026-11-28T15:00:00Z'))).toBe("dateLastModified>'2026-11-28T14:50:00.000Z'");
  });

  it.each([
    ['https://sis.example.org/oneroster', null],
    ['http://127.0.0.1:8080', null],
    ['http://localhost:8080/ims', null],
    ['http://sis.example.org', 'The base URL must start with https:// (the roster and the client secret must travel encrypted).'],
    ['https://admin:pw@sis.example.org', 'The base URL must not contain a user name or password; enter the client ID and secret in their own fields.'],
    ['sis.example.org', 'The base URL is not a web address; write it in full, e.g. https://sis.example.org/ims/oneroster/v1p1.'],
  ])('source URL %s', (url, problem) => {
    expect(sourceUrlProblem('The base URL', url)).toBe(problem);
  });
});

describe('the nightly sync is due at the district’s local time, once a day', () => {
  const denver = { syncTime: '02:00', timeZone: 'America/Denver', settingsSavedAt: new Date('2026-11-01T00:00:00Z') };
  it('not before 02:00 Mountain time (09:00 UTC in winter), then once', () => {
    expect(nightlyDue({ ...denver, lastSyncAt: null, now: new Date('2026-11-29T08:59:00Z') })).toBeNull();
    expect(nightlyDue({ ...denver, lastSyncAt: null, now: new Date('2026-11-29T09:00:00Z') })).toEqual(new Date('2026-11-29T09:00:00Z'));
    expect(nightlyDue({ ...denver, lastSyncAt: new Date('2026-11-29T09:00:01Z'), now: new Date('2026-11-29T15:00:00Z') })).toBeNull();
    // The next night it is due again, whatever happened the day before.
    expect(nightlyDue({ ...denver, lastSyncAt: new Date('2026-11-29T09:00:01Z'), now: new Date('2026-11-30T09:00:00Z') })).not.toBeNull();
  });
  it('in summer the same local time is 08:00 UTC', () => {
    const spring = { ...denver, settingsSavedAt: new Date('2026-03-01T00:00:00Z'), lastSyncAt: null };
    expect(nightlyDue({ ...spring, now: new Date('2026-07-01T07:59:00Z') })).toBeNull();
    expect(nightlyDue({ ...spring, now: new Date('2026-07-01T08:00:00Z') })).toEqual(new Date('2026-07-01T08:00:00Z'));
  });
  it('a schedule saved after today’s time starts tomorrow; a missed night is caught up later that day', () => {
    expect(nightlyDue({ ...denver, settingsSavedAt: new Date('2026-11-29T17:00:00Z'), lastSyncAt: null, now: new Date('2026-11-29T17:00:01Z') })).toBeNull();
    expect(nightlyDue({ ...denver, lastSyncAt: new Date('2026-11-27T09:00:00Z'), now: new Date('2026-11-29T16:00:00Z') })).not.toBeNull();
  });
  it('no time, no nightly sync', () => {
    expect(nightlyDue({ ...denver, syncTime: null, lastSyncAt: null, now: new Date('2026-11-29T12:00:00Z') })).toBeNull();
  });
});

describe('REST objects become the rows the CSV rules read', () => {
  const orgs = rowsFromObjects('orgs', [
    { sourcedId: 'd', status: 'active', name: 'Valley', type: 'district' },
    { sourcedId: 's', status: 'active', name: 'Roosevelt Middle School', type: 'school', parent: { sourcedId: 'd', type: 'org' } },
  ])['orgs.csv'];

  it('1.1: role and orgs on the user, agents as guardians, grades as a list, metadata for the ext_ mapping; the password never', () => {
    const users = rowsFromObjects('users', [
      {
        sourcedId: 'u1',
        status: 'active',
        role: 'student',
        givenName: 'Sofía',
        familyName: 'Ramírez',
        identifier: '1001',
        orgs: [{ sourcedId: 's', type: 'org' }],
        agents: [{ sourcedId: 'g1', type: 'user' }],
        grades: ['07'],
        password: 'hunter2',
        metadata: { section504: true, ext_home_language: 'es' },
      },
      { sourcedId: 'g1', status: 'active', role: 'parent', givenName: 'Lucía', familyName: 'Ramírez', email: 'lucia@example.org' },
    ]);
    const model = buildRoster('1.1', { 'orgs.csv': orgs ?? [], ...users });
    expect(model.rejected).toEqual([]);
    expect(model.students).toEqual([
      expect.objectContaining({ sourcedId: 'u1', localId: '1001', grade: '7', schoolSourcedId: 's', section504: true, homeLanguage: 'es' }),
    ]);
    expect(model.links).toEqual([{ studentSourcedId: 'u1', guardianSourcedId: 'g1', relationship: 'parent' }]);
    expect(users['users.csv']?.map((r) => r.has('password'))).toEqual([false, false]);
  });

  it('1.2: roles with their orgs become roles.csv rows; a tobedeleted user is deactivated, never deleted', () => {
    const users = rowsFromObjects('users', [
      {
        sourcedId: 'u1',
        status: 'active',
        givenName: 'Bao',
        familyName: 'Nguyen',
        roles: [{ roleType: 'primary', role: 'student', org: { sourcedId: 's' } }],
        grades: ['KG'],
      },
      { sourcedId: 'u2', status: 'tobedeleted', givenName: 'Gone', familyName: 'Away', roles: [] },
    ]);
    expect(Object.keys(users)).toEqual(['users.csv', 'roles.csv']);
    const model = buildRoster('1.2', { 'orgs.csv': orgs ?? [], ...users });
    expect(model.students.map((s) => [s.sourcedId, s.grade, s.schoolSourcedId])).toEqual([['u1', 'K', 's']]);
    expect(model.deleted).toEqual(['u2']);
  });

  it('a user with no role is rejected naming the collection and the record, not a CSV file', () => {
    const users = rowsFromObjects('users', [{}, { sourcedId: 'u9', givenName: 'No', familyName: 'Role', roles: [{ role: '' }] }]);
    const model = buildRoster('1.2', { 'orgs.csv': orgs ?? [], ...users });
    expect(model.rejected.map(restFinding)).toEqual([
      { file: 'users', line: 1, field: 'sourcedId', reason: 'sourcedId is empty' },
      { file: 'users', line: 2, field: 'role', reason: 'user u9 has no role' },
    ]);
  });

  it('a delta fetches the users it names but does not carry; a full sync is bulk, a delta changes only (orgs always whole)', () => {
    const rows = {
      ...rowsFromObjects('users', [{ sourcedId: 'u1', role: 'student', agents: [{ sourcedId: 'g1' }, { sourcedId: 'u1' }] }]),
      ...rowsFromObjects('demographics', [{ sourcedId: 'u7', sex: 'female' }]),
    };
    expect(usersToFetch(rows)).toEqual(['g1', 'u7']);
    expect(syncModes(true, ['orgs', 'users'])).toEqual({ 'orgs.csv': 'bulk', 'users.csv': 'bulk' });
    expect(syncModes(false, ['orgs', 'users', 'enrollments'])).toEqual({ 'orgs.csv': 'bulk', 'users.csv': 'delta', 'enrollments.csv': 'delta' });
  });
});
