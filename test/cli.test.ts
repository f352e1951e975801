import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDistrict, createStudent, signIn } from './support/factories.ts';
import { fixture } from './support/fixtures.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';
import { testSecretKeyHex } from './support/secrets.ts';

// These tests start the `haven` command, which compiles its TypeScript as it starts: a few seconds
// on a quiet machine, far more on a busy CI runner. A slow start is not a failure.
vi.setConfig({ testTimeout: 180_000 });

const run = promisify(execFile);

/** A `haven` command, run as a person would run it, against this test's database. */
async function haven_(ownerUrl: string, ...args: string[]) {
  try {
    const { stdout } = await run('node', ['bin/haven.js', ...args], {
      env: { ...process.env, DATABASE_URL: ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout + failed.stderr };
  }
}

const verify = (ownerUrl: string) => haven_(ownerUrl, 'audit', 'verify');

describe('haven audit verify', () => {
  let haven: TestHaven;
  let lincoln: Awaited<ReturnType<typeof createDistrict>>;
  /** The owner's connection: Haven's own pools cannot edit the trail, an insider with owner rights can. */
  let owner: pg.Pool;

  beforeAll(async () => {
    haven = await startTestHaven();
    owner = new pg.Pool({ connectionString: haven.ownerUrl, max: 2 });
    lincoln = await createDistrict(haven.deps);
    const maya = await createStudent(haven.deps, lincoln.district.id, lincoln.schools.lincoln.id);
    const rivera = await signIn(haven.app, lincoln.people.rivera.email);
    await haven.app.inject({ method: 'GET', url: `/api/v1/students/${maya.id}`, headers: rivera.headers });
  });
  afterAll(async () => {
    await owner.end();
    await haven.close();
  });

  it('passes on an untouched trail, then names the first event someone altered by hand', async () => {
    const before = await verify(haven.ownerUrl);
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`${lincoln.district.slug}: ok`);

    // A database owner edits a row, bypassing the append-only trigger the way an insider could.
    const tamper = await owner.connect();
    await tamper.query(`set session_replication_role = replica`);
    await tamper.query(`update audit_events set reason = 'nothing to see' where district_id = $1 and action = 'student.read'`, [lincoln.district.id]);
    const { rows } = await tamper.query(`select sequence from audit_events where district_id = $1 and action = 'student.read'`, [lincoln.district.id]);
    await tamper.query(`reset session_replication_role`);
    tamper.release();

    const after = await verify(haven.ownerUrl);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`${lincoln.district.slug}: BROKEN at event #${rows[0].sequence}`);
    expect(after.stdout).toContain('contents were changed');
  });

  it('an anchor kept outside the database finds a trail rewritten before it, even with every hash recomputed with the key', async () => {
    const d = await createDistrict(haven.deps);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const rivera = await signIn(haven.app, d.people.rivera.email);
    await haven.app.inject({ method: 'GET', url: `/api/v1/students/${student.id}`, headers: rivera.headers });
    const printed = await haven_(haven.ownerUrl, 'audit', 'anchor', '--district', d.district.slug);
    expect(printed.code).toBe(0);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'anchor-')), 'anchors.jsonl');
    fs.writeFileSync(file, printed.stdout);
    expect((await haven_(haven.ownerUrl, 'audit', 'verify', '--district', d.district.slug, '--anchor', file)).stdout).toContain('matches its anchor');

    // An insider with the database and the key removes the read from the trail and re-hashes every event after it.
    const { hashEvent } = await import('../src/platform/audit/audit.rules.ts');
    const { auditKey } = await import('../src/platform/audit/audit.ts');
    const client = await owner.connect();
    await client.query(`set session_replication_role = replica`);
    await client.query(`update audit_events set reason = 'routine check' where district_id = $1 and action = 'student.read'`, [d.district.id]);
    const { rows } = await client.query(`select * from audit_events where district_id = $1 order by sequence`, [d.district.id]);
    let previous = '0'.repeat(64);
    for (const row of rows) {
      const event = {
        id: row.id,
        districtId: row.district_id,
        sequence: Number(row.sequence),
        at: row.at,
        actorUserId: row.actor_user_id,
        actorLabel: row.actor_label,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        studentId: row.student_id,
        reason: row.reason,
        detail: row.detail,
      };
      const hash = hashEvent(previous, event, auditKey(haven.deps.secrets));
      await client.query(`update audit_events set previous_hash = $1, hash = $2 where id = $3`, [previous, hash, row.id]);
      previous = hash;
    }
    await client.query(`reset session_replication_role`);
    client.release();

    expect((await haven_(haven.ownerUrl, 'audit', 'verify', '--district', d.district.slug)).code).toBe(0);
    const anchored = await haven_(haven.ownerUrl, 'audit', 'verify', '--district', d.district.slug, '--anchor', file);
    expect(anchored.code).toBe(1);
    expect(anchored.stdout).toContain('differs from the anchor: the trail up to here was rewritten');
    // An anchor file someone edited is refused as not genuine.
    fs.writeFileSync(
      file,
      printed.stdout.replace(/"sequence":(\d+)/, (_m, n) => `"sequence":${Number(n) - 1}`),
    );
    expect((await haven_(haven.ownerUrl, 'audit', 'verify', '--district', d.district.slug, '--anchor', file)).stdout).toContain(
      'was not signed with this Haven',
    );
  });

  it('parallel writers never fork a chain', async () => {
    const d = await createDistrict(haven.deps);
    const { withTenant } = await import('../src/platform/db/client.ts');
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withTenant(haven.deps.db.app, { districtId: d.district.id }, (tx) =>
          haven.deps.audit.append(
            tx,
            d.district.id,
            { userId: null, label: 'test' },
            { action: 'district.settings_changed', subjectType: 'test', subjectId: String(i) },
          ),
        ),
      ),
    );
    const result = await verify(haven.ownerUrl);
    expect(result.stdout).toMatch(new RegExp(`${d.district.slug}: ok, \\d+ events`));
    const { rows } = await haven.deps.db.system.$client.query(
      `select count(distinct previous_hash) as links, count(*) as events from audit_events where district_id = $1`,
      [d.district.id],
    );
    expect(rows[0].links).toBe(rows[0].events);
  });

  it('the append-only trigger stops even the owner from editing an event in the ordinary way', async () => {
    await expect(owner.query(`delete from audit_events where district_id = $1`, [lincoln.district.id])).rejects.toThrow(/append-only/);
  });
});

