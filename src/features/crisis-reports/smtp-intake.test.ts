import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { addChannelForDistrict } from './inbound-channels.service.ts';
import { type EmailIntakeOptions, startEmailIntake } from './smtp-intake.ts';

/**
 * The SMTP listener is open to the Internet, so it must not be a way to exhaust Haven (size,
 * rate, connections), to read another person's report (a From address alone never continues
 * one), or to make Haven send mail to someone who wrote nothing (no answer when SPF fails).
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let other: Awaited<ReturnType<typeof createDistrict>>;
const address = 'help@smtp-a.test';
const otherAddress = 'help@smtp-b.test';

/** DNS for SPF, answered locally: forged.example allows only 192.0.2.1, good.example allows this machine. */
const spfRecords: Record<string, string> = {
  'forged.example': 'v=spf1 ip4:192.0.2.1 -all',
  'good.example': 'v=spf1 ip4:127.0.0.1 ip6:::1 -all',
};
async function spfResolver(domain: string, type: string) {
  const record = spfRecords[domain];
  if (type === 'TXT' && record) return [[record]];
  throw Object.assign(new Error(`no ${type} record for ${domain}`), { code: 'ENOTFOUND' });
}

const mailed: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mailed.push(m) } });
  d = await createDistrict(haven.deps);
  other = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  await addChannelForDistrict(haven.deps, d.district.id, 'email', address);
  await addChannelForDistrict(haven.deps, other.district.id, 'email', otherAddress);
});
afterAll(() => haven.close());

const sql = async (text: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(text, params)).rows;

async function answersTo(recipient: string) {
  const rows = await sql(
    `select district_id, purpose, message_encrypted from outbox where purpose in ('report.channel_answer', 'channel.unrouted_answer') order by created_at, id`,
  );
  return rows
    .map((r) => ({ districtId: r.district_id, purpose: r.purpose, ...JSON.parse(haven.deps.secrets.decrypt(r.message_encrypted)) }))
    .filter((m) => m.to === recipient);
}

async function withIntake<T>(options: Partial<EmailIntakeOptions>, work: (port: number) => Promise<T>): Promise<T> {
  const intake = await startEmailIntake(haven.deps, { port: 0, host: '127.0.0.1', spfResolver, ...options });
  try {
    return await work(intake.port);
  } finally {
    await intake.close();
  }
}

function send(port: number, mail: SendMailOptions, tls: { requireTLS?: boolean } = {}) {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ...(tls.requireTLS ? { requireTLS: true, tls: { rejectUnauthorized: false } } : { ignoreTLS: true }),
  });
  return transport.sendMail(mail);
}

/** A raw SMTP conversation, for what a mail library would not do (stream a huge message, open many connections). */
async function rawSession(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  let buffer = '';
  let wake: (() => void) | undefined;
  socket.on('data', (chunk) => {
    buffer += chunk.toString('latin1');
    wake?.();
  });
  socket.on('close', () => wake?.());
  socket.on('error', () => undefined);
  const response = async (): Promise<string> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const end = /^\d{3} .*\r\n/m.exec(buffer);
      if (end) {
        const upTo = end.index + end[0].length;
        const answer = buffer.slice(0, upTo);
        buffer = buffer.slice(upTo);
        return answer;
      }
      if (socket.destroyed || Date.now() > deadline) return buffer;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 200);
      });
    }
  };
  const command = (line: string) => {
    socket.write(`${line}\r\n`);
    return response();
  };
  const write = (data: string) => new Promise<void>((resolve) => (socket.write(data) ? resolve() : socket.once('drain', resolve)));
  return { greeting: await response(), command, write, response, close: () => socket.destroy() };
}

