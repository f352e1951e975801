import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { demoPassword, embeddedOwnerUrl, freePort, row, startHaven, startWorker, stop, waitHealthy, withCpu } from './support.ts';

const report = {
  description: 'Someone posted a threat about Lincoln Middle on social media',
  school: 'lincoln-ms',
  category: 'harm_to_others',
  urgency: 'urgent',
};

/** A bare Fastify route doing one INSERT per request into the same database: the baseline. */
function baselineSource(port: number, databaseUrl: string) {
  return `import Fastify from 'fastify'; import pg from 'pg'; import { randomUUID } from 'node:crypto';
const pool = new pg.Pool({ connectionString: ${JSON.stringify(databaseUrl)}, max: 10 });
await pool.query('create table if not exists bench_baseline (id uuid primary key, body jsonb not null, at timestamptz not null default now())');
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
app.post('/r', async (request, reply) => { const id = randomUUID(); await pool.query('insert into bench_baseline (id, body) values ($1, $2)', [id, request.body]); return reply.code(201).send({ id }); });
await app.listen({ port: ${port}, host: '127.0.0.1' });`;
}

async function load(url: string, body: unknown, duration = 20) {
  const result = await autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    connections: 50,
    duration,
  });
  return { rate: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, total: result.requests.total };
}

/** A load run with the CPU each request cost, in µs, by part (see `withCpu`). */
async function measuredCpu(pid: number | undefined, run: () => ReturnType<typeof load>) {
  const { result, perRequest } = await withCpu(pid, run, (r) => r.total);
  if (!perRequest) return { ...result, cpu: 'not measured (no /proc)' };
  const us = (part: keyof typeof perRequest) => (perRequest[part] * 1000).toFixed(0);
  return {
    ...result,
    cpu: `event loop ${us('eventLoop')} µs, other threads ${us('otherThreads')} µs, PostgreSQL ${us('postgres')} µs, load generator ${us('loadGenerator')} µs`,
  };
}

/**
 * Public intake throughput at 50 connections for 20 s beside the baseline (targets: >= 0.8 of the
 * baseline's requests per second, p99 < 50 ms), then alert latency: POST to the event on a
 * subscribed on-call member's SSE stream at 200 reports per second (target p99 < 100 ms).
 * `HAVEN_BENCH_INTAKE=burst` runs only the part under a burst (below).
 */
