import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { createLiveAlerts } from './live.ts';

/**
 * The live-alert listener across a database outage. It listens through a small TCP relay the test
 * can close, so the listener's connection drops and its first attempt to come back is refused, as
 * when PostgreSQL restarts. An alert published once the database is back must still reach the
 * member's open app.
 */
let haven: TestHaven;
let relay: net.Server;
let relayPort = 0;
let accepting = true;
const sockets = new Set<net.Socket>();

function startRelay(target: URL): Promise<number> {
  relay = net.createServer((inbound) => {
    if (!accepting) {
      inbound.destroy();
      return;
    }
    const outbound = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined); // the other side is destroyed with it
    }
    inbound.pipe(outbound).pipe(inbound);
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
  });
  return new Promise((resolve) => relay.listen(relayPort, '127.0.0.1', () => resolve((relay.address() as net.AddressInfo).port)));
}

beforeAll(async () => {
  haven = await startTestHaven();
  relayPort = await startRelay(new URL(haven.ownerUrl));
});
afterAll(async () => {
  relay.close();
  await haven.close();
});

it('keeps trying to listen while the database is away, and delivers the next alert once it is back', async () => {
  const url = new URL(haven.ownerUrl);
  url.hostname = '127.0.0.1';
  url.port = String(relayPort);
  const lines: string[] = [];
  const live = createLiveAlerts(url.toString(), { log: (line) => lines.push(line), retryMs: 100 });
  await live.start();
  const heard: unknown[] = [];
  const data = { reportId: 'r-1', at: '2026-11-30T15:04:05.000Z' };
  live.subscribe('member-1', (event) => heard.push(event));

  // The database goes away: open connections drop, new ones are refused for a while.
  accepting = false;
  for (const s of sockets) s.destroy();
  await expect.poll(() => lines.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
  accepting = true;

  const publisher = new pg.Client({ connectionString: haven.ownerUrl });
  await publisher.connect();
  try {
    await expect
      .poll(
        async () => {
          await publisher.query(`select pg_notify('haven_live', $1)`, [JSON.stringify({ userIds: ['member-1'], type: 'report.message', data })]);
          return heard.length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThan(0);
  } finally {
    await publisher.end();
    await live.stop();
  }
  expect(heard[0]).toEqual({ type: 'report.message', data });
  expect(lines[0]).toMatch(/^live alerts: connection lost .*; listening again in 100 ms$/);
});

it('an event that does not match its schema is not sent and is logged; the alert published beside it and the transaction go through', async () => {
  const lines: string[] = [];
  const live = createLiveAlerts(haven.ownerUrl, { log: (line) => lines.push(line) });
  await live.start();
  const heard: unknown[] = [];
  live.subscribe('rivera', (event) => heard.push(event));
  const alert = {
    reportId: 'r-7',
    urgency: 'life_safety',
    category: 'suicide_self_harm',
    school: 'Lincoln Middle School',
    step: 'primary',
    receivedAt: '2026-11-30T15:04:05.000Z',
    afterHours: false,
  } as const;
  try {
    const committed = await haven.deps.db.system.transaction(async (tx) => {
      await live.publishMany(tx, [
        // Built by mistake without its category: the web app could not say what the report is about.
        { userIds: ['rivera'], type: 'report.alert', data: { ...alert, reportId: 'r-6', category: undefined } } as never,
        { userIds: ['rivera'], type: 'report.alert', data: alert },
      ]);
      return 'committed';
    });
    expect(committed).toBe('committed');
    await expect.poll(() => heard.length, { timeout: 5000 }).toBe(1);
    expect(heard).toEqual([{ type: 'report.alert', data: alert }]);
    expect(lines).toEqual([expect.stringMatching(/^live alerts: a report\.alert event does not match its schema and was not sent \(data\.category: /)]);
  } finally {
    await live.stop();
  }
});
