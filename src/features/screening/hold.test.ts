import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { reports } from '../../data/reports.ts';
import { classEnrollments, classes } from '../../data/roster.ts';
import type { Mail } from '../../platform/mail/mailer.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let shah: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
  shah = await signIn(haven.app, d.people.shah.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload?: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
const put = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'PUT', url, headers: session.headers, payload: payload as Record<string, unknown> });
const page = (url: string, cookie: string) => haven.app.inject({ method: 'GET', url, headers: { cookie } });

/** A class from the roster at Lincoln Middle, with these students enrolled. */
async function rosterClass(title: string, studentIds: string[]) {
  const id = haven.deps.ids.uuid();
  await haven.deps.db.system.insert(classes).values({ id, districtId: d.district.id, schoolId: d.schools.lincoln.id, sourcedId: `cls-${id}`, title });
  for (const studentId of studentIds) {
    await haven.deps.db.system
      .insert(classEnrollments)
      .values({ id: haven.deps.ids.uuid(), districtId: d.district.id, sourcedId: `enr-${studentId}`, classId: id, role: 'student', studentId });
  }
  return id;
}

describe('an adult is with the student at once', () => {
  it('an acute-positive ASQ alerts the proctor of his class, Ms. Shah, to keep the student with her; the device stays on "stay here" until she releases it', async () => {
    const created = await post(rivera, '/api/v1/screening/windows', {
      name: 'Spring check-in',
      schoolIds: [d.schools.lincoln.id],
      grades: ['7'],
      instrumentIds: ['asq', 'phq-a'],
      opensOn: '2026-11-01',
      closesOn: '2026-12-18',
      proctorUserIds: [d.people.shah.id],
    });
    const windowId = created.json().id as string;
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Jonah' });
    // Jonah is in Ms. Shah's homeroom; Mr. Okafor proctors another class in the same window.
    const homeroom = await rosterClass('Homeroom 7A', [student.id]);
    const otherClass = await rosterClass('Homeroom 7B', []);
    expect((await put(rivera, `/api/v1/screening/windows/${windowId}/proctors/${d.people.shah.id}`, { classIds: [homeroom] })).statusCode).toBe(200);
    expect((await put(rivera, `/api/v1/screening/windows/${windowId}/proctors/${d.people.okafor.id}`, { classIds: [otherClass] })).statusCode).toBe(200);
    const okaforHeard: unknown[] = [];
    const unsubscribeOkafor = haven.deps.live.subscribe(d.people.okafor.id, (event) => {
      if (event.type === 'screening.hold') okaforHeard.push(event.data);
    });
    await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    const { code } = (await post(shah, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).json();
    const heard: Record<string, unknown>[] = [];
    const unsubscribe = haven.deps.live.subscribe(d.people.shah.id, (event) => {
      if (event.type === 'screening.hold') heard.push(event.data);
    });

    const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code, lang: 'es' } });
    const cookie = String(start.headers['set-cookie']).split(';')[0] as string;
    let last = start;
    for (const [item, value] of [
      ['q1', 'yes'],
      ['q2', 'no'],
      ['q3', 'no'],
      ['q4', 'no'],
      ['q5', 'yes'],
    ]) {
      last = await haven.app.inject({ method: 'POST', url: '/screen/answer', headers: { cookie }, payload: { instrument: 'asq', item, value, lang: 'es' } });
    }
    expect(last.headers.location).toBe('/screen/hold?lang=es');

    // The student's page, in Spanish: stay with the adult, help lines, and no way on to the next student.
    const hold = await page('/screen/hold?lang=es', cookie);
    expect(hold.body).toContain('Por favor, quédate aquí con el adulto que está en el salón.');
    expect(hold.body).toContain('tel:988');
    expect(hold.body).not.toContain('Siguiente estudiante');
    expect(hold.body).not.toContain('http-equiv="refresh"');
    expect(hold.body).toContain('>Continuar</button>');
    expect((await page('/screen/hold?lang=es', cookie)).statusCode).toBe(200);
    // Every way back to the start leads to the hold page, so the next student cannot begin on this device.
    for (const url of ['/screen', '/screen/question', '/screen/done']) expect((await page(url, cookie)).headers.location).toBe('/screen/hold');

    // Ms. Shah hears it on her screen (with the student's name) and by e-mail (without it).
    await expect.poll(() => heard.length).toBe(1);
    unsubscribe();
    // Only the proctors of Jonah's class (and whoever gave the code) hear his name.
    unsubscribeOkafor();
    expect(okaforHeard).toEqual([]);
    expect(mail.some((m) => m.to === d.people.okafor.email && m.subject === 'Keep the student with you: imminent risk')).toBe(false);
    expect(heard[0]).toMatchObject({ windowId, student: expect.stringContaining('Jonah'), school: 'Lincoln Middle School' });
    const toShah = mail.find((m) => m.to === d.people.shah.email);
    expect(toShah?.subject).toBe('Keep the student with you: imminent risk');
    expect(toShah?.text).toContain('Do not let them leave or be alone');
    expect(toShah?.text).not.toContain('Jonah');
    // Beside the crisis team's life-safety alert.
    const alerts = await haven.deps.db.system.select().from(reports).where(eq(reports.studentId, student.id));
    expect(alerts.map((r) => r.urgency)).toEqual(['life_safety']);

    // The roster says so, and only a proctor of the window releases the device.
    const roster = (await haven.app.inject({ method: 'GET', url: `/api/v1/screening/windows/${windowId}/roster`, headers: shah.headers })).json();
    const row = roster.students.find((s: { id: string }) => s.id === student.id);
    expect(row).toMatchObject({ status: 'held', heldSessionId: expect.any(String) });
    const park = await signIn(haven.app, d.people.park.email);
    expect((await post(park, `/api/v1/screening/windows/${windowId}/sessions/${row.heldSessionId}/release`)).statusCode).toBe(404);
    expect((await post(shah, `/api/v1/screening/windows/${windowId}/sessions/${row.heldSessionId}/release`)).statusCode).toBe(204);
    expect((await page('/screen/hold', cookie)).headers.location).toMatch(/^\/screen\?lang=/);
    expect((await page('/screen', cookie)).body).toContain('name="code"');

    // The PHQ-A the student never reached is kept as unknown risk, not lost.
    const history = (await haven.app.inject({ method: 'GET', url: `/api/v1/students/${student.id}/screenings`, headers: rivera.headers })).json();
    expect(history.results.map((r: { instrumentId: string; flags: string[] }) => [r.instrumentId, r.flags]).sort()).toEqual([
      ['asq', ['suicide_risk', 'imminent_risk', 'positive']],
      ['phq-a', ['risk_unknown']],
    ]);
  });
});
