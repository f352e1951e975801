import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Transaction } from '../../platform/db/client.ts';

/**
 * Staging a roster in the import's own transaction: the rows the rules built are COPYed into
 * temporary tables (dropped at commit or rollback, so a dry run leaves nothing behind) and then
 * moved into Haven's tables by a few set-based statements. Row by row, 100,000 students took
 * minutes; COPY and INSERT ... SELECT take seconds. PostgreSQL refuses COPY into a table under
 * row-level security, so only the temporary tables are COPYed into; every statement that writes
 * a tenant table still runs under the district's policy (`withTenant`).
 */

/** A value as COPY's text format reads it: `\N` for null, backslash, tab and line breaks escaped. */
export type Cell = string | number | boolean | null | undefined | readonly string[];

function copyText(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] as string) : value;
}

function cellText(value: Cell): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return copyText(value);
  // An array literal, each element quoted: `{"a","b"}`.
  return copyText(`{${value.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`);
}

/**
 * The connection under a Drizzle transaction: COPY needs the driver's client itself, and it must
 * be the transaction's own connection so the staged rows and the district setting are shared.
 */
export function clientOf(tx: Transaction): pg.ClientBase {
  const client = (tx as unknown as { session?: { client?: pg.ClientBase } }).session?.client;
  if (!client || typeof client.query !== 'function') throw new Error('the roster import needs a node-postgres transaction');
  return client;
}

/**
 * Creates a temporary table for this transaction and COPYs `rows` into it (`columns` are
 * `name type` pairs), which PostgreSQL sizes from its pages, so large ones are joined by hash.
 */
export async function stage(client: pg.ClientBase, table: string, columns: string[], rows: Iterable<Cell[]>): Promise<number> {
  await client.query(`create temporary table ${table} (${columns.join(', ')}) on commit drop`);
  const names = columns.map((c) => c.split(' ')[0]).join(', ');
  const stream = client.query(copyFrom(`copy ${table} (${names}) from stdin`));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  done.catch(() => undefined); // awaited below; a failure must not be unhandled before then
  let buffer = '';
  let count = 0;
  for (const row of rows) {
    buffer += `${row.map(cellText).join('\t')}\n`;
    count += 1;
    if (buffer.length >= 1 << 20) {
      if (!stream.write(buffer)) await Promise.race([once(stream, 'drain'), done]);
      buffer = '';
    }
  }
  stream.end(buffer);
  await done;

  return count;
}

/** Runs one statement and answers how many rows it wrote (or, for a count query, the count). */
export async function written(client: pg.ClientBase, text: string, values: unknown[] = []): Promise<number> {
  return (await client.query(text, values)).rowCount ?? 0;
}

/** The first row's number columns of a query, e.g. `select count(*)::int as n`. */
export async function counted<T extends string>(client: pg.ClientBase, text: string, values: unknown[] = []): Promise<Record<T, number>> {
  return (await client.query(text, values)).rows[0] as Record<T, number>;
}
