import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHaven, type TestHaven } from './support/harness.ts';

/**
 * Haven on distributed PostgreSQL (Citus) with `district_id` as the distribution column
 * (decision 39). Citus can enforce a primary key or unique constraint, and join or check a
 * foreign key, only on one node, so each must carry the distribution column; a table without
 * `district_id` is a reference table (copied to every node) and must not point into a
 * distributed one. Today's tables break these rules in known ways, listed in
 * test/distribution-baseline.json; a new table or constraint that breaks them fails here, and a
 * fixed one must leave the list, so it only shrinks (write it anew with HAVEN_WRITE_BASELINE=1).
 */
let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const baselineFile = path.resolve('test/distribution-baseline.json');
type Query = <T>(sql: string) => Promise<T[]>;
const query: Query = async <T>(sql: string) => (await haven.deps.db.system.$client.query(sql)).rows as T[];

/** Every way today's schema breaks the distribution rules, one sentence each. */
async function violations(query: Query): Promise<string[]> {
  const distributed = new Set(
    (
      await query<{ name: string }>(`select table_name as name from information_schema.columns where table_schema = 'public' and column_name = 'district_id'`)
    ).map((t) => t.name),
  );
  const constraints = await query<{ table: string; name: string; type: string; columns: string[]; target: string | null; targetColumns: string[] }>(`
    select c.conrelid::regclass::text as table, c.conname as name, c.contype as type,
           array(select a.attname::text from unnest(c.conkey) k join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k) as columns,
           nullif(c.confrelid, 0)::regclass::text as target,
           array(select a.attname::text from unnest(c.confkey) k join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k) as "targetColumns"
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where n.nspname = 'public' and c.contype in ('p', 'u', 'f')`);
  const uniqueIndexes = await query<{ table: string; name: string; columns: string[] }>(`
    select i.indrelid::regclass::text as table, ic.relname as name,
           array(select a.attname::text from unnest(i.indkey) k join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k) as columns
    from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_namespace n on n.oid = ic.relnamespace
    where n.nspname = 'public' and i.indisunique and not i.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`);
  const found: string[] = [];
  for (const c of constraints) {
    const kind = c.type === 'p' ? 'primary key' : c.type === 'u' ? 'unique constraint' : 'foreign key';
    if (c.type !== 'f' && distributed.has(c.table) && !c.columns.includes('district_id'))
      found.push(`${c.table}: ${kind} ${c.name} (${c.columns.join(', ')}) lacks district_id`);
    if (c.type === 'f' && c.target && distributed.has(c.table) && distributed.has(c.target) && !c.columns.includes('district_id'))
      found.push(`${c.table}: foreign key ${c.name} to ${c.target} (${c.columns.join(', ')}) lacks district_id`);
    if (c.type === 'f' && c.target && !distributed.has(c.table) && distributed.has(c.target))
      found.push(`${c.table}: reference table points into distributed ${c.target} (${c.name})`);
  }
  for (const u of uniqueIndexes)
    if (distributed.has(u.table) && !u.columns.includes('district_id'))
      found.push(`${u.table}: unique index ${u.name} (${u.columns.join(', ')}) lacks district_id`);
  return found.sort();
}

describe('ready to distribute by district (Citus, decision 39)', () => {
  it('no table or constraint breaks the distribution rules beyond the known list, and the list holds nothing already fixed', async () => {
    const now = await violations(query);
    if (process.env.HAVEN_WRITE_BASELINE === '1') fs.writeFileSync(baselineFile, `${JSON.stringify(now, null, 2)}\n`);
    const known: string[] = JSON.parse(fs.readFileSync(baselineFile, 'utf8'));
    expect(
      now.filter((v) => !known.includes(v)),
      'new violations: carry district_id in the key (see decision 39)',
    ).toEqual([]);
    expect(
      known.filter((v) => !now.includes(v)),
      'fixed: remove these from test/distribution-baseline.json',
    ).toEqual([]);
  });

  it('would catch a new table whose primary key lacks district_id, and a reference table pointing into a district', async () => {
    // As the owner, in a transaction that is rolled back: nothing is left behind.
    const owner = new pg.Client({ connectionString: haven.ownerUrl });
    await owner.connect();
    await owner.query('begin');
    try {
      await owner.query(`create table distribution_probe (id uuid primary key, district_id uuid not null references districts(id))`);
      await owner.query(`create table distribution_probe_ref (id uuid primary key, probe_id uuid references distribution_probe(id))`);
      const now = await violations(async <T>(sql: string) => (await owner.query(sql)).rows as T[]);
      expect(now).toContain('distribution_probe: primary key distribution_probe_pkey (id) lacks district_id');
      expect(now).toContain('distribution_probe_ref: reference table points into distributed distribution_probe (distribution_probe_ref_probe_id_fkey)');
    } finally {
      await owner.query('rollback');
      await owner.end();
    }
  });
});
