import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, password, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { startTestIdentityProvider, type TestIdentityProvider } from '../../../test/support/identity-provider.ts';
import type { Actor } from '../../access/actor.ts';
import { loadActor } from './accounts.repository.ts';
import { addProviderFromCommandLine, insertProvider, testIssuer } from './identity-providers.service.ts';
import { addUser } from './users.service.ts';

let haven: TestHaven;
let idp: TestIdentityProvider;
let subjects = 0;

beforeAll(async () => {
  haven = await startTestHaven();
  idp = await startTestIdentityProvider({ redirectUris: ['http://haven.test/api/v1/auth/sso/callback'] });
});
afterAll(async () => {
  await idp.close();
  await haven.close();
});

const query = async <T>(text: string, values: unknown[]) => (await haven.deps.db.system.$client.query(text, values)).rows as T[];
const audit = (districtId: string, action: string) =>
  query<{ subject_id: string | null; detail: Record<string, unknown> | null }>(
    'select subject_id, detail from audit_events where district_id = $1 and action = $2 order by sequence',
    [districtId, action],
  );

/**
 * Lincoln's district signs in through its school accounts (`<slug>.schools.test` at the test
 * provider); Ms. Rivera, counselor at Lincoln Middle, already has a Haven account there.
 */
async function ssoDistrict(options: { mfaRequired?: boolean } = {}) {
  const d = await createDistrict(haven.deps, options);
  const domain = `${d.district.slug}.schools.test`;
  const whitfield = await signIn(haven.app, d.people.whitfield.email);
  const added = await addProviderFromCommandLine(haven.deps, d.district.id, {
    label: 'Lincoln School Accounts',
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
    domains: domain,
  });
  const rivera = await addUser(haven.deps, {
    districtId: d.district.id,
    email: `rivera@${domain}`,
    role: 'counselor',
    displayName: 'Ms. Rivera',
    schoolCode: 'lincoln-ms',
    password,
  });
  const account = (email: string, extra: { emailVerified?: boolean; name?: string } = {}) => {
    subjects += 1;
    const sub = `subject-${subjects}`;
    idp.accounts.set(sub, { sub, email, name: extra.name ?? email.split('@')[0] ?? email, emailVerified: extra.emailVerified });
    return sub;
  };
  account(`rivera@${domain}`, { name: 'Ana Rivera' });
  return { ...d, domain, providerId: added.id, whitfield, rivera, account };
}

/** The whole round trip a browser makes: Haven → provider (sign in as `login`) → Haven's callback. */
async function ssoSignIn(providerId: string, login: string, options: { mfa?: boolean; cookie?: 'keep' | 'drop'; editCallback?: (url: URL) => void } = {}) {
  const start = await haven.app.inject({ method: 'GET', url: `/api/v1/auth/sso/${providerId}/start?email=${encodeURIComponent(login)}&return=/students` });
  expect(start.statusCode, start.body).toBe(303);
  const authorization = new URL(String(start.headers.location));
  const challenge = start.cookies.find((c) => c.name === 'haven_sso');
  const back = await idp.signInAt(authorization.href, login, { mfa: options.mfa });
  options.editCallback?.(back);
  const callback = await haven.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: options.cookie === 'drop' || !challenge ? {} : { cookie: `haven_sso=${challenge.value}` },
  });
  const sessionCookie = callback.cookies.find((c) => c.name === 'haven_session');
  let session: Session | undefined;
  if (sessionCookie) {
    const me = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `haven_session=${sessionCookie.value}` } });
    session = { headers: { cookie: `haven_session=${sessionCookie.value}`, 'x-csrf-token': me.json().csrfToken } };
  }
  return { authorization, back, challenge, callback, location: String(callback.headers.location), session };
}

const me = (session: Session) => haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: session.headers });

