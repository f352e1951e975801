import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { browserKeys, startPushService } from '../../../test/support/push-service.ts';
import { startSmsReceiver } from '../../../test/support/sms-receiver.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { createHttpSmsSender } from '../../platform/notify/sms.ts';
import { retryDelaysMs } from '../../platform/outbox/outbox.rules.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';

/**
 * Crisis alerts go through the outbox like every message, but never wait for it: they are sent
 * in the request that stored the report, the moment it commits, and the report records whether
 * each really went out. A mail server that refused is retried, and the report shows when it went.
 */

let haven: TestHaven;
let sms: Awaited<ReturnType<typeof startSmsReceiver>>;
const mail: Mail[] = [];
const mailServer = { refusing: false };
beforeAll(async () => {
  sms = await startSmsReceiver();
  haven = await startTestHaven({
    mailer: {
      async send(m) {
        if (mailServer.refusing) throw Object.assign(new Error(`451 Mailbox busy for ${m.to}`), { responseCode: 451 });
        mail.push(m);
      },
    },
    sms: createHttpSmsSender({ url: sms.url, voiceUrl: sms.voiceUrl, account: 'AC-test', authToken: 'test-token', from: '+17205550100' }),
  });
});
afterAll(async () => {
  await haven.close();
  await sms.close();
});

const outcomes = async (reportId: string) =>
  (
    await haven.deps.db.system.$client.query(
      `select channel, outcome from report_alerts where report_id = $1 and channel <> 'in_app' order by at, channel, outcome`,
      [reportId],
    )
  ).rows.map((r: { channel: string; outcome: string }) => `${r.channel}:${r.outcome}`);

describe('a life-safety report alerts the crisis team at once', () => {
  it('texts and calls Ms. Rivera within the request, records the refused e-mail as failed, and records it sent when the retry goes', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    mailServer.refusing = true;
    const created = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'He said he has a gun in his locker', school: d.schools.lincoln.id, category: 'weapon', urgency: 'life_safety' },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();

    // No worker runs in this test: all of this happened inside the request.
    const toRivera = sms.received.filter((m) => m.to === '+13035550101');
    expect(toRivera.map((m) => m.path).sort()).toEqual(['/Calls', '/Messages']);
    expect(toRivera.find((m) => m.path === '/Messages')?.body).toMatch(/LIFE-SAFETY report \(weapon\) at Lincoln Middle School/);
    expect(await outcomes(id)).toEqual(['email:failed', 'sms:sent', 'voice:sent']);
    const stored = await haven.deps.db.system.$client.query(
      `select status, attempts, last_error from outbox where purpose = 'report.alert' and kind = 'email' and district_id = $1`,
      [d.district.id],
    );
    expect(stored.rows).toEqual([{ status: 'pending', attempts: 1, last_error: '451: 451 Mailbox busy for [address]' }]);

    // The mail server is back; the outbox's retry 30 seconds later delivers it, once.
    mailServer.refusing = false;
    haven.clock.advance(retryDelaysMs[0]);
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.to === d.people.rivera.email && m.subject.includes('please acknowledge'))).toHaveLength(1);
    expect(await outcomes(id)).toEqual(['email:failed', 'sms:sent', 'voice:sent', 'email:sent']);
    await sendOutbox(haven.deps);
    expect(sms.received.filter((m) => m.to === '+13035550101')).toHaveLength(2);
  });
});

describe('an alert no longer needed is never sent late', () => {
  it('Ms. Rivera acknowledges while the refused e-mail waits for its retry: the retry is withdrawn and nobody gets "please acknowledge" an hour later', async () => {
    const d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    mailServer.refusing = true;
    const { id } = (
      await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { description: 'He said he has a gun in his locker', school: d.schools.lincoln.id, category: 'weapon', urgency: 'life_safety' },
      })
    ).json();
    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/acknowledge`, headers: rivera.headers })).statusCode).toBe(200);
    const stored = await haven.deps.db.system.$client.query(
      `select status from outbox where purpose = 'report.alert' and kind = 'email' and district_id = $1`,
      [d.district.id],
    );
    expect(stored.rows).toEqual([{ status: 'withdrawn' }]);

    mailServer.refusing = false;
    const before = mail.length;
    for (const wait of retryDelaysMs.slice(0, 3)) {
      haven.clock.advance(wait);
      await sendOutbox(haven.deps);
    }
    expect(mail.slice(before).filter((m) => m.to === d.people.rivera.email)).toEqual([]);
    // The administrator cannot send it again by mistake either.
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const [row] = (
      await haven.deps.db.system.$client.query(`select id from outbox where purpose = 'report.alert' and kind = 'email' and district_id = $1`, [d.district.id])
    ).rows;
    const retry = await haven.app.inject({ method: 'POST', url: `/api/v1/district/outbox/${row.id}/retry`, headers: whitfield.headers });
    expect(retry.statusCode).toBe(409);
    expect(retry.json().detail).toBe('This message is no longer needed: a person already took the report it was about.');
  });
});

describe('an alert reaches the on-call phone by Web Push', () => {
  it('pushes to the device Ms. Rivera turned alerts on for, in the request that stored the report', async () => {
    const pushService = await startPushService();
    try {
      const d = await createDistrict(haven.deps);
      await createCrisisTeams(haven.deps, d);
      const rivera = await signIn(haven.app, d.people.rivera.email);
      const phone = browserKeys();
      const endpoint = pushService.endpoint(201);
      const subscribed = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/me/push-subscriptions',
        headers: rivera.headers,
        payload: { endpoint, expirationTime: null, keys: { p256dh: phone.p256dh, auth: phone.auth }, label: 'Chrome on Android' },
      });
      expect(subscribed.statusCode, subscribed.body).toBe(201);
      const created = await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: {
          description: 'She wrote that she wants to die tonight',
          school: d.schools.lincoln.id,
          category: 'suicide_self_harm',
          urgency: 'life_safety',
        },
      });
      expect(created.statusCode).toBe(201);
      // No worker runs here: the push left inside the request.
      const pushed = pushService.received.filter((r) => endpoint.endsWith(r.path));
      expect(pushed).toHaveLength(1);
      expect(pushed[0]?.headers.topic).toBe(String(created.json().id).replaceAll('-', ''));
    } finally {
      await pushService.close();
    }
  });
});
