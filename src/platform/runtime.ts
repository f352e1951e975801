import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { auditKey, createAudit } from './audit/audit.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { appUrlFrom, checkDatabaseRoles, connectDatabases, maintenanceUrlFrom } from './db/client.ts';
import { startEmbeddedPostgres } from './db/embedded.ts';
import { migrateDatabase } from './db/migrate.ts';
import type { Deps } from './deps.ts';
import { systemIds } from './ids.ts';
import { createMailer } from './mail/mailer.ts';
import { createLiveAlerts } from './notify/live.ts';
import { createHttpSmsSender } from './notify/sms.ts';
import { createProcessState } from './process-state.ts';
import { createSecrets, loadOrCreateSecretKey } from './secrets.ts';
import { createSpool } from './spool.ts';

/** `appUrl`: the app role's connection, for listeners (LISTEN needs a connection of its own). */
export type Runtime = { deps: Deps; ownerUrl: string; appUrl: string; embedded: boolean; close(): Promise<void> };

/**
 * Opens Haven's database and dependencies for the server or the CLI. With DATABASE_URL it uses
 * that server; otherwise the embedded PostgreSQL in the data directory: started here, or, when a
 * Haven server already runs on that directory, reached through the port it published, so CLI
 * commands work whether or not the server is running. Pending migrations are applied either way.
 */
export async function openRuntime(config: Config, options: { log: (line: string) => void; attach: boolean }): Promise<Runtime> {
  const secrets = createSecrets(loadOrCreateSecretKey(config.dataDir, config.secretKeyHex));
  let ownerUrl: string;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (config.databaseUrl) {
    ownerUrl = config.databaseUrl;
  } else {
    const password = secrets.derive('embedded-postgres-owner');
    const runningPort = options.attach ? portOfRunningEmbedded(config.dataDir) : undefined;
    let clusterUrl: string;
    if (runningPort) {
      clusterUrl = `postgres://postgres:${password}@127.0.0.1:${runningPort}/postgres`;
    } else {
      const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, password, log: () => undefined });
      stopEmbedded = embedded.stop;
      clusterUrl = embedded.ownerUrl;
    }
    await ensureDatabase(clusterUrl, 'haven');
    ownerUrl = clusterUrl.replace(/\/postgres$/, '/haven');
  }
  try {
    // The owner only migrates. The pools log in as haven_app and haven_maintenance, with
    // passwords derived from the secret key unless the DBA provisioned the roles (decision 22).
    const appPassword = secrets.derive('database-app-role');
    const maintenancePassword = secrets.derive('database-maintenance-role');
    await migrateDatabase(ownerUrl, {
      app: config.appDatabaseUrl ? undefined : appPassword,
      maintenance: config.maintenanceDatabaseUrl ? undefined : maintenancePassword,
    });
    const appUrl = config.appDatabaseUrl ?? appUrlFrom(ownerUrl, appPassword);
    const maintenanceUrl = config.maintenanceDatabaseUrl ?? maintenanceUrlFrom(ownerUrl, maintenancePassword);
    const db = connectDatabases({ maintenanceUrl, appUrl });
    try {
      await checkDatabaseRoles(db);
    } catch (error) {
      await db.close();
      throw error;
    }
    const deps: Deps = {
      db,
      clock: systemClock,
      ids: systemIds,
      secrets,
      audit: createAudit({ clock: systemClock, ids: systemIds, key: auditKey(secrets) }),
      mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.smtpFrom, environment: config.environment, log: options.log }),
      sms: createHttpSmsSender(config.sms),
      live: createLiveAlerts(appUrl, { log: options.log }),
      reportSpool: createSpool(path.join(config.dataDir, 'spool'), 'reports'),
      state: createProcessState(),
      settings: {
        publicUrl: config.publicUrl,
        sessionIdleMinutes: config.sessionIdleMinutes,
        sessionMaxHours: config.sessionMaxHours,
        smsAuthToken: config.sms.authToken,
        operatorEmail: config.operatorEmail,
        ssoPrivateIssuers: config.ssoPrivateIssuers,
        routeInline: config.worker === 'inline',
      },
    };
    return {
      deps,
      ownerUrl,
      appUrl,
      embedded: !config.databaseUrl,
      async close() {
        await db.close();
        await stopEmbedded?.();
      },
    };
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
}

/** The port of the embedded PostgreSQL a running Haven started (line 4 of postmaster.pid). */
function portOfRunningEmbedded(dataDir: string): number | undefined {
  const lock = path.join(dataDir, 'haven.pid');
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (!fs.existsSync(lock) || !fs.existsSync(pidFile)) return undefined;
  const holder = Number(fs.readFileSync(lock, 'utf8'));
  try {
    process.kill(holder, 0);
  } catch {
    return undefined;
  }
  const port = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[3]);
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

async function ensureDatabase(clusterUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
