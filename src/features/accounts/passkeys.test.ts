import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { createSoftwareAuthenticator } from '../../../test/support/software-authenticator.ts';

let haven: TestHaven;
const device = createSoftwareAuthenticator('http://haven.test');

beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const post = (url: string, payload: unknown, session?: Session) =>
  haven.app.inject({ method: 'POST', url, headers: session?.headers ?? {}, payload: payload as object });

/** Adds a passkey on the account page: the password again, the device's answer, a name. */
async function addPasskey(session: Session, name: string) {
  const options = await post('/api/v1/me/passkeys/options', { password }, session);
  expect(options.statusCode, options.body).toBe(200);
  const created = device.register(options.json());
  const stored = await post('/api/v1/me/passkeys', { name, response: created.response }, session);
  expect(stored.statusCode, stored.body).toBe(201);
  return created.passkey;
}

async function passkeySignIn(passkey: ReturnType<typeof device.register>['passkey'], extra: { repeatCounter?: boolean } = {}) {
  const options = (await post('/api/v1/auth/passkey/options', {})).json();
  return post('/api/v1/auth/passkey', { response: device.authenticate(passkey, options, extra) });
}

describe('passkeys', () => {
  it('Ms. Rivera adds a passkey with her password again, then signs in with it alone; it counts as two factors where MFA is required', async () => {
    const { district, people } = await createDistrict(haven.deps, { mfaRequired: true });
    const session = await signIn(haven.app, people.rivera.email);
    const withoutProof = await post('/api/v1/me/passkeys/options', {}, session);
    expect(withoutProof.statusCode).toBe(403);
    expect(withoutProof.json().code).toBe('reauthentication_required');
    const passkey = await addPasskey(session, 'My phone');
    const listed = await haven.app.inject({ method: 'GET', url: '/api/v1/me/passkeys', headers: session.headers });
    expect(listed.json().items).toMatchObject([{ name: 'My phone', lastUsedAt: null }]);
    expect(listed.body).not.toMatch(/publicKey|credentialId/);

    const signedIn = await passkeySignIn(passkey);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(signedIn.json()).toMatchObject({ mfaPending: false, user: { email: people.rivera.email } });
    const cookie = signedIn.cookies.find((c) => c.name === 'haven_session');
    const students = await haven.app.inject({ method: 'GET', url: '/api/v1/students?q=a', headers: { cookie: `haven_session=${cookie?.value}` } });
    expect(students.statusCode).toBe(200);
    const { rows } = await haven.deps.db.system.$client.query(
      "select detail from audit_events where district_id = $1 and action in ('auth.passkey_added', 'auth.passkey_sign_in') order by sequence",
      [district.id],
    );
    expect(rows.map((r) => r.detail)).toMatchObject([{ name: 'My phone' }, { passkey: 'My phone' }]);
  });

  it('a replayed answer, a repeated signature counter, or a key Haven never registered is refused', async () => {
    const { people } = await createDistrict(haven.deps);
    const passkey = await addPasskey(await signIn(haven.app, people.shah.email), 'Laptop');
    const options = (await post('/api/v1/auth/passkey/options', {})).json();
    const answer = device.authenticate(passkey, options);
    expect((await post('/api/v1/auth/passkey', { response: answer })).statusCode).toBe(200);
    const replayed = await post('/api/v1/auth/passkey', { response: answer });
    expect(replayed.statusCode).toBe(400);
    expect(replayed.json().detail).toMatch(/expired/);
    const cloned = await passkeySignIn(passkey, { repeatCounter: true });
    expect(cloned.statusCode).toBe(401);
    const stranger = device.register({ challenge: 'x', rp: { id: 'haven.test' }, user: { id: 'nobody' } }).passkey;
    const unknown = await passkeySignIn(stranger);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().detail).toMatch(/does not recognize this passkey/);
    const garbage = await post('/api/v1/auth/passkey', { response: { id: '!!', type: 'public-key' } });
    expect(garbage.statusCode).toBe(400);
  });

  it('recovery codes still work for a person who has a passkey and an authenticator', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.okafor.email);
    await addPasskey(session, 'Phone');
    const { secret } = (await post('/api/v1/me/mfa/enrolment', undefined, session)).json();
    const confirmed = await post(
      '/api/v1/me/mfa/enrolment/confirm',
      { code: await generate({ secret, epoch: Math.floor(haven.clock.now().getTime() / 1000) }) },
      session,
    );
    const [recovery] = confirmed.json().recoveryCodes as string[];
    const withRecovery = await post('/api/v1/auth/login', { email: people.okafor.email, password, otp: recovery });
    expect(withRecovery.statusCode).toBe(200);
  });
});
