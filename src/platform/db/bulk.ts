import { getTableColumns, getTableName, sql, type Table } from 'drizzle-orm';
import type { Transaction } from './client.ts';

/** A transaction or a pool: anything that runs a statement. */
type Executor = { execute: Transaction['execute'] };

/**
 * Inserts many rows as one parameter: a JSON array that PostgreSQL expands with
 * `jsonb_populate_recordset`. A multi-row VALUES list of a hundred reports is thousands of
 * parameters, each mapped one by one on the Node side; in a burst that mapping, not the database,
 * was the bottleneck. Only the columns given (in any row) are written, so the others keep their defaults.
 * Returns the ids that were inserted (fewer than the rows with `skipExisting`, for rows whose id
 * was already there).
 */
export async function insertMany<T extends Table>(
  tx: Executor,
  table: T,
  rows: readonly T['$inferInsert'][],
  options: { skipExisting?: boolean } = {},
): Promise<string[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter((key) => columns[key]);
  const names = keys.map((key) => (columns[key] as { name: string }).name);
  const json = JSON.stringify(rows.map((row) => Object.fromEntries(keys.map((key, i) => [names[i], (row as Record<string, unknown>)[key] ?? null]))));
  const list = sql.raw(names.map((name) => `"${name}"`).join(', '));
  const target = sql.raw(`"${getTableName(table)}"`);
  const result = await tx.execute<{ id: string }>(
    sql`insert into ${target} (${list}) select ${list} from jsonb_populate_recordset(null::${target}, ${json}::jsonb)
        ${options.skipExisting ? sql`on conflict (id) do nothing` : sql``} returning id`,
  );
  return result.rows.map((row) => row.id);
}
