/**
 * Haven's benchmarks, each printed beside a baseline measured in the same run on this machine:
 * - cold start: empty data directory to a healthy server, demo district included,
 *   against an empty Fastify server's start;
 * - warm start: restart on the same data directory to healthy, against the same baseline;
 * - sign-in throughput over HTTP, against a bare argon2id verify loop with the same parameters.
 * Run with `npm run bench`. Targets (issue 2): cold < 20 s, warm < 3 s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';

const password = 'bench-password-2026';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('not healthy in time');
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function startHaven(dataDir: string): Promise<{ ms: number; url: string; child: ChildProcess }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/haven.js', 'serve', '--demo'], {
    env: {
      ...process.env,
      PORT: String(port),
      HAVEN_DATA_DIR: dataDir,
      HAVEN_DEMO_PASSWORD: password,
      HAVEN_LOG_LEVEL: 'silent',
      HAVEN_SIGN_IN_PER_MINUTE: '1000000',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitHealthy(url, child);
  return { ms: performance.now() - started, url, child };
}

async function startEmptyFastify(): Promise<number> {
  const port = await freePort();
  const source = `import Fastify from 'fastify'; const app = Fastify(); app.get('/healthz', async () => ({ status: 'ok' })); await app.listen({ port: ${port}, host: '127.0.0.1' });`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--input-type=module', '-e', source], { stdio: 'ignore', cwd: process.cwd() });
  await waitHealthy(`http://127.0.0.1:${port}`, child);
  const ms = performance.now() - started;
  await stop(child);
  return ms;
}

async function argon2VerifiesPerSecond(seconds: number, concurrency: number): Promise<number> {
  const stored = await hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 });
  let done = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await verify(stored, password);
        done += 1;
      }
    }),
  );
  return done / seconds;
}

async function signInsPerSecond(url: string, seconds: number, connections: number): Promise<{ rate: number; non2xx: number; p99: number }> {
  const result = await autocannon({
    url: `${url}/api/v1/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'counselor@demo.haven.test', password }),
    connections,
    duration: seconds,
  });
  return { rate: result.requests.average, non2xx: result.non2xx, p99: result.latency.p99 };
}

function row(name: string, haven: number, baseline: number, unit: string, baselineName: string) {
  const ratio = haven / baseline;
  console.log(
    `${name.padEnd(28)} Haven ${haven.toFixed(0).padStart(7)} ${unit}   ${baselineName} ${baseline.toFixed(0).padStart(6)} ${unit}   ratio ${ratio.toFixed(2)}`,
  );
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-'));
try {
  console.log(`Machine: ${os.cpus().length} cores, Node ${process.version}\n`);
  const baselineStart = await startEmptyFastify();
  const cold = await startHaven(dataDir);
  await stop(cold.child);
  const warm = await startHaven(dataDir);
  row('cold start (to healthy)', cold.ms, baselineStart, 'ms', 'empty Fastify');
  row('warm start (to healthy)', warm.ms, baselineStart, 'ms', 'empty Fastify');
  console.log(`  targets: cold < 20000 ms (${cold.ms < 20_000 ? 'met' : 'MISSED'}), warm < 3000 ms (${warm.ms < 3_000 ? 'met' : 'MISSED'})`);
  const signIns = await signInsPerSecond(warm.url, 10, 8);
  await stop(warm.child);
  const bare = await argon2VerifiesPerSecond(10, 8);
  row('sign-in throughput', signIns.rate, bare, '/s', 'argon2 verify');
  console.log(`  sign-in p99 latency ${signIns.p99} ms; non-2xx answers ${signIns.non2xx}`);
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}
