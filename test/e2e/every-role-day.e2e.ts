import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classEnrollments, classes } from '../../src/data/roster.ts';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, createStudent, password, type Session, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

type Language = 'en' | 'es';
type Persona = 'rivera' | 'shah' | 'lee';

/**
 * Issue 16, "every role's day": what a walk through the app as each role found, on a 390 px phone
 * and a desktop, in English and Spanish. Ms. Rivera (counselor) works a case in monitoring and her
 * caseload; Ms. Shah (teacher) proctors her homeroom; Mx. Lee (analyst) reads the dashboard.
 */
describe("every role's day", () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let rivera: Session;
  let caseId: string;
  let windowId: string;

  const post = async (url: string, payload: unknown = {}, method: 'POST' | 'PUT' = 'POST') => {
    const response = await haven.app.inject({ method, url, headers: rivera.headers, payload: payload as Record<string, unknown> });
    expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };
  const open = async (who: Persona, language: Language, phone = true): Promise<Page> => {
    const context = await browser.newContext({
      viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      isMobile: phone,
      hasTouch: phone,
      locale: language === 'es' ? 'es-US' : 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(language === 'es' ? /^Correo electrónico/ : /^E-mail address/).fill(d.people[who].email);
    await page.getByLabel(language === 'es' ? /^Contraseña/ : /^Password/).fill(password);
    await page.getByRole('button', { name: language === 'es' ? 'Iniciar sesión' : 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  };
  const fits = async (page: Page, width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    rivera = await signIn(haven.app, d.people.rivera.email);
    const lincoln = d.schools.lincoln.id;

    // Maya's case, assessed at low risk and now in monitoring, with a check-in task still to do.
    const maya = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Maya', lastName: 'Torres' });
    caseId = (await post('/api/v1/cases', { type: 'suicide_risk', summary: 'Said she felt hopeless', studentIds: [maya.id] })).id;
    await post(`/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' });
    await post(`/api/v1/cases/${caseId}/suicide-assessments`, {
      riskFactors: [],
      protectiveFactors: ['connected_to_family'],
      inquiry: { ideation: 'passive', plan: false, behaviour: 'none', intent: false },
      level: 'low',
      interventions: 'Talked with her; mother informed',
    });
    await post(`/api/v1/cases/${caseId}/transitions`, { action: 'start_monitoring' });
    await post(`/api/v1/cases/${caseId}/tasks`, { title: 'Check in with Maya after lunch', due: '2026-11-30T12:30' });

    // Ms. Shah's homeroom: thirty students, too many for one phone screen, none with consent yet.
    const classId = haven.deps.ids.uuid();
    await haven.deps.db.system
      .insert(classes)
      .values({ id: classId, districtId: d.district.id, schoolId: lincoln, sourcedId: `cls-${classId}`, title: 'Homeroom 7A' });
    for (let i = 0; i < 30; i++) {
      const { id } = await createStudent(haven.deps, d.district.id, lincoln, { firstName: `Kid${String(i).padStart(2, '0')}`, lastName: 'Homeroom' });
      await haven.deps.db.system
        .insert(classEnrollments)
        .values({ id: haven.deps.ids.uuid(), districtId: d.district.id, sourcedId: `enr-${id}`, classId, role: 'student', studentId: id });
    }
    windowId = (
      await post('/api/v1/screening/windows', {
        name: 'Fall check-in',
        schoolIds: [lincoln],
        grades: ['7'],
        instrumentIds: ['phq-a'],
        opensOn: '2026-11-01',
        closesOn: '2026-12-18',
      })
    ).id;
    await post(`/api/v1/screening/windows/${windowId}/proctors/${d.people.shah.id}`, { classIds: [classId] }, 'PUT');
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('a case in monitoring: closing is the filled button, going back is quiet; a task is marked done and says so legibly', async () => {
    // While the guardian is still to be told, that is the one filled button; no status change is.
    const first = await open('rivera', 'en');
    await first.goto(`${baseUrl}/cases/${caseId}`);
    const steps = first.getByRole('region', { name: 'Next step' });
    await steps.getByRole('button', { name: 'Close the case', exact: true }).waitFor();
    expect(await steps.locator('button[data-variant="filled"]').allTextContents()).toEqual(['Go to the guardian notification']);
    expect(await steps.getByRole('button', { name: 'Back to assessing', exact: true }).getAttribute('data-variant')).toBe('subtle');
    await first.context().close();
    await post(`/api/v1/cases/${caseId}/guardian-notices`, {
      notified: true,
      guardianName: 'Rosa Torres (mother)',
      method: 'phone',
      at: '2026-11-28T08:30:00-07:00',
    });

    for (const [language, phone] of [
      ['en', true],
      ['es', false],
    ] as const) {
      const page = await open('rivera', language, phone);
      await page.goto(`${baseUrl}/cases/${caseId}`);
      const next = page.getByRole('region', { name: language === 'es' ? 'Siguiente paso' : 'Next step' });
      const button = (name: string) => next.getByRole('button', { name, exact: true });
      await button(language === 'es' ? 'Cerrar el caso' : 'Close the case').waitFor();
      expect(await button(language === 'es' ? 'Cerrar el caso' : 'Close the case').getAttribute('data-variant')).toBe('filled');
      expect(await button(language === 'es' ? 'Volver a la evaluación' : 'Back to assessing').getAttribute('data-variant')).toBe('subtle');
      expect(await button(language === 'es' ? 'Volver al plan de seguridad' : 'Back to safety planning').getAttribute('data-variant')).toBe('subtle');
      await expectAccessible(page);
      await fits(page, phone ? 390 : 1280);
      if (language === 'es') {
        // A new version of the SAFE-T starts from the last: Haven's suggestion says why in Spanish.
        await page.getByRole('button', { name: 'Evaluación del riesgo de suicidio (SAFE-T) y ASQ' }).click();
        await page.getByRole('button', { name: 'Registrar una nueva versión' }).click();
        const suggestion = page.getByRole('alert').filter({ hasText: 'Haven sugiere: Bajo' });
        await suggestion.getByText('pensamientos de muerte sin plan, intención ni conducta', { exact: true }).waitFor();
      }
      await page.context().close();
    }

    const page = await open('rivera', 'en');
    await page.goto(`${baseUrl}/cases/${caseId}`);
    const tasks = page.getByRole('region', { name: 'Tasks' });
    // An action, named for its task; never a bare "Done" that reads like a status.
    await tasks.getByRole('button', { name: 'Mark done: Check in with Maya after lunch' }).click();
    await tasks.getByText('Done', { exact: true }).waitFor();
    expect(await tasks.getByRole('button', { name: /^Mark done/ }).count()).toBe(0);
    await expectAccessible(page);
    await page.evaluate(() => localStorage.setItem('haven.language', 'es'));
    await page.reload();
    await page.getByRole('region', { name: 'Tareas' }).getByText('Hecha', { exact: true }).waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it("Ms. Rivera's caseload names the student of each task, linked to the case; in Spanish, the tasks Haven made are in Spanish", async () => {
    await post(`/api/v1/cases/${caseId}/tasks`, { title: 'Call Maya’s mother', due: '2026-12-01T09:00' });
    await post(`/api/v1/cases/${caseId}/reentry-plans`, {
      participants: ['Maya', 'Rosa Torres', 'Ms. Rivera'],
      safetyPlanReviewed: true,
      supports: 'Shortened schedule for two weeks',
      teacherSummary: 'Maya is back on a shortened schedule.',
      returnDate: '2026-12-04',
      meetingAt: '2026-12-03T15:30:00-07:00',
      pointPersonUserId: d.people.rivera.id,
    });
    const page = await open('rivera', 'en');
    await page.goto(`${baseUrl}/caseload`);
    const mine = page.getByRole('region', { name: 'My case tasks' });
    const link = mine.getByRole('link', { name: 'Maya Torres: Call Maya’s mother' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe(`/cases/${caseId}`);
    await mine.getByRole('link', { name: 'Maya Torres: Re-entry check-in, day 7', exact: true }).waitFor();
    // The case's next two check-ins show; the rest of the plan's check-ins wait behind a button that says it expands.
    expect(await mine.getByRole('link', { name: /Re-entry check-in, day 42\b/ }).count()).toBe(0);
    const showAll = mine.getByRole('button', { name: /^Show all \d+ check-ins$/ });
    expect(await showAll.getAttribute('aria-expanded')).toBe('false');
    await showAll.click();
    await mine.getByRole('link', { name: /Re-entry check-in, day 42\b/ }).waitFor();
    expect(await mine.getByRole('button', { name: 'Show only the next check-ins' }).getAttribute('aria-expanded')).toBe('true');
    await fits(page, 390);
    await expectAccessible(page);
    await page.context().close();

    const spanish = await open('rivera', 'es');
    await spanish.goto(`${baseUrl}/caseload`);
    const tareas = spanish.getByRole('region', { name: 'Mis tareas de casos' });
    await tareas.getByRole('link', { name: 'Maya Torres: Reunirse con el estudiante en su primer día de regreso' }).waitFor();
    await tareas.getByRole('link', { name: 'Maya Torres: Seguimiento del regreso, día 7', exact: true }).waitFor();
    // What a person typed stays as typed.
    await tareas.getByRole('link', { name: 'Maya Torres: Call Maya’s mother' }).waitFor();
    expect(await tareas.getByText(/Re-entry|Check in with/).count()).toBe(0);
    await fits(spanish, 390);
    await expectAccessible(spanish);
    await spanish.context().close();
  });

  it('the student list pages with named buttons, in English and Spanish', async () => {
    for (const [language, previous, next] of [
      ['en', 'Previous page', 'Next page'],
      ['es', 'Página anterior', 'Página siguiente'],
    ] as const) {
      const page = await open('rivera', language, language === 'en');
      await page.goto(`${baseUrl}/students`);
      await page.getByRole('button', { name: next }).click();
      await page.waitForURL(/page=2/);
      await page.getByRole('button', { name: previous }).waitFor();
      await expectAccessible(page);
      await page.context().close();
    }
  });

  it('Mx. Lee, analyst, lands on the leadership dashboard; its Training tab fits a phone in Spanish', async () => {
    const page = await open('lee', 'es');
    await page.waitForURL(/\/leadership$/);
    await page.getByRole('tab', { name: 'Formación' }).click();
    await page.getByRole('region', { name: 'Cobertura por escuela' }).waitFor();
    await fits(page, 390);
    await expectAccessible(page);
    await page.context().close();
  });

  it('Ms. Shah, teacher, proctors on a phone: no request she may not make, and the marks bar stays in reach down the list', async () => {
    const page = await open('shah', 'en');
    const refused: string[] = [];
    page.on('response', (r) => {
      if (r.url().includes('/api/') && r.status() >= 400) refused.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${baseUrl}/screening/windows/${windowId}`);
    const roster = page.getByRole('list', { name: 'Students' });
    await roster.getByRole('checkbox', { name: 'Select Kid00 Homeroom' }).check();
    const bar = page.getByRole('region', { name: 'Mark the selected students' });
    await bar.getByText('1 student selected').waitFor();
    // Further down the list, the bar is still on screen, at the bottom; the student ticked is not under it.
    const far = roster.getByRole('checkbox', { name: 'Select Kid20 Homeroom' });
    await far.scrollIntoViewIfNeeded();
    await far.check();
    await bar.getByText('2 students selected').waitFor();
    const box = await bar.boundingBox();
    const tick = await far.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 844 + 1).toBe(true);
    expect(box && tick && tick.y + tick.height <= box.y).toBe(true);
    await fits(page, 390);
    await expectAccessible(page);
    await bar.getByRole('button', { name: 'Absent' }).click();
    await page.getByText('2 students marked.').waitFor();
    await bar.waitFor({ state: 'detached' });
    // The screening page offers no follow-up queue she could not open.
    await page.goto(`${baseUrl}/screening`);
    await page.getByRole('heading', { name: 'Screening', level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Follow-up queue' }).count()).toBe(0);
    expect(refused).toEqual([]);
    await page.context().close();
  });

  it('Ms. Shah reads in Spanish why a student of her homeroom cannot be screened yet', async () => {
    const roster = (await haven.app.inject({ method: 'GET', url: `/api/v1/screening/windows/${windowId}/roster`, headers: rivera.headers })).json();
    const kid01 = roster.students.find((s: { name: string }) => s.name === 'Homeroom, Kid01');
    await post(`/api/v1/students/${kid01.id}/screening-consents`, { kind: 'opt_out', source: 'phone', scope: 'school_year' });
    const page = await open('shah', 'es');
    await page.goto(`${baseUrl}/screening/windows/${windowId}`);
    const students = page.getByRole('list', { name: 'Estudiantes' });
    await students.getByText('La familia pidió que no participe en ninguna evaluación del año escolar 2026-27.', { exact: true }).waitFor();
    await students
      .getByText('Hace falta el consentimiento por escrito de un tutor para esta ventana (o el del propio estudiante desde los 12 años).', { exact: true })
      .first()
      .waitFor();
    expect(await students.getByText(/consent from a guardian|The family opted out/).count()).toBe(0);
    await fits(page, 390);
    await expectAccessible(page);
    await page.context().close();
  });
});
