import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { buildApp } from '../../app.ts';
import { sha256 } from '../../platform/secrets.ts';
import { drainIntake } from './intake.service.ts';

/**
 * Issue 15: no public report is ever refused for volume. Lincoln Middle sends every student's
 * traffic through one address; on a bad morning it passes the per-address limit (3 a minute here).
 * Every report is stored and answered; the team gets the flood as one group, not one page each;
 * a life-safety report is never grouped (decision 26).
 */

let haven: TestHaven;
let strict: FastifyInstance;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
const limit = 3;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
  strict = await buildApp(haven.deps, { logger: false, intakePerMinute: limit });
});
afterAll(async () => {
  await strict.close();
  await haven.close();
});

const query = async (sql: string, params: unknown[]) => (await haven.deps.db.system.$client.query(sql, params)).rows;

/** Sends the form as a browser does from `address`, follows the redirect with the cookie it set, and returns both answers. */
async function sendForm(address: string, fields: Record<string, string>) {
  const posted = await strict.inject({
    method: 'POST',
    url: '/report',
    payload: new URLSearchParams({ school: 'lincoln-ms', district: d.district.slug, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: address,
  });
  const cookie = posted.cookies.find((c) => c.name === 'haven_report_thanks');
  const thanks = await strict.inject({
    method: 'GET',
    url: String(posted.headers.location),
    cookies: cookie ? { [cookie.name]: cookie.value } : {},
    remoteAddress: address,
  });
  const code = /class="code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(thanks.body)?.[1];
  return { posted, thanks, code };
}

type Row = { id: string; throttled: boolean; incident_id: string | null; status: string; alerts: number };
async function reportsFor(codes: string[]): Promise<Row[]> {
  while ((await drainIntake(haven.deps)) > 0) {} // a burst may have queued some first
  const rows = (await query(
    `select r.id, r.follow_up_code_hash, r.throttled, r.incident_id, r.status,
            (select count(*)::int from report_alerts a where a.report_id = r.id and a.channel = 'in_app' and a.outcome = 'sent') as alerts
       from reports r where r.follow_up_code_hash = any($1::text[])`,
    [codes.map((c) => sha256(c))],
  )) as (Row & { follow_up_code_hash: string })[];
  // In the order the codes were given (the order they were sent).
  return codes.flatMap((c) => rows.filter((r) => r.follow_up_code_hash === sha256(c)).map(({ follow_up_code_hash: _, ...row }) => row));
}

describe('a whole school behind one address', () => {
  it('sends 10 reports in a minute: none is refused, each gets the thanks page with a code, and the team gets one grouped alert', async () => {
    const answers = [];
    for (let i = 0; i < 10; i++) {
      answers.push(await sendForm('198.51.100.7', { description: `Student ${i} says a group is pushing people around at lunch`, urgency: 'routine' }));
    }
    for (const { posted, thanks, code } of answers) {
      expect(posted.statusCode).toBe(303);
      expect(thanks.statusCode).toBe(200);
      expect(thanks.body).toContain('Thank you. Your report was received.');
      for (const line of ['911', '988']) expect(thanks.body).toContain(line);
      expect(code).toBeDefined();
    }
    const codes = answers.map((a) => a.code as string);
    expect(new Set(codes).size).toBe(10);
    const rows = await reportsFor(codes);
    expect(rows).toHaveLength(10); // every one stored
    // The three under the limit alert one by one as always; the seven over it alert once, as a group.
    const throttled = rows.filter((r) => r.throttled);
    expect(rows.filter((r) => !r.throttled).map((r) => r.alerts)).toEqual([1, 1, 1]);
    expect(throttled.map((r) => r.alerts).sort()).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(new Set(throttled.map((r) => r.incident_id)).size).toBe(1);
    const lead = throttled.find((r) => r.alerts === 1) as Row;

    // Ms. Rivera's list shows the group once, with its count; the members are not listed one by one.
    const list = (await strict.inject({ method: 'GET', url: '/api/v1/reports?status=open', headers: rivera.headers })).json();
    const listed = list.items.filter((item: { id: string }) => throttled.some((r) => r.id === item.id));
    expect(listed).toEqual([expect.objectContaining({ id: lead.id, throttled: true, throttleGroup: { size: 7, open: 7 } })]);
    const page = (await strict.inject({ method: 'GET', url: `/api/v1/reports/${lead.id}`, headers: rivera.headers })).json();
    expect(page.throttleGroup).toEqual({ size: 7, open: 7 });
    const members = throttled.filter((r) => r !== lead).map((r) => r.id);
    expect(page.incident.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(members));

    // She acknowledges the group's first report: she has them all, and each reporter sees a person on it.
    expect((await strict.inject({ method: 'POST', url: `/api/v1/reports/${lead.id}/acknowledge`, headers: rivera.headers })).statusCode).toBe(200);
    expect((await reportsFor(codes)).filter((r) => r.throttled).map((r) => r.status)).toEqual(Array(7).fill('acknowledged'));
    const member = await strict.inject({ method: 'GET', url: `/api/v1/reports/follow-up/${codes[9]}` });
    expect(member.json().status).toBe('in_progress');
    const audited = await query(`select count(*)::int as n from audit_events where action = 'report.acknowledged' and subject_id = any($1::text[])`, [
      throttled.map((r) => r.id),
    ]);
    expect(audited[0].n).toBe(7);

    // The next report over the limit is not hidden in a group someone already took: it alerts.
    const later = await sendForm('198.51.100.7', { description: 'Someone keeps taking my lunch money', urgency: 'routine' });
    const [next] = await reportsFor([later.code as string]);
    expect(next).toMatchObject({ throttled: true, alerts: 1 });
  });

  it('a life-safety report over the limit is never grouped: it alerts on its own, and so does the next one', async () => {
    for (let i = 0; i < limit; i++) await sendForm('198.51.100.8', { description: `rumour ${i} about a fight`, urgency: 'routine' });
    const first = await sendForm('198.51.100.8', { description: 'he has a gun in his backpack right now', urgency: 'routine' });
    const second = await sendForm('198.51.100.8', { description: 'my friend says she will kill herself tonight', urgency: 'routine' });
    const rows = await reportsFor([first.code as string, second.code as string]);
    expect(rows.map((r) => ({ throttled: r.throttled, alerts: r.alerts }))).toEqual([
      { throttled: true, alerts: 1 },
      { throttled: true, alerts: 1 },
    ]);
    const stored = await query('select urgency from reports where id = any($1::uuid[])', [rows.map((r) => r.id)]);
    expect(stored.map((r: { urgency: string }) => r.urgency)).toEqual(['life_safety', 'life_safety']);
  });

  it('the app API answers 201 with the code and `throttled: true`, never 429', async () => {
    const statuses: number[] = [];
    const flags: boolean[] = [];
    for (let i = 0; i < limit + 2; i++) {
      const sent = await strict.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { description: `app report ${i} about a fight`, school: d.schools.lincoln.id },
        remoteAddress: '198.51.100.9',
      });
      statuses.push(sent.statusCode);
      flags.push(sent.json().throttled);
      expect(sent.json().followUpCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    }
    expect(statuses).toEqual(Array(limit + 2).fill(201));
    expect(flags).toEqual([false, false, false, true, true]);
  });

  it('a Spanish-speaking student over the limit gets the same thanks page, in Spanish', async () => {
    for (let i = 0; i < limit; i++) await sendForm('198.51.100.10', { description: `reporte ${i}`, language: 'es' });
    const { posted, thanks, code } = await sendForm('198.51.100.10', { description: 'Están molestando a mi hermano en el autobús', language: 'es' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe('/report/thanks?lang=es');
    expect(thanks.body).toContain('<html lang="es">');
    expect(thanks.body).toContain('Gracias. Recibimos su reporte.');
    expect(thanks.body).toContain('Guarde este código');
    expect(thanks.body).toContain('988');
    expect((await reportsFor([code as string]))[0]).toMatchObject({ throttled: true });
  });

  it('the address is kept nowhere: not in the report, not in the audit trail', async () => {
    const dump = await query(
      `select string_agg(t, ' ') as all from (select row_to_json(r)::text as t from reports r where district_id = $1 union all select row_to_json(a)::text from audit_events a where district_id = $1) x`,
      [d.district.id],
    );
    for (const address of ['198.51.100.7', '198.51.100.8', '198.51.100.9', '198.51.100.10']) expect(dump[0].all).not.toContain(address);
  });
});
