import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { buildApp } from '../../app.ts';
import { connectDatabases } from '../../platform/db/client.ts';
import { drainIntake, receiveReport, replaySpooledReports } from './intake.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
afterAll(() => haven.close());

const form = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  haven.app.inject({
    method: 'POST',
    url: '/report',
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
/** The thanks page a browser lands on after the form's redirect, with the cookie the form set. */
const followThanks = (sent: Awaited<ReturnType<typeof form>>) =>
  haven.app.inject({
    method: 'GET',
    url: String(sent.headers.location),
    cookies: Object.fromEntries(sent.cookies.map((c) => [c.name, c.value])),
  });
const count = async (sql: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(sql, params)).rows[0].n as number;

describe('the public web form', () => {
  it('is small, needs no script, shows the crisis lines first, and speaks the browser language', async () => {
    const english = await haven.app.inject({ method: 'GET', url: '/report' });
    expect(english.statusCode).toBe(200);
    expect(english.body.length).toBeLessThan(30 * 1024);
    expect(english.body).not.toMatch(/<script|src="http|href="http/);
    expect(english.body.indexOf('911')).toBeLessThan(english.body.indexOf('<h1>'));
    for (const number of ['988', '1-844-493-8255', 'TALK to <a href="sms:38255" class="number">38255</a>']) expect(english.body).toContain(number);
    const spanish = await haven.app.inject({ method: 'GET', url: '/report', headers: { 'accept-language': 'es-US,es;q=0.9,en;q=0.5' } });
    expect(spanish.body).toContain('<html lang="es">');
    expect(spanish.body).toContain('Pedir ayuda');
    expect((await haven.app.inject({ method: 'GET', url: '/report?lang=en', headers: { 'accept-language': 'es' } })).body).toContain('Ask for help');
  });

  it('a school QR link preselects the school', async () => {
    const page = await haven.app.inject({ method: 'GET', url: '/report/lincoln-ms' });
    expect(page.body).toContain('<input type="hidden" name="school" value="lincoln-ms">');
  });

  it('a report sent in Spanish without JavaScript answers with a follow-up code and is stored once', async () => {
    const before = await count('select count(*)::int as n from reports where district_id = $1', [d.district.id]);
    const response = await form({
      description: 'Mi amigo dice que quiere morir',
      school: 'lincoln-ms',
      district: d.district.slug,
      category: 'mental_health_worry',
      urgency: 'urgent',
      language: 'es',
    });
    expect(response.statusCode).toBe(303); // to the thanks page, so a reload never files twice
    const thanks = await followThanks(response);
    expect(thanks.body).toContain('Gracias. Recibimos su reporte.');
    const code = /class="code"[^>]*>([0-9A-Z-]{14})</.exec(thanks.body)?.[1];
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(thanks.body).toContain('988');
    expect(await count('select count(*)::int as n from reports where district_id = $1', [d.district.id])).toBe(before + 1);
    const followUp = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${code}` });
    expect(followUp.json()).toMatchObject({ status: 'received', language: 'es' });
  });

  it('a form with nothing written answers 400 with the form again, explained, keeping what was typed', async () => {
    const response = await form({ description: '', about: 'Jonah', language: 'en' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Tell us what is happening');
    expect(response.body).toContain('value="Jonah"');
  });
});

describe('the JSON API and follow-up', () => {
  it('returns 201 with an id and a follow-up code; triage raises what the words call for', async () => {
    const response = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'she took too many pills', school: d.schools.lincoln.id, category: 'mental_health_worry', urgency: 'routine' },
    });
    expect(response.statusCode).toBe(201);
    const { id, followUpCode } = response.json();
    const { rows } = await haven.deps.db.system.$client.query('select urgency, urgency_reported from reports where id = $1', [id]);
    expect(rows[0]).toEqual({ urgency: 'life_safety', urgency_reported: 'routine' });
    expect(followUpCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it('two-way: the team asks, the reporter answers, internal notes stay inside, the status follows', async () => {
    const { id, followUpCode } = (
      await haven.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { description: 'Someone is being pushed around', school: d.schools.lincoln.id },
      })
    ).json();
    const rivera = await signIn(haven.app, d.people.rivera.email);
    await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/acknowledge`, headers: rivera.headers });
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/messages`,
      headers: rivera.headers,
      payload: { body: 'Which hallway, and when?', direction: 'to_reporter' },
    });
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/messages`,
      headers: rivera.headers,
      payload: { body: 'Check cameras', direction: 'internal_note' },
    });
    const answer = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/follow-up/${followUpCode.toLowerCase()}/messages`,
      payload: { message: 'Near the gym, after 6th period' },
    });
    expect(answer.statusCode).toBe(201);
    const view = (await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${followUpCode}` })).json();
    expect(view.status).toBe('in_progress');
    expect(view.messages.map((m: { body: string }) => m.body)).toEqual(['Which hallway, and when?', 'Near the gym, after 6th period']);
    const html = await haven.app.inject({
      method: 'POST',
      url: '/report/follow-up',
      payload: `code=${followUpCode}&lang=en`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(html.body).toContain('A person is acting on it.');
    expect(html.body).not.toContain('Check cameras');

    // Once the report is closed, a reporter who writes again is told to make a new report, in their language.
    await haven.app.inject({ method: 'POST', url: `/api/v1/reports/${id}/close`, headers: rivera.headers, payload: { disposition: 'resolved' } });
    const late = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/follow-up/${followUpCode}/messages`,
      headers: { 'accept-language': 'es' },
      payload: { message: 'Pasó otra vez hoy' },
    });
    expect(late.statusCode).toBe(400);
    expect(late.json().detail).toBe('Este reporte está cerrado. Si está pasando algo nuevo, haga un reporte nuevo.');
  });

  it('a wrong code is 404, and guessing is rate limited', async () => {
    expect((await haven.app.inject({ method: 'GET', url: '/api/v1/reports/follow-up/AAAA-BBBB-CCCC' })).statusCode).toBe(404);
    const strict = await buildApp(haven.deps, { logger: false });
    let limited = 0;
    for (let i = 0; i < 35; i++) if ((await strict.inject({ method: 'GET', url: '/api/v1/reports/follow-up/AAAA-BBBB-CCCC' })).statusCode === 429) limited += 1;
    await strict.close();
    expect(limited).toBe(5);
  });
});

describe('anonymity', () => {
  it('no IP address, user agent or SMS number reaches the database or the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await buildApp(haven.deps, { logger: { level: 'info', stream }, trustProxy: ['203.0.113.0/24'] });
    const ip = '203.0.113.77';
    const agent = 'Mozilla/5.0 (ReporterPhone; Secret-Device-4471)';
    const sent = await logged.inject({
      method: 'POST',
      url: '/report',
      payload: 'description=Someone+is+selling+vapes&language=en',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, 'user-agent': agent },
      remoteAddress: ip,
    });
    expect(sent.statusCode).toBe(303);
    await logged.close();
    await receiveReport(
      haven.deps,
      'sms',
      { description: 'help please', category: 'other', urgency: 'routine', language: 'en', district: d.district.slug },
      { replyAddress: '+17205550199' },
    );
    const dump = await haven.deps.db.system.$client.query(
      `select string_agg(t::text, ' ') as all from (select row_to_json(r)::text as t from reports r union all select row_to_json(m)::text from report_messages m union all select row_to_json(a)::text from audit_events a) x`,
    );
    const database = dump.rows[0].all as string;
    const log = lines.join('');
    expect(log).toContain('"route":"/report"'); // the request was logged, by its route only
    for (const secret of [ip, 'ReporterPhone', 'Secret-Device-4471', '+17205550199', '7205550199']) {
      expect(database, `${secret} reached the database`).not.toContain(secret);
      expect(log, `${secret} reached the log`).not.toContain(secret);
    }
    expect(database).toContain('selling vapes'); // the report itself is stored
    expect(log).not.toContain('vapes'); // but never logged
  });
});

describe('durability', () => {
  it('with the database unreachable, a report is spooled to disk, answered, and stored exactly once when it returns', async () => {
    const dead = connectDatabases({ maintenanceUrl: 'postgres://nobody:x@127.0.0.1:1/none', appUrl: 'postgres://nobody:x@127.0.0.1:1/none' });
    const offline = { ...haven.deps, db: dead };
    const received = await receiveReport(offline, 'api', {
      description: 'spooled while the database was down',
      category: 'other',
      urgency: 'urgent',
      language: 'en',
      district: d.district.slug,
    });
    await dead.close();
    expect(received.spooled).toBe(true);
    expect(received.followUpCode).toMatch(/^[0-9A-Z]{4}-/);
    expect(haven.deps.reportSpool.pending()).toBe(1);
    expect(await replaySpooledReports(haven.deps)).toBe(1);
    expect(await replaySpooledReports(haven.deps)).toBe(0);
    expect(await count(`select count(*)::int as n from reports where id = $1`, [received.id])).toBe(1);
    const status = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${received.followUpCode}` });
    expect(status.statusCode).toBe(200);
  });
});

