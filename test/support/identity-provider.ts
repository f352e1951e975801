import { generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person with an account at the test school's identity provider. */
export type TestAccount = { sub: string; email: string; name: string; emailVerified?: boolean };

export type TestIdentityProvider = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** People who can sign in, by `sub`; remove one to disable them at the provider. */
  accounts: Map<string, TestAccount>;
  /** Changes the claims of the ID tokens the token endpoint answers (re-signed with the provider's own key), or stops. */
  tamperIdTokens(change: ((claims: Record<string, unknown>) => Record<string, unknown>) | null): void;
  /**
   * Plays the person at the provider, as a browser would: follows Haven's redirect to the
   * provider, signs in as `login` (an e-mail), and returns the URL the provider sends the browser
   * back to (Haven's redirect URI with the code and state).
   */
  signInAt(authorizationUrl: string, login: string, options?: { mfa?: boolean }): Promise<URL>;
  close(): Promise<void>;
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, hint: string, problem?: string) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Test school sign-in</title></head>
<body><main><h1>Test school sign-in</h1>${problem ? `<p role="alert">${escapeHtml(problem)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}">
<label for="login">School e-mail</label> <input id="login" name="login" type="email" value="${escapeHtml(hint)}">
<label><input type="checkbox" name="mfa" value="1"> I also used my security key</label>
<button type="submit">Continue</button></form></main></body></html>`;
}

async function formBody(req: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Re-signs a JWT's changed claims with the provider's RSA key, keeping its header (kid, alg). */
function resign(jwt: string, key: KeyObject, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload] = jwt.split('.');
  const claims = change(JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>);
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${body}.${sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}

/**
 * A certified OpenID Provider (oidc-provider) on 127.0.0.1 with one registered client (Haven),
 * its own login page, PKCE required, refresh tokens, and no consent screen (a district's own app).
 */
export async function startTestIdentityProvider(options: { redirectUris: string[]; accounts?: TestAccount[] }): Promise<TestIdentityProvider> {
  const accounts = new Map((options.accounts ?? []).map((a) => [a.sub, a]));
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
  const clientId = `haven-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  let tamper: ((claims: Record<string, unknown>) => Record<string, unknown>) | null = null;

  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { sid: null, openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name'] },
    // The e-mail goes in the ID token itself, as Google's and Entra's do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    issueRefreshToken: async () => true,
    ttl: { AccessToken: 600, IdToken: 3600, RefreshToken: 86_400, AuthorizationCode: 60, Grant: 86_400, Session: 86_400, Interaction: 600 },
    findAccount: async (_ctx: unknown, sub: string) => {
      const account = accounts.get(sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: async () => ({ sub, email: account.email, email_verified: account.emailVerified ?? true, name: account.name }),
      };
    },
    // A district's own app: the school's accounts are not asked to consent; the grant is made here.
    loadExistingGrant: async (ctx: {
      oidc: { client: { clientId: string }; session: { accountId: string; grantIdFor(id: string): string | undefined }; provider: Provider };
    }) => {
      const existing = ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      const found = existing ? await ctx.oidc.provider.Grant.find(existing) : undefined;
      if (found) return found;
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile offline_access');
      await grant.save();
      return grant;
    },
  });
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path === '/token' && tamper && body?.id_token) ctx.body = { ...body, id_token: resign(body.id_token, privateKey, tamper) };
  });
  const handle = provider.callback();
  server.on('request', (req, res) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!match) return handle(req, res);
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        if (req.method === 'GET') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, String(details.params.login_hint ?? '')));
          return;
        }
        const form = await formBody(req);
        const login = (form.get('login') ?? '').trim().toLowerCase();
        const account = [...accounts.values()].find((a) => a.email === login);
        if (!account) {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginPage(details.uid, login, 'No account with that e-mail.'));
          return;
        }
        const amr = form.get('mfa') ? ['pwd', 'hwk'] : ['pwd'];
        await provider.interactionFinished(req, res, { login: { accountId: account.sub, amr } }, { mergeWithLastSubmission: false });
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
      }
    })();
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    tamperIdTokens(change) {
      tamper = change;
    },
    async signInAt(authorizationUrl, login, signInOptions = {}) {
      const jar = new Map<string, string>();
      const go = async (url: string, init: RequestInit = {}) => {
        const response = await fetch(url, {
          ...init,
          redirect: 'manual',
          headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        });
        for (const line of response.headers.getSetCookie()) {
          const [pair] = line.split(';');
          const at = pair?.indexOf('=') ?? -1;
          if (pair && at > 0) jar.set(pair.slice(0, at), pair.slice(at + 1));
        }
        return response;
      };
      let response = await go(authorizationUrl);
      let location = response.headers.get('location');
      if (!location?.includes('/interaction/')) throw new Error(`the provider did not ask to sign in: ${response.status} ${await response.text()}`);
      const body = new URLSearchParams({ login, ...(signInOptions.mfa ? { mfa: '1' } : {}) });
      response = await go(new URL(location, issuer).href, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      for (let hops = 0; hops < 5; hops++) {
        location = response.headers.get('location');
        if (!location) throw new Error(`the provider stopped: ${response.status} ${await response.text()}`);
        const next = new URL(location, issuer);
        if (next.origin !== issuer) return next;
        response = await go(next.href);
      }
      throw new Error('the provider redirected too many times');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
