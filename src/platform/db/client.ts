import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from '../../data/schema.ts';

export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };
/** A transaction handle; repositories take this so they always run inside a scope. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

/**
 * Haven holds two connection pools, neither of them the owner nor a superuser (decisions 2 and 22):
 * - `app` connects as `haven_app`, which owns nothing: row-level security applies to every query,
 *   and each request runs in `withTenant`, which names its district. It cannot read credentials.
 * - `system` connects as `haven_maintenance`, which owns nothing either but has BYPASSRLS: the
 *   explicit escape hatch for work that crosses districts or comes before one is known (the
 *   worker, anonymous intake by code hash, sign-in and sessions, the CLI, the demo seed). Code
 *   that takes it says so in its signature. Only migrations connect as the owner, and every tenant
 *   table forces its policies, so not even the owner reads across districts by accident.
 */
export type Databases = {
  app: Database;
  system: Database;
  close(): Promise<void>;
};

export function connectDatabases(urls: { maintenanceUrl: string; appUrl: string }, poolSize = 10): Databases {
  const appPool = new pg.Pool({ connectionString: urls.appUrl, max: poolSize, application_name: 'haven', connectionTimeoutMillis: 3000 });
  // row_security = off: a maintenance role that lost BYPASSRLS gets an error, never a silently
  // filtered (empty) answer that would leave an alert unrouted.
  const systemPool = new pg.Pool({
    connectionString: urls.maintenanceUrl,
    max: 10,
    application_name: 'haven-system',
    connectionTimeoutMillis: 3000,
    options: '-c row_security=off',
  });
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

/**
 * Refuses to run with pools that would defeat the tenancy: an app role that bypasses row-level
 * security (a superuser or the owner passed as HAVEN_APP_DATABASE_URL), or a maintenance role
 * without BYPASSRLS (the worker would route nothing).
 */
export async function checkDatabaseRoles(db: Databases): Promise<void> {
  const query = 'select current_user as role, rolsuper as superuser, rolbypassrls as bypass from pg_roles where rolname = current_user';
  const [app] = (await db.app.$client.query<{ role: string; superuser: boolean; bypass: boolean }>(query)).rows;
  const [system] = (await db.system.$client.query<{ role: string; superuser: boolean; bypass: boolean }>(query)).rows;
  if (!app || app.superuser || app.bypass) {
    throw new Error(
      `The app connection logs in as ${app?.role ?? 'an unknown role'}, which bypasses row-level security; it must be haven_app (see HAVEN_APP_DATABASE_URL).`,
    );
  }
  if (!system || !(system.superuser || system.bypass)) {
    throw new Error(
      `The maintenance connection logs in as ${system?.role ?? 'an unknown role'}, which lacks BYPASSRLS; it must be haven_maintenance (see HAVEN_MAINTENANCE_DATABASE_URL).`,
    );
  }
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

/**
 * The same district setting as `withTenant`, for a transaction already begun on a raw client of
 * the app pool (a COPY import streams through one): until it ends, row-level security shows and
 * accepts only that district's rows.
 */
export async function actFor(client: pg.ClientBase, scope: TenantScope): Promise<void> {
  await client.query(`select set_config('haven.district_id', $1, true), set_config('haven.user_id', $2, true)`, [scope.districtId, scope.userId ?? '']);
}

/** The two roles Haven's pools log in as (migrations create them; decision 22). */
export const databaseRoles = { app: 'haven_app', maintenance: 'haven_maintenance' } as const;

/** A role's connection string: the owner's URL with the role's name and password. */
export function roleUrlFrom(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

/** The app role's connection string: the owner's URL with the app role's name and password. */
export function appUrlFrom(ownerUrl: string, password: string): string {
  return roleUrlFrom(ownerUrl, databaseRoles.app, password);
}

/** The maintenance role's connection string: the owner's URL with its name and password. */
export function maintenanceUrlFrom(ownerUrl: string, password: string): string {
  return roleUrlFrom(ownerUrl, databaseRoles.maintenance, password);
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