export async function benchIntake() {
  if (process.env.HAVEN_BENCH_INTAKE === 'burst') return underBurst();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-intake-'));
  const haven = await startHaven(dataDir);
  try {
    const port = await freePort();
    const baseline = spawn(process.execPath, ['--input-type=module', '-e', baselineSource(port, await embeddedOwnerUrl(dataDir))], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await waitHealthy(`http://127.0.0.1:${port}`, baseline);
    const bare = await measuredCpu(baseline.pid, () => load(`http://127.0.0.1:${port}/r`, report));
    await stop(baseline);
    const ours = await measuredCpu(haven.child.pid, () => load(`${haven.url}/api/v1/reports`, report));
    // Reports beyond what is routed at once wait in the intake queue; time how long routing takes.
    const client = new pg.Client({ connectionString: await embeddedOwnerUrl(dataDir) });
    await client.connect();
    const backlog = (await client.query('select count(*)::int as n from report_intake')).rows[0].n as number;
    const drainStart = performance.now();
    while ((await client.query('select count(*)::int as n from report_intake')).rows[0].n > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    const drainSeconds = (performance.now() - drainStart) / 1000;
    await client.end();
    row('intake throughput (50 conn.)', ours.rate, bare.rate, 'req/s', 'bare INSERT');
    console.log(
      `  p99 latency: Haven ${ours.p99} ms, baseline ${bare.p99} ms (target < 50 ms: ${ours.p99 < 50 ? 'met' : 'MISSED'}); ratio target >= 0.8: ${ours.rate / bare.rate >= 0.8 ? 'met' : 'MISSED'}; Haven non-2xx ${ours.non2xx}, errors ${ours.errors}`,
    );
    console.log(`  CPU per report: Haven ${ours.cpu}; bare INSERT ${bare.cpu}`);
    console.log(
      `  queued during the burst ${backlog}, all routed ${drainSeconds.toFixed(1)} s after it ended (${(backlog / Math.max(drainSeconds, 0.001)).toFixed(0)} reports/s)`,
    );
    await alertLatency(haven.url);
  } finally {
    await stop(haven.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  await underBurst();
}

/**
 * Alert latency at 200 reports/s while a 50-connection burst hits the intake (issue 20: intake
 * p99 < 25 ms, alert p99 < 50 ms), with routing in the server (HAVEN_WORKER=inline) and in a
 * `haven worker` process of its own (separate, decision 42), one after the other in this run.
 */
async function underBurst() {
  for (const mode of ['inline', 'separate'] as const) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `haven-bench-burst-${mode}-`));
    const workerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-bench-worker-'));
    const haven = await startHaven(dataDir, { HAVEN_WORKER: mode });
    const worker =
      mode === 'separate'
        ? await startWorker(workerDir, {
            DATABASE_URL: await embeddedOwnerUrl(dataDir),
            HAVEN_SECRET_KEY: fs.readFileSync(path.join(dataDir, 'secret.key'), 'utf8').trim(),
            HAVEN_WORKER: 'separate',
          })
        : undefined;
    try {
      const [burst, alerts] = await Promise.all([load(`${haven.url}/api/v1/reports`, report, 10), alertLatency(haven.url, { quiet: true })]);
      console.log(
        `under a 50-connection burst, routing ${mode.padEnd(8)}: intake p99 ${burst.p99} ms (target < 25 ms: ${burst.p99 < 25 ? 'met' : 'MISSED'}), ${burst.rate.toFixed(0)} req/s; alert p50 ${alerts.p50.toFixed(1)} ms, p99 ${alerts.p99.toFixed(1)} ms (target < 50 ms: ${alerts.p99 < 50 ? 'met' : 'MISSED'}), missing ${alerts.missing}`,
      );
    } finally {
      if (worker) await stop(worker);
      await stop(haven.child);
      for (const dir of [dataDir, workerDir]) fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** `quiet`: returns the figures instead of printing them, for the run under a burst. */
async function alertLatency(url: string, options: { quiet?: boolean } = {}) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo.haven.test', password: demoPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const controller = new AbortController();
  const stream = await fetch(`${url}/api/v1/alerts/stream`, { headers: { cookie }, signal: controller.signal });
  const arrived = new Map<string, number>();
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value);
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /"reportId":"([^"]+)"/.exec(chunk)?.[1];
        if (id && chunk.includes('event: report.alert')) arrived.set(id, performance.now());
        end = buffer.indexOf('\n\n');
      }
    }
  })();
  // No school given: the report goes to the district team, where the admin is on call around the clock.
  // Under a burst the probes are life-safety: routing takes those first, and they are the alerts that must not wait.
  const body = JSON.stringify({ description: 'alert latency probe', urgency: options.quiet ? 'life_safety' : 'routine' });
  const sent = new Map<string, number>();
  const pending: Promise<void>[] = [];
  const perSecond = 200;
  const seconds = 10;
  const start = performance.now();
  for (let i = 0; i < perSecond * seconds; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const at = performance.now();
    pending.push(
      fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        .then((r) => r.json() as Promise<{ id: string }>)
        .then(({ id }) => {
          sent.set(id, at);
        }),
    );
  }
  await Promise.all(pending);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  controller.abort();
  await reading;
  const latencies = [...sent.entries()].map(([id, at]) => (arrived.get(id) ?? Number.POSITIVE_INFINITY) - at).sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  const missing = latencies.filter((l) => !Number.isFinite(l)).length;
  const achieved = latencies.length / ((performance.now() - start - 1000) / 1000);
  if (options.quiet) return { p50: p(0.5), p99: p(0.99), missing };
  console.log(
    `alert latency at ${perSecond} reports/s (achieved ${achieved.toFixed(0)}/s, ${latencies.length} reports): p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms (target < 100 ms: ${p(0.99) < 100 ? 'met' : 'MISSED'}); alerts missing ${missing}`,
  );
  return { p50: p(0.5), p99: p(0.99), missing };
}
