import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrlFrom, checkDatabaseRoles, connectDatabases, maintenanceUrlFrom } from '../src/platform/db/client.ts';
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
  let southStudent: Awaited<ReturnType<typeof createStudent>>;

  beforeAll(async () => {
    haven = await startTestHaven();
    north = await createDistrict(haven.deps);
    south = await createDistrict(haven.deps);
    await createStudent(haven.deps, north.district.id, north.schools.lincoln.id, { firstName: 'North' });
    southStudent = await createStudent(haven.deps, south.district.id, south.schools.lincoln.id, { firstName: 'South' });
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
      const { rowCount } = await client.query(`select 1 from ${table}`);
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

  it("a screening result cannot name another district's student, even written past row-level security", async () => {
    // The maintenance role bypasses the policies; the reference (district, student) still holds.
    const insert = (districtId: string) =>
      haven.deps.db.system.$client.query(
        `insert into screening_results (id, district_id, student_id, school_id, instrument_id, instrument_version, source, answers, flags, actions, prorated, valid, administered_at)
         values (gen_random_uuid(), $1, $2, $3, 'phq-a', '1.0.0', 'import', '{}', '{}', '{}', false, true, now())`,
        [districtId, southStudent.id, south.schools.lincoln.id],
      );
    await expect(insert(north.district.id)).rejects.toThrow(/screening_results_student_fk/);
    await insert(south.district.id);
    const { rows } = await haven.deps.db.system.$client.query('select district_id from screening_results where student_id = $1', [southStudent.id]);
    expect(rows).toEqual([{ district_id: south.district.id }]);
  });

  it("an alert cannot name another district's report, even written past row-level security", async () => {
    const filed = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'Someone wrote a threat on the gym wall', school: south.schools.lincoln.id, category: 'harm_to_others', urgency: 'routine' },
    });
    expect(filed.statusCode).toBe(201);
    const reportId = filed.json().id as string;
    const insert = (districtId: string) =>
      haven.deps.db.system.$client.query(
        `insert into report_alerts (id, district_id, report_id, step, channel, outcome, at) values (gen_random_uuid(), $1, $2, 9, 'in_app', 'no_recipient', now())`,
        [districtId, reportId],
      );
    await expect(insert(north.district.id)).rejects.toThrow(/report_alerts_report_fk/);
    await insert(south.district.id);
    const { rows } = await haven.deps.db.system.$client.query('select district_id from report_alerts where report_id = $1 and step = 9', [reportId]);
    expect(rows).toEqual([{ district_id: south.district.id }]);
  });

  it('the app role cannot read sessions or tokens, nor rewrite the audit trail', async () => {
    await expect(client.query('select * from sessions')).rejects.toThrow(/permission denied/);
    await expect(client.query('select * from api_tokens')).rejects.toThrow(/permission denied/);
    await expect(client.query(`update audit_events set reason = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(client.query('delete from audit_events')).rejects.toThrow(/permission denied/);
  });
});

/**
 * Issue 15: the policies bind every role but one. Every tenant table has row-level security
 * enabled and FORCED (so the table owner obeys it too); only `haven_maintenance` (BYPASSRLS, not a
 * superuser, owns nothing) crosses districts, and the app role cannot read credentials at all.
 */
describe('forced row-level security, the maintenance role and credential columns', () => {
  let haven: TestHaven;
  let owner: pg.Client;
  let app: pg.Client;

  beforeAll(async () => {
    haven = await startTestHaven();
    owner = new pg.Client({ connectionString: haven.ownerUrl });
    await owner.connect();
    app = new pg.Client({ connectionString: appUrlFrom(haven.ownerUrl, testSecrets.derive('database-app-role')) });
    await app.connect();
  });
  afterAll(async () => {
    await app.end();
    await owner.end();
    await haven.close();
  });

  it('every table with a district_id column (and every table with a policy) has row-level security enabled and forced', async () => {
    const { rows } = await owner.query<{ table: string; enabled: boolean; forced: boolean }>(`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
        and (c.relrowsecurity
          or exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'district_id' and a.attnum > 0 and not a.attisdropped))
      order by c.relname`);
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.map((r) => r.table)).toEqual(expect.arrayContaining(['students', 'sessions', 'api_tokens', 'audit_events', 'screening_results']));
    expect(rows.filter((r) => !r.enabled || !r.forced)).toEqual([]);
  });

  it('the system connection is the maintenance role: it bypasses row-level security but is no superuser and owns nothing', async () => {
    const { rows } = await haven.deps.db.system.$client.query(`
      select current_user as role, session_user as session, r.rolsuper as superuser, r.rolbypassrls as bypass
      from pg_roles r where r.rolname = session_user`);
    expect(rows[0]).toEqual({ role: 'haven_maintenance', session: 'haven_maintenance', superuser: false, bypass: true });
    const owned = await haven.deps.db.system.$client.query(
      `select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and pg_get_userbyid(c.relowner) = current_user`,
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it('Haven refuses pools that would defeat the tenancy, and a maintenance pool without BYPASSRLS fails loudly', async () => {
    const appUrl = appUrlFrom(haven.ownerUrl, testSecrets.derive('database-app-role'));
    const maintenanceUrl = maintenanceUrlFrom(haven.ownerUrl, testSecrets.derive('database-maintenance-role'));
    const ownerAsApp = connectDatabases({ maintenanceUrl, appUrl: haven.ownerUrl }, 1);
    const appAsMaintenance = connectDatabases({ maintenanceUrl: appUrl, appUrl }, 1);
    try {
      await expect(checkDatabaseRoles(ownerAsApp)).rejects.toThrow(/bypasses row-level security/);
      await expect(checkDatabaseRoles(appAsMaintenance)).rejects.toThrow(/lacks BYPASSRLS/);
      // Its queries are refused, never silently filtered to nothing.
      await expect(appAsMaintenance.system.$client.query('select id from students')).rejects.toThrow(/row-level security/);
      await expect(checkDatabaseRoles(haven.deps.db)).resolves.toBeUndefined();
    } finally {
      await ownerAsApp.close();
      await appAsMaintenance.close();
    }
  });

  it('the maintenance role cannot rewrite the audit trail either', async () => {
    await expect(haven.deps.db.system.$client.query(`update audit_events set reason = 'x'`)).rejects.toThrow(/permission denied/);
    await expect(haven.deps.db.system.$client.query('delete from audit_events')).rejects.toThrow(/permission denied/);
  });

  const credentials = [
    ['users', 'password_hash'],
    ['users', 'totp_secret_encrypted'],
    ['users', 'totp_pending_encrypted'],
    ['users', 'totp_last_step'],
    ['recovery_codes', 'code_hash'],
    ['sessions', 'token_hash'],
    ['sessions', 'csrf_token'],
    ['api_tokens', 'token_hash'],
    ['password_resets', 'token_hash'],
    // Hashes of short codes: whoever reads one can try every code against it (migration 0027).
    ['reports', 'follow_up_code_hash'],
    ['screening_sessions', 'code_hash'],
    ['screening_sessions', 'hold_token_hash'],
  ] as const;

  it.each(credentials)('the app role is refused %s.%s, even inside a district', async (table, column) => {
    await app.query('begin');
    try {
      await app.query(`select set_config('haven.district_id', gen_random_uuid()::text, true)`);
      await expect(app.query(`select ${column} from ${table} limit 1`)).rejects.toThrow(/permission denied/);
    } finally {
      await app.query('rollback');
    }
    await expect(app.query(`select * from ${table} limit 1`)).rejects.toThrow(/permission denied/);
  });

  it('the app role still reads the names and addresses of the people in its district', async () => {
    const north = await createDistrict(haven.deps);
    await app.query('begin');
    await app.query(`select set_config('haven.district_id', $1, true)`, [north.district.id]);
    const { rows } = await app.query('select id, email, display_name, preferred_language, disabled_at from users order by email');
    await app.query('commit');
    expect(rows.map((r) => r.email)).toContain(north.people.rivera.email);
  });
});
