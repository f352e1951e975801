import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/platform/db/embedded.ts';
import { migrateDatabase } from '../../src/platform/db/migrate.ts';
import { testSecrets } from './secrets.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    database: { clusterUrl: string; template: string; prefix: string };
  }
}

/**
 * One PostgreSQL per run: the machine's server when DATABASE_URL is set, else a fresh embedded
 * one. Migrations run once into a template database; each test file copies it (CREATE DATABASE
 * ... TEMPLATE), so files never collide and nothing is ever truncated.
 */
export default async function setup(project: TestProject) {
  try {
    return await prepareDatabase(project);
  } catch (error) {
    // Vitest 4.1 reports a failed global setup but still exits 0 ("no test files found");
    // a database that cannot start must fail the run loudly instead.
    console.error('Test database setup failed:', error);
    process.exit(1);
  }
}

async function prepareDatabase(project: TestProject) {
  let clusterUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  let tempDir: string | undefined;
  if (!clusterUrl) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-test-'));
    fs.chmodSync(tempDir, 0o755);
    const embedded = await startEmbeddedPostgres({ dataDir: tempDir, password: 'haven-test-owner' });
    clusterUrl = embedded.ownerUrl;
    stop = embedded.stop;
  }
  const prefix = `haven_t${process.pid}_${Date.now().toString(36)}`;
  const template = `${prefix}_template`;
  await admin(clusterUrl, `create database ${template}`);
  const templateUrl = new URL(clusterUrl);
  templateUrl.pathname = `/${template}`;
  await migrateDatabase(templateUrl.toString(), { app: testSecrets.derive('database-app-role'), maintenance: testSecrets.derive('database-maintenance-role') });
  project.provide('database', { clusterUrl, template, prefix });

  return async () => {
    const client = new pg.Client({ connectionString: clusterUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${prefix}%`]);
    for (const row of rows) await client.query(`drop database if exists ${row.datname} with (force)`);
    await client.end();
    await stop?.();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  };
}

async function admin(url: string, statement: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