describe('size', () => {
  it('a message over the limit is refused with 552 as it streams in, nothing is stored, and the listener keeps answering', async () => {
    await withIntake({ maxBytes: 20_000 }, async (port) => {
      const smtp = await rawSession(port);
      const ehlo = await smtp.command('EHLO sender.example');
      expect(ehlo).toContain('SIZE 20000');
      expect(ehlo).not.toContain('STARTTLS'); // no certificate configured: not offered at all
      // A sender that declares the size is refused before sending anything.
      expect(await smtp.command('MAIL FROM:<big@good.example> SIZE=5000000')).toMatch(/^552/);
      expect(await smtp.command('MAIL FROM:<big@good.example>')).toMatch(/^250/);
      expect(await smtp.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      expect(await smtp.command('DATA')).toMatch(/^354/);
      await smtp.write('Subject: huge\r\n\r\nhuge message marker\r\n');
      const line = `${'x'.repeat(998)}\r\n`;
      for (let i = 0; i < 2000; i++) await smtp.write(line); // 2 MB, a hundred times the limit
      await smtp.write('.\r\n');
      expect(await smtp.response()).toMatch(/^552 .*larger than the 20 KB Haven takes/);
      // The same connection still works.
      expect(await smtp.command('MAIL FROM:<small@good.example>')).toMatch(/^250/);
      expect(await smtp.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      expect(await smtp.command('DATA')).toMatch(/^354/);
      expect(await smtp.command('Subject: small\r\n\r\nsmall message after a huge one\r\n.')).toMatch(/^250/);
      smtp.close();
      // And so do new ones.
      await send(port, { from: 'next@good.example', to: address, subject: 'next', text: 'and the next one' });
    });
    expect(await sql(`select count(*)::int as n from reports where description like '%huge message marker%'`)).toEqual([{ n: 0 }]);
    expect(await sql(`select count(*)::int as n from unrouted_messages where body like '%huge message marker%'`)).toEqual([{ n: 0 }]);
    expect(await sql(`select district_id from reports where description in ('small\n\nsmall message after a huge one', 'next\n\nand the next one')`)).toEqual([
      { district_id: d.district.id },
      { district_id: d.district.id },
    ]);
  });
});

describe('rate limits and connections', () => {
  it('over the per-sender and the global limit a sender is told to try later (4xx), and accepted again in the next minute', async () => {
    await withIntake({ perSenderPerMinute: 2, globalPerMinute: 4 }, async (port) => {
      const mail = (from: string, n: number) => ({ from, to: address, subject: `rate ${from} ${n}`, text: 'rate limit test' });
      await send(port, mail('busy@good.example', 1));
      await send(port, mail('busy@good.example', 2));
      await expect(send(port, mail('busy@good.example', 3))).rejects.toMatchObject({
        responseCode: 450,
        response: expect.stringMatching(/Too many messages from this sender; please try again in \d+ seconds/),
      });
      await send(port, mail('calm@good.example', 1));
      await send(port, mail('third@good.example', 1));
      await expect(send(port, mail('fourth@good.example', 1))).rejects.toMatchObject({
        responseCode: 451,
        response: expect.stringMatching(/Haven is receiving many messages right now/),
      });
      haven.clock.advance(60_000);
      await send(port, mail('busy@good.example', 4));
    });
    const stored = await sql(`select description from reports where description like 'rate %' order by description`);
    expect(stored.map((r) => r.description.split('\n')[0])).toEqual([
      'rate busy@good.example 1',
      'rate busy@good.example 2',
      'rate busy@good.example 4',
      'rate calm@good.example 1',
      'rate third@good.example 1',
    ]);
  });

  it('past the connection cap a new connection is told 421 and closed; the others carry on', async () => {
    await withIntake({ maxClients: 2 }, async (port) => {
      const first = await rawSession(port);
      const second = await rawSession(port);
      const third = await rawSession(port);
      expect(first.greeting).toMatch(/^220 /);
      expect(second.greeting).toMatch(/^220 /);
      expect(third.greeting).toMatch(/^421 .*Too many connected clients/);
      expect(await first.command('EHLO sender.example')).toMatch(/^250/);
      for (const session of [first, second, third]) session.close();
    });
  });

  it('refuses delivery notices (empty sender) and a second recipient in one message', async () => {
    await withIntake({}, async (port) => {
      const smtp = await rawSession(port);
      await smtp.command('EHLO sender.example');
      expect(await smtp.command('MAIL FROM:<>')).toMatch(/^550 .*delivery notices are not accepted/);
      expect(await smtp.command('MAIL FROM:<someone@good.example>')).toMatch(/^250/);
      expect(await smtp.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      expect(await smtp.command(`RCPT TO:<${otherAddress}>`)).toMatch(/^452 .*One recipient per message/);
      smtp.close();
    });
  });
});

describe('STARTTLS', () => {
  it('is offered with a certificate and key, and a sender that requires TLS delivers over it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-smtp-tls-'));
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-subj',
        '/CN=localhost',
        '-days',
        '1',
      ],
      {
        stdio: 'ignore',
      },
    );
    // The settings that name the files are checked at start.
    const config = loadConfig({ HAVEN_SMTP_INTAKE_PORT: '2525', HAVEN_SMTP_TLS_CERT: certFile, HAVEN_SMTP_TLS_KEY: keyFile });
    expect(config.smtpTls).toEqual({ certFile, keyFile });
    expect(() => loadConfig({ HAVEN_SMTP_TLS_CERT: certFile })).toThrow(/HAVEN_SMTP_TLS_CERT and HAVEN_SMTP_TLS_KEY: set both/);
    expect(() => loadConfig({ HAVEN_SMTP_TLS_CERT: certFile, HAVEN_SMTP_TLS_KEY: path.join(dir, 'missing.pem') })).toThrow(/HAVEN_SMTP_TLS_KEY: cannot read/);

    await withIntake({ tls: { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } }, async (port) => {
      const smtp = await rawSession(port);
      expect(await smtp.command('EHLO sender.example')).toContain('STARTTLS');
      expect(await smtp.command('STARTTLS')).toMatch(/^220/);
      smtp.close();
      await send(port, { from: 'secure@good.example', to: address, subject: 'over TLS', text: 'sent encrypted' }, { requireTLS: true });
    });
    expect(await sql(`select district_id from reports where description = 'over TLS\n\nsent encrypted'`)).toEqual([{ district_id: d.district.id }]);
  });
});

