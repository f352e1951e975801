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

/** `npx haven sso …`, run as the operator would, against this test's database. */
async function sso(...args: string[]) {
  try {
    const { stdout, stderr } = await run('node', ['bin/haven.js', 'sso', ...args], {
      env: { ...process.env, DATABASE_URL: haven.ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npx haven sso', () => {
  // Each run starts the whole CLI through tsx (seconds on a busy machine), so one story covers add, list, a refusal and remove.
  it('adds a Google Workspace provider (the issuer from the preset, the secret never printed), lists it, refuses a bad domain, and removes it', async () => {
    const { district } = await createDistrict(haven.deps);
    const added = await sso(
      'add',
      '--district',
      district.slug,
      '--preset',
      'google',
      '--client-id',
      'abc.apps.googleusercontent.com',
      '--client-secret',
      'shh-secret-42',
      '--domains',
      'Adams12.org, staff.adams12.org',
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain('can now sign in with Google Workspace (https://accounts.google.com)');
    expect(added.stdout).toContain('/api/v1/auth/sso/callback');
    const id = /Provider id: ([0-9a-f-]{36})/.exec(added.stdout)?.[1] ?? '';

    const listed = await sso('list', '--district', district.slug);
    expect(listed.stdout).toContain(`${district.slug}\t${id}\tGoogle Workspace\thttps://accounts.google.com\tadams12.org,staff.adams12.org`);
    expect(listed.stdout + added.stdout).not.toContain('shh-secret-42');

    const refused = await sso(
      'add',
      '--district',
      district.slug,
      '--issuer',
      'https://idp.example.org',
      '--client-id',
      'x',
      '--client-secret',
      'y',
      '--domains',
      'not-a-domain',
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('"not-a-domain" is not an e-mail domain');

    const removed = await sso('remove', id, '--district', district.slug);
    expect(removed.code, removed.stderr).toBe(0);
    expect((await sso('list', '--district', district.slug)).stdout).toContain('has no identity provider yet');
  }, 120_000);
});
