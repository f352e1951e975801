import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Command } from 'commander';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { testSecretKeyHex } from '../../../test/support/secrets.ts';
import { connectDatabases } from '../../platform/db/client.ts';
import { HttpProblem } from '../../platform/errors.ts';
import { smsSignature } from '../../platform/notify/sms.ts';
import { receiveFromChannel } from './channel-intake.service.ts';
import { registerChannelCommands } from './channels.cli.ts';
import { addChannelForDistrict } from './inbound-channels.service.ts';
import { replaySpooledReports } from './intake.service.ts';
import { startEmailIntake } from './smtp-intake.ts';

// These tests start the `haven` command, which compiles its TypeScript as it starts: a few seconds
// on a quiet machine, far more on a busy CI runner. A slow start is not a failure.
vi.setConfig({ testTimeout: 180_000 });

/**
 * Decision 27: each district owns its numbers and addresses; a text or e-mail goes to the district
 * that owns the one it was sent to, and one sent to a number or address no district owns is held
 * for the platform operator, never given to a district by guess, not even after a spool replay.
 */

const authToken = 'channels-test-token-0001';
const operator = 'operator@haven.test';
let haven: TestHaven;
let a: Awaited<ReturnType<typeof createDistrict>>;
let b: Awaited<ReturnType<typeof createDistrict>>;
const numbers = { a: '+17205550001', b: '+17205550002', unknown: '+17205559999' };
const addresses = { a: 'help@a-district.test', b: 'help@b-district.test' };

beforeAll(async () => {
  haven = await startTestHaven({ smsAuthToken: authToken });
  haven.deps.settings.operatorEmail = operator;
  a = await createDistrict(haven.deps); // the older district: the old fallback would have chosen it
  b = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, a);
  await createCrisisTeams(haven.deps, b);
  await addChannelForDistrict(haven.deps, a.district.id, 'sms', numbers.a);
  await addChannelForDistrict(haven.deps, a.district.id, 'email', addresses.a);
  const admin = await signIn(haven.app, b.people.whitfield.email);
  for (const [kind, address] of [
    ['sms', '+1 (720) 555-0002'],
    ['email', 'Help@B-District.test'],
  ]) {
    const added = await haven.app.inject({ method: 'POST', url: '/api/v1/district/channels', headers: admin.headers, payload: { kind, address } });
    expect(added.statusCode, added.body).toBe(201);
  }
});
afterAll(() => haven.close());

const sql = async (text: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(text, params)).rows;

function text(params: Record<string, string>) {
  return haven.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms',
    payload: new URLSearchParams(params).toString(),
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': smsSignature(authToken, 'http://haven.test/api/v1/channels/sms', params),
    },
  });
}

const noSpf = async () => {
  throw Object.assign(new Error('no such record'), { code: 'ENOTFOUND' });
};

/** Messages in the outbox, decrypted, in the order they were queued. */
async function outbox(purpose: string) {
  const rows = await sql('select district_id, message_encrypted from outbox where purpose = $1 order by created_at, id', [purpose]);
  return rows.map((r) => ({ districtId: r.district_id as string | null, ...JSON.parse(haven.deps.secrets.decrypt(r.message_encrypted)) }));
}

const districtOf = async (description: string) =>
  (await sql('select district_id from reports where description = $1', [description])).map((r) => r.district_id);

describe('routing by the number or address a message was sent to', () => {
  it('each district receives texts and e-mail at its own number and address, whatever the message says', async () => {
    expect((await text({ From: '+13035550111', To: numbers.a, Body: `text for A, naming ${b.district.slug}` })).statusCode).toBe(200);
    expect((await text({ From: '+13035550112', To: numbers.b, Body: `text for B, naming ${a.district.slug}` })).statusCode).toBe(200);
    const intake = await startEmailIntake(haven.deps, { port: 0, host: '127.0.0.1', spfResolver: noSpf });
    try {
      const sender = nodemailer.createTransport({ host: '127.0.0.1', port: intake.port, secure: false, ignoreTLS: true });
      await sender.sendMail({ from: 'parent.one@example.org', to: 'HELP@A-District.test', subject: 'mail for A', text: 'first' });
      await sender.sendMail({ from: 'parent.two@example.org', to: addresses.b, subject: 'mail for B', text: 'second' });
    } finally {
      await intake.close();
    }
    expect(await districtOf(`text for A, naming ${b.district.slug}`)).toEqual([a.district.id]);
    expect(await districtOf(`text for B, naming ${a.district.slug}`)).toEqual([b.district.id]);
    expect(await districtOf('mail for A\n\nfirst')).toEqual([a.district.id]);
    expect(await districtOf('mail for B\n\nsecond')).toEqual([b.district.id]);
  });

  it("a sender's next text continues their open report only in the district of the number they texted", async () => {
    const from = '+13035550177';
    await text({ From: from, To: numbers.a, Body: 'my brother is scared to go to school' });
    const toOther = await text({ From: from, To: numbers.b, Body: 'a different worry for another district' });
    expect(toOther.body).toMatch(/we received your report.*follow-up code/);
    expect(await districtOf('a different worry for another district')).toEqual([b.district.id]);
    const again = await text({ From: from, To: numbers.a, Body: 'he is in 7th grade' });
    expect(again.body).toContain('we added your message to your report');
    const messages = await sql(
      `select r.district_id from report_messages m join reports r on r.id = m.report_id where m.body = 'he is in 7th grade' and m.direction = 'from_reporter'`,
    );
    expect(messages).toEqual([{ district_id: a.district.id }]);
  });
});

