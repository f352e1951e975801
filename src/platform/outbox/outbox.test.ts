import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { startWorker } from '../../jobs/worker.ts';
import { withTenant } from '../db/client.ts';
import { createMailer } from '../mail/mailer.ts';
import { maxAttempts, retryDelaysMs } from './outbox.rules.ts';
import { drainOutbox, purgeSettledOutbox, sendNow } from './outbox.sender.ts';
import { enqueueMessage, type OutboxMessage } from './outbox.ts';

/**
 * Issue 15, "mail and texts are never silently lost": every message waits in the outbox until a
 * real SMTP server has taken it, is retried with backoff while the server refuses, and once it is
 * given up it is listed for the district's administrators.
 */

/** A real SMTP server on a local port that refuses mail (451, try later) while `refusing` is set. */
async function startFickleSmtp() {
  const received: { to: string[]; raw: string }[] = [];
  const state: { refusing: boolean; whileReceiving?: (() => Promise<unknown>) | undefined } = { refusing: true };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (!state.refusing) return callback();
      callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        await state.whileReceiving?.();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `smtp://127.0.0.1:${port}`, received, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

let smtp: Awaited<ReturnType<typeof startFickleSmtp>>;
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
const logged: string[] = [];
beforeAll(async () => {
  smtp = await startFickleSmtp();
  haven = await startTestHaven({ mailer: createMailer({ smtpUrl: smtp.url, from: 'Haven <no-reply@haven.test>', environment: 'test', log: () => undefined }) });
  d = await createDistrict(haven.deps);
});
afterAll(async () => {
  await haven.close();
  await smtp.close();
});

const log = (line: string) => void logged.push(line);
const drain = () => drainOutbox(haven.deps, { log });
const row = async (id: string) =>
  (await haven.deps.db.system.$client.query('select status, attempts, last_error, message_encrypted, sent_at from outbox where id = $1', [id])).rows[0];
const mailTo = (to: string) => smtp.received.filter((m) => m.to.includes(to));
const enqueue = (message: OutboxMessage, options: { sendAfterCommit?: boolean } = {}) =>
  withTenant(haven.deps.db.app, { districtId: d.district.id }, (tx) =>
    enqueueMessage(haven.deps, tx, { districtId: d.district.id, message, purpose: 'case.task_due', ...options }),
  );
const mail = (to: string): OutboxMessage => ({ kind: 'email', to, subject: 'Haven: a case task is due', text: 'Maya Torres: open the case.' });

describe('a message the mail server refuses', () => {
  it('is retried after 30 seconds and delivered exactly once when the server takes it', async () => {
    smtp.state.refusing = true;
    const id = await enqueue(mail('retry.once@example.org'));

    expect(await drain()).toBe(1);
    expect(mailTo('retry.once@example.org')).toHaveLength(0);
    const refused = await row(id);
    expect(refused).toMatchObject({ status: 'pending', attempts: 1 });
    expect(refused.last_error).toMatch(/451/);
    expect(refused.last_error).not.toContain('retry.once');

    // Not before its time: the backoff is 30 seconds.
    smtp.state.refusing = false;
    expect(await drain()).toBe(0);
    haven.clock.advance(retryDelaysMs[0]);
    expect(await drain()).toBe(1);
    expect(mailTo('retry.once@example.org')).toHaveLength(1);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2, message_encrypted: '' });
    expect(sent.sent_at).not.toBeNull();

    haven.clock.advance(3_600_000);
    await drain();
    expect(mailTo('retry.once@example.org')).toHaveLength(1);
  });

  it('is sent by the background worker without anyone asking', async () => {
    smtp.state.refusing = false;
    await enqueue(mail('by.worker@example.org'));
    const worker = startWorker(haven.deps, { intervalMs: 50 });
    try {
      const deadline = Date.now() + 5_000;
      while (mailTo('by.worker@example.org').length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    } finally {
      await worker.stop();
    }
    expect(mailTo('by.worker@example.org')).toHaveLength(1);
  });
});

describe('a message whose event did not happen', () => {
  it('is never sent when the transaction that queued it rolls back', async () => {
    smtp.state.refusing = false;
    await expect(
      withTenant(haven.deps.db.app, { districtId: d.district.id }, async (tx) => {
        await enqueueMessage(haven.deps, tx, { districtId: d.district.id, message: mail('rolled.back@example.org'), purpose: 'case.task_due' });
        throw new Error('the case could not be saved');
      }),
    ).rejects.toThrow('the case could not be saved');
    haven.clock.advance(60_000);
    await drain();
    expect(mailTo('rolled.back@example.org')).toHaveLength(0);
    const { rows } = await haven.deps.db.system.$client.query(`select count(*)::int as n from outbox where district_id = $1 and status = 'pending'`, [
      d.district.id,
    ]);
    expect(rows[0].n).toBe(0);
  });
});

