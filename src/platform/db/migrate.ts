import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { databaseRoles } from './client.ts';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Passwords for the roles Haven logs in as; a role left out keeps whatever login it has. */
export type RolePasswords = { app?: string | undefined; maintenance?: string | undefined };

/**
 * Applies pending migrations as the owner. An advisory lock makes concurrent starts (several app
 * servers, or the CLI beside a server) take turns instead of racing.
 * Each role given a password here (`haven_app`, `haven_maintenance`) is allowed to log in with it;
 * production may instead provision the roles itself and pass HAVEN_APP_DATABASE_URL and
 * HAVEN_MAINTENANCE_DATABASE_URL.
 * The session runs with row_security = off: every tenant table forces its policies (decision 22),
 * so a data migration run by an owner that is not a superuser fails loudly instead of silently
 * changing no rows.
 */
export async function migrateDatabase(ownerUrl: string, passwords: RolePasswords = {}): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'haven-migrate' });
  await client.connect();
  try {
    await client.query(`set client_min_messages = warning`);
    await client.query(`set row_security = off`);
    await client.query(`select pg_advisory_lock(hashtext('haven:migrate'))`);
    await migrate(drizzle(client), { migrationsFolder });
    for (const [key, role] of Object.entries(databaseRoles) as [keyof RolePasswords, string][]) {
      const password = passwords[key];
      if (password) await client.query(`alter role ${client.escapeIdentifier(role)} with login password ${client.escapeLiteral(password)}`);
    }
  } finally {
    await client.query(`select pg_advisory_unlock(hashtext('haven:migrate'))`).catch(() => undefined);
    await client.end();
  }
}
