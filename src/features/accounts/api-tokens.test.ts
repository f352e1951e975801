import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

let haven: TestHaven;

beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const day = 86_400_000;

function mint(session: Session, payload: Record<string, unknown>, headers: Record<string, string> = {}) {
  return haven.app.inject({ method: 'POST', url: '/api/v1/me/tokens', headers: { ...session.headers, ...headers }, payload });
}
const listTokens = (session: Session) => haven.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: session.headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function auditEvents(districtId: string, action: string) {
  const { rows } = await haven.deps.db.system.$client.query(
    'select subject_id, detail from audit_events where district_id = $1 and action = $2 order by sequence',
    [districtId, action],
  );
  return rows as { subject_id: string; detail: Record<string, unknown> | null }[];
}
const tokenRows = async (userId: string) =>
  (await haven.deps.db.system.$client.query('select id, scope, revoked_at from api_tokens where user_id = $1', [userId])).rows as {
    id: string;
    scope: string;
    revoked_at: Date | null;
  }[];

describe('making an API token', () => {
  it('Ms. Whitfield makes a read-only token for 90 days with her password; it is shown once and listed without its secret', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.whitfield.email);
    const created = await mint(session, { name: 'roster sync', scope: 'read', days: 90, password });
    expect(created.statusCode).toBe(201);
    const { id, token, scope, expiresAt } = created.json();
    expect(token).toMatch(/^hvn_/);
    expect(scope).toBe('read');
    expect(new Date(expiresAt).getTime()).toBe(haven.clock.now().getTime() + 90 * day);

    haven.clock.advance(5 * 60_000);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(token) })).json().user.email).toBe(people.whitfield.email);
    const listed = await listTokens(session);
    expect(listed.body).not.toContain(token);
    expect(listed.json().items).toEqual([
      {
        id,
        name: 'roster sync',
        scope: 'read',
        createdAt: new Date(haven.clock.now().getTime() - 5 * 60_000).toISOString(),
        expiresAt,
        expired: false,
        lastUsedAt: haven.clock.now().toISOString(),
      },
    ]);
    const [event] = await auditEvents(district.id, 'api_token.created');
    expect(event?.subject_id).toBe(id);
    expect(event?.detail).toMatchObject({ name: 'roster sync', scope: 'read', days: 90 });
    expect(JSON.stringify(event?.detail)).not.toContain(token);
  });

  it('a session alone cannot mint a token: no password, a wrong one, or an API token instead of a browser are refused, and nothing is stored', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.bell.email);
    const without = await mint(session, { name: 'from a borrowed laptop', scope: 'full', days: 365 });
    expect(without.statusCode).toBe(403);
    expect(without.json().detail).toBe('To create a token, enter your password again (or a current code from your authenticator app).');
    const wrong = await mint(session, { name: 'from a borrowed laptop', scope: 'full', days: 365, password: 'a guess at his password' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toMatch(/^That password is not right\./);
    const spanish = await mint(session, { name: 'x', scope: 'full', days: 30 }, { 'accept-language': 'es' });
    expect(spanish.json().detail).toBe('Para crear un token, escriba de nuevo su contraseña (o un código actual de su aplicación de autenticación).');
    expect(await tokenRows(people.bell.id)).toEqual([]);
    expect((await auditEvents(district.id, 'auth.reauthentication_failed')).map((e) => e.detail?.purpose)).toEqual(['api_token.create']);

    // A token cannot make another (it would outlive itself), even with the password.
    const first = (await mint(session, { name: 'nightly', scope: 'full', days: 30, password })).json();
    const chained = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: bearer(first.token),
      payload: { name: 'forever', scope: 'full', days: 365, password },
    });
    expect(chained.statusCode).toBe(401);
    expect(chained.json().detail).toMatch(/signed-in browser session/);
    expect(await tokenRows(people.bell.id)).toHaveLength(1);
  });

  it('guessing the password through token creation locks the account from that address, as failed sign-ins do', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.rivera.email);
    for (let i = 0; i < 5; i++) expect((await mint(session, { name: 't', scope: 'read', days: 30, password: `guess ${i}` })).statusCode).toBe(403);
    const locked = await mint(session, { name: 't', scope: 'read', days: 30, password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/locked; try again in 15 minutes/);
    const signInHere = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: people.rivera.email, password } });
    expect(signInHere.statusCode).toBe(429);
  });

  it('with an authenticator, a current code will do instead of the password, once', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.okafor.email);
    const { secret } = (await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: session.headers })).json();
    const epoch = () => Math.floor(haven.clock.now().getTime() / 1000);
    const enrolment = await generate({ secret, epoch: epoch() });
    expect(
      (await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code: enrolment } })).statusCode,
    ).toBe(200);
    haven.clock.advance(30_000);
    const code = await generate({ secret, epoch: epoch() });
    expect((await mint(session, { name: 'case export', scope: 'read', days: 30, code })).statusCode).toBe(201);
    const replayed = await mint(session, { name: 'case export 2', scope: 'read', days: 30, code });
    expect(replayed.statusCode).toBe(403);
    expect(replayed.json().detail).toMatch(/^That code is not right\./);
  });

  it.each([
    [{ name: 'x', scope: 'admin', days: 30 }, /Choose what the token may do/],
    [{ name: 'x', scope: 'read', days: 0 }, /a whole number of days from 1 to 365/],
    [{ name: 'x', scope: 'read', days: 3650 }, /a whole number of days from 1 to 365/],
    [{ name: 'x', scope: 'read', days: 'forever' }, /Choose how many days the token lasts/],
    [{ name: 'x', scope: 'read', days: 30.5 }, /whole number of days/],
    [{ name: 'x', scope: 'read' }, /Choose how many days the token lasts/],
    [{ name: '   ', scope: 'read', days: 30 }, /Give the token a name/],
  ])('%j is refused with a clear 400 and nothing is stored', async (payload, detail) => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.lee.email);
    const response = await mint(session, { ...payload, password });
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(detail);
    expect(await tokenRows(people.lee.id)).toEqual([]);
  });
});

