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

async function alertedUsers(reportId: string) {
  const { rows } = await haven.deps.db.system.$client.query(
    `select a.step, u.email from report_alerts a join users u on u.id = a.user_id where a.report_id = $1 and a.channel = 'in_app' and a.outcome = 'sent' order by a.at, a.step`,
    [reportId],
  );
  return rows.map((r: { step: number; email: string }) => `${r.step}:${r.email.split('.')[0]}`);
}

const report = (school: string, extra: Record<string, unknown> = {}) =>
  haven.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { description: 'He said he has a gun in his locker', school, category: 'weapon', urgency: 'life_safety', ...extra },
  });

describe('escalation until a person acknowledges', () => {
  it('a life-safety report nobody acknowledges climbs to the district on-call after the configured waits', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const created = await report(d.schools.lincoln.id);
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(await alertedUsers(id)).toEqual(['0:rivera']);

    haven.clock.advance(4 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(id)).toEqual(['0:rivera']);

    // Each wait is 5 minutes for life-safety by default: secondary, then the administrator, then the district.
    for (const expected of [['1:okafor'], ['2:bell'], ['3:whitfield']]) {
      haven.clock.advance(5 * 60_000);
      await runDueEscalations(haven.deps, haven.clock.now());
      expect((await alertedUsers(id)).slice(-1)).toEqual(expected);
    }
    // Past the end of the chain the district on-call is alerted again at each wait.
    haven.clock.advance(10 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());
    expect((await alertedUsers(id)).slice(-1)).toEqual(['4:whitfield']);
  });

  it('reading is not acknowledging; acknowledging stops the chain', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const { id } = (await report(d.schools.lincoln.id)).json();
    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: rivera.headers })).statusCode).toBe(200);
    haven.clock.advance(5 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(id)).toEqual(['0:rivera', '1:okafor']);

    const ack = await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/acknowledge`, headers: rivera.headers });
    expect(ack.statusCode).toBe(200);
    haven.clock.advance(60 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(id)).toEqual(['0:rivera', '1:okafor']);
    const again = await signIn(haven.app, d.people.rivera.email); // an hour later her session has ended
    const response = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: again.headers });
    const detail = response.json();
    expect(response.statusCode, response.body).toBe(200);
    expect(detail.times.acknowledgedBy).toBe('rivera');
    expect(detail.status).toBe('acknowledged');
  });

  it('the timers survive a server restart in the middle of the chain', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const { id } = (await report(d.schools.lincoln.id)).json();
    haven.clock.advance(5 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());

    // The server goes away; a new one starts on the same database, 12 minutes later.
    const restarted = await startTestHaven();
    try {
      const fresh = { ...restarted.deps, db: haven.deps.db, clock: haven.clock };
      haven.clock.advance(12 * 60_000);
      await runDueEscalations(fresh, haven.clock.now());
      expect(await alertedUsers(id)).toEqual(['0:rivera', '1:okafor', '2:bell']);
      // The overdue step fired on start; the next person still gets their full wait.
      haven.clock.advance(5 * 60_000);
      await runDueEscalations(fresh, haven.clock.now());
      expect(await alertedUsers(id)).toEqual(['0:rivera', '1:okafor', '2:bell', '3:whitfield']);
    } finally {
      await restarted.close();
    }
  });

  it('a step with nobody on call is passed at once; with nobody at all the district admins are alerted', async () => {
    const d = await createDistrict(haven.deps);
    const { id } = (await report(d.schools.lincoln.id)).json();
    expect(await alertedUsers(id)).toEqual(['3:whitfield']);
    const { rows } = await haven.deps.db.system.$client.query(
      `select count(*)::int as n from report_alerts where report_id = $1 and outcome = 'no_recipient'`,
      [id],
    );
    expect(rows[0].n).toBe(3);
  });

  it('a routine report waits for alert hours before it moves up', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    haven.clock.set(new Date('2026-11-28T03:00:00Z')); // Friday 20:00 in Denver
    const { id } = (
      await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: {
          description: 'They keep teasing her at lunch',
          school: 'lincoln-ms',
          district: d.district.slug,
          category: 'bullying_harassment',
          urgency: 'routine',
        },
      })
    ).json();
    haven.clock.set(new Date('2026-11-30T14:30:00Z')); // Monday 07:30
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(id)).toEqual(['0:rivera']);
    haven.clock.set(new Date('2026-11-30T15:01:00Z')); // Monday 08:01: 60 minutes of alert hours have passed
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(id)).toEqual(['0:rivera', '1:okafor']);
  });
});

describe('a Haven with no text or call provider', () => {
  it('records the text and call to Ms. Rivera as not set up (nothing waits in the outbox to fail), and the teams page says so', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    const { id } = (await report(d.schools.lincoln.id)).json();
    const { rows } = await haven.deps.db.system.$client.query(
      `select channel, outcome from report_alerts where report_id = $1 and channel in ('sms', 'voice') and user_id = $2 order by channel`,
      [id, d.people.rivera.id],
    );
    expect(rows).toEqual([
      { channel: 'sms', outcome: 'not_set_up' },
      { channel: 'voice', outcome: 'not_set_up' },
    ]);
    const queued = await haven.deps.db.system.$client.query(`select count(*)::int as n from outbox where district_id = $1 and kind <> 'email'`, [
      d.district.id,
    ]);
    expect(queued.rows[0].n).toBe(0);
    const bell = await signIn(haven.app, d.people.bell.email);
    const teams = (await haven.app.inject({ method: 'GET', url: '/api/v1/crisis-teams', headers: bell.headers })).json();
    expect(teams.phoneAlerts).toEqual({ texts: false, calls: false });
    expect(teams.teams.some((t: { members: { phone: string | null }[] }) => t.members.some((m) => m.phone))).toBe(true);
  });
});
