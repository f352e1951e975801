import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { testSecretKeyHex } from '../../../test/support/secrets.ts';

// These tests start the `haven` command, which compiles its TypeScript as it starts: a few seconds
// on a quiet machine, far more on a busy CI runner. A slow start is not a failure.
vi.setConfig({ testTimeout: 180_000 });

const run = promisify(execFile);
let haven: TestHaven;

beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

/** `npx haven token create …`, run as an IT lead would run it, against this test's database. */
async function tokenCreate(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['bin/haven.js', 'token', 'create', ...args], {
      env: { ...process.env, DATABASE_URL: haven.ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const stored = async (token: string) => {
  const { rows } = await haven.deps.db.system.$client.query(
    `select scope, round(extract(epoch from expires_at - created_at) / 86400) as days from api_tokens where token_hash = encode(sha256(convert_to($1, 'utf8')), 'hex')`,
    [token],
  );
  return rows[0] as { scope: string; days: string } | undefined;
};

describe('npx haven token create', () => {
  it('takes --scope and --days: a full token for 30 days works for changes; the default is read-only for 90 days', async () => {
    const { people } = await createDistrict(haven.deps);
    const full = await tokenCreate('--email', people.whitfield.email, '--name', 'sis bridge', '--scope', 'full', '--days', '30');
    expect(full.code).toBe(0);
    const fullToken = full.stdout.trim();
    expect(fullToken).toMatch(/^hvn_/);
    expect(full.stderr).toMatch(/full access\) acts as .* until \d{4}-\d{2}-\d{2}T/);
    expect(await stored(fullToken)).toEqual({ scope: 'full', days: '30' });

    const plain = await tokenCreate('--email', people.whitfield.email, '--name', 'dashboard');
    expect(plain.code).toBe(0);
    const readToken = plain.stdout.trim();
    expect(plain.stderr).toContain('read-only');
    expect(await stored(readToken)).toEqual({ scope: 'read', days: '90' });

    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(readToken) })).statusCode).toBe(200);
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: bearer(readToken) })).statusCode).toBe(403);
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/auth/logout-everywhere', headers: bearer(fullToken) })).statusCode).toBe(200);
  }, 90_000);

  // Each run starts the whole CLI through tsx (seconds on a busy machine), so the refusals share one test.
  it('a lifetime that is not a whole number of days up to 365, or an unknown scope, is refused with a message and no token', async () => {
    const { people } = await createDistrict(haven.deps);
    const cases = [
      [['--days', 'forever'], /--days forever: Choose how long the token lasts: a whole number of days from 1 to 365/],
      [['--days', '400'], /--days 400: .*a whole number of days from 1 to 365/],
      [['--scope', 'admin'], /Allowed choices are read, full/],
    ] as const;
    for (const [extra, message] of cases) {
      const refused = await tokenCreate('--email', people.lee.email, '--name', 'x', ...extra);
      expect(refused.code, extra.join(' ')).not.toBe(0);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toMatch(message);
    }
    const { rows } = await haven.deps.db.system.$client.query('select 1 from api_tokens where user_id = $1', [people.lee.id]);
    expect(rows).toHaveLength(0);
  }, 90_000);
});
