import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import { createMailer } from '../../platform/mail/mailer.ts';

let haven: TestHaven;
let smtp: Awaited<ReturnType<typeof startSmtpListener>>;

beforeAll(async () => {
  smtp = await startSmtpListener();
  haven = await startTestHaven({
    mailer: createMailer({ smtpUrl: smtp.url, from: 'Haven <no-reply@haven.test>', environment: 'test', log: () => undefined }),
  });
});
afterAll(async () => {
  await haven.close();
  await smtp.close();
});

const login = (payload: Record<string, unknown>) => haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

async function auditActions(districtId: string) {
  const { rows } = await haven.deps.db.system.$client.query('select action from audit_events where district_id = $1 order by sequence', [districtId]);
  return rows.map((r: { action: string }) => r.action);
}

describe('signing in', () => {
  it('Ms. Rivera signs in and sees her district, her school, her role and what she may do', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const response = await login({ email: people.rivera.email.toUpperCase(), password });
    expect(response.statusCode).toBe(200);
    const cookie = response.headers['set-cookie'] as string;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const me = response.json();
    expect(me.district.slug).toBe(district.slug);
    expect(me.roles).toEqual([{ role: 'counselor', schoolId: expect.any(String), schoolName: 'Lincoln Middle School' }]);
    expect(me.schools.map((s: { name: string }) => s.name)).toEqual(['Lincoln Middle School']);
    expect(me.abilities).toEqual({
      searchStudents: true,
      configureDistrict: false,
      submitReports: true,
      handleReports: true,
      screening: true,
      manageScreening: true,
      cases: true,
      support: true,
      partners: true,
      leadership: false,
    });
    expect(await auditActions(district.id)).toContain('auth.sign_in');
  });

  it('a wrong password and an unknown address get the same answer; the failure is audited', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const wrong = await login({ email: people.rivera.email, password: 'not her password at all' });
    const unknown = await login({ email: 'nobody@nowhere.test', password: 'not her password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await auditActions(district.id)).toContain('auth.sign_in.failed');
  });

  it('after five failures from one address the account is locked there for 15 minutes, even with the right password', async () => {
    const { people } = await createDistrict(haven.deps);
    for (let i = 0; i < 5; i++) expect((await login({ email: people.shah.email, password: 'guessing-wrong-again' })).statusCode).toBe(401);
    const locked = await login({ email: people.shah.email, password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/locked; try again in 15 minutes/);
    haven.clock.advance(16 * 60_000);
    expect((await login({ email: people.shah.email, password })).statusCode).toBe(200);
  });

  it('someone guessing cannot lock Mr. Okafor out: from his own address he still signs in, and the administrators are told', async () => {
    const { people } = await createDistrict(haven.deps);
    const from = (remoteAddress: string, payload: Record<string, unknown>) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress });
    for (let i = 0; i < 5; i++) expect((await from('198.51.100.66', { email: people.okafor.email, password: 'a guess from far away' })).statusCode).toBe(401);
    expect((await from('198.51.100.66', { email: people.okafor.email, password })).statusCode).toBe(429);
    // His own phone, at another address, is not locked.
    expect((await from('203.0.113.20', { email: people.okafor.email, password })).statusCode).toBe(200);
    await expect.poll(() => smtp.received.some((m) => m.to.includes(people.whitfield.email) && m.text.includes('was locked'))).toBe(true);
    const mail = smtp.received.find((m) => m.to.includes(people.whitfield.email) && m.text.includes('was locked'));
    expect(mail?.text).toContain('can still sign in from any other address');
    expect(mail?.text).not.toContain('198.51.100.66');
  });

  it('signing out ends the session; state changes need the CSRF token', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.bell.email);
    const forged = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: session.headers.cookie } });
    expect(forged.statusCode).toBe(403);
    const out = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
  });

  it('an idle session ends after 30 minutes', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.okafor.email);
    haven.clock.advance(31 * 60_000);
    const response = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toMatch(/sign in/);
  });

  it('signing out everywhere ends sessions on other devices', async () => {
    const { people } = await createDistrict(haven.deps);
    const laptop = await signIn(haven.app, people.whitfield.email);
    const phone = await signIn(haven.app, people.whitfield.email);
    const response = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: phone.headers });
    expect(response.json()).toEqual({ sessionsEnded: 2 });
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: laptop.headers })).statusCode).toBe(401);
  });
});

