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
          await publisher.query(`select pg_notify('haven_live', $1)`, [JSON.stringify({ userIds: ['member-1'], type: 'report.alert', data: { n: 1 } })]);
          return heard.length;
        },
        { timeout: 10_000, interval: 200 },
      )
      .toBeGreaterThan(0);
  } finally {
    await publisher.end();
    await live.stop();
  }
  expect(heard[0]).toEqual({ type: 'report.alert', data: { n: 1 } });
  expect(lines[0]).toMatch(/^live alerts: connection lost .*; listening again in 100 ms$/);
});
