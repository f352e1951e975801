import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { startSmsReceiver } from '../../../test/support/sms-receiver.ts';
import { startSmtpListener } from '../../../test/support/smtp.ts';
import { createMailer } from '../../platform/mail/mailer.ts';
import { createHttpSmsSender, smsSignature } from '../../platform/notify/sms.ts';
import { addChannelForDistrict } from './inbound-channels.service.ts';
import { startEmailIntake } from './smtp-intake.ts';

const authToken = 'test-auth-token-12345';
let haven: TestHaven;
let smsProvider: Awaited<ReturnType<typeof startSmsReceiver>>;
let outbox: Awaited<ReturnType<typeof startSmtpListener>>;
let d: Awaited<ReturnType<typeof createDistrict>>;

beforeAll(async () => {
  smsProvider = await startSmsReceiver();
  outbox = await startSmtpListener();
  haven = await startTestHaven({
    smsAuthToken: authToken,
    sms: createHttpSmsSender({ url: smsProvider.url, voiceUrl: smsProvider.voiceUrl, account: 'AC123', authToken, from: '+17205550000' }),
    mailer: createMailer({ smtpUrl: outbox.url, from: 'Haven <reports@haven.test>', environment: 'test', log: () => undefined }),
  });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  await addChannelForDistrict(haven.deps, d.district.id, 'sms', '+17205550000');
  await addChannelForDistrict(haven.deps, d.district.id, 'email', 'help@haven.test');
});
afterAll(async () => {
  await haven.close();
  await smsProvider.close();
  await outbox.close();
});

function textMessage(params: Record<string, string>, signature = smsSignature(authToken, 'http://haven.test/api/v1/channels/sms', params)) {
  return haven.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms',
    payload: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  });
}

describe('the SMS channel', () => {
  it('a signed text becomes a report, the answer carries a follow-up code, and the conversation continues', async () => {
    const first = await textMessage({
      From: '+17205551234',
      To: '+17205550000',
      Body: `my friend at ${d.district.slug} says he will hurt himself tonight`,
      MessageSid: 'SM1',
    });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/xml/);
    expect(first.body).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>Haven: we received your report\..*follow-up code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\..*988/,
    );
    const second = await textMessage({ From: '+17205551234', To: '+17205550000', Body: 'his name is Jonah', MessageSid: 'SM2' });
    expect(second.body).toContain('we added your message to your report');
    const { rows } = await haven.deps.db.system.$client.query(
      `select r.id, r.channel, r.urgency, (select count(*)::int from report_messages m where m.report_id = r.id and m.direction = 'from_reporter') as messages from reports r where r.channel = 'sms'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ urgency: 'life_safety', messages: 1 });

    // The team answers by text, through the provider; closing the report forgets the number.
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${rows[0].id}/messages`,
      headers: whitfield.headers,
      payload: { body: 'Thank you. Is he at school today?', direction: 'to_reporter' },
    });
    expect(smsProvider.received.at(-1)).toMatchObject({ to: '+17205551234', from: '+17205550000', body: 'Thank you. Is he at school today?' });
    expect(smsProvider.received.at(-1)?.authorization).toBe(`Basic ${Buffer.from(`AC123:${authToken}`).toString('base64')}`);
    await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${rows[0].id}/close`, headers: whitfield.headers, payload: { disposition: 'resolved' } });
    const after = await haven.deps.db.system.$client.query('select reply_address_encrypted, reply_address_hash from reports where id = $1', [rows[0].id]);
    expect(after.rows[0]).toEqual({ reply_address_encrypted: null, reply_address_hash: null });
  });

  it('a bad signature gets 403 and stores nothing', async () => {
    const before = (await haven.deps.db.system.$client.query('select count(*)::int as n from reports')).rows[0].n;
    const forged = await textMessage({ From: '+17205559999', To: '+17205550000', Body: 'fake' }, 'bm90LWEtc2lnbmF0dXJl');
    expect(forged.statusCode).toBe(403);
    expect((await haven.deps.db.system.$client.query('select count(*)::int as n from reports')).rows[0].n).toBe(before);
  });
});

describe('alerting by text and by phone call', () => {
  it('a life-safety report texts and calls the on-call counselor; the text holds no report details', async () => {
    const before = smsProvider.received.length;
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'Jonah brought a gun, he is in room 12', school: d.schools.lincoln.id, category: 'weapon', urgency: 'life_safety' },
    });
    const deadline = Date.now() + 5000;
    while (smsProvider.received.length < before + 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const sent = smsProvider.received.slice(before).filter((m) => m.to === '+13035550101');
    expect(sent.map((m) => m.path).sort()).toEqual(['/Calls', '/Messages']);
    const text = sent.find((m) => m.path === '/Messages')?.body ?? '';
    expect(text).toMatch(/^Haven: LIFE-SAFETY report \(weapon\) at Lincoln Middle School/);
    expect(text).not.toContain('Jonah');
    expect(sent.find((m) => m.path === '/Calls')?.twiml).toMatch(/^<Response><Say>This is Haven\. A life-safety report at Lincoln Middle School/);
  });
});

describe('the e-mail channel', () => {
  it("a message to the district's address becomes a report there; the answer, with the code in its subject, goes to the outbox", async () => {
    // No SPF record anywhere: no verdict, so the answer is sent (and no test looks up real DNS).
    const noSpf = async () => {
      throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
    };
    const intake = await startEmailIntake(haven.deps, { port: 0, host: '127.0.0.1', spfResolver: noSpf });
    try {
      const sender = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
      await sender.sendMail({
        from: 'worried.parent@example.org',
        to: 'help@haven.test',
        subject: 'Bullying at Lincoln',
        text: 'My son is afraid to go to school because of older kids.',
      });
      const { rows } = await haven.deps.db.system.$client.query(`select description, channel, district_id from reports where channel = 'email'`);
      expect(rows).toEqual([
        { description: 'Bullying at Lincoln\n\nMy son is afraid to go to school because of older kids.', channel: 'email', district_id: d.district.id },
      ]);
      const queued = await haven.deps.db.system.$client.query(`select district_id, message_encrypted from outbox where purpose = 'report.channel_answer'`);
      const answers = queued.rows.map((r) => ({ districtId: r.district_id, ...JSON.parse(haven.deps.secrets.decrypt(r.message_encrypted)) }));
      expect(answers).toEqual([
        {
          districtId: d.district.id,
          kind: 'email',
          to: 'worried.parent@example.org',
          subject: expect.stringMatching(/^Your report to Haven - follow-up code [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
          text: expect.stringMatching(/follow-up code: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}\..*988/s),
        },
      ]);
    } finally {
      await intake.close();
    }
  });
});

describe('live alerts', () => {
  it("the on-call member's open stream receives the alert for a new report", async () => {
    const url = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const controller = new AbortController();
    const stream = await fetch(`${url}/api/v1/alerts/stream`, { headers: { cookie: rivera.headers.cookie }, signal: controller.signal });
    expect(stream.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let seen = '';
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 5000;
      while (!seen.includes(needle) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        seen += decoder.decode(value);
      }
      return seen.includes(needle);
    };
    expect(await readUntil('event: ready')).toBe(true);
    const sentAt = Date.now();
    const created = await fetch(`${url}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'Threat posted online about tomorrow', school: d.schools.lincoln.id, category: 'harm_to_others', urgency: 'urgent' }),
    });
    const { id } = await created.json();
    expect(await readUntil(id)).toBe(true);
    expect(seen).toContain('event: report.alert');
    expect(Date.now() - sentAt).toBeLessThan(2000);
    controller.abort();
  });
});