describe('signing in through the district identity provider', () => {
  it('Ms. Rivera signs in with her school account: PKCE, state and nonce travel, she lands where she was going, and her account is linked once', async () => {
    const d = await ssoDistrict();
    const discovered = await haven.app.inject({ method: 'GET', url: `/api/v1/auth/sso/discover?email=${encodeURIComponent(`rivera@${d.domain}`)}` });
    expect(discovered.json()).toEqual({ providers: [{ id: d.providerId, label: 'Lincoln School Accounts', district: d.district.name }], ssoRequired: false });
    const link = await haven.app.inject({ method: 'GET', url: `/api/v1/auth/sso/districts/${d.district.slug}` });
    expect(link.json().providers).toEqual([{ id: d.providerId, label: 'Lincoln School Accounts' }]);

    const first = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    expect(first.authorization.origin).toBe(idp.issuer);
    expect(first.authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(first.authorization.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(first.authorization.searchParams.get('state')).toBeTruthy();
    expect(first.authorization.searchParams.get('nonce')).toBeTruthy();
    expect(first.authorization.searchParams.get('redirect_uri')).toBe('http://haven.test/api/v1/auth/sso/callback');
    expect(first.callback.statusCode).toBe(303);
    expect(first.location).toBe('/students');
    const whoAmI = await me(first.session as Session);
    expect(whoAmI.json().user.email).toBe(`rivera@${d.domain}`);
    expect(whoAmI.json().roles.map((r: { role: string }) => r.role)).toEqual(['counselor']);

    const second = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    expect(second.location).toBe('/students');
    expect(await audit(d.district.id, 'auth.sso_linked')).toHaveLength(1);
    const signIns = await audit(d.district.id, 'auth.sso_sign_in');
    expect(signIns).toHaveLength(2);
    expect(signIns[0]?.detail).toMatchObject({ provider: 'Lincoln School Accounts', providerMfa: false, linked: true });
    expect(signIns[1]?.detail).toMatchObject({ linked: false });
  });

  it('a callback replayed, from another browser (no cookie) or with a changed state is refused, audited, and starts no session', async () => {
    const d = await ssoDistrict();
    const ok = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    const replay = await haven.app.inject({
      method: 'GET',
      url: `${ok.back.pathname}${ok.back.search}`,
      headers: { cookie: `haven_sso=${ok.challenge?.value}` },
    });
    expect(replay.headers.location).toBe('/sign-in?sso_error=expired');

    const elsewhere = await ssoSignIn(d.providerId, `rivera@${d.domain}`, { cookie: 'drop' });
    expect(elsewhere.location).toBe('/sign-in?sso_error=expired');
    expect(elsewhere.session).toBeUndefined();

    const forged = await ssoSignIn(d.providerId, `rivera@${d.domain}`, { editCallback: (url) => url.searchParams.set('state', 'someone-elses-state') });
    expect(forged.location).toBe(`/sign-in/${d.district.slug}?sso_error=failed`);
    expect(forged.session).toBeUndefined();
    const failures = await audit(d.district.id, 'auth.sso_sign_in.failed');
    expect(failures.map((f) => f.detail?.reason)).toEqual(['failed']);
    expect(String(failures[0]?.detail?.problem)).toMatch(/state/i);
  });

  it('an ID token for another client, from another issuer, or with another nonce is refused', async () => {
    const d = await ssoDistrict();
    const cases: [string, (claims: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
      ['audience', (c) => ({ ...c, aud: 'another-app' }), /aud/i],
      ['issuer', (c) => ({ ...c, iss: 'https://evil.example' }), /iss/i],
      ['nonce', (c) => ({ ...c, nonce: 'replayed-nonce' }), /nonce/i],
    ];
    try {
      for (const [name, change, reason] of cases) {
        idp.tamperIdTokens(change);
        const attempt = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
        expect(attempt.location, name).toBe(`/sign-in/${d.district.slug}?sso_error=failed`);
        expect(attempt.session, name).toBeUndefined();
        const failures = await audit(d.district.id, 'auth.sso_sign_in.failed');
        expect(String(failures.at(-1)?.detail?.problem), name).toMatch(reason);
      }
    } finally {
      idp.tamperIdTokens(null);
    }
    expect(await query('select 1 from sessions where user_id = $1', [d.rivera.userId])).toHaveLength(0);
  });

  it('an e-mail the provider has not verified, or outside the district domains, is refused and nobody is listed for access', async () => {
    const d = await ssoDistrict();
    d.account(`newcomer@${d.domain}`, { emailVerified: false });
    const unverified = await ssoSignIn(d.providerId, `newcomer@${d.domain}`);
    expect(unverified.location).toBe(`/sign-in/${d.district.slug}?sso_error=unverified`);
    d.account('someone@elsewhere.test');
    const outside = await ssoSignIn(d.providerId, 'someone@elsewhere.test');
    expect(outside.location).toBe(`/sign-in/${d.district.slug}?sso_error=domain`);
    const requests = await haven.app.inject({ method: 'GET', url: '/api/v1/district/access-requests', headers: d.whitfield.headers });
    expect(requests.json()).toEqual([]);
  });

  it('a colleague Haven does not know gets no session and no role; Ms. Whitfield sees the request, grants a role, and the next sign-in works', async () => {
    const d = await ssoDistrict();
    d.account(`jordan@${d.domain}`, { name: 'Jordan Diaz' });
    const asked = await ssoSignIn(d.providerId, `jordan@${d.domain}`);
    expect(asked.location).toBe(`/sign-in/${d.district.slug}?sso_error=no_access`);
    expect(asked.session).toBeUndefined();
    expect(await query('select 1 from users where email = $1', [`jordan@${d.domain}`])).toHaveLength(0);

    const requests = await haven.app.inject({ method: 'GET', url: '/api/v1/district/access-requests', headers: d.whitfield.headers });
    expect(requests.json()).toMatchObject([{ email: `jordan@${d.domain}`, displayName: 'Jordan Diaz', provider: 'Lincoln School Accounts' }]);
    const id = requests.json()[0].id as string;
    const badRole = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/access-requests/${id}/grant`,
      headers: d.whitfield.headers,
      payload: { role: 'superuser' },
    });
    expect(badRole.statusCode).toBe(400);
    const riveraSession = (await ssoSignIn(d.providerId, `rivera@${d.domain}`)).session as Session;
    const notAdmin = await haven.app.inject({ method: 'GET', url: '/api/v1/district/access-requests', headers: riveraSession.headers });
    expect(notAdmin.statusCode).toBe(404);

    const granted = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/access-requests/${id}/grant`,
      headers: d.whitfield.headers,
      payload: { role: 'staff', schoolId: d.schools.lincoln.id },
    });
    expect(granted.statusCode, granted.body).toBe(200);
    const again = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/access-requests/${id}/grant`,
      headers: d.whitfield.headers,
      payload: { role: 'staff' },
    });
    expect(again.statusCode).toBe(409);
    const next = await ssoSignIn(d.providerId, `jordan@${d.domain}`);
    expect(next.location).toBe('/students');
    expect((await me(next.session as Session)).json().roles).toEqual([{ role: 'staff', schoolId: d.schools.lincoln.id, schoolName: 'Lincoln Middle School' }]);
    expect(await query("select 1 from outbox where district_id = $1 and purpose = 'sso.access_granted'", [d.district.id])).toHaveLength(1);
    expect(await audit(d.district.id, 'auth.sso_access_requested')).toHaveLength(1);
  });

  it("the provider's two-step sign-in counts only when its amr says so; otherwise Haven asks for its own code", async () => {
    const d = await ssoDistrict({ mfaRequired: true });
    const withKey = await ssoSignIn(d.providerId, `rivera@${d.domain}`, { mfa: true });
    expect((await me(withKey.session as Session)).json().mfaPending).toBe(false);
    const passwordOnly = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    expect(passwordOnly.location).toBe('/sign-in');
    const pending = await me(passwordOnly.session as Session);
    expect(pending.json().mfaPending).toBe(true);
    const pendingSession = passwordOnly.session as Session;
    const students = await haven.app.inject({ method: 'GET', url: '/api/v1/students?q=a', headers: pendingSession.headers });
    expect(students.statusCode).toBe(403);

    // She sets up Haven's authenticator; her next sign-in through the provider asks for its code.
    const { secret } = (await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment', headers: pendingSession.headers })).json();
    const epoch = () => Math.floor(haven.clock.now().getTime() / 1000);
    const confirm = { code: await generate({ secret, epoch: epoch() }) };
    expect(
      (await haven.app.inject({ method: 'POST', url: '/api/v1/me/mfa/enrolment/confirm', headers: pendingSession.headers, payload: confirm })).statusCode,
    ).toBe(200);
    const next = (await ssoSignIn(d.providerId, `rivera@${d.domain}`)).session as Session;
    expect((await me(next)).json()).toMatchObject({ mfaPending: true, user: { mfaEnrolled: true } });
    const wrong = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/second-factor', headers: next.headers, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    haven.clock.advance(30_000);
    const right = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/second-factor',
      headers: next.headers,
      payload: { code: await generate({ secret, epoch: epoch() }) },
    });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json().mfaPending).toBe(false);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/students?q=a', headers: next.headers })).statusCode).toBe(200);
  });
});

describe('SSO required', () => {
  it('turns passwords off for everyone but the break-glass administrator, ends password sessions, and answers alike whatever the password', async () => {
    const d = await ssoDistrict();
    const riveraPassword = await signIn(haven.app, `rivera@${d.domain}`);
    const tokenOf = async (session: Session) =>
      (
        await haven.app.inject({
          method: 'POST',
          url: '/api/v1/me/tokens',
          headers: session.headers,
          payload: { name: 'nightly export', scope: 'read', days: 30, password },
        })
      ).json().token as string;
    const riveraToken = await tokenOf(riveraPassword);
    const whitfieldToken = await tokenOf(d.whitfield);
    const noBreakGlass = await haven.app.inject({
      method: 'PUT',
      url: '/api/v1/district/sso/settings',
      headers: d.whitfield.headers,
      payload: { ssoRequired: true, breakGlassUserIds: [] },
    });
    expect(noBreakGlass.statusCode).toBe(400);
    const notAdmin = await haven.app.inject({
      method: 'PUT',
      url: '/api/v1/district/sso/settings',
      headers: d.whitfield.headers,
      payload: { ssoRequired: true, breakGlassUserIds: [d.rivera.userId] },
    });
    expect(notAdmin.statusCode).toBe(400);
    const on = await haven.app.inject({
      method: 'PUT',
      url: '/api/v1/district/sso/settings',
      headers: d.whitfield.headers,
      payload: { ssoRequired: true, breakGlassUserIds: [d.people.whitfield.id] },
    });
    expect(on.statusCode, on.body).toBe(200);

    expect((await me(riveraPassword)).statusCode).toBe(401);
    // A token made with her password before is refused too; the break-glass administrator's still works.
    const byToken = (token: string) => haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    const refusedToken = await byToken(riveraToken);
    expect(refusedToken.statusCode).toBe(401);
    expect(refusedToken.json().code).toBe('api_token_sso_required');
    expect((await byToken(whitfieldToken)).statusCode).toBe(200);
    for (const attempt of [password, 'a wrong password entirely']) {
      const refused = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `rivera@${d.domain}`, password: attempt } });
      expect(refused.statusCode).toBe(401);
      expect(refused.json().code).toBe('sso_required');
    }
    const stranger = await haven.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: `nobody@${d.domain}`, password } });
    expect(stranger.json().code).toBe('sso_required');
    const spanish = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'es' },
      payload: { email: `rivera@${d.domain}`, password },
    });
    expect(spanish.json().detail).toMatch(/proveedor de identidad/);

    const viaProvider = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    expect((await me(viaProvider.session as Session)).statusCode).toBe(200);

    const breakGlass = await signIn(haven.app, d.people.whitfield.email);
    expect((await me(breakGlass)).json().mfaPending).toBe(true);
  });
});

describe('sessions started through the provider', () => {
  it('are refreshed against the provider when its tokens expire, and end when the provider refuses (the person was removed there)', async () => {
    const d = await ssoDistrict();
    const signedIn = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    const session = signedIn.session as Session;
    const [before] = await query<{ expires_at: Date }>(
      'select s.expires_at from sso_sessions s join sessions x on x.token_hash = s.session_token_hash where x.user_id = $1',
      [d.rivera.userId],
    );

    haven.clock.advance(11 * 60_000);
    expect((await me(session)).statusCode).toBe(200);
    const [after] = await query<{ expires_at: Date }>(
      'select s.expires_at from sso_sessions s join sessions x on x.token_hash = s.session_token_hash where x.user_id = $1',
      [d.rivera.userId],
    );
    expect(after?.expires_at.getTime()).toBeGreaterThan(before?.expires_at.getTime() ?? Number.POSITIVE_INFINITY);

    for (const [sub, account] of idp.accounts) if (account.email === `rivera@${d.domain}`) idp.accounts.delete(sub);
    haven.clock.advance(11 * 60_000);
    expect((await me(session)).statusCode).toBe(401);
    expect(await query('select 1 from sessions where user_id = $1', [d.rivera.userId])).toHaveLength(0);
    const ended = await audit(d.district.id, 'auth.sso_refresh_failed');
    expect(ended).toHaveLength(1);
    expect(ended[0]?.detail).toMatchObject({ provider: 'Lincoln School Accounts' });
  });
});

describe('setting up a provider in District settings', () => {
  it('Ms. Whitfield tests the connection, adds the provider (secret encrypted, never shown), and removing it ends the sessions it started', async () => {
    const d = await ssoDistrict();
    const headers = d.whitfield.headers;
    const tested = await haven.app.inject({ method: 'POST', url: '/api/v1/district/sso/test', headers, payload: { issuer: idp.issuer } });
    expect(tested.json()).toMatchObject({ ok: true, redirectUri: 'http://haven.test/api/v1/auth/sso/callback' });
    expect(tested.json().detail).toContain(`${idp.issuer}/auth`);
    const plainHttp = await haven.app.inject({ method: 'POST', url: '/api/v1/district/sso/test', headers, payload: { issuer: 'http://idp.example.org' } });
    expect(plainHttp.json()).toMatchObject({ ok: false, detail: expect.stringMatching(/https:\/\//) });
    // Where the operator has not allowed private issuers, neither this machine nor the cloud's
    // metadata address can be made to answer, and nothing is fetched or stored.
    const publicOnly = { ...haven.deps, settings: { ...haven.deps.settings, ssoPrivateIssuers: false } };
    const whitfield = (await loadActor(haven.deps.db.system, { userId: d.people.whitfield.id, districtId: d.district.id, mfaVerified: true, via: 'session' }))
      ?.actor as Actor;
    for (const issuer of [idp.issuer, 'https://169.254.169.254/latest', 'https://localhost:8443']) {
      const refused = await testIssuer(publicOnly, whitfield, issuer);
      expect(refused).toMatchObject({ ok: false, detail: expect.stringContaining('is on a private or local network') });
    }
    await expect(
      insertProvider(
        publicOnly,
        d.district.id,
        { preset: 'generic', label: 'Inside', issuer: idp.issuer, clientId: 'x', clientSecret: 'y', domains: 'inside.org' },
        { userId: whitfield.userId, label: 'Ms. Whitfield' },
      ),
    ).rejects.toThrow(/private or local network/);

    const base = { preset: 'entra', label: 'Staff accounts', issuer: idp.issuer, clientId: idp.clientId, clientSecret: 'a-secret-value-123' };
    const badDomains = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/district/sso/providers',
      headers,
      payload: { ...base, domains: 'not a domain' },
    });
    expect(badDomains.statusCode).toBe(400);
    expect(badDomains.json().detail).toMatch(/is not an e-mail domain/);
    const taken = await haven.app.inject({ method: 'POST', url: '/api/v1/district/sso/providers', headers, payload: { ...base, domains: 'x.org' } });
    expect(taken.statusCode).toBe(201);
    const other = await createDistrict(haven.deps);
    const otherAdmin = await signIn(haven.app, other.people.whitfield.email);
    const clash = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/district/sso/providers',
      headers: otherAdmin.headers,
      payload: { ...base, domains: d.domain },
    });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().detail).toMatch(/already signs in through another district/);

    const listed = await haven.app.inject({ method: 'GET', url: '/api/v1/district/sso', headers });
    expect(listed.json().providers.map((p: { label: string }) => p.label)).toEqual(['Lincoln School Accounts', 'Staff accounts']);
    expect(listed.json().presets.map((p: { label: string }) => p.label)).toEqual([
      'Google Workspace',
      'Microsoft Entra ID',
      'Clever',
      'ClassLink',
      'OpenID Connect',
    ]);
    expect(listed.body).not.toContain('a-secret-value-123');
    const [stored] = await query<{ client_secret_encrypted: string; email_claim: string }>(
      'select client_secret_encrypted, email_claim from identity_providers where id = $1',
      [taken.json().id],
    );
    expect(stored?.client_secret_encrypted).not.toContain('a-secret-value-123');
    expect(stored?.email_claim).toBe('email');
    await expect(haven.deps.db.app.$client.query('select client_secret_encrypted from identity_providers')).rejects.toThrow(/permission denied/);

    const signedIn = await ssoSignIn(d.providerId, `rivera@${d.domain}`);
    const removed = await haven.app.inject({ method: 'DELETE', url: `/api/v1/district/sso/providers/${d.providerId}`, headers });
    expect(removed.statusCode).toBe(204);
    expect((await me(signedIn.session as Session)).statusCode).toBe(401);
    expect(await audit(d.district.id, 'sso.provider_removed')).toMatchObject([{ detail: { sessionsEnded: 1 } }]);
  });
});