describe('using an API token', () => {
  it('a read-only token reads, and is refused (403) anything that would change something', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.whitfield.email);
    const reader = (await mint(session, { name: 'dashboard', scope: 'read', days: 30, password })).json();
    const other = (await mint(session, { name: 'other', scope: 'full', days: 30, password })).json();
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: bearer(reader.token) })).statusCode).toBe(200);
    expect((await haven.app.inject({ method: 'HEAD', url: '/api/v1/me', headers: bearer(reader.token) })).statusCode).toBe(200);
    const changes = [
      { method: 'DELETE', url: `/api/v1/me/tokens/${other.id}` },
      { method: 'POST', url: '/api/v1/auth/logout-everywhere' },
      { method: 'PUT', url: '/api/v1/me/district', payload: { districtId: district.id } },
      { method: 'POST', url: '/api/v1/me/password', payload: { currentPassword: password, newPassword: 'a sneaky new passphrase' } },
    ] as const;
    for (const change of changes) {
      const refused = await haven.app.inject({ ...change, headers: bearer(reader.token) });
      expect(refused.statusCode, `${change.method} ${change.url}`).toBe(403);
      expect(refused.json().detail).toBe(
        'This API token is read-only: it may only read (GET and HEAD requests). To make changes, create a token with full access.',
      );
    }
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: people.whitfield.email, password } })).statusCode).toBe(200);
    expect((await tokenRows(people.whitfield.id)).every((t) => t.revoked_at === null)).toBe(true);
    // A full token may change things its owner may.
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${reader.id}`, headers: bearer(other.token) })).statusCode).toBe(204);
  });

  it('an expired token is refused with 401 saying when it expired, the attempt is audited, and the list marks it expired', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.lee.email);
    const created = (await mint(session, { name: 'quarterly export', scope: 'read', days: 30, password })).json();
    haven.clock.advance(29 * day);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) })).statusCode).toBe(200);
    haven.clock.advance(day);
    const expired = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) });
    expect(expired.statusCode).toBe(401);
    const at = `${new Date(created.expiresAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    expect(expired.json().detail).toBe(`This API token expired on ${at}. Create a new one on your account page.`);
    expect(expired.json().code).toBe('api_token_expired');
    const spanish = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: { ...bearer(created.token), 'accept-language': 'es' } });
    expect(spanish.json().detail).toBe(`Este token de API venció el ${at}. Cree uno nuevo en la página de su cuenta.`);
    const refusals = await auditEvents(district.id, 'api_token.use_refused');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ subject_id: created.id, detail: { reason: 'expired' } });

    const fresh = await signIn(haven.app, people.lee.email);
    expect((await listTokens(fresh)).json().items).toEqual([expect.objectContaining({ id: created.id, expired: true })]);
  });

  it('a revoked token is refused with 401 saying so; revoking is audited; nobody else can revoke it', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, people.whitfield.email);
    const created = (await mint(whitfield, { name: 'sis bridge', scope: 'full', days: 365, password })).json();
    const bell = await signIn(haven.app, people.bell.email);
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.id}`, headers: bell.headers })).statusCode).toBe(404);
    expect((await haven.app.inject({ method: 'DELETE', url: '/api/v1/me/tokens/not-a-token', headers: whitfield.headers })).statusCode).toBe(404);
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.id}`, headers: whitfield.headers })).statusCode).toBe(204);
    const refused = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(created.token) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toMatch(/^This API token was revoked on .* UTC and no longer works\.$/);
    expect((await listTokens(whitfield)).json().items).toEqual([]);
    expect((await auditEvents(district.id, 'api_token.revoked')).map((e) => e.subject_id)).toEqual([created.id]);
    expect((await auditEvents(district.id, 'api_token.use_refused'))[0]?.detail).toMatchObject({ reason: 'revoked' });
    const unknown = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('hvn_not-a-real-token') });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toBe('This API token is not valid.');
  });
});
