import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportIntake } from '../src/data/reports.ts';
import { startWorker } from '../src/jobs/worker.ts';
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
