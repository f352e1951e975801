import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { guardians, studentGuardians } from '../../data/students.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { noticeLetter } from './notice.text.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload?: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

async function openWindow() {
  const created = await post(rivera, '/api/v1/screening/windows', {
    name: 'Fall wellness check',
    schoolIds: [d.schools.lincoln.id],
    grades: ['7'],
    instrumentIds: ['phq-a', 'asq'],
    opensOn: '2026-11-01',
    closesOn: '2026-12-18',
  });
  return created.json().id as string;
}

/** A consented student, a code, and the screen started on a shared computer: returns the screen cookie. */
async function startScreen(windowId: string, firstName: string, lang: 'en' | 'es') {
  const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName });
  await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
  const { code } = (await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).json();
  const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code, lang } });
  return { student, cookie: String(start.headers['set-cookie']).split(';')[0] as string };
}
const screen = (method: 'GET' | 'POST', url: string, cookie: string, payload?: Record<string, string>) =>
  haven.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

describe('families may see the questions first (PPRA)', () => {
  it('the e-mailed and printed notices link to each instrument in the family’s language; the page shows every question', async () => {
    const windowId = await openWindow();
    await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' }); // Rosa, no e-mail, reads Spanish
    const english = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ben', homeLanguage: 'en' });
    const [family] = await haven.deps.db.system.select().from(studentGuardians).where(eq(studentGuardians.studentId, english.id));
    await haven.deps.db.system
      .update(guardians)
      .set({ preferredLanguage: 'en', email: `ben.${d.district.slug}@family.test` })
      .where(eq(guardians.id, family?.guardianId as string));

    expect((await post(rivera, `/api/v1/screening/windows/${windowId}/notices`)).json()).toMatchObject({ emailed: 1, needPrintedLetter: 1 });
    await sendOutbox(haven.deps);
    const letter = mail.find((m) => m.to === `ben.${d.district.slug}@family.test`);
    expect(letter?.text).toContain('You may see the questions before your child answers them (your right under federal law, PPRA):');
    expect(letter?.text).toContain('- PHQ-A depression screen for adolescents: http://haven.test/screening/instruments/phq-a?lang=en');
    expect(letter?.text).toContain('Your permission is for this screening only (2026-11-01 to 2026-12-18); we will ask again before the next one.');
    expect(letter?.text).toContain('Your child may also choose not to take part on the day');

    const print = (await get(rivera, `/api/v1/screening/windows/${windowId}/notices/print`)).body;
    expect(print).toContain('Puede ver las preguntas antes de que su hijo o hija las conteste');
    expect(print).toContain(
      '- Evaluación de depresión PHQ-A para adolescentes: <a href="http://haven.test/screening/instruments/phq-a?lang=es">http://haven.test/screening/instruments/phq-a?lang=es</a>',
    );
    expect(print).toContain('Su permiso es solo para esta evaluación (del 2026-11-01 al 2026-12-18)');

    // The page the link opens: no sign-in, no cookie, nothing about any student.
    const page = await haven.app.inject({ method: 'GET', url: '/screening/instruments/phq-a?lang=es' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['set-cookie']).toBeUndefined();
    expect(page.body).toContain('<html lang="es">');
    expect(page.body).toContain('<h1>Evaluación de depresión PHQ-A para adolescentes: las preguntas</h1>');
    expect(page.body).toContain('Las preguntas aparecen en inglés porque todavía no hay una traducción validada');
    expect(page.body).toContain('<span lang="en">Thoughts that you would be better off dead, or of hurting yourself in some way?</span>');
    expect(page.body.match(/<li>/g)).toHaveLength(13);
    expect(page.body).toContain('href="/screening/instruments/phq-a?lang=en"');
    const inEnglish = await haven.app.inject({ method: 'GET', url: '/screening/instruments/asq', headers: { 'accept-language': 'en-US' } });
    expect(inEnglish.body).toContain('ASQ');
    expect(inEnglish.body).not.toContain('traducción');

    const unknown = await haven.app.inject({ method: 'GET', url: '/screening/instruments/c-ssrs?lang=es&lang=en' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('href="/screening/instruments/phq-a?lang=');
  });

  it("a district's own instrument is not published; the letter says to ask the school for a copy", () => {
    const facts = { studentFirstName: 'Maya', schoolName: 'Lincoln', districtName: 'D', opensOn: '2026-11-01', closesOn: '2026-12-18', noticeDays: 14 };
    const own = [{ title: 'C-SSRS screener', url: null }];
    expect(noticeLetter('en', { ...facts, instruments: own, policy: 'passive' }).body).toContain('- C-SSRS screener: ask the school counselor for a copy.');
    const es = noticeLetter('es', { ...facts, instruments: own, policy: 'passive' }).body;
    expect(es).toContain('- C-SSRS screener: pida una copia al consejero escolar.');
    expect(es).toContain('También puede pedirnos que no participe en ninguna evaluación durante este año escolar.');
  });
});

describe("taking part is the student's choice", () => {
  it('Maya chooses "I\'d rather not": the screen ends kindly with the help lines, the roster says declined (not absent), and the device is ready for the next student', async () => {
    const windowId = await openWindow();
    const { student, cookie } = await startScreen(windowId, 'Maya', 'en');
    const first = await screen('GET', '/screen/question?lang=en', cookie);
    expect(first.body).toContain('<h2 id="choice-title">Taking part is your choice.</h2>');
    expect(first.body).toContain('<form method="post" action="/screen/decline">');
    expect(first.body).toContain('I&#39;d rather not');

    const declined = await screen('POST', '/screen/decline', cookie, { lang: 'en' });
    expect(declined.statusCode).toBe(303);
    expect(declined.headers.location).toBe('/screen/declined?lang=en');
    expect(String(declined.headers['set-cookie'])).toMatch(/haven_screen=;/);
    const kind = await screen('GET', declined.headers.location as string, cookie);
    expect(kind.body).toContain('That is okay. Thank you for telling us.');
    expect(kind.body).toContain('nothing bad will happen because you said no');
    expect(kind.body).toContain('href="tel:988"');
    expect(kind.body).toContain('Colorado Crisis Services: call 1-844-493-8255 or text TALK to 38255');
    expect(kind.body).toContain('<a class="primary" href="/screen?lang=en">Next student</a>');
    // The old screen is over: its questions are gone.
    const after = await screen('GET', '/screen/question?lang=en', cookie);
    expect(after.headers.location).toBe('/screen?lang=en');

    const roster = (await get(rivera, `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(roster.students.find((s: { id: string }) => s.id === student.id)).toMatchObject({ status: 'declined' });
    const dashboard = (await get(rivera, `/api/v1/screening/windows/${windowId}/dashboard`)).json();
    expect(dashboard.schools[0]).toMatchObject({ declined: 1, absent: 0, screened: 0 });
    const absent = await post(rivera, `/api/v1/screening/windows/${windowId}/absent`, { studentId: student.id });
    expect(absent.statusCode).toBe(400);
    expect(absent.json().detail).toBe('This student chose not to take part in this window; that is their choice, not an absence.');
    const { rows } = await haven.deps.db.system.$client.query(
      `select action from audit_events where district_id = $1 and student_id = $2 and action = 'screening.declined'`,
      [d.district.id, student.id],
    );
    expect(rows).toHaveLength(1);

    // If Maya asks later, the proctor may give her a new code.
    haven.clock.advance(10 * 60_000);
    expect((await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).statusCode).toBe(201);
    const again = (await get(rivera, `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(again.students.find((s: { id: string }) => s.id === student.id).status).toBe('issued');
  });

  it('on a Spanish screen Lucía is told before the first question which parts are in English (no validated Spanish yet), not surprised mid-way', async () => {
    const windowId = await openWindow();
    const { cookie } = await startScreen(windowId, 'Lucía', 'es');
    const first = (await screen('GET', '/screen/question?lang=es', cookie)).body;
    const note =
      'Antes de empezar: Todas las preguntas de este chequeo están en inglés, porque todavía no tenemos una traducción al español revisada por expertos.';
    expect(first).toContain(note);
    // Before the choice to take part and before the question itself.
    expect(first.indexOf(note)).toBeLessThan(first.indexOf('Participar es tu decisión.'));
    expect(first.indexOf(note)).toBeLessThan(first.indexOf('<legend'));
    const instrument = /name="instrument" value="([^"]+)"/.exec(first)?.[1] as string;
    const item = /name="item" value="([^"]+)"/.exec(first)?.[1] as string;
    await screen('POST', '/screen/answer', cookie, { instrument, item, value: '0', lang: 'es' });
    expect((await screen('GET', '/screen/question?lang=es', cookie)).body).not.toContain('Antes de empezar');
    // In English there is nothing to warn about.
    const { cookie: english } = await startScreen(windowId, 'Ben', 'en');
    expect((await screen('GET', '/screen/question?lang=en', english)).body).not.toContain('id="language-note"');
  });

  it('in Spanish too; once a question is answered the choice is to skip questions, and every answer is kept', async () => {
    const windowId = await openWindow();
    const { cookie } = await startScreen(windowId, 'Lucía', 'es');
    const first = await screen('GET', '/screen/question?lang=es', cookie);
    expect(first.body).toContain('Participar es tu decisión.');
    expect(first.body).toContain('Prefiero no hacerlo');
    const instrument = /name="instrument" value="([^"]+)"/.exec(first.body)?.[1] as string;
    const item = /name="item" value="([^"]+)"/.exec(first.body)?.[1] as string;
    await screen('POST', '/screen/answer', cookie, { instrument, item, value: '0', lang: 'es' });
    const second = await screen('GET', '/screen/question?lang=es', cookie);
    expect(second.body).not.toContain('/screen/decline');
    const late = await screen('POST', '/screen/decline', cookie, { lang: 'es' });
    expect(late.headers.location).toBe('/screen/question?lang=es');

    const { cookie: other } = await startScreen(windowId, 'Mateo', 'es');
    const declined = await screen('POST', '/screen/decline', other, { lang: 'es' });
    const kind = await screen('GET', declined.headers.location as string, other);
    expect(kind.body).toContain('<html lang="es">');
    expect(kind.body).toContain('Está bien. Gracias por decírnoslo.');
    expect(kind.body).toContain('Siguiente estudiante');
    // Without a screen (an old bookmark, a bad cookie), nothing is recorded and the code form returns.
    const stray = await screen('POST', '/screen/decline', 'haven_screen=nonsense', { lang: 'es' });
    expect(stray.headers.location).toBe('/screen?lang=es');
  });
});