describe('a burst', () => {
  it('beyond what is routed at once, reports are queued durably, answered, then routed life-safety first, each exactly once', async () => {
    const bodies = Array.from({ length: 40 }, (_, i) => ({
      description: i === 39 ? 'he has a gun right now' : `rumour number ${i} about a fight`,
      school: d.schools.lincoln.id,
      urgency: 'routine',
    }));
    const answers = await Promise.all(bodies.map((payload) => haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload })));
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 201));
    const ids = answers.map((a) => a.json().id as string);
    const queued = await count('select count(*)::int as n from report_intake');
    expect(queued).toBeGreaterThan(0);
    // A reporter checking right away on a report still in the queue sees it received, not "unknown".
    const waiting = (await haven.deps.db.system.$client.query('select payload from report_intake order by received_at desc limit 1')).rows[0].payload;
    const waitingAnswer = answers.find((a) => a.json().id === waiting.id);
    const status = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${waitingAnswer?.json().followUpCode}` });
    expect(status.statusCode).toBe(200);
    expect(status.json().status).toBe('received');
    expect(await count('select count(*)::int as n from report_intake where id = $1', [waiting.id])).toBe(0);
    const order: string[] = [];
    while ((await count('select count(*)::int as n from report_intake')) > 0) {
      const next = await haven.deps.db.system.$client.query('select id from report_intake order by priority, received_at limit 1');
      order.push(next.rows[0].id);
      await drainIntake(haven.deps, { batch: 1 });
    }
    expect(await count('select count(*)::int as n from reports where id = any($1::uuid[])', [ids])).toBe(40);
    if (order.includes(ids[39] as string)) expect(order[0]).toBe(ids[39]);
    await drainIntake(haven.deps);
    expect(await count('select count(*)::int as n from reports where id = any($1::uuid[])', [ids])).toBe(40);
  });
});

describe('a life-safety report during a burst', () => {
  it('is routed at once, before its answer, while a routine one sent beside it waits in the queue', async () => {
    const burst = Array.from({ length: 12 }, (_, i) => ({ description: `another rumour ${i}`, school: d.schools.lincoln.id, urgency: 'routine' }));
    const answered = await Promise.all(burst.map((payload) => haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload })));
    expect(await count('select count(*)::int as n from report_intake')).toBeGreaterThan(0); // the burst is on
    const post = (description: string) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { description, school: d.schools.lincoln.id, urgency: 'routine' } });
    const gun = (await post('he has a gun in his backpack right now')).json().id as string;
    const rumour = (await post('one more rumour about a fight')).json().id as string;
    expect(await count('select count(*)::int as n from reports where id = $1', [gun])).toBe(1);
    expect(await count("select count(*)::int as n from reports where id = $1 and urgency = 'life_safety'", [gun])).toBe(1);
    expect(await count('select count(*)::int as n from report_intake where id = $1', [rumour])).toBe(1);
    while ((await drainIntake(haven.deps)) > 0) {}
    const ids = [...answered.map((a) => a.json().id as string), gun, rumour];
    expect(await count('select count(*)::int as n from reports where id = any($1::uuid[])', [ids])).toBe(14);
  });
});

describe('a queued report the database refuses', () => {
  it('does not hold up the others: they are routed, it stays queued, and the worker is told', async () => {
    const queue = (id: string, extra: Record<string, unknown>) =>
      haven.deps.db.system.$client.query('insert into report_intake (id, received_at, priority, payload) values ($1, $2, 0, $3)', [
        id,
        haven.clock.now(),
        {
          id,
          followUpCodeHash: id.replaceAll('-', '').padEnd(64, '0'),
          receivedAt: haven.clock.now().toISOString(),
          channel: 'web',
          input: { description: 'Ana Ruiz told me something private', district: d.district.slug, category: 'other', urgency: 'routine', language: 'en' },
          ...extra,
        },
      ]);
    const refused = haven.deps.ids.uuid();
    const fine = haven.deps.ids.uuid();
    await queue(refused, { studentId: haven.deps.ids.uuid() }); // no such student
    await queue(fine, {});
    const logged: string[] = [];
    expect(await drainIntake(haven.deps, { log: (message) => logged.push(message) })).toBe(1);
    expect(await count('select count(*)::int as n from reports where id = $1', [fine])).toBe(1);
    expect(await count('select count(*)::int as n from report_intake where id = $1', [refused])).toBe(1);
    expect(logged[0]).toMatch(
      /^1 queued report\(s\) could not be routed and stay queued: a database statement failed \(SQLSTATE 23503; table reports, constraint/,
    );
    expect(logged.join('\n')).not.toMatch(/Ana Ruiz|private/); // the log says what failed, never what was reported
    await haven.deps.db.system.$client.query('delete from report_intake where id = $1', [refused]);
  });
});

describe('bad input on the public endpoints', () => {
  it('a NUL character (which PostgreSQL cannot store) is dropped and the rest of the report kept', async () => {
    const sent = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'pasted\u0000 from a phone: a fight after school', about: 'J\u0000', district: d.district.slug },
    });
    expect(sent.statusCode).toBe(201);
    while ((await drainIntake(haven.deps)) > 0) {} // right after a burst, reports are queued first
    const stored = await haven.deps.db.system.$client.query('select description, about_person from reports where id = $1', [sent.json().id]);
    expect(stored.rows[0]).toEqual({ description: 'pasted from a phone: a fight after school', about_person: 'J' });
  });
});

describe('bad input on the public endpoints (property-based)', () => {
  it('never a 5xx; every 201 is stored exactly once', async () => {
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.anything(),
          fc.record(
            {
              // Any code point, NUL and lone surrogates included.
              description: fc.string({ unit: 'binary', maxLength: 6000 }),
              about: fc.string({ unit: 'binary', maxLength: 300 }),
              school: fc.constantFrom('lincoln-ms', 'nope', d.schools.lincoln.id, ''),
              district: fc.constant(d.district.slug),
              category: fc.string(),
              urgency: fc.constantFrom('life_safety', 'urgent', 'routine', 'x'),
              contact: fc.string({ maxLength: 300 }),
              language: fc.constantFrom('en', 'es', 'fr'),
            },
            { requiredKeys: [] },
          ),
        ),
        async (body) => {
          const response = await haven.app.inject({
            method: 'POST',
            url: '/api/v1/reports',
            payload: JSON.stringify(body ?? null) ?? 'null',
            headers: { 'content-type': 'application/json' },
          });
          expect(response.statusCode).toBeLessThan(500);
          if (response.statusCode === 201) ids.push(response.json().id);
          else expect(response.json().detail).toBeTruthy();
        },
      ),
      { numRuns: 120 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('description', 'school', 'category', 'urgency', 'language', 'district', 'x'), fc.string({ maxLength: 200 })),
        async (fields) => {
          const response = await form(fields);
          expect(response.statusCode).toBeLessThan(500);
        },
      ),
      { numRuns: 80 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), async (code) => {
        const response = await haven.app.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${encodeURIComponent(code)}` });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('code', 'message', 'lang'), fc.string({ maxLength: 100 })), async (fields) => {
        const response = await haven.app.inject({
          method: 'POST',
          url: '/report/follow-up/message',
          payload: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(response.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('From', 'To', 'Body', 'MessageSid'), fc.string({ maxLength: 100 })), async (fields) => {
        const response = await haven.app.inject({
          method: 'POST',
          url: '/api/v1/channels/sms',
          payload: new URLSearchParams(fields).toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
        });
        expect([403, 404]).toContain(response.statusCode);
      }),
      { numRuns: 40 },
    );
    while ((await drainIntake(haven.deps)) > 0) {}
    if (ids.length > 0) expect(await count('select count(*)::int as n from reports where id = any($1::uuid[])', [ids])).toBe(ids.length);
  });
});