describe('continuing a report by e-mail', () => {
  it('needs the follow-up code (the answer carries it in its subject); the same From address without it starts a new report', async () => {
    await withIntake({}, async (port) => {
      await send(port, { from: 'parent@good.example', to: address, subject: 'Worried about my daughter', text: 'She has not eaten in days.' });
      const [answer] = await answersTo('parent@good.example');
      const code = /follow-up code ([0-9A-Z-]{14})$/.exec(answer.subject)?.[1] as string;
      expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      // A plain reply keeps the subject, and with it the code.
      await send(port, { from: 'parent@good.example', to: address, subject: `Re: ${answer.subject}`, text: 'She is in 8th grade.' });
      // Without the code, even from the same address: a new report, not someone's conversation.
      await send(port, { from: 'parent@good.example', to: address, subject: 'Another thing', text: 'no code in this one' });
      // The code sent to another district's address does not reach this district's report.
      await send(port, { from: 'parent@good.example', to: otherAddress, subject: `Re: ${answer.subject}`, text: 'wrong district' });

      const [first] = await sql(`select id from reports where description = 'Worried about my daughter\n\nShe has not eaten in days.'`);
      const added = await sql(`select m.report_id, m.body from report_messages m where m.direction = 'from_reporter' and m.body like '%8th grade%'`);
      expect(added).toEqual([{ report_id: first.id, body: expect.stringContaining('She is in 8th grade.') }]);
      expect(await sql(`select district_id from reports where description = 'Another thing\n\nno code in this one'`)).toEqual([{ district_id: d.district.id }]);
      expect(await sql(`select district_id from reports where description like '%wrong district'`)).toEqual([{ district_id: other.district.id }]);
      const answers = await answersTo('parent@good.example');
      expect(answers.map((m) => m.text.split('.')[0])).toEqual([
        'Haven: we received your report',
        'Haven: we added your message to your report',
        'Haven: we received your report',
        'Haven: we received your report',
      ]);
      expect(answers[1].subject).toBe(`Your report to Haven - follow-up code ${code}`);
    });
  });
});

describe("answering the team's e-mail", () => {
  it("Ms. Whitfield's message carries a reference in its subject; the reporter's reply continues the report, the same subject from another address does not", async () => {
    await withIntake({}, async (port) => {
      await send(port, { from: 'aunt@good.example', to: address, subject: 'My nephew', text: 'He says nobody would miss him.' });
      const [report] = await sql(`select id from reports where description = 'My nephew

He says nobody would miss him.'`);
      const whitfield = await signIn(haven.app, d.people.whitfield.email);
      const sent = await haven.app.inject({
        method: 'POST',
        url: `/api/v1/reports/${report.id}/messages`,
        headers: whitfield.headers,
        payload: { body: 'Thank you. Which school does he go to?', direction: 'to_reporter' },
      });
      expect(sent.statusCode, sent.body).toBeLessThan(300);
      const reply = mailed.find((m) => m.to === 'aunt@good.example') as Mail;
      expect(reply.subject).toMatch(/^A message about your report - reference [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(reply.text).toContain('keep the reference in the subject');

      await send(port, { from: 'aunt@good.example', to: address, subject: `Re: ${reply.subject}`, text: 'Lincoln Middle School, 7th grade.' });
      await send(port, { from: 'stranger@good.example', to: address, subject: `Re: ${reply.subject}`, text: 'Trying to join in.' });
      const added = await sql(`select report_id from report_messages where direction = 'from_reporter' and body like '%7th grade%'`);
      expect(added).toEqual([{ report_id: report.id }]);
      expect(await sql(`select count(*)::int as n from report_messages where body like '%Trying to join in%'`)).toEqual([{ n: 0 }]);
      expect(await sql(`select count(*)::int as n from reports where description like '%Trying to join in.'`)).toEqual([{ n: 1 }]);
    });
  });
});

describe('SPF', () => {
  it('a sender whose domain does not allow this server gets no automatic answer, but the report is stored; a passing one does', async () => {
    await withIntake({}, async (port) => {
      await send(port, { from: 'victim@forged.example', to: address, subject: 'forged', text: 'possibly forged sender' });
      await send(port, { from: 'victim@forged.example', to: 'nobody@unknown-district.test', subject: 'forged', text: 'forged to nowhere' });
      await send(port, { from: 'real@good.example', to: 'nobody@unknown-district.test', subject: 'lost', text: 'to an address no district owns' });
    });
    expect(await sql(`select district_id from reports where description = 'forged\n\npossibly forged sender'`)).toEqual([{ district_id: d.district.id }]);
    expect(await sql(`select count(*)::int as n from unrouted_messages where body = 'forged\n\nforged to nowhere'`)).toEqual([{ n: 1 }]);
    expect(await answersTo('victim@forged.example')).toEqual([]);
    expect(await answersTo('real@good.example')).toEqual([
      expect.objectContaining({
        districtId: null,
        purpose: 'channel.unrouted_answer',
        subject: 'Your message to Haven',
        text: expect.stringMatching(/not yet connected.*988/),
      }),
    ]);
  });
});
