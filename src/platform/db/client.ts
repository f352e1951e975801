import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema.ts';

export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A transaction handle; repositories take this so they always run inside a scope. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Haven holds two connection pools:
 * - `app` connects as `haven_app`, which owns nothing: row-level security applies to every query,
 *   and each request runs in `withTenant`, which names its district.
 * - `system` connects as the owner. It is the explicit escape hatch for migrations, the CLI,
 *   jobs and sign-in (which must find a user before any district is known). Code that takes it
 *   says so in its signature.
 */
export type Databases = {
  app: Database;
  system: Database;
  close(): Promise<void>;
};

export function connectDatabases(urls: { ownerUrl: string; appUrl: string }, poolSize = 10): Databases {
  const appPool = new pg.Pool({ connectionString: urls.appUrl, max: poolSize, application_name: 'haven', connectionTimeoutMillis: 3000 });
  const systemPool = new pg.Pool({ connectionString: urls.ownerUrl, max: 10, application_name: 'haven-system', connectionTimeoutMillis: 3000 });
  // A connection dropped by the server (restart, failover, shutdown) must fail only the query
  // using it, never crash the process; the pool opens a new connection next time.
  for (const pool of [appPool, systemPool]) {
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
  }
  return {
    app: drizzle(appPool, { schema }),
    system: drizzle(systemPool, { schema }),
    async close() {
      await Promise.all([appPool.end(), systemPool.end()]);
    },
  };
}

export type TenantScope = { districtId: string; userId?: string | null };

/**
 * Runs `work` in one transaction acting for one district: PostgreSQL's row-level security then
 * shows and accepts only that district's rows. Everything a use case writes (its rows, its audit
 * event) commits or rolls back together.
 */
export async function withTenant<T>(db: Database, scope: TenantScope, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('haven.district_id', ${scope.districtId}, true), set_config('haven.user_id', ${scope.userId ?? ''}, true)`);
    return work(tx);
  });
}

/** The app role's connection string: the owner's URL with the app role's name and password. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = 'haven_app';
  url.password = password;
  return url.toString();
}

const unavailableCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006']);

/** True when an error means the database could not be reached, as opposed to a bad query. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code && unavailableCodes.has(e.code)) return true;
    if (/Connection terminated|timeout exceeded when trying to connect|connect ECONNREFUSED|Query read timeout/i.test(e.message ?? '')) return true;
  }
  return false;
}
