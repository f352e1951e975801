import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrlFrom } from '../src/platform/db/client.ts';
import { createDistrict, createStudent } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';
import { testSecrets } from './support/secrets.ts';

/**
 * The promise that one district can never see another's students rests on PostgreSQL, not only
 * on Haven's code: connected as the app role, even a hand-written SELECT sees one district.
 */
describe('row-level security between districts', () => {
  let haven: TestHaven;
  let north: Awaited<ReturnType<typeof createDistrict>>;
  let south: Awaited<ReturnType<typeof createDistrict>>;
  let client: pg.Client;

  beforeAll(async () => {
    haven = await startTestHaven();
    north = await createDistrict(haven.deps);
    south = await createDistrict(haven.deps);
    await createStudent(haven.deps, north.district.id, north.schools.lincoln.id, { firstName: 'North' });
    await createStudent(haven.deps, south.district.id, south.schools.lincoln.id, { firstName: 'South' });
    client = new pg.Client({ connectionString: appUrlFrom(haven.ownerUrl, testSecrets.derive('database-app-role')) });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await haven.close();
  });

  it('the app role owns nothing and cannot bypass row-level security', async () => {
    const { rows } = await client.query(`select current_user as role, rolbypassrls, rolsuper from pg_roles where rolname = current_user`);
    expect(rows[0]).toEqual({ role: 'haven_app', rolbypassrls: false, rolsuper: false });
    const owned = await client.query(`select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = current_user`);
    expect(owned.rows[0].n).toBe(0);
  });

  it('a hand-written SELECT acting for one district sees only its students', async () => {
    await client.query('begin');
    await client.query(`select set_config('haven.district_id', $1, true)`, [north.district.id]);
    const { rows } = await client.query('select first_name, district_id from students');
    await client.query('commit');
    expect(rows.map((r) => r.first_name)).toEqual(['North']);
  });

  it('naming the other district in the WHERE clause still returns nothing', async () => {
    await client.query('begin');
    await client.query(`select set_config('haven.district_id', $1, true)`, [north.district.id]);
    const students = await client.query('select * from students where district_id = $1', [south.district.id]);
    const guardians = await client.query('select * from guardians where district_id = $1', [south.district.id]);
    const audit = await client.query('select * from audit_events where district_id = $1', [south.district.id]);
    await client.query('commit');
    expect([students.rowCount, guardians.rowCount, audit.rowCount]).toEqual([0, 0, 0]);
  });

  it('without a district set, every tenant table is empty', async () => {
    for (const table of ['districts', 'schools', 'students', 'guardians', 'student_guardians', 'role_grants', 'users', 'audit_events']) {
      const { rowCount } = await client.query(`select * from ${table}`);
      expect({ table, rowCount }).toEqual({ table, rowCount: 0 });
    }
  });

  it('the app role cannot write a row into another district', async () => {
    await client.query('begin');
    await client.query(`select set_config('haven.district_id', $1, true)`, [north.district.id]);
    await expect(
      client.query(`insert into schools (id, district_id, code, name, level) values (gen_random_uuid(), $1, 'x', 'Intruder', 'high')`, [south.district.id]),
    ).rejects.toThrow(/row-level security/);
    await client.query('rollback');
  });

  it('the app role cannot read sessions or tokens, nor rewrite the audit trail', async () => {
    await expect(client.query('select * from sessions')).rejects.toThrow(/permission denied/);
    await expect(client.query('select * from api_tokens')).rejects.toThrow(/permission denied/);
    await expect(client.query(`update audit_events set reason = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(client.query('delete from audit_events')).rejects.toThrow(/permission denied/);
  });
});
