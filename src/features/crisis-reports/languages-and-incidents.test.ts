import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { raiseScreeningAlert } from '../screening/results.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const query = async (sql: string, params: unknown[]) => (await haven.deps.db.system.$client.query(sql, params)).rows;
const reportPage = async (id: string) => (await haven.app.inject({ method: 'GET', url: `/api/v1/reports/${id}`, headers: rivera.headers })).json();

/** Who was alerted in the app about a report, as "step:person". */
async function alerted(reportId: string): Promise<string[]> {
  const rows = await query(
    `select a.step, u.email from report_alerts a join users u on u.id = a.user_id where a.report_id = $1 and a.channel = 'in_app' and a.outcome = 'sent' order by a.at, a.step`,
    [reportId],
  );
  return rows.map((r: { step: number; email: string }) => `${r.step}:${r.email.split('.')[0]}`);
}

describe('the public form', () => {
  it('says, in English and in Spanish, which languages a student can write in, each in its own name', async () => {
    const english = (await haven.app.inject({ method: 'GET', url: '/report/lincoln-ms?lang=en' })).body;
    expect(english).toContain('You can write in <span lang="en">English</span>, <span lang="es">español</span>, <span lang="vi">Tiếng Việt</span>,');
    expect(english).toContain('<span lang="ar" dir="rtl">العربية</span>');
    expect(english).toContain('or <span lang="ne">नेपाली</span>. We read every report.</p>');
    expect(english).toContain('aria-describedby="description-help description-languages"');
    const spanish = (await haven.app.inject({ method: 'GET', url: '/report/lincoln-ms?lang=es' })).body;
    expect(spanish).toContain('Puede escribir en <span lang="en">English</span>, <span lang="es">español</span>');
    expect(spanish).toContain('o <span lang="ne">नेपाली</span>. Leemos cada reporte.</p>');
  });
});

describe('a report in Spanish', () => {
  it('"me voy a matar esta noche", sent on the form with the urgency left as it was, reaches the on-call counselor as life-safety', async () => {
    const sent = await haven.app.inject({
      method: 'POST',
      url: '/report',
      payload: new URLSearchParams({
        description: 'Mi amiga me escribió: me voy a matar esta noche',
        school: 'lincoln-ms',
        district: d.district.slug,
        category: 'other',
        urgency: 'routine', // the form's default
        language: 'es',
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(sent.statusCode).toBe(303);
    const thanks = await haven.app.inject({
      method: 'GET',
      url: String(sent.headers.location),
      cookies: Object.fromEntries(sent.cookies.map((c) => [c.name, c.value])),
    });
    expect(thanks.body).toContain('Gracias. Recibimos su reporte.');
    const [stored] = await query('select id, urgency, urgency_reported, category, safety_flag from reports where district_id = $1 and description like $2', [
      d.district.id,
      '%me voy a matar%',
    ]);
    expect(stored).toMatchObject({ urgency: 'life_safety', urgency_reported: 'routine', category: 'suicide_self_harm', safety_flag: true });
    expect(await alerted(stored.id)).toEqual(['0:rivera']);
    const page = await reportPage(stored.id);
    expect(page.urgency).toBe('life_safety');
    expect(page.triageReasons).toContainEqual({ code: 'text_mentions', topic: 'suicide', urgency: 'life_safety' });
  });

  it('a report in Vietnamese is raised too, and its page says which language to bring an interpreter for', async () => {
    const sent = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'Bạn tôi nói muốn tự tử', school: d.schools.lincoln.id },
    });
    expect(sent.statusCode).toBe(201);
    const page = await reportPage(sent.json().id);
    expect(page.urgency).toBe('life_safety');
    expect(page.triageReasons).toContainEqual({ code: 'text_mentions', topic: 'suicide', urgency: 'life_safety', writtenIn: 'vi' });
    expect(await alerted(sent.json().id)).toEqual(['0:rivera']);
  });

  it('a report triaged before reasons had codes still shows its English reasons as they were stored', async () => {
    const sent = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'He has a knife in his bag', school: d.schools.lincoln.id },
    });
    const older = ['The reporter said: routine.', 'The text mentions a gun or other weapon, which suggests life-safety.'];
    await query('update reports set triage_reasons = $1 where id = $2', [JSON.stringify(older), sent.json().id]);
    expect((await reportPage(sent.json().id)).triageReasons).toEqual(older);
  });
});

describe('incidents', () => {
  it('screening alerts about two students at one school, minutes apart, stay two separate alerts', async () => {
    const student = async (firstName: string, localId: string) => {
      const { id } = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName, localId });
      return { id, schoolId: d.schools.lincoln.id, firstName, lastName: 'Torres', localId };
    };
    const alert = async (who: Awaited<ReturnType<typeof student>>) =>
      raiseScreeningAlert(haven.deps, { districtId: d.district.id, student: who, instrumentName: 'PHQ-A', urgency: 'urgent', flags: ['suicide_risk'] });
    const maya = await student('Maya', 'L-1001');
    const ana = await student('Ana', 'L-1002');
    const first = await alert(maya);
    haven.clock.advance(3 * 60_000);
    const second = await alert(ana);
    // A staff concern naming Maya is a report about her, not part of her screening alert.
    haven.clock.advance(60_000);
    const concern = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports/staff',
      headers: rivera.headers,
      payload: { channel: 'staff_concern', description: 'Maya seemed withdrawn in class', about: 'Maya Torres (L-1001)', school: 'lincoln-ms' },
    });
    expect(concern.statusCode).toBe(201);
    const rows = await query('select id, incident_id, urgency from reports where id = any($1::uuid[]) order by received_at', [
      [first, second, concern.json().id],
    ]);
    expect(rows.map((r: { incident_id: string | null }) => r.incident_id)).toEqual([null, null, null]);
    expect(rows.slice(0, 2).map((r: { urgency: string }) => r.urgency)).toEqual(['urgent', 'urgent']);
    for (const id of [first, second]) {
      const page = await reportPage(id);
      expect(page.incident).toEqual([]);
      expect(await alerted(id)).toEqual(['0:rivera']); // each alert is its own, answered on its own
    }
  });

  it('two web reports about the same event are still linked as one incident', async () => {
    const send = (description: string) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { description, school: 'lincoln-ms', district: d.district.slug } });
    const first = (await send('Someone wrote a threat on the bathroom wall at Lincoln Middle about Friday')).json().id;
    haven.clock.advance(5 * 60_000);
    const second = (await send('threat written on the bathroom wall at Lincoln Middle about Friday')).json().id;
    const page = await reportPage(second);
    expect(page.incident.map((r: { id: string }) => r.id)).toEqual([first]);
  });
});
