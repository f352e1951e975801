import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { importOneRoster, readExport } from '../roster/roster.service.ts';

let haven: TestHaven;

beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const query = async <T>(text: string, values: unknown[]) => (await haven.deps.db.system.$client.query(text, values)).rows as T[];
const rosterImport = (districtId: string, files: Map<string, string>) =>
  importOneRoster(haven.deps, districtId, files, { dryRun: false, source: 'test', by: 'test' });

describe('accounts follow the roster', () => {
  it('staff from the roster are offered, invited only when Ms. Whitfield confirms, and lose their access when the roster drops them', async () => {
    const d = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const files = readExport(fixture('oneroster-1.2'));
    await rosterImport(d.district.id, files);
    expect(await query('select 1 from users where email = $1', ['grace.okoye@valley.example'])).toHaveLength(0);

    const offered = await haven.app.inject({ method: 'GET', url: '/api/v1/district/roster-invitations', headers: whitfield.headers });
    expect(offered.json()).toMatchObject([
      { givenName: 'Grace', familyName: 'Okoye', email: 'grace.okoye@valley.example', offeredRole: 'counselor' },
      { givenName: 'Arjun', familyName: 'Patel', offeredRole: 'staff' },
    ]);
    const grace = offered.json()[0].id as string;
    const unconfirmed = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/roster-invitations/${grace}`,
      headers: whitfield.headers,
      payload: {},
    });
    expect(unconfirmed.statusCode).toBe(400);
    expect(await query('select 1 from users where email = $1', ['grace.okoye@valley.example'])).toHaveLength(0);
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const notAdmin = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/roster-invitations/${grace}`,
      headers: rivera.headers,
      payload: { confirm: true },
    });
    expect(notAdmin.statusCode).toBe(404);

    const invited = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/roster-invitations/${grace}`,
      headers: whitfield.headers,
      payload: { confirm: true },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const [grant] = await query<{ role: string }>('select g.role from role_grants g join users u on u.id = g.user_id where u.email = $1', [
      'grace.okoye@valley.example',
    ]);
    expect(grant?.role).toBe('counselor');
    expect(await query("select 1 from outbox where district_id = $1 and purpose = 'roster.staff_invited'", [d.district.id])).toHaveLength(1);
    const afterInvite = await haven.app.inject({ method: 'GET', url: '/api/v1/district/roster-invitations', headers: whitfield.headers });
    expect(afterInvite.json().map((p: { givenName: string }) => p.givenName)).toEqual(['Arjun']);

    // Grace chooses a password and signs in; then the next full export leaves her out.
    await haven.deps.db.system.$client.query('update users set password_hash = $1 where email = $2', [
      await hashPassword('grace chooses a long password'),
      'grace.okoye@valley.example',
    ]);
    const graceSession = await signIn(haven.app, 'grace.okoye@valley.example', 'grace chooses a long password');
    const withoutGrace = new Map(files);
    const users = files.get('users.csv') ?? '';
    withoutGrace.set(
      'users.csv',
      users
        .split('\n')
        .filter((line) => !line.includes('usr-t-3001'))
        .join('\n'),
    );
    const summary = await rosterImport(d.district.id, withoutGrace);
    expect(summary.staff.deactivated).toBe(1);

    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: graceSession.headers })).statusCode).toBe(401);
    const [account] = await query<{ disabled_at: Date | null }>('select disabled_at from users where email = $1', ['grace.okoye@valley.example']);
    expect(account?.disabled_at).toBeInstanceOf(Date);
    const again = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'grace.okoye@valley.example', password: 'grace chooses a long password' },
    });
    expect(again.statusCode).toBe(401);
    expect(await query("select 1 from audit_events where district_id = $1 and action = 'user.disabled_by_roster'", [d.district.id])).toHaveLength(1);
    const notes = await query<{ purpose: string }>("select purpose from outbox where district_id = $1 and purpose = 'roster.account_closed'", [d.district.id]);
    expect(notes).toHaveLength(1);

    // The same export again changes nothing more: one event, one note.
    await rosterImport(d.district.id, withoutGrace);
    expect(await query("select 1 from audit_events where district_id = $1 and action = 'user.disabled_by_roster'", [d.district.id])).toHaveLength(1);
  });
});