describe('a message to a number or address no district owns', () => {
  it('is stored, answered with 911 and 988 in the sender’s language, held for the operator, and in no district’s reports', async () => {
    const reportsBefore = (await sql('select count(*)::int as n from reports'))[0].n;
    const english = await text({ From: '+13035550140', To: numbers.unknown, Body: 'someone at my school has a knife' });
    expect(english.statusCode).toBe(200);
    expect(english.body).toMatch(/not yet connected to a school.*911.*988/);
    expect(english.body).not.toMatch(/follow-up code/);
    const spanish = await text({ From: '+13035550141', To: numbers.unknown, Body: 'mi amiga tiene miedo de ir a la escuela' });
    expect(spanish.body).toMatch(/aún no está conectado a una escuela.*911.*988/);
    expect((await sql('select count(*)::int as n from reports'))[0].n).toBe(reportsBefore);

    const held = await sql(`select kind, to_address, from_encrypted, language from unrouted_messages where body = 'someone at my school has a knife'`);
    expect(held).toMatchObject([{ kind: 'sms', to_address: numbers.unknown, language: 'en' }]);
    expect(held[0].from_encrypted).not.toContain('3035550140');
    // The operator is told where, and what to do, without the words or the sender.
    const notices = await outbox('channel.unrouted_notice');
    expect(notices.length).toBeGreaterThanOrEqual(2);
    for (const notice of notices) {
      expect(notice).toMatchObject({ districtId: null, kind: 'email', to: operator });
      expect(notice.text).toContain(numbers.unknown);
      expect(notice.text).toContain('npx haven channel route');
      expect(notice.text).not.toMatch(/knife|miedo|3035550140|3035550141/);
    }
  });

  it('after a channel is removed in District settings, its messages are held rather than routed; removal is audited', async () => {
    const admin = await signIn(haven.app, b.people.whitfield.email);
    await addChannelForDistrict(haven.deps, b.district.id, 'sms', '+17205550003');
    const list = (await haven.app.inject({ method: 'GET', url: '/api/v1/district/channels', headers: admin.headers })).json();
    expect(list.map((c: { address: string }) => c.address)).toEqual(['help@b-district.test', '+17205550002', '+17205550003']);
    const spare = list.find((c: { address: string }) => c.address === '+17205550003');
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/district/channels/${spare.id}`, headers: admin.headers })).statusCode).toBe(204);
    await text({ From: '+13035550150', To: '+17205550003', Body: 'sent after the number was removed' });
    expect(await districtOf('sent after the number was removed')).toEqual([]);
    expect(await sql(`select to_address from unrouted_messages where body = 'sent after the number was removed'`)).toEqual([{ to_address: '+17205550003' }]);
    const audit = await sql(`select action, actor_user_id, detail from audit_events where district_id = $1 and action like 'channel.%' order by sequence`, [
      b.district.id,
    ]);
    expect(audit.map((e) => [e.action, e.detail.address])).toEqual([
      ['channel.added', '+17205550002'],
      ['channel.added', 'help@b-district.test'],
      ['channel.added', '+17205550003'],
      ['channel.removed', '+17205550003'],
    ]);
    expect(audit[3].actor_user_id).toBe(b.people.whitfield.id);
  });
});

describe('District settings: the district’s numbers and addresses', () => {
  it('refuses a number not in E.164 and another district’s number (without naming it), in English and Spanish', async () => {
    const admin = await signIn(haven.app, b.people.whitfield.email);
    const add = (payload: Record<string, string>, language = 'en') =>
      haven.app.inject({ method: 'POST', url: '/api/v1/district/channels', headers: { ...admin.headers, 'accept-language': language }, payload });
    const local = await add({ kind: 'sms', address: '720-555-0100' });
    expect(local.statusCode).toBe(400);
    expect(local.json().detail).toMatch(/not a phone number in E\.164 form.*\+17205550100/);
    expect((await add({ kind: 'sms', address: '720-555-0100' }, 'es')).json().detail).toMatch(/no es un número en formato E\.164/);
    const taken = await add({ kind: 'sms', address: numbers.a });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().detail).toBe('This number already belongs to another district.');
    expect(taken.body).not.toContain(a.district.slug);
    const takenEmail = await add({ kind: 'email', address: 'HELP@a-district.test' }, 'es');
    expect([takenEmail.statusCode, takenEmail.json().detail]).toEqual([409, 'Esta dirección ya pertenece a otro distrito.']);
    const mine = await add({ kind: 'sms', address: numbers.b });
    expect([mine.statusCode, mine.json().detail]).toEqual([409, '+17205550002 is already set up for this district.']);
    expect((await add({ kind: 'fax', address: '1' })).statusCode).toBe(400);
    expect((await add({ kind: 'email', address: 'not an address' })).json().detail).toMatch(/is not an e-mail address/);
  });

  it('is only for district administrators; other districts’ channels are never listed', async () => {
    const counselor = await signIn(haven.app, b.people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/district/channels', headers: counselor.headers })).statusCode).toBe(404);
    const post = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/district/channels',
      headers: counselor.headers,
      payload: { kind: 'sms', address: '+17205550044' },
    });
    expect(post.statusCode).toBe(404);
    const adminA = await signIn(haven.app, a.people.whitfield.email);
    const listA = (await haven.app.inject({ method: 'GET', url: '/api/v1/district/channels', headers: adminA.headers })).json();
    expect(listA.map((c: { address: string }) => c.address).sort()).toEqual([numbers.a, addresses.a].sort());
    // A's administrator cannot remove B's number by its id.
    const [bNumber] = await sql(`select id from inbound_channels where address = $1`, [numbers.b]);
    expect((await haven.app.inject({ method: 'DELETE', url: `/api/v1/district/channels/${bNumber.id}`, headers: adminA.headers })).statusCode).toBe(404);
    expect(await sql(`select address from inbound_channels where id = $1`, [bNumber.id])).toHaveLength(1);
  });
});

describe('with the database down at intake', () => {
  it('a spooled text or e-mail is placed by the address it was sent to on replay, or held; never given to the oldest district', async () => {
    const dead = connectDatabases({ maintenanceUrl: 'postgres://nobody:x@127.0.0.1:1/none', appUrl: 'postgres://nobody:x@127.0.0.1:1/none' });
    const offline = { ...haven.deps, db: dead };
    const toB = await receiveFromChannel(offline, { kind: 'sms', to: numbers.b, from: '+13035550160', text: 'spooled text for B' });
    const toNobody = await receiveFromChannel(offline, { kind: 'sms', to: numbers.unknown, from: '+13035550161', text: 'spooled text for nobody' });
    const mailToB = await receiveFromChannel(offline, { kind: 'email', to: addresses.b, from: 'spooled@example.org', text: 'spooled mail for B' });
    await dead.close();
    expect([toB.outcome, toNobody.outcome, mailToB.outcome]).toEqual(['received', 'received', 'received']);
    expect(toB.answer).toMatch(/follow-up code/);
    expect(haven.deps.reportSpool.pending()).toBe(3);

    expect(await replaySpooledReports(haven.deps)).toBe(3);
    expect(await districtOf('spooled text for B')).toEqual([b.district.id]);
    expect(await districtOf('spooled mail for B')).toEqual([b.district.id]);
    expect(await districtOf('spooled text for nobody')).toEqual([]);
    expect(await sql(`select to_address from unrouted_messages where body = 'spooled text for nobody'`)).toEqual([{ to_address: numbers.unknown }]);
    // The e-mail's answer, with its code, was sealed into the spooled report and queued when it was stored.
    const code = /follow-up code: ([0-9A-Z-]{14})\./.exec(mailToB.answer)?.[1];
    expect((await outbox('report.channel_answer')).filter((m) => m.to === 'spooled@example.org')).toEqual([
      expect.objectContaining({ districtId: b.district.id, subject: `Your report to Haven - follow-up code ${code}` }),
    ]);
    // A second replay adds nothing.
    expect(await replaySpooledReports(haven.deps)).toBe(0);
    expect(await sql(`select count(*)::int as n from unrouted_messages where body = 'spooled text for nobody'`)).toEqual([{ n: 1 }]);
  });
});

/**
 * A `haven channel` command, parsed and run in this process exactly as `src/cli/main.ts` runs it
 * (same commands, same error handling), against this test's Haven: spawning the CLI costs seconds.
 */
async function cli(...args: string[]) {
  const lines: string[] = [];
  let code = 0;
  const program = new Command('haven').exitOverride().configureOutput({ writeErr: (line) => lines.push(line), writeOut: (line) => lines.push(line) });
  registerChannelCommands(program, {
    print: (line) => lines.push(`${line}\n`),
    withRuntime: async (work) =>
      (await work({ deps: haven.deps, ownerUrl: haven.ownerUrl, appUrl: haven.appUrl, embedded: false, close: async () => undefined })) ?? 0,
    exit: (exitCode) => {
      code = exitCode;
    },
  });
  try {
    await program.parseAsync(['node', 'haven', ...args]);
  } catch (error) {
    if (!(error instanceof HttpProblem)) throw error;
    lines.push(`${error.detail}\n`);
    code = 2;
  }
  return { code, out: lines.join('') };
}

describe('the operator’s commands', () => {
  it('are part of the installed `haven` command, against the same database', async () => {
    const { stdout } = await promisify(execFile)('node', ['bin/haven.js', 'channel', 'list', '--district', a.district.slug], {
      env: { ...process.env, DATABASE_URL: haven.ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    expect(stdout).toContain(`${a.district.slug}\tsms\t${numbers.a}\n`);
  }, 120_000);

  it('channel add / list / remove, with clear refusals', async () => {
    expect(await cli('channel', 'add', 'sms', '7205550300', '--district', a.district.slug)).toMatchObject({
      code: 2,
      out: expect.stringMatching(/not a phone number in E\.164 form/),
    });
    expect(await cli('channel', 'add', 'sms', numbers.b, '--district', a.district.slug)).toEqual({
      code: 2,
      out: 'This number already belongs to another district.\n',
    });
    expect(await cli('channel', 'add', 'email', 'Reports@A-District.test', '--district', a.district.slug)).toEqual({
      code: 0,
      out: `${a.district.slug} now receives e-mail reports at reports@a-district.test.\n`,
    });
    const listed = await cli('channel', 'list', '--district', a.district.slug);
    expect(listed.out.trim().split('\n')).toEqual([
      `${a.district.slug}\temail\thelp@a-district.test`,
      `${a.district.slug}\temail\treports@a-district.test`,
      `${a.district.slug}\tsms\t${numbers.a}`,
    ]);
    expect(await cli('channel', 'remove', 'reports@a-district.test')).toEqual({ code: 0, out: 'Removed reports@a-district.test.\n' });
    expect((await cli('channel', 'remove', 'reports@a-district.test')).code).toBe(2);
  });

  it('channel held lists what waits; route makes it a report in the district named and tells the sender; close needs a note', async () => {
    await text({ From: '+13035550190', To: '+17205550777', Body: 'my friend at school said goodbye to everyone' });
    await text({ From: '+13035550191', To: '+17205550777', Body: 'win a free phone' });
    const [meant] = await sql(`select id from unrouted_messages where body = 'my friend at school said goodbye to everyone'`);
    const [spam] = await sql(`select id from unrouted_messages where body = 'win a free phone'`);
    const held = await cli('channel', 'held');
    expect(held.out).toMatch(new RegExp(`${meant.id}\\t.*\\tsms\\tto \\+17205550777\\ten\\tmy friend at school said goodbye to everyone`));
    expect(held.out).toContain(spam.id);
    expect(held.out).not.toContain('3035550190'); // the sender stays sealed

    const routed = await cli('channel', 'route', meant.id, '--district', b.district.slug);
    expect(routed.code, routed.out).toBe(0);
    const [report] = await sql(`select id, district_id, channel, urgency from reports where description = 'my friend at school said goodbye to everyone'`);
    expect(report).toMatchObject({ district_id: b.district.id, channel: 'sms' });
    expect(routed.out).toContain(report.id);
    const told = (await outbox('report.channel_answer')).filter((m) => m.to === '+13035550190');
    expect(told).toEqual([
      { districtId: b.district.id, kind: 'sms', to: '+13035550190', text: expect.stringMatching(/reached a school team.*follow-up code.*988/) },
    ]);
    expect(await sql(`select from_encrypted, report_id, routed_to_district_id from unrouted_messages where id = $1`, [meant.id])).toEqual([
      { from_encrypted: '', report_id: report.id, routed_to_district_id: b.district.id },
    ]);
    expect((await cli('channel', 'route', meant.id, '--district', b.district.slug)).out).toMatch(/already routed/);

    expect((await cli('channel', 'close', spam.id, '--note', ' ')).code).toBe(2);
    expect(await cli('channel', 'close', spam.id, '--note', 'spam')).toEqual({ code: 0, out: `Closed ${spam.id}.\n` });
    const after = await cli('channel', 'held');
    expect(after.out).not.toContain(meant.id);
    expect(after.out).not.toContain(spam.id);
  });
});
