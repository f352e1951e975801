import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { auditKey, createAudit } from '../../src/platform/audit/audit.ts';
import { appUrlFrom, connectDatabases, maintenanceUrlFrom } from '../../src/platform/db/client.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { systemIds } from '../../src/platform/ids.ts';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.ts';
import { createLiveAlerts } from '../../src/platform/notify/live.ts';
import { createHttpSmsSender, type SmsSender } from '../../src/platform/notify/sms.ts';
import { createProcessState } from '../../src/platform/process-state.ts';
import { createSpool } from '../../src/platform/spool.ts';
import { testSecrets } from './secrets.ts';

/** A clock a test can move: sessions expire, lockouts lift, codes change. */
export function testClock(start = new Date('2026-11-28T15:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
    set(date: Date) {
      now = date.getTime();
    },
  };
}

export type TestHaven = {
  app: FastifyInstance;
  deps: Deps;
  clock: ReturnType<typeof testClock>;
  /** The owner (a superuser on the test servers): for tests that tamper as an attacker with owner rights would. */
  ownerUrl: string;
  /** The app role's connection, as a server's listeners use it. */
  appUrl: string;
  close(): Promise<void>;
};

/**
 * A Haven on its own fresh copy of the migrated template database, built exactly as the server
 * builds it (real PostgreSQL, real app role, real audit chain) but with a movable clock.
 */
export async function startTestHaven(options: { mailer?: Mailer; sms?: SmsSender; webDist?: string; smsAuthToken?: string } = {}): Promise<TestHaven> {
  const { clusterUrl, template, prefix } = inject('database');
  const name = `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  await client.query(`create database ${name} template ${template}`);
  await client.end();
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  const ownerUrl = url.toString();
  const appUrl = appUrlFrom(ownerUrl, testSecrets.derive('database-app-role'));
  // The system pool logs in as haven_maintenance, as the server's does: never as the owner.
  const maintenanceUrl = maintenanceUrlFrom(ownerUrl, testSecrets.derive('database-maintenance-role'));
  const db = connectDatabases({ maintenanceUrl, appUrl }, 5);
  const live = createLiveAlerts(appUrl);
  await live.start();
  const clock = testClock();
  const deps: Deps = {
    db,
    clock,
    ids: systemIds,
    secrets: testSecrets,
    audit: createAudit({ clock, ids: systemIds, key: auditKey(testSecrets) }),
    mailer: options.mailer ?? createMailer({ smtpUrl: undefined, from: 'Haven <no-reply@haven.test>', environment: 'test', log: () => undefined }),
    sms: options.sms ?? createHttpSmsSender({}),
    live,
    reportSpool: createSpool(fs.mkdtempSync(path.join(os.tmpdir(), 'haven-spool-')), 'reports'),
    state: createProcessState(),
    settings: { publicUrl: 'http://haven.test', sessionIdleMinutes: 30, sessionMaxHours: 12, smsAuthToken: options.smsAuthToken, ssoPrivateIssuers: true },
  };
  const app = await buildApp(deps, { logger: false, signInPerMinute: 10_000, intakePerMinute: 10_000, webDist: options.webDist });
  return {
    app,
    deps,
    clock,
    ownerUrl,
    appUrl,
    async close() {
      await app.close();
      await live.stop();
      await db.close();
    },
  };
}
