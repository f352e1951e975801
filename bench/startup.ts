import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { demoPassword, freePort, row, startHaven, stop, waitHealthy, withCpu } from './support.ts';

/**
 * Start-up (cold: empty data dir to healthy, demo seed included; warm: restart) against an empty
 * Fastify server's start, and sign-in throughput against a bare argon2id verify loop.
 * Targets (issue 2): cold < 20 s, warm < 3 s.
 */
export async function benchStartup() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
  try {
    const port = await freePort();
    const source = `import Fastify from 'fastify'; const app = Fastify(); app.get('/healthz', async () => ({ status: 'ok' })); await app.listen({ port: ${port}, host: '127.0.0.1' });`;
    const started = performance.now();
    const bare = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: 'ignore' });
    await waitHealthy(`http://127.0.0.1:${port}`, bare);
    const baselineStart = performance.now() - started;
    await stop(bare);

    const cold = await startHaven(dataDir);
    await stop(cold.child);
    const warm = await startHaven(dataDir);
    row('cold start (to healthy)', cold.ms, baselineStart, 'ms', 'empty Fastify');
    row('warm start (to healthy)', warm.ms, baselineStart, 'ms', 'empty Fastify');
    console.log(`  targets: cold < 20000 ms (${cold.ms < 20_000 ? 'met' : 'MISSED'}), warm < 3000 ms (${warm.ms < 3_000 ? 'met' : 'MISSED'})`);

    const { result, perRequest: cpu } = await withCpu(
      warm.child.pid,
      () =>
        autocannon({
          url: `${warm.url}/api/v1/auth/login`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'counselor@demo.haven.test', password: demoPassword }),
          connections: 8,
          duration: 10,
        }),
      (r) => r.requests.total,
    );
    await stop(warm.child);
    const stored = await hash(demoPassword, { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 });
    let done = 0;
    const end = performance.now() + 10_000;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (performance.now() < end) {
          await verify(stored, demoPassword);
          done += 1;
        }
      }),
    );
    row('sign-in throughput', result.requests.average, done / 10, '/s', 'argon2 verify');
    console.log(
      `  sign-in p99 latency ${result.latency.p99} ms; non-2xx answers ${result.non2xx}; target ratio 0.8 (${result.requests.average >= 0.8 * (done / 10) ? 'met' : 'MISSED'})`,
    );
    if (cpu) {
      const per = (part: keyof typeof cpu) => cpu[part].toFixed(1);
      const alone = ((os.availableParallelism() * 10_000) / done).toFixed(1);
      console.log(
        `  CPU per sign-in: server's other threads (argon2, GC) ${per('otherThreads')} ms, event loop ${per('eventLoop')} ms, PostgreSQL ${per('postgres')} ms, load generator ${per('loadGenerator')} ms; one argon2 verify alone ${alone} ms`,
      );
    }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
