import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { embeddedOwnerUrl, startHaven, stop } from './support.ts';

/**
 * Crash test: kill -9 Haven and its PostgreSQL (the whole process group) during sustained intake,
 * 20 times; every report that got a 2xx must be in the database afterwards.
 */
export async function benchIntakeCrash(rounds = 20) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-crash-'));
  const acknowledged = new Set<string>();
  let refused = 0;
  try {
    for (let round = 0; round < rounds; round++) {
      const haven = await startHaven(dataDir);
      let running = true;
      const senders = Array.from({ length: 10 }, async () => {
        while (running) {
          try {
            const response = await fetch(`${haven.url}/api/v1/reports`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ description: `crash round ${round}`, school: 'lincoln-ms', urgency: 'urgent' }),
            });
            if (response.status >= 200 && response.status < 300) acknowledged.add(((await response.json()) as { id: string }).id);
          } catch {
            refused += 1;
          }
        }
      });
      await new Promise((resolve) => setTimeout(resolve, 800 + Math.random() * 1200));
      process.kill(-(haven.child.pid as number), 'SIGKILL');
      running = false;
      await Promise.all(senders);
      await stop(haven.child, 'SIGKILL');
    }
    const haven = await startHaven(dataDir);
    // Spooled reports are replayed and queued ones routed within seconds of start.
    const client = new pg.Client({ connectionString: await embeddedOwnerUrl(dataDir) });
    await client.connect();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    while ((await client.query('select count(*)::int as n from report_intake')).rows[0].n > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const { rows } = await client.query<{ id: string }>('select id from reports where id = any($1::uuid[])', [[...acknowledged]]);
    await client.end();
    await stop(haven.child);
    const found = new Set(rows.map((r) => r.id));
    const lost = [...acknowledged].filter((id) => !found.has(id));
    console.log(
      `crash test: ${rounds} kill -9 rounds; acknowledged ${acknowledged.size}, found ${found.size}, lost ${lost.length}; requests cut off by the crash (no answer, so not acknowledged): ${refused}`,
    );
    if (lost.length > 0) process.exitCode = 1;
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
