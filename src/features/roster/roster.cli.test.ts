import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { restDataFromCsv, startOneRosterServer } from '../../../test/support/oneroster-server.ts';
import { testSecretKeyHex } from '../../../test/support/secrets.ts';
import { students } from '../../data/students.ts';
import { readExport } from './roster.service.ts';

// These tests start the `haven` command, which compiles its TypeScript as it starts: a few seconds
// on a quiet machine, far more on a busy CI runner. A slow start is not a failure.
vi.setConfig({ testTimeout: 180_000 });

const run = promisify(execFile);
let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

/** `haven …` as an operator runs it, against this test's database. */
async function haven_(...args: string[]) {
  try {
    const { stdout } = await run('node', ['bin/haven.js', ...args], {
      env: { ...process.env, DATABASE_URL: haven.ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    return { code: 0, out: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

describe('haven roster settings / roster sync', () => {
  it('sets the source from the command line, checks, syncs; a bad version or a wrong secret exits 2 with why', async () => {
    const { district } = await createDistrict(haven.deps);
    const sis = await startOneRosterServer({
      version: '1.2',
      data: await restDataFromCsv(readExport(fixture('oneroster-1.2')), '1.2', '2026-11-01T00:00:00.000Z'),
    });
    try {
      const d = ['--district', district.slug];
      expect(await haven_('roster', 'settings', ...d, '--version', '2.0')).toEqual({ code: 2, out: '--version is "2.0"; use 1.1 or 1.2.\n' });
      const set = await haven_(
        ...['roster', 'settings', ...d, '--base-url', sis.baseUrl, '--token-url', sis.tokenUrl, '--client-id', sis.clientId],
        ...['--client-secret', 'wrong', '--version', '1.2', '--sync-time', '02:00'],
      );
      expect(set).toEqual({
        code: 0,
        out: `OneRoster 1.2 from ${sis.baseUrl} (client ${sis.clientId}, secret set); nightly sync at 02:00 America/Denver.\n`,
      });
      const refused = await haven_('roster', 'sync', ...d);
      expect(refused).toMatchObject({ code: 2 });
      expect(refused.out).toContain('The OneRoster token endpoint refused the client ID and secret (HTTP 401, "invalid_client")');

      expect(await haven_('roster', 'settings', ...d, '--client-secret', sis.clientSecret)).toMatchObject({ code: 0 });
      const check = await haven_('roster', 'sync', ...d, '--dry-run');
      expect(check).toMatchObject({ code: 0 });
      expect(check.out).toMatch(/^OneRoster 1\.2 \(dry run: nothing was changed\)\n.*\nstudents\s+2 created, 0 updated, 0 unchanged\n/);
      expect(await haven.deps.db.system.select().from(students).where(eq(students.districtId, district.id))).toEqual([]);
      const synced = await haven_('roster', 'sync', ...d);
      expect(synced).toMatchObject({ code: 0 });
      expect(synced.out).toMatch(/students\s+2 created, 0 updated, 0 unchanged/);
      expect((await haven.deps.db.system.select().from(students).where(eq(students.districtId, district.id))).length).toBe(2);
    } finally {
      await sis.close();
    }
    // Each command starts a Node process; the machine may be busy.
  }, 120_000);
});
