import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { students } from '../../data/students.ts';
import { type DropFolderSeen, scanDropFolder } from './watch.ts';

/** The SFTP drop folder (`haven roster watch`): a zip that appears is imported once it holds still, then moved with its summary. */
let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

/** The 1.2 sample as a zip, with Bao's grade left blank so the import has a warning to list. */
function exportZip(): Buffer {
  const dir = fixture('oneroster-1.2');
  const entries = Object.fromEntries(
    fs.readdirSync(dir).map((f) => {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      return [f, new TextEncoder().encode(f === 'users.csv' ? text.replace(',KG,hunter2', ',,hunter2') : text)];
    }),
  );
  return Buffer.from(zipSync(entries));
}

describe('the roster drop folder', () => {
  it('imports a zip once its size holds still, moves it to done/ with the summary beside it, and lists it', async () => {
    const { district, people } = await createDistrict(haven.deps);
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-drop-'));
    const seen: DropFolderSeen = new Map();
    const scan = () => scanDropFolder(haven.deps, district.id, folder, seen);
    const zip = exportZip();
    // An SFTP upload in progress: half the bytes are there.
    fs.writeFileSync(path.join(folder, 'nightly.zip'), zip.subarray(0, 100));
    expect(await scan()).toEqual([]);
    fs.appendFileSync(path.join(folder, 'nightly.zip'), zip.subarray(100));
    expect(await scan()).toEqual([]);
    expect(await haven.deps.db.system.select().from(students).where(eq(students.districtId, district.id))).toEqual([]);
    // It has held still since the last look: now it is read.
    const [done] = await scan();
    expect(done).toMatchObject({ file: 'nightly.zip', outcome: 'done', movedTo: path.join(folder, 'done', 'nightly.zip') });
    expect(fs.readdirSync(folder).sort()).toEqual(['done']);
    const summary = fs.readFileSync(path.join(folder, 'done', 'nightly.zip.summary.txt'), 'utf8');
    expect(summary).toContain('students   2 created, 0 updated, 0 unchanged');
    expect(summary).toContain('users.csv, line 3, grades: student usr-s-1002 has no grade; kept with grade unknown');
    expect((await haven.deps.db.system.select().from(students).where(eq(students.districtId, district.id))).length).toBe(2);

    // A file that is not a zip goes to failed/ with why; the same name again does not overwrite done/.
    fs.writeFileSync(path.join(folder, 'broken.zip'), 'not a zip at all');
    fs.writeFileSync(path.join(folder, 'nightly.zip'), zip);
    await scan();
    const settled = await scan();
    expect(settled.map((s) => [s.file, s.outcome])).toEqual([
      ['broken.zip', 'failed'],
      ['nightly.zip', 'done'],
    ]);
    expect(fs.readFileSync(path.join(folder, 'failed', 'broken.zip.summary.txt'), 'utf8')).toBe(
      'Failed: That file is not a readable .zip archive. Nothing was imported.\n',
    );
    expect(fs.readdirSync(path.join(folder, 'done')).filter((f) => f.endsWith('.zip'))).toHaveLength(2);

    const whitfield = await signIn(haven.app, people.whitfield.email);
    const history = (await haven.app.inject({ method: 'GET', url: '/api/v1/roster/imports', headers: whitfield.headers })).json();
    type Listed = { id: string; source: string; error: string | null; warningCount: number; summary: { file?: string } };
    expect(history.map((h: Listed) => [h.source, h.summary.file, h.error, h.warningCount]).sort()).toEqual([
      ['drop folder', 'broken.zip', 'That file is not a readable .zip archive. Nothing was imported.', 0],
      ['drop folder', 'nightly.zip', null, 1],
      ['drop folder', 'nightly.zip', null, 1],
    ]);
    // The rows of a past import, for its CSV download; reading them is recorded.
    const past = (history as Listed[]).find((h) => h.warningCount === 1) as Listed;
    const one = await haven.app.inject({ method: 'GET', url: `/api/v1/roster/imports/${past.id}`, headers: whitfield.headers });
    expect(one.json().summary).toMatchObject({ file: 'nightly.zip', warnings: [{ file: 'users.csv', line: 3, field: 'grades' }], rejected: [] });
    const read = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.districtId, district.id), eq(auditEvents.action, 'roster.import_read')));
    expect(read.map((e) => e.subjectId)).toEqual([past.id]);
    const rivera = await signIn(haven.app, people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: `/api/v1/roster/imports/${past.id}`, headers: rivera.headers })).statusCode).toBe(404);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/roster/imports/not-an-id', headers: whitfield.headers })).statusCode).toBe(404);
  });
});
