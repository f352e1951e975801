import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screeningSessions } from '../../src/data/screening.ts';
import { holdForProctor } from '../../src/features/screening/hold.service.ts';
import { closeAbandonedScreens, startScreen } from '../../src/features/screening/screen.service.ts';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, createStudent, password, type Session, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

type Language = 'en' | 'es';
const words = {
  en: {
    reports: 'Crisis reports',
    followUps: 'Follow-up queue',
    roster: 'Students',
    release: /^Release the device/,
    openWindow: 'Open the screening window',
    dismiss: 'Dismiss',
    riskUnknown: 'Risk unknown',
    lifeSafety: 'Life-safety',
    teams: 'Crisis teams and on-call',
    removeShift: 'Remove Elena Rivera, Monday 00:00–00:00',
    stepLabel: 'Step 4: district',
    search: 'Find a student by name or number',
  },
  es: {
    reports: 'Reportes de crisis',
    followUps: 'Seguimientos pendientes',
    roster: 'Estudiantes',
    release: /^Liberar el aparato/,
    openWindow: 'Abrir la ventana de evaluación',
    dismiss: 'Descartar',
    riskUnknown: 'Riesgo desconocido',
    lifeSafety: 'Vida en riesgo',
    teams: 'Equipos de crisis y guardias',
    removeShift: 'Quitar a Elena Rivera, lunes 00:00–00:00',
    stepLabel: 'Paso 4: distrito',
    search: 'Buscar un estudiante por nombre o número',
  },
} as const;

/**
 * From the walk through the app on a phone: the crisis reports, the follow-up queue and a
 * screening window's roster fit a 390 px screen in English and Spanish (no sideways scrolling,
 * badges whole, every button on screen), pass axe, show no raw codes, and a student the proctor
 * must keep close offers only the release. The same pages on a desktop keep their tables.
 */