describe('haven district add, user add and token create', () => {
  let haven: TestHaven;
  beforeAll(async () => {
    haven = await startTestHaven();
  });
  afterAll(() => haven.close());

  it('an IT lead adds a district and a counselor from the command line; the printed token works', async () => {
    const added = await haven_(haven.ownerUrl, 'district', 'add', 'adams-12', '--name', 'Adams 12 Five Star Schools');
    expect(added.stdout).toContain('Added district adams-12');
    const duplicate = await haven_(haven.ownerUrl, 'district', 'add', 'adams-12', '--name', 'Again');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stdout).toContain('already exists');

    const user = await haven_(haven.ownerUrl, 'user', 'add', '--district', 'adams-12', '--email', 'Lopez@Adams12.test', '--role', 'district_admin');
    expect(user.stdout).toContain('Added lopez@adams12.test: district_admin in adams-12');
    expect(user.stdout).toMatch(/single-use link .*\n\s+http:\/\/\S+\/reset-password#token=/);
    const badRole = await haven_(haven.ownerUrl, 'user', 'add', '--district', 'adams-12', '--email', 'x@adams12.test', '--role', 'wizard');
    expect(badRole.code).not.toBe(0);
    expect(badRole.stdout).toContain('Allowed choices are district_admin');

    const token = await haven_(haven.ownerUrl, 'token', 'create', '--email', 'lopez@adams12.test', '--name', 'roster sync');
    expect(token.code).toBe(0);
    const secret = token.stdout.trim();
    expect(secret).toMatch(/^hvn_/);
    const me = await haven.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${secret}` } });
    expect(me.statusCode).toBe(200);
    expect(me.json().district.slug).toBe('adams-12');
  });

  it('--help lists every command', async () => {
    const help = await haven_(haven.ownerUrl, '--help');
    for (const command of ['serve', 'migrate', 'seed', 'district', 'user', 'token', 'audit']) expect(help.stdout).toContain(command);
  });
});

describe('haven score', () => {
  it('prints the result and exits 0 when scorable, 2 with the errors when not, without a database', async () => {
    const ok = await haven_(
      'postgres://nowhere.invalid/none',
      'score',
      'phq-9',
      '--answers',
      '{"q1":0,"q2":0,"q3":0,"q4":0,"q5":0,"q6":0,"q7":0,"q8":0,"q9":1}',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ instrument: 'phq-9', score: 1, band: 'minimal', flags: ['suicide_risk'], valid: true, errors: [] });
    const bad = await haven_('postgres://nowhere.invalid/none', 'score', 'asq', '--answers', '{"q1":"no","q2":"no","q3":"no","q4":"no","q5":"yes"}');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ valid: false, errors: [expect.stringMatching(/^q5 is only asked when/)] });
    const srss = await haven_(
      'postgres://nowhere.invalid/none',
      'score',
      'srss-ie',
      '--answers',
      '{"e1":3,"e2":3,"e3":3,"e4":0,"e5":0,"e6":0,"e7":0,"i1":1,"i2":1,"i3":1,"i4":1,"i5":0}',
      '--context',
      '{"grade":7}',
    );
    expect(JSON.parse(srss.stdout).subscales).toEqual({ externalizing: { score: 9, band: 'high' }, internalizing: { score: 4, band: 'moderate' } });
    // A "yes" to a suicide question is shown even when the answers cannot be scored (exit 2).
    const partial = await haven_('postgres://nowhere.invalid/none', 'score', 'asq', '--answers', '{"q1":"yes"}');
    expect(partial.code).toBe(2);
    expect(JSON.parse(partial.stdout)).toMatchObject({
      valid: false,
      flags: ['suicide_risk', 'imminent_risk'],
      errors: ['q2 needs an answer', 'q3 needs an answer', 'q4 needs an answer'],
    });
  });
});

describe('haven import hsds / export hsds / import oneroster', () => {
  let haven: TestHaven;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  beforeAll(async () => {
    haven = await startTestHaven();
    d = await createDistrict(haven.deps);
  });
  afterAll(() => haven.close());

  it('imports the HSDS fixture, reports nothing new the second time, and exports valid HSDS JSON', async () => {
    const first = await haven_(haven.ownerUrl, 'import', 'hsds', fixture('hsds-3.1/service_full.json'), '--district', d.district.slug);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/services\s+1 created, 0 updated, 0 unchanged/);
    const second = await haven_(haven.ownerUrl, 'import', 'hsds', fixture('hsds-3.1/service_full.json'), '--district', d.district.slug);
    expect(second.stdout).toMatch(/services\s+0 created, 0 updated, 1 unchanged/);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hsds-cli-')), 'directory.json');
    expect((await haven_(haven.ownerUrl, 'export', 'hsds', '--district', d.district.slug, '--out', out)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual([
      expect.objectContaining({ name: 'Community Counselling', organization: expect.objectContaining({ name: expect.any(String) }) }),
    ]);
  });

  it('imports the OneRoster fixture and says what it did; a missing folder exits 2', async () => {
    const run = await haven_(haven.ownerUrl, 'import', 'oneroster', fixture('oneroster-1.1'), '--district', d.district.slug);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/students\s+3 created, 0 updated, 0 unchanged/);
    expect((await haven_(haven.ownerUrl, 'import', 'oneroster', '/nowhere', '--district', d.district.slug)).code).toBe(2);
  });
});
