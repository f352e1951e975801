import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedOwnerUrl, startHaven, stop } from './support.ts';

/**
 * Outage test: freeze the database (SIGSTOP) for 8 s during intake, then let it go (SIGCONT).
 * Reports sent meanwhile are spooled to disk and still answered; every 2xx report must be in the
 * database after it returns.
 */
export async function benchIntakeOutage() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-outage-'));
  const haven = await startHaven(dataDir);
  const acknowledged = new Set<string>();
  let failed = 0;
  let slowest = 0;
  try {
    const postgresPid = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    let running = true;
    const senders = Array.from({ length: 5 }, async () => {
      while (running) {
        const started = performance.now();
        const response = await fetch(`${haven.url}/api/v1/reports`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ description: 'sent during a database outage', school: 'lincoln-ms', urgency: 'urgent' }),
        }).catch(() => undefined);
        slowest = Math.max(slowest, performance.now() - started);
        if (response && response.status >= 200 && response.status < 300) acknowledged.add(((await response.json()) as { id: string }).id);
        else failed += 1;
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Freeze the postmaster and every backend: open connections hang, new ones cannot be made.
    const everyPostgres = () => [postgresPid, ...execSync(`pgrep -P ${postgresPid} || true`).toString().split('\n').filter(Boolean).map(Number)];
    const frozen = everyPostgres();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, 8000));
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    running = false;
    await Promise.all(senders);
    const client = new pg.Client({ connectionString: await embeddedOwnerUrl(dataDir) });
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 3000)); // the worker replays the spool
    while ((await client.query('select count(*)::int as n from report_intake')).rows[0].n > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const { rows } = await client.query<{ id: string }>('select id from reports where id = any($1::uuid[])', [[...acknowledged]]);
    await client.end();
    console.log(
      `outage test: database frozen 8 s during intake; acknowledged ${acknowledged.size}, found ${rows.length}, lost ${acknowledged.size - rows.length}; failed answers ${failed}; slowest answer ${slowest.toFixed(0)} ms`,
    );
    if (rows.length !== acknowledged.size) process.exitCode = 1;
  } finally {
    await stop(haven.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