describe('the crisis and screening lists on a phone', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let rivera: Session;
  let windowId: string;
  let heldStudent: string;
  const pending: string[] = [];

  const post = async (session: Session, url: string, payload: unknown) => {
    const response = await haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
    expect(response.statusCode, `${url}: ${response.body}`).toBeLessThan(300);
    return response.json();
  };
  const student = async (firstName: string, lastName: string, consented = true) => {
    const { id } = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName, lastName });
    if (consented) await post(rivera, `/api/v1/students/${id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    return id;
  };
  const issue = async (studentId: string) => {
    const { code } = await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId });
    const [session] = await haven.deps.db.system
      .select()
      .from(screeningSessions)
      .where(and(eq(screeningSessions.studentId, studentId), eq(screeningSessions.status, 'issued')));
    if (!session) throw new Error('no session');
    return { code: code as string, sessionId: session.id };
  };
  /** Ms. Rivera (counselor, on call) or Ms. Whitfield (district administrator), signed in through the real page. */
  const open = async (who: 'rivera' | 'whitfield', language: Language, phone = true): Promise<{ context: BrowserContext; page: Page }> => {
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
    return { context, page };
  };
  /** No sideways scrolling, no badge cut short, no raw code (snake_case) in the text, axe clean. */
  const checkPage = async (page: Page, width: number) => {
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('.mantine-Badge-label')].filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent),
    );
    expect(cut).toEqual([]);
    expect(await page.locator('main').textContent()).not.toMatch(/\b[a-z]+_[a-z_]+\b/);
    await expectAccessible(page);
  };
  /** Every button on the page lies inside the screen's width. */
  const buttonsOnScreen = async (page: Page, width: number) => {
    const off = await page.evaluate(
      (w) =>
        [...document.querySelectorAll('main button, main a.mantine-Button-root')]
          .filter((b) => {
            const box = b.getBoundingClientRect();
            return box.width > 0 && (box.left < 0 || box.right > w);
          })
          .map((b) => b.getAttribute('aria-label') ?? b.textContent),
      width,
    );
    expect(off).toEqual([]);
  };

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    rivera = await signIn(haven.app, d.people.rivera.email);
    windowId = (
      await post(rivera, '/api/v1/screening/windows', {
        name: 'Fall wellness check',
        schoolIds: [d.schools.lincoln.id],
        grades: ['7'],
        instrumentIds: ['phq-a'],
        opensOn: '2026-11-01',
        closesOn: '2026-12-18',
      })
    ).id;

    // The roster: one student to keep close, one with a code, one waiting for consent, one absent, one ready, long names.
    heldStudent = await student('Ava', 'Adams');
    const held = await issue(heldStudent);
    await holdForProctor(haven.deps, { sessionId: held.sessionId, districtId: d.district.id, token: 'held-device' });
    await issue(await student('Bruno', 'Castillo'));
    await student('Chidinma', 'Okonkwo-Villanueva', false);
    await post(rivera, `/api/v1/screening/windows/${windowId}/absent`, { studentId: await student('Dmitri', 'Ivanov') });
    await student('Maximiliano Alejandro', 'Fernández de la Santísima Trinidad');
    pending.push(await student('Hana', 'Yamamoto'), await student('Ines', 'Quispe'));

    // The follow-up queue: a screen left before the suicide question, and an emergency ASQ that raised an alert.
    const left = await student('Eli', 'Nakamura');
    const { code, sessionId } = await issue(left);
    expect(await startScreen(haven.deps, code, 'en')).toHaveProperty('token');
    await closeAbandonedScreens(haven.deps, { sessionIds: [sessionId] });
    const okafor = await signIn(haven.app, d.people.okafor.email);
    await post(okafor, `/api/v1/students/${await student('Farah', 'Haddad', false)}/screenings`, {
      instrumentId: 'asq',
      emergency: true,
      answers: { q1: 'yes', q2: 'no', q3: 'no', q4: 'no', q5: 'no' },
    });

    // Crisis reports from the web form, at every urgency.
    for (const report of [
      { description: 'A boy showed a knife on the bus', category: 'weapon', urgency: 'life_safety' },
      { description: 'Some kids keep taking her lunch', category: 'bullying_harassment', urgency: 'urgent' },
      { description: 'My friend seems very sad lately', category: 'mental_health_worry', urgency: 'routine' },
    ]) {
      const response = await fetch(`${baseUrl}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...report, school: d.schools.lincoln.id }),
      });
      expect(response.status).toBeLessThan(300);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  for (const language of ['en', 'es'] as const) {
    const w = words[language];
    it(`${language}: the reports, the follow-up queue and the roster fit a 390 px phone; a held student offers only the release`, async () => {
      const { context, page } = await open('rivera', language);

      await page.goto(`${baseUrl}/reports`);
      await page.getByRole('heading', { name: w.reports, level: 1 }).waitFor();
      await page.getByRole('list', { name: w.reports }).getByText(w.lifeSafety, { exact: true }).first().waitFor();
      await checkPage(page, 390);
      await buttonsOnScreen(page, 390);

      await page.goto(`${baseUrl}/screening/follow-ups`);
      await page.getByRole('heading', { name: w.followUps, level: 1 }).waitFor();
      await page.getByText(w.riskUnknown).first().waitFor();
      await page.getByText('Haddad, Farah').waitFor();
      await checkPage(page, 390);
      await buttonsOnScreen(page, 390);

      await page.goto(`${baseUrl}/screening/windows/${windowId}`);
      const roster = page.getByRole('list', { name: w.roster });
      await roster.getByRole('link', { name: 'Ava Adams' }).waitFor();
      await checkPage(page, 390);
      await buttonsOnScreen(page, 390);
      // The student to keep close: the release, and nothing else.
      const heldRow = page.locator(`[data-student="${heldStudent}"]`);
      const buttons = heldRow.getByRole('button');
      expect(await buttons.count()).toBe(1);
      expect(await buttons.first().getAttribute('aria-label')).toMatch(w.release);
      // The hold alert opens the roster section, above everything else in it.
      const first = page.getByRole('region', { name: w.roster }).getByRole('alert').first();
      expect(await first.textContent()).toContain('Ava Adams');
      // A name or number finds one student among many.
      await page.getByLabel(w.search).fill('fernandez');
      await expect.poll(() => roster.getByRole('listitem').count()).toBe(1);
      await context.close();
    });

    it(`${language}: on a desktop the same pages keep their tables and pass axe`, async () => {
      const { context, page } = await open('rivera', language, false);
      await page.goto(`${baseUrl}/reports`);
      await page.getByRole('heading', { name: w.reports, level: 1 }).waitFor();
      await page.getByRole('table').first().waitFor();
      await checkPage(page, 1280);
      await page.goto(`${baseUrl}/screening/follow-ups`);
      await page.getByRole('rowheader', { name: /Haddad, Farah/ }).waitFor();
      await checkPage(page, 1280);
      await page.goto(`${baseUrl}/screening/windows/${windowId}`);
      await page.getByRole('rowheader', { name: /Ava Adams/ }).waitFor();
      expect(await page.locator(`[data-student="${heldStudent}"]`).getByRole('button').count()).toBe(1);
      await checkPage(page, 1280);
      await context.close();
    });

    it(`${language}: the live hold alert names its button and its close button in words`, async () => {
      const { context, page } = await open('rivera', language);
      await page.goto(`${baseUrl}/screening/windows/${windowId}`);
      await page.getByRole('list', { name: w.roster }).waitFor();
      const studentId = pending.shift() as string;
      const { sessionId } = await issue(studentId);
      await holdForProctor(haven.deps, { sessionId, districtId: d.district.id, token: `device-${language}` });
      const banner = page.getByRole('main').getByRole('alert').first();
      await banner.getByRole('link', { name: w.openWindow }).waitFor();
      await banner.getByRole('button', { name: w.dismiss }).waitFor();
      await checkPage(page, 390);
      await banner.getByRole('button', { name: w.dismiss }).click();
      // The roster shows the new hold, with only its release.
      await expect.poll(() => page.locator(`[data-student="${studentId}"]`).getByRole('button').count()).toBe(1);
      await context.close();
    });

    it(`${language}: the crisis teams page fits a phone; each Remove says what it removes; each wait box is labelled`, async () => {
      const { context, page } = await open('whitfield', language);
      await page.goto(`${baseUrl}/crisis-teams`);
      await page.getByRole('heading', { name: w.teams, level: 1 }).waitFor();
      await page.getByRole('button', { name: w.removeShift }).first().waitFor();
      expect(await page.getByText(w.stepLabel, { exact: true }).count()).toBe(3);
      expect(await page.locator('main').textContent()).not.toContain('America/Denver');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectAccessible(page);
      await context.close();
    });
  }
});
