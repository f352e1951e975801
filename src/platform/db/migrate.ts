import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/**
 * Applies pending migrations as the owner. An advisory lock makes concurrent starts (several app
 * servers, or the CLI beside a server) take turns instead of racing.
 * When `appRolePassword` is given, the app role is allowed to log in with it; production may
 * instead provision the role itself and pass HAVEN_APP_DATABASE_URL.
 */
export async function migrateDatabase(ownerUrl: string, appRolePassword?: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'haven-migrate' });
  await client.connect();
  try {
    await client.query(`set client_min_messages = warning`);
    await client.query(`select pg_advisory_lock(hashtext('haven:migrate'))`);
    await migrate(drizzle(client), { migrationsFolder });
    if (appRolePassword) {
      await client.query(`alter role haven_app with login password ${client.escapeLiteral(appRolePassword)}`);
    }
  } finally {
    await client.query(`select pg_advisory_unlock(hashtext('haven:migrate'))`).catch(() => undefined);
    await client.end();
  }
}