describe('sent messages are not kept for ever', () => {
  it('a sent message is forgotten after 30 days; a failed or waiting one is kept', async () => {
    smtp.state.refusing = false;
    const sent = await enqueue(mail('kept.a.month@example.org'));
    await drain();
    expect((await row(sent)).status).toBe('sent');
    const waiting = await enqueue(mail('later@example.org'));
    await haven.deps.db.system.$client.query(`update outbox set next_attempt_at = now() + interval '100 days' where id = $1`, [waiting]);
    haven.clock.advance(29 * 86_400_000);
    await purgeSettledOutbox(haven.deps);
    expect(await row(sent)).toBeDefined();
    haven.clock.advance(2 * 86_400_000);
    await purgeSettledOutbox(haven.deps);
    expect(await row(sent)).toBeUndefined();
    expect((await row(waiting)).status).toBe('pending');
  });
});

describe('a time-critical message', () => {
  it('is sent at once after commit by the request, and the worker neither takes it early nor sends it again', async () => {
    smtp.state.refusing = false;
    const id = await enqueue(mail('at.once@example.org'), { sendAfterCommit: true });
    expect(await drain()).toBe(0); // left to the request that queued it
    expect(await sendNow(haven.deps, [id])).toEqual([{ id, ok: true }]);
    expect(mailTo('at.once@example.org')).toHaveLength(1);
    expect(await sendNow(haven.deps, [id])).toEqual([]);
    haven.clock.advance(60_000);
    await drain();
    expect(mailTo('at.once@example.org')).toHaveLength(1);
  });
});

describe('a message withdrawn (its alert was answered)', () => {
  it('while it was being sent is recorded as sent, since it went out; withdrawn before its turn, it is never sent', async () => {
    smtp.state.refusing = false;
    const withdraw = (id: string) => haven.deps.db.system.$client.query("update outbox set status = 'withdrawn' where id = $1", [id]);
    const inFlight = await enqueue(mail('in.flight@example.org'), { sendAfterCommit: true });
    const before = await enqueue(mail('withdrawn.before@example.org'), { sendAfterCommit: true });
    await withdraw(before);
    smtp.state.whileReceiving = () => withdraw(inFlight);
    try {
      expect(await sendNow(haven.deps, [inFlight, before])).toEqual([{ id: inFlight, ok: true }]);
    } finally {
      smtp.state.whileReceiving = undefined;
    }
    expect((await row(inFlight)).status).toBe('sent');
    expect((await row(before)).status).toBe('withdrawn');
    expect(mailTo('withdrawn.before@example.org')).toHaveLength(0);
  });
});

describe('a message given up after its last attempt', () => {
  it('is logged without its content and listed for the district administrator, masked, with a retry; not for a counselor', async () => {
    smtp.state.refusing = true;
    const id = await enqueue(mail('given.up@example.org'));
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      expect(await drain()).toBe(1);
      haven.clock.advance(5 * 3_600_000);
    }
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: maxAttempts });
    const line = logged.find((l) => l.includes(id));
    expect(line).toMatch(/given up after 6 attempt/);
    expect(line).not.toMatch(/given\.up|Maya/);

    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const list = await haven.app.inject({ method: 'GET', url: '/api/v1/district/outbox', headers: whitfield.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().failed).toBeGreaterThanOrEqual(1);
    const item = list.json().items.find((i: { id: string }) => i.id === id);
    expect(item).toMatchObject({
      status: 'failed',
      kind: 'email',
      purpose: 'case.task_due',
      attempts: maxAttempts,
      recipient: 'g***@example.org',
      nextAttemptAt: null,
    });
    expect(item.lastError).toMatch(/451/);
    expect(list.body).not.toContain('Maya');
    expect(list.body).not.toContain('given.up@');

    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/district/outbox', headers: rivera.headers })).statusCode).toBe(404);
    expect((await haven.app.inject({ method: 'POST', url: `/api/v1/district/outbox/${id}/retry`, headers: rivera.headers })).statusCode).toBe(404);

    // The administrator fixes the cause and sends it again: a fresh round of attempts, delivered.
    smtp.state.refusing = false;
    const retried = await haven.app.inject({ method: 'POST', url: `/api/v1/district/outbox/${id}/retry`, headers: whitfield.headers });
    expect(retried.json()).toEqual({ id, status: 'pending' });
    const again = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/district/outbox/${id}/retry`,
      headers: { ...whitfield.headers, 'accept-language': 'es' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/sigue intentando/);
    await drain();
    expect(mailTo('given.up@example.org')).toHaveLength(1);
    expect(
      (await haven.app.inject({ method: 'GET', url: '/api/v1/district/outbox', headers: whitfield.headers }))
        .json()
        .items.some((i: { id: string }) => i.id === id),
    ).toBe(false);
    const audit = await haven.deps.db.system.$client.query(`select count(*)::int as n from audit_events where action = 'outbox.retried' and subject_id = $1`, [
      id,
    ]);
    expect(audit.rows[0].n).toBe(1);
  });

  it('another district never sees it, and an unknown id is a plain 404', async () => {
    const other = await createDistrict(haven.deps);
    const admin = await signIn(haven.app, other.people.whitfield.email);
    const list = await haven.app.inject({ method: 'GET', url: '/api/v1/district/outbox', headers: admin.headers });
    expect(list.json()).toEqual({ failed: 0, pending: 0, items: [] });
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/district/outbox/not-a-uuid/retry', headers: admin.headers })).statusCode).toBe(404);
  });
});
