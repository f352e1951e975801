import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addUser } from '../accounts/users.service.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

describe('district settings', () => {
  it('Ms. Whitfield turns on required two-step sign-in; the change is audited', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const changed = await haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: whitfield.headers, payload: { mfaRequired: true } });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().mfaRequired).toBe(true);
    const { rows } = await haven.deps.db.system.$client.query(
      `select detail from audit_events where district_id = $1 and action = 'district.settings_changed'`,
      [district.id],
    );
    expect(rows).toEqual([{ detail: { mfaRequired: true } }]);
    // Ms. Rivera, a counselor without an authenticator, must now enrol before reading records.
    const rivera = await signIn(haven.app, people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: rivera.headers })).statusCode).toBe(403);
  });

  it('a principal cannot change district settings, and a bad time zone is explained', async () => {
    const { people } = await createDistrict(haven.deps);
    const bell = await signIn(haven.app, people.bell.email);
    expect(
      (await haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: bell.headers, payload: { mfaRequired: false } })).statusCode,
    ).toBe(404);
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const bad = await haven.app.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      headers: whitfield.headers,
      payload: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/IANA time zone/);
    const empty = await haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: whitfield.headers, payload: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().detail).toMatch(/change at least one setting/);
  });
});

describe('working in two districts', () => {
  it('Ms. Park, a counselor who serves two districts, switches between them and sees each one only', async () => {
    const north = await createDistrict(haven.deps);
    const south = await createDistrict(haven.deps);
    await addUser(haven.deps, { districtId: south.district.id, email: north.people.park.email, role: 'counselor', schoolCode: 'lincoln-ms', password });
    const park = await signIn(haven.app, north.people.park.email);
    const me = (await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: park.headers })).json();
    expect(me.districts.map((d: { id: string }) => d.id).sort()).toEqual([north.district.id, south.district.id].sort());
    expect(me.district.id).toBe(north.district.id);
    const switched = await haven.app.inject({ method: 'PUT', url: '/api/v1/me/district', headers: park.headers, payload: { districtId: south.district.id } });
    expect(switched.statusCode).toBe(204);
    const after = (await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: park.headers })).json();
    expect(after.district.id).toBe(south.district.id);
    expect(after.roles).toEqual([{ role: 'counselor', schoolId: south.schools.lincoln.id, schoolName: 'Lincoln Middle School' }]);
    const elsewhere = await createDistrict(haven.deps);
    const refused = await haven.app.inject({
      method: 'PUT',
      url: '/api/v1/me/district',
      headers: park.headers,
      payload: { districtId: elsewhere.district.id },
    });
    expect(refused.statusCode).toBe(404);
  });
});