describe('two-step sign-in (TOTP)', () => {
  it('Mr. Okafor enrols an authenticator, then needs a fresh code (or a recovery code) to sign in', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.okafor.email);
    const begin = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: session.headers });
    expect(begin.statusCode).toBe(200);
    const { secret, qrSvg } = begin.json();
    expect(qrSvg).toMatch(/^<svg/);
    const epoch = () => Math.floor(haven.clock.now().getTime() / 1000);
    const wrong = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    const code = await generate({ secret, epoch: epoch() });
    const confirm = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code } });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json();
    expect(recoveryCodes).toHaveLength(10);

    const withoutCode = await login({ email: people.okafor.email, password });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().mfaRequired).toBe(true);
    // The code used for enrolment cannot be replayed.
    expect((await login({ email: people.okafor.email, password, otp: code })).statusCode).toBe(401);
    haven.clock.advance(30_000);
    const fresh = await generate({ secret, epoch: epoch() });
    expect((await login({ email: people.okafor.email, password, otp: fresh })).statusCode).toBe(200);
    expect((await login({ email: people.okafor.email, password, otp: recoveryCodes[0].toUpperCase() })).statusCode).toBe(200);
    expect((await login({ email: people.okafor.email, password, otp: recoveryCodes[0] })).statusCode).toBe(401);
    // Recovery codes carry 80 bits and are stored with a slow hash, never as typed.
    expect(recoveryCodes[1]).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
    const stored = await haven.deps.db.system.$client.query('select code_hash from recovery_codes where user_id = $1', [people.okafor.id]);
    expect(stored.rows.every((r: { code_hash: string }) => r.code_hash.startsWith('$argon2id$'))).toBe(true);

    // The same fresh code sent twice at the same moment signs in once.
    haven.clock.advance(30_000);
    const racing = await generate({ secret, epoch: epoch() });
    const both = await Promise.all([
      login({ email: people.okafor.email, password, otp: racing }),
      login({ email: people.okafor.email, password, otp: racing }),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);

    // Replacing the authenticator needs the password again.
    const signedIn = await signIn(haven.app, people.okafor.email, password, await generate({ secret, epoch: epoch() + 30 }));
    const replace = (payload?: Record<string, unknown>) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: signedIn.headers, ...(payload ? { payload } : {}) });
    const without = await replace();
    expect(without.statusCode).toBe(403);
    expect(without.json().detail).toBe('To replace your authenticator, enter your password again.');
    expect((await replace({ password: 'not my password' })).statusCode).toBe(403);
    expect((await replace({ password })).statusCode).toBe(200);
  });

  it('where the district requires it, a counselor without MFA can only enrol until she does', async () => {
    const { people, schools } = await createDistrict(haven.deps, { mfaRequired: true });
    const session = await signIn(haven.app, people.rivera.email);
    const me = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers });
    expect(me.json().mfaPending).toBe(true);
    const students = await haven.app.inject({ method: 'GET', url: `/api/v1/students?school=${schools.lincoln.id}`, headers: session.headers });
    expect(students.statusCode).toBe(403);
    expect(students.json().code).toBe('mfa_enrolment_required');
    const { secret } = (await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: session.headers })).json();
    const code = await generate({ secret, epoch: Math.floor(haven.clock.now().getTime() / 1000) });
    await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code } });
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: session.headers })).statusCode).toBe(200);
  });

  it('a teacher in that district is not asked for MFA (her role reads no sensitive records)', async () => {
    const { people } = await createDistrict(haven.deps, { mfaRequired: true });
    const session = await signIn(haven.app, people.shah.email);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/students', headers: session.headers })).statusCode).toBe(200);
  });
});

describe('password reset by e-mail', () => {
  it('answers at once whether or not the address has an account, even when the mail server is slow', async () => {
    const { people } = await createDistrict(haven.deps);
    const { buildApp } = await import('../../app.ts');
    const stalled = await buildApp({ ...haven.deps, mailer: { send: () => new Promise<void>(() => undefined) } }, { logger: false });
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await stalled.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
      return { status: response.statusCode, ms: performance.now() - started };
    };
    const known = await timed(people.shah.email);
    const ghost = await timed('ghost@nowhere.test');
    expect([known.status, ghost.status]).toEqual([202, 202]);
    // The mail to Ms. Shah never finishes sending, yet her answer did not wait for it.
    expect(known.ms).toBeLessThan(1000);
    await stalled.close();
  });

  it('Ms. Shah gets a single-use link over SMTP and chooses a new password', async () => {
    const { people } = await createDistrict(haven.deps);
    const answer = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: people.shah.email } });
    expect(answer.statusCode).toBe(202);
    const unknown = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: 'ghost@nowhere.test' } });
    expect(unknown.json()).toEqual(answer.json());
    await expect.poll(() => smtp.received.some((m) => m.to.includes(people.shah.email))).toBe(true);
    const mail = smtp.received.find((m) => m.to.includes(people.shah.email));
    const token = /reset-password#token=([\w-]+)/.exec(mail?.text ?? '')?.[1];
    expect(token).toBeDefined();

    const weak = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/complete', payload: { token, password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().detail).toMatch(/at least 12 characters/);
    const done = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/complete',
      payload: { token, password: 'a brand new passphrase' },
    });
    expect(done.statusCode).toBe(204);
    expect((await login({ email: people.shah.email, password })).statusCode).toBe(401);
    expect((await login({ email: people.shah.email, password: 'a brand new passphrase' })).statusCode).toBe(200);
    const again = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/complete',
      payload: { token, password: 'another new passphrase' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().detail).toMatch(/expired or was already used/);
  });
});

describe('API tokens', () => {
  it('a token authenticates as its user until it is revoked', async () => {
    const { people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.whitfield.email);
    const created = await haven.app.inject({ method: 'POST', url: '/api/v1/me/tokens', headers: session.headers, payload: { name: 'roster sync' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const bearer = { authorization: `Bearer ${token}` };
    const me = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer });
    expect(me.json().user.email).toBe(people.whitfield.email);
    const listed = await haven.app.inject({ method: 'GET', url: '/api/v1/me/tokens', headers: session.headers });
    expect(listed.json().items.map((t: { name: string }) => t.name)).toEqual(['roster sync']);
    expect(listed.body).not.toContain(token);
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/me/tokens/${id}`, headers: session.headers })).statusCode).toBe(204);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(401);
  });
});
