import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { demoPassword, embeddedOwnerUrl, freePort, type RunningHaven, startHaven, startWorker, stop } from './support.ts';

/**
 * Several servers on one database (issue 20, decision 42): servers A and B with
 * HAVEN_WORKER=separate, two `haven worker` processes, one PostgreSQL (A's embedded one), and a
 * small round-robin proxy in this process. Prints:
 * - intake throughput through the proxy with two servers beside one (target >= 1.6x; on a machine
 *   whose cores the servers, workers, database and load generator all share, the ratio says more
 *   about the cores than about Haven);
 * - alerts exactly once: a member signed in on A receives each report posted to B once;
 * - escalation timers fire once with two workers claiming them;
 * - killing server B (kill -9) during intake loses no acknowledged report.
 */
export async function benchCluster() {
  const dataA = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-cluster-a-'));
  const dataB = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-cluster-b-'));
  const dataW = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-cluster-w-'));
  const children: ChildProcess[] = [];
  try {
    const a = await startHaven(dataA, { HAVEN_WORKER: 'separate' });
    children.push(a.child);
    const shared = {
      DATABASE_URL: await embeddedOwnerUrl(dataA),
      HAVEN_SECRET_KEY: fs.readFileSync(path.join(dataA, 'secret.key'), 'utf8').trim(),
      HAVEN_WORKER: 'separate',
    };
    const b = await startHaven(dataB, shared);
    children.push(b.child);
    for (let i = 0; i < 2; i++) children.push(await startWorker(dataW, shared));
    console.log(`Machine budget: ${os.cpus().length} cores shared by 2 servers, 2 workers, PostgreSQL, the proxy and the load generator.`);

    const one = await withProxy([a], (url) => load(url));
    const two = await withProxy([a, b], (url) => load(url));
    const ratio = two.rate / one.rate;
    console.log(
      `${'intake, 1 server vs 2'.padEnd(30)} one ${one.rate.toFixed(0).padStart(6)} req/s (p99 ${one.p99} ms)   two ${two.rate.toFixed(0).padStart(6)} req/s (p99 ${two.p99} ms)   ratio ${ratio.toFixed(2)}   target >= 1.6: ${ratio >= 1.6 ? 'met' : 'MISSED'}`,
    );

    const client = new pg.Client({ connectionString: shared.DATABASE_URL });
    await client.connect();
    try {
      await waitForEmptyQueue(client);
      await alertsExactlyOnce(a, b, client);
      await timersFireOnce(client);
      await killOneServer(a, b, client);
    } finally {
      await client.end();
    }
  } finally {
    for (const child of children.reverse()) await stop(child);
    for (const dir of [dataA, dataB, dataW]) fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `work` against a round-robin proxy over the given servers; a server that stops answering is skipped. */
async function withProxy<T>(servers: RunningHaven[], work: (url: string) => Promise<T>): Promise<T> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const alive = servers.map((s) => new URL(s.url));
  let next = 0;
  const proxy = http.createServer((request, response) => {
    const target = alive[next++ % alive.length];
    if (!target) {
      response.writeHead(502).end();
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: request.url, method: request.method, headers: request.headers, agent },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => {
      const index = alive.indexOf(target);
      if (index >= 0) alive.splice(index, 1);
      if (!response.headersSent) response.writeHead(502);
      response.end();
    });
    request.pipe(upstream);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', resolve));
  try {
    return await work(`http://127.0.0.1:${port}`);
  } finally {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
    agent.destroy();
  }
}

const report = {
  description: 'Someone posted a threat about Lincoln Middle on social media',
  school: 'lincoln-ms',
  category: 'harm_to_others',
  urgency: 'urgent',
};

async function load(url: string) {
  const result = await autocannon({
    url: `${url}/api/v1/reports`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(report),
    connections: 50,
    duration: 15,
  });
  return { rate: result.requests.average, p99: result.latency.p99 };
}

async function waitForEmptyQueue(client: pg.Client) {
  while ((await client.query('select count(*)::int as n from report_intake')).rows[0].n > 0) await new Promise((resolve) => setTimeout(resolve, 200));
}

/** A district administrator signed in on A hears each report posted to B exactly once. */
async function alertsExactlyOnce(a: RunningHaven, b: RunningHaven, client: pg.Client) {
  const login = await fetch(`${a.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin@demo.haven.test', password: demoPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const controller = new AbortController();
  const stream = await fetch(`${a.url}/api/v1/alerts/stream`, { headers: { cookie }, signal: controller.signal });
  const heard = new Map<string, number>();
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      buffer += decoder.decode(value);
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const chunk = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /"reportId":"([^"]+)"/.exec(chunk)?.[1];
        if (id && chunk.includes('event: report.alert')) heard.set(id, (heard.get(id) ?? 0) + 1);
      }
    }
  })();
  // No school: the district team, where the administrator is on call around the clock.
  const body = JSON.stringify({ description: 'cluster delivery probe', urgency: 'routine' });
  const ids = await Promise.all(
    Array.from({ length: 400 }, async (_, i) => {
      const answer = await fetch(`${(i % 4 === 0 ? a : b).url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      return ((await answer.json()) as { id: string }).id;
    }),
  );
  await waitForEmptyQueue(client);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  controller.abort();
  await reading;
  const once = ids.filter((id) => heard.get(id) === 1).length;
  const twice = ids.filter((id) => (heard.get(id) ?? 0) > 1).length;
  const never = ids.filter((id) => !heard.has(id)).length;
  console.log(
    `alerts across servers: ${ids.length} reports (300 posted to B, 100 to A), heard on A once ${once}, more than once ${twice}, never ${never}: ${once === ids.length ? 'met' : 'MISSED'}`,
  );
}

/** 500 unacknowledged reports' timers made due at once; two workers claim them; each moves up the chain once. */
async function timersFireOnce(client: pg.Client) {
  const due = (
    await client.query(`update reports set next_escalation_at = now() where id in (select id from reports where status = 'received' and next_escalation_at is not null
      order by received_at desc limit 500) returning id, escalation_step`)
  ).rows as {
    id: string;
    escalation_step: number;
  }[];
  const before = new Map(due.map((r) => [r.id, r.escalation_step]));
  const deadline = performance.now() + 30_000;
  let moved: { id: string; escalation_step: number }[] = [];
  while (performance.now() < deadline) {
    moved = (await client.query('select id, escalation_step from reports where id = any($1::uuid[])', [[...before.keys()]])).rows;
    if (moved.every((r) => r.escalation_step !== before.get(r.id))) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // A step with nobody on it is skipped, so a report may move more than one step, but only once.
  const once = moved.filter((r) => r.escalation_step > (before.get(r.id) ?? 0)).length;
  const duplicates = (
    await client.query(
      `select count(*)::int as n from (select report_id, step, member_id, channel from report_alerts where report_id = any($1::uuid[]) group by 1, 2, 3, 4 having count(*) > 1) d`,
      [[...before.keys()]],
    )
  ).rows[0].n as number;
  console.log(
    `escalation timers, 2 workers: ${due.length} due, moved up ${once}, duplicate alerts ${duplicates}: ${once === due.length && duplicates === 0 ? 'met' : 'MISSED'}`,
  );
}

/** Reports posted through the proxy while server B is killed with SIGKILL: every one acknowledged is stored. */
async function killOneServer(a: RunningHaven, b: RunningHaven, client: pg.Client) {
  const acknowledged: string[] = [];
  let refused = 0;
  await withProxy([a, b], async (url) => {
    const body = JSON.stringify({ description: 'sent while a server dies', urgency: 'routine' });
    const sending = (async () => {
      const end = performance.now() + 4_000;
      while (performance.now() < end) {
        const batch = await Promise.all(
          Array.from({ length: 20 }, () =>
            fetch(`${url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
              .then(async (r) => (r.status === 201 ? ((await r.json()) as { id: string }).id : null))
              .catch(() => null),
          ),
        );
        for (const id of batch) id ? acknowledged.push(id) : refused++;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    b.child.kill('SIGKILL');
    await sending;
  });
  await waitForEmptyQueue(client);
  const stored = (await client.query('select count(*)::int as n from reports where id = any($1::uuid[])', [acknowledged])).rows[0].n as number;
  console.log(
    `kill -9 of server B during intake: ${acknowledged.length} acknowledged, ${stored} stored, lost ${acknowledged.length - stored} (not acknowledged, for the sender to retry: ${refused}): ${stored === acknowledged.length ? 'met' : 'MISSED'}`,
  );
}
