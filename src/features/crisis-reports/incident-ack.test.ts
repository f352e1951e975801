import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { runDueEscalations } from './alerts.service.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const query = async (sql: string, params: unknown[]) => (await haven.deps.db.system.$client.query(sql, params)).rows;
const alertCount = async (reportId: string) =>
  Number((await query(`select count(*) from report_alerts where report_id = $1 and channel = 'in_app'`, [reportId]))[0].count);

describe('acknowledging a report of an incident', () => {
  it('takes the linked reports that ask no more than it, which stop alerting; a more urgent one keeps escalating until someone takes it', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const send = async (description: string, urgency: string) =>
      (
        await haven.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          payload: { description, school: d.schools.lincoln.id, category: 'bullying_harassment', urgency, about: 'Jordan Lee' },
        })
      ).json().id as string;
    const first = await send('Jordan Lee is being pushed around in the hallway every morning', 'urgent');
    const second = await send('Kids keep shoving Jordan Lee in the hallway before class', 'routine');
    const third = await send('Jordan Lee is being pushed around in the hallway every morning', 'life_safety');
    const linked = (await query(`select count(distinct incident_id) as incidents, count(*) from reports where id = any($1)`, [[first, second, third]]))[0];
    expect(linked).toEqual({ incidents: '1', count: '3' });

    const rivera = await signIn(haven.app, d.people.rivera.email);
    const before = (await haven.app.inject({ method: 'GET', url: `/api/v1/reports/${first}`, headers: rivera.headers })).json();
    expect(before.incident.map((r: { urgency: string; status: string }) => `${r.urgency}:${r.status}`).sort()).toEqual([
      'life_safety:received',
      'routine:received',
    ]);
    const ack = await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${first}/acknowledge`, headers: rivera.headers });
    expect(ack.statusCode).toBe(200);

    const rows = await query(`select id, status, acknowledged_by is not null as by, next_escalation_at is null as stopped from reports where id = any($1)`, [
      [second, third],
    ]);
    expect(rows.find((r: { id: string }) => r.id === second)).toMatchObject({ status: 'acknowledged', by: true, stopped: true });
    expect(rows.find((r: { id: string }) => r.id === third)).toMatchObject({ status: 'received', stopped: false });
    const audit = await query(`select detail from audit_events where action = 'report.acknowledged' and subject_id = $1`, [second]);
    expect(audit).toEqual([{ detail: { withIncidentOf: first } }]);

    // Twenty minutes on: the routine report alerted no one again; the life-safety one climbed the chain.
    const [secondAlerts, thirdAlerts] = [await alertCount(second), await alertCount(third)];
    for (let i = 0; i < 4; i++) {
      haven.clock.advance(5 * 60_000);
      await runDueEscalations(haven.deps, haven.clock.now());
    }
    expect(await alertCount(second)).toBe(secondAlerts);
    expect(await alertCount(third)).toBeGreaterThan(thirdAlerts);
    const page = (await haven.app.inject({ method: 'GET', url: `/api/v1/reports/${first}`, headers: rivera.headers })).json();
    expect(page.incident.filter((r: { status: string }) => r.status === 'received').map((r: { id: string }) => r.id)).toEqual([third]);
  });
});
