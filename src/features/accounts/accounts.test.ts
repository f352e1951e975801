import { generate } from 'otplib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

let haven: TestHaven;

beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(async () => {
  await haven.close();
});

const login = (payload: Record<string, unknown>) => haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

async function auditActions(districtId: string) {
  const { rows } = await haven.deps.db.system.$client.query('select action from audit_events where district_id = $1 order by sequence', [districtId]);
  return rows.map((r: { action: string }) => r.action);
}

/** The e-mails waiting in the durable outbox for a purpose, decrypted as the worker will send them. */
async function queuedMails(purpose: string) {
  const { rows } = await haven.deps.db.system.$client.query('select district_id, message_encrypted from outbox where purpose = $1 order by created_at', [
    purpose,
  ]);
  return rows.map((r: { district_id: string | null; message_encrypted: string }) => ({
    districtId: r.district_id,
    ...(JSON.parse(haven.deps.secrets.decrypt(r.message_encrypted)) as { kind: string; to: string; subject: string; text: string }),
  }));
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
      screeningDashboard: true,
      screeningFollowUps: true,
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
    const { district, people } = await createDistrict(haven.deps);
    const from = (remoteAddress: string, payload: Record<string, unknown>) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, remoteAddress });
    for (let i = 0; i < 5; i++) expect((await from('198.51.100.66', { email: people.okafor.email, password: 'a guess from far away' })).statusCode).toBe(401);
    expect((await from('198.51.100.66', { email: people.okafor.email, password })).statusCode).toBe(429);
    // His own phone, at another address, is not locked.
    expect((await from('203.0.113.20', { email: people.okafor.email, password })).statusCode).toBe(200);
    // The administrator's warning waits in the durable outbox, written with the lockout itself.
    const mails = (await queuedMails('auth.locked_out')).filter((m) => m.to === people.whitfield.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain("okafor's Haven account");
    expect(mails[0]?.text).toContain('can still sign in from any other address');
    expect(mails[0]?.text).not.toContain('198.51.100.66');
    expect(mails[0]?.districtId).toBe(district.id);
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
  const epoch = () => Math.floor(haven.clock.now().getTime() / 1000);

  /** Signs in, enrols an authenticator and moves the clock to the next 30-second step. */
  async function enrol(email: string) {
    const session = await signIn(haven.app, email);
    const begin = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: session.headers });
    expect(begin.statusCode).toBe(200);
    const { secret, qrSvg } = begin.json();
    expect(qrSvg).toMatch(/^<svg/);
    const wrong = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(400);
    const code = await generate({ secret, epoch: epoch() });
    const confirm = await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: session.headers, payload: { code } });
    expect(confirm.statusCode).toBe(200);
    haven.clock.advance(30_000);
    return { secret, enrolmentCode: code as string, recoveryCodes: confirm.json().recoveryCodes as string[] };
  }

  it('Mr. Okafor enrols an authenticator, then needs a fresh code (or a recovery code, once) to sign in', async () => {
    const { people } = await createDistrict(haven.deps);
    const { secret, enrolmentCode, recoveryCodes } = await enrol(people.okafor.email);
    expect(recoveryCodes).toHaveLength(10);
    const withoutCode = await login({ email: people.okafor.email, password });
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json().mfaRequired).toBe(true);
    // The code used for enrolment cannot be replayed.
    expect((await login({ email: people.okafor.email, password, otp: enrolmentCode })).statusCode).toBe(401);
    expect((await login({ email: people.okafor.email, password, otp: await generate({ secret, epoch: epoch() }) })).statusCode).toBe(200);
    expect((await login({ email: people.okafor.email, password, otp: recoveryCodes[0]?.toUpperCase() })).statusCode).toBe(200);
    expect((await login({ email: people.okafor.email, password, otp: recoveryCodes[0] })).statusCode).toBe(401);
  });

  it('a locked address gets past the lockout only with a real second factor, never with a made-up one', async () => {
    const { people } = await createDistrict(haven.deps);
    // Ms. Shah has no authenticator: a code added to the request changes nothing for her.
    for (let i = 0; i < 5; i++) expect((await login({ email: people.shah.email, password: `guess ${i}` })).statusCode).toBe(401);
    expect((await login({ email: people.shah.email, password, otp: '123456' })).statusCode).toBe(429);
    const { secret } = await enrol(people.okafor.email);
    for (let i = 0; i < 5; i++) expect((await login({ email: people.okafor.email, password: `guess ${i}` })).statusCode).toBe(401);
    expect((await login({ email: people.okafor.email, password, otp: '000000' })).statusCode).toBe(429);
    expect((await login({ email: people.okafor.email, password, otp: await generate({ secret, epoch: epoch() }) })).statusCode).toBe(200);
  });

  it('recovery codes carry 80 random bits and are stored with a slow hash (argon2id), never as typed', async () => {
    const { people } = await createDistrict(haven.deps);
    const { recoveryCodes } = await enrol(people.rivera.email);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/); // 16 base32 characters = 80 bits
    expect(new Set(recoveryCodes).size).toBe(10);
    const { rows } = await haven.deps.db.system.$client.query('select code_hash from recovery_codes where user_id = $1', [people.rivera.id]);
    expect(rows).toHaveLength(10);
    for (const { code_hash } of rows as { code_hash: string }[]) {
      expect(code_hash).toMatch(/^\$argon2id\$/);
      for (const code of recoveryCodes) expect(code_hash).not.toContain(code);
    }
  });

  it('the same fresh code sent by two requests at the same moment signs in only once', async () => {
    const { people } = await createDistrict(haven.deps);
    const { secret } = await enrol(people.bell.email);
    const racing = await generate({ secret, epoch: epoch() });
    const both = await Promise.all([login({ email: people.bell.email, password, otp: racing }), login({ email: people.bell.email, password, otp: racing })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  it('replacing the authenticator needs the password again; wrong passwords count towards the lockout', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const { secret } = await enrol(people.whitfield.email);
    const signedIn = await signIn(haven.app, people.whitfield.email, password, await generate({ secret, epoch: epoch() }));
    const replace = (payload?: Record<string, unknown>) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: signedIn.headers, ...(payload ? { payload } : {}) });
    const without = await replace();
    expect(without.statusCode).toBe(403);
    expect(without.json().detail).toBe('To replace your authenticator, enter your password again.');
    const wrong = await replace({ password: 'not my password' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().detail).toBe('That password is not right. To replace your authenticator, enter your password again.');
    expect(await auditActions(district.id)).toContain('auth.reauthentication_failed');
    expect((await replace({ password })).statusCode).toBe(200);
    // Someone at an unattended session cannot guess the password there either.
    for (let i = 0; i < 4; i++) expect((await replace({ password: `guess number ${i}` })).statusCode).toBe(403);
    const locked = await replace({ password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().detail).toMatch(/locked; try again in 15 minutes/);
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
  it('answers the same, as fast, whether or not the address has an account, even while the outbox is slow to write', async () => {
    const { people } = await createDistrict(haven.deps);
    // An owner's transaction holds the outbox: writing Ms. Shah's reset e-mail has to wait for it.
    const owner = new pg.Client({ connectionString: haven.ownerUrl });
    await owner.connect();
    await owner.query('begin');
    await owner.query('lock table outbox in access exclusive mode');
    const timed = async (email: string) => {
      const started = performance.now();
      const response = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
      return { status: response.statusCode, body: response.json(), ms: performance.now() - started };
    };
    try {
      const known = await timed(people.shah.email);
      const ghost = await timed('ghost@nowhere.test');
      expect([known.status, ghost.status]).toEqual([202, 202]);
      expect(known.body).toEqual(ghost.body);
      // Her e-mail is still waiting on the lock, yet her answer did not wait for it.
      expect(known.ms).toBeLessThan(1000);
      expect(ghost.ms).toBeLessThan(1000);
    } finally {
      await owner.query('commit');
      await owner.end();
    }
    await expect.poll(async () => (await queuedMails('auth.password_reset')).filter((m) => m.to === people.shah.email).length).toBe(1);
    expect((await queuedMails('auth.password_reset')).some((m) => m.to === 'ghost@nowhere.test')).toBe(false);
  });

  it('Ms. Shah gets a single-use link through the outbox and chooses a new password; her sessions and API tokens end', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const session = await signIn(haven.app, people.shah.email);
    const minted = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: session.headers,
      payload: { name: 'grade export', scope: 'read', days: 30, password },
    });
    expect(minted.statusCode).toBe(201);
    const bearer = { authorization: `Bearer ${minted.json().token}` };
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer })).statusCode).toBe(200);

    const answer = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: people.shah.email } });
    expect(answer.statusCode).toBe(202);
    expect(answer.json().message).toMatch(/If that address has a Haven account, a reset link is on its way/);
    await expect.poll(async () => (await queuedMails('auth.password_reset')).filter((m) => m.to === people.shah.email).length).toBe(1);
    const [mail] = (await queuedMails('auth.password_reset')).filter((m) => m.to === people.shah.email);
    expect(mail?.districtId).toBe(district.id);
    expect(mail?.subject).toBe('Reset your Haven password');
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
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
    // Whoever had her old password may have made a token with it: it stopped working.
    const refused = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().detail).toMatch(/^This API token was revoked on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC and no longer works\.$/);
    const actions = await auditActions(district.id);
    expect(actions).toEqual(expect.arrayContaining(['auth.password_reset_requested', 'auth.password_reset', 'api_token.revoked', 'api_token.use_refused']));
    const again = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/complete',
      payload: { token, password: 'another new passphrase' },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json().detail).toMatch(/expired or was already used/);
  });
});
