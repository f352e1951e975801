import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportIntake } from '../src/data/reports.ts';
import { drainIntake } from '../src/features/crisis-reports/intake.service.ts';
import { startWorker } from '../src/jobs/worker.ts';
import { createProcessState } from '../src/platform/process-state.ts';
import { createCrisisTeams } from './support/crisis.ts';
import { createDistrict } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const count = async (sql: string, params: unknown[]) => (await haven.deps.db.system.$client.query(sql, params)).rows[0].n as number;

describe('the background worker', () => {
  it('routes queued reports and moves due escalations up the chain in one pass', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const urgent = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'a knife in a backpack', school: d.schools.lincoln.id, category: 'weapon' },
    });
    const { id } = urgent.json();
    const queuedId = haven.deps.ids.uuid();
    await haven.deps.db.system.insert(reportIntake).values({
      id: queuedId,
      receivedAt: haven.clock.now(),
      priority: 2,
      payload: {
        id: queuedId,
        followUpCodeHash: 'f'.repeat(64),
        receivedAt: haven.clock.now().toISOString(),
        channel: 'web',
        input: { description: 'queued during a burst', school: 'lincoln-ms', district: d.district.slug, category: 'other', urgency: 'routine', language: 'en' },
      },
    });
    haven.clock.advance(6 * 60_000);
    const worker = startWorker(haven.deps, { intervalMs: 60_000 });
    try {
      await worker.tick();
      await new Promise((resolve) => setTimeout(resolve, 200));
      await worker.tick();
    } finally {
      await worker.stop();
    }
    expect(await count('select count(*)::int as n from reports where id = $1', [queuedId])).toBe(1);
    expect(await count('select count(*)::int as n from report_intake where id = $1', [queuedId])).toBe(0);
    expect(await count(`select count(*)::int as n from report_alerts where report_id = $1 and step = 1 and outcome = 'sent'`, [id])).toBeGreaterThan(0);
  });
});

describe("the worker's life-safety lane", () => {
  it('routes only the queued life-safety reports, leaving a routine one queued before it for the batches', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const queue = async (priority: number, description: string, urgency: string) => {
      const id = haven.deps.ids.uuid();
      const input = { description, school: 'lincoln-ms', district: d.district.slug, category: 'other', urgency, language: 'en' };
      const payload = { id, followUpCodeHash: String(priority).repeat(64), receivedAt: haven.clock.now().toISOString(), channel: 'web', input };
      await haven.deps.db.system.insert(reportIntake).values({ id, receivedAt: haven.clock.now(), priority, payload });
      return id;
    };
    const routine = await queue(2, 'a rumour queued first', 'routine');
    const gun = await queue(0, 'he has a gun right now', 'life_safety');
    expect(await drainIntake(haven.deps, { lifeSafetyOnly: true })).toBe(1);
    expect(await count("select count(*)::int as n from reports where id = $1 and urgency = 'life_safety'", [gun])).toBe(1);
    expect(await count('select count(*)::int as n from report_intake where id = $1', [routine])).toBe(1);
    expect(await drainIntake(haven.deps, { lifeSafetyOnly: true })).toBe(0);
    expect(await drainIntake(haven.deps)).toBe(1);
  });
});

describe('a worker in a process of its own (HAVEN_WORKER=separate)', () => {
  it('the server only queues the report; the worker is woken by the database at once, not at its next tick, and alerts the team', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    // The worker has its own state and a ten-minute tick: only the database's nudge can wake it in time.
    const worker = startWorker({ ...haven.deps, state: createProcessState() }, { intervalMs: 600_000, listenUrl: haven.appUrl });
    haven.deps.settings.routeInline = false;
    try {
      await until(async () => (await count(`select count(*)::int as n from pg_stat_activity where application_name = 'haven-worker-wake'`, [])) > 0);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const posted = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { description: 'my friend says he will kill himself tonight', school: d.schools.lincoln.id, category: 'suicide_self_harm' },
      });
      expect(posted.statusCode).toBe(201);
      const { id } = posted.json();
      const started = performance.now();
      // The first step of the chain: the school's team, in the app.
      await until(async () => (await count(`select count(*)::int as n from report_alerts where report_id = $1 and step = 0 and channel = 'in_app'`, [id])) > 0);
      expect(performance.now() - started).toBeLessThan(5_000);
      await until(async () => (await count('select count(*)::int as n from report_intake where id = $1', [id])) === 0);
    } finally {
      haven.deps.settings.routeInline = undefined;
      await worker.stop();
    }
  });
});

/** Waits until the check holds, for at most five seconds. */
async function until(check: () => Promise<boolean>) {
  const end = performance.now() + 5_000;
  while (!(await check())) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
