import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, createStudent, password, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

/** A transient threat, as Mr. Okafor records it after talking to both students. */
const threatAssessment = {
  concern: 'Said he would get the other student after school',
  informationGathered: 'Talked with both students and the lunch supervisor',
  classification: 'transient',
  level: 'low',
  safetyMeasures: 'Both students met with the counselor; apology made',
  informed: 'Principal',
};

describe('a crisis case, worked on a phone during an incident', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('from a life-safety report to re-entry check-ins; it cannot close while the mandatory report is outstanding', async () => {
    await fetch(`${baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        description: 'Maya Torres said she has pills and wants to die tonight',
        school: d.schools.lincoln.id,
        category: 'suicide_self_harm',
        urgency: 'life_safety',
      }),
    });
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(d.people.okafor.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Crisis reports' }).waitFor();
    // On a phone the reports are cards, each a link to the report.
    await page.locator('main a[href^="/reports/"]:not([href="/reports/new"])').first().click();
    await page.getByRole('button', { name: 'Acknowledge: I have this' }).click();
    await page.getByRole('button', { name: 'Open a case' }).click();

    await page.getByRole('heading', { name: 'Suicide risk' }).waitFor();
    await page.getByLabel('Identify the student (name or number)').fill('Torres');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('button', { name: 'This is Maya Torres' }).click();
    await page.getByRole('link', { name: 'Maya Torres' }).waitFor();
    await page.getByRole('button', { name: 'Start the assessment' }).click();
    await page.getByText('Assessing', { exact: true }).waitFor();

    await page.getByRole('checkbox', { name: 'Prior suicide attempt' }).check();
    await page.getByRole('checkbox', { name: 'Access to lethal means' }).check();
    await page.getByRole('radio', { name: 'Thoughts of suicide' }).check();
    await page.getByRole('checkbox', { name: 'Has a plan' }).check();
    await page.getByRole('checkbox', { name: 'Intends to act' }).check();
    await page.getByText('Haven suggests: High').waitFor();
    await page.getByRole('radiogroup', { name: 'Your risk level' }).getByRole('radio', { name: 'High' }).check();
    await page.getByLabel('Interventions').fill('Kept in sight; pills removed; parent called to come in');
    await page.getByRole('button', { name: 'Record the assessment' }).first().click();
    // Saved, it reads as recorded (never a blank form), and the summary at the top says so.
    await page.getByRole('heading', { name: 'SAFE-T as recorded' }).waitFor();
    await page
      .getByText(/Version 1 by/)
      .first()
      .waitFor();
    await page.getByText('The risk is high: make the safety plan with the student.').waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Move to safety planning' }).click();
    await page.getByText('Safety planning', { exact: true }).first().waitFor();

    await page.getByRole('button', { name: 'Safety plan', exact: true }).click();
    await page.getByLabel('Step 1. Warning signs').fill('I stay in my room\nI stop texting friends');
    await page.getByLabel('Step 2. Things I can do on my own').fill('Listen to music\nDraw');
    await page.getByLabel('Step 4. People I can ask for help').fill('Aunt Carmen 303-555-0111');
    await page.getByLabel('Step 6. Making the environment safe').fill('Medicines locked away by mom');
    await page.getByLabel('The one thing that is most important to me and worth living for is:').fill('My little sister');
    await page.getByRole('checkbox', { name: 'Made together with the student' }).check();
    await page.getByRole('button', { name: 'Save a new version' }).click();
    await page.getByText('Version 1', { exact: true }).waitFor();
    const [print] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: 'Print (English)' }).click()]);
    await print.getByRole('heading', { name: 'My safety plan' }).waitFor();
    expect(await print.content()).toContain('988 Suicide &amp; Crisis Lifeline: call or text 988');
    await expectAccessible(print);
    await print.close();

    await page.getByRole('button', { name: 'Guardian notification', exact: true }).click();
    await page.getByLabel('Who was told').fill('Rosa Torres (mother)');
    await page.getByRole('region', { name: 'Guardian notification' }).getByLabel(/^When/).fill('2026-11-28T09:30');
    await page.getByLabel('What they said').fill('Coming to school now');
    await page.getByRole('button', { name: 'Record', exact: true }).click();
    await page.getByText(/Guardian notified: Rosa Torres/).waitFor();

    await page.getByRole('button', { name: 'Mandatory report', exact: true }).click();
    const [duty] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/mandatory-report-duty')),
      page.getByRole('button', { name: 'Abuse or neglect is suspected' }).click(),
    ]);
    expect(duty.status()).toBe(201);
    await page.getByText('A mandatory report is outstanding', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Move to monitoring' }).click();
    await page.getByText('Monitoring', { exact: true }).first().waitFor();
    // Closing opens the confirmation dialog, which says why the case cannot close yet.
    await page.getByRole('button', { name: 'Close the case' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the case' });
    await dialog.getByText('A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.').waitFor();
    expect(await dialog.getByRole('button', { name: /^Close the case/ }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Keep the case open' }).first().click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Re-entry plan', exact: true }).click();
    await page.getByLabel('Return to school').fill('2026-12-07');
    await page.getByLabel('Re-entry meeting').fill('2026-12-07T08:00');
    await page.getByLabel('Who took part').fill('Maya\nRosa Torres\nMs. Rivera');
    await page.getByRole('checkbox', { name: 'Safety plan reviewed' }).check();
    await page.getByLabel('Academic and schedule supports').fill('Shortened schedule for two weeks');
    await page.getByLabel('What teachers need to know').fill('Maya is on a shortened schedule; excuse missed work for two weeks.');
    await page.getByRole('button', { name: 'Record the re-entry plan' }).click();
    // The next two check-ins show; the rest of the ten fold behind a button that says it expands.
    const tasks = page.getByRole('region', { name: 'Tasks' });
    await tasks.getByText(/Re-entry check-in, day 7\b/).waitFor();
    expect(await tasks.getByText(/Re-entry check-in, day 42\b/).count()).toBe(0);
    const showAll = tasks.getByRole('button', { name: 'Show all 10 check-ins' });
    expect(await showAll.getAttribute('aria-expanded')).toBe('false');
    await showAll.focus();
    await page.keyboard.press('Enter');
    await tasks.getByText(/Re-entry check-in, day 42\b/).waitFor();
    await tasks.getByText(/Re-entry check-in, day 88: the end of the first 90 days/).waitFor();
    expect(await tasks.getByRole('button', { name: 'Show only the next check-ins' }).getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page);
    // A Spanish-speaking counselor reads the same tasks and timeline in Spanish, never as codes.
    await page.evaluate(() => localStorage.setItem('haven.language', 'es'));
    await page.reload();
    await page.getByRole('button', { name: 'Mostrar los 10 seguimientos' }).click();
    await page.getByText(/Seguimiento del regreso, día 88: fin de los primeros 90 días/).waitFor();
    await page.getByText(/Estado: En evaluación → Plan de seguridad\./).waitFor();
    await page.getByText(/Evaluación del riesgo de suicidio \(SAFE-T\): Alto\./).waitFor();
    await page.getByText(/Tutor avisado: Rosa Torres \(mother\) \(Teléfono\)\./).waitFor();
    await page.getByText(/Se sospecha abuso o negligencia: el reporte obligatorio debe hacerse ya/).waitFor();
    await expectAccessible(page);
    await page.evaluate(() => localStorage.setItem('haven.language', 'en'));
    await page.reload();
    await page.getByText(/Re-entry check-in, day 7\b/).waitFor();
    await page.getByRole('link', { name: '← Crisis cases' }).click();
    await page.getByRole('heading', { name: 'Crisis cases' }).waitFor();
    await page.getByRole('rowheader', { name: /Suicide risk/ }).waitFor();
    await expectAccessible(page);
    await context.close();
  });

  it("says times on the district clock (Denver), not the browser's (Tokyo); a step already done reads as done, with who and when", async () => {
    const okafor = await signIn(haven.app, d.people.okafor.email);
    const post = async (url: string, payload: object) => {
      const response = await haven.app.inject({ method: 'POST', url, headers: okafor.headers, payload });
      expect(response.statusCode).toBeLessThan(300);
      return response.json();
    };
    const { id: caseId } = await post('/api/v1/cases', {
      type: 'other_crisis',
      summary: 'Fight after lunch; a student threatened another',
      schoolId: d.schools.lincoln.id,
    });
    await post(`/api/v1/cases/${caseId}/tasks`, { title: 'Call the family back', due: '2026-12-01T09:00' });
    await post(`/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' });
    await post(`/api/v1/cases/${caseId}/threat-assessments`, threatAssessment);
    await post(`/api/v1/cases/${caseId}/transitions`, { action: 'start_monitoring' });
    for (const [language, width, height] of [
      ['en', 1280, 800],
      ['es', 390, 844],
    ] as const) {
      const context = await browser.newContext({
        viewport: { width, height },
        locale: language === 'es' ? 'es-US' : 'en-US',
        timezoneId: 'Asia/Tokyo',
        reducedMotion: 'reduce',
      });
      const page = await context.newPage();
      await page.goto(`${baseUrl}/sign-in`);
      await page.getByLabel(language === 'es' ? /^Correo electrónico/ : /^E-mail address/).fill(d.people.okafor.email);
      await page.getByLabel(language === 'es' ? /^Contraseña/ : /^Password/).fill(password);
      await page.getByRole('button', { name: language === 'es' ? 'Iniciar sesión' : 'Sign in' }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
      await page.goto(`${baseUrl}/cases/${caseId}`);
      // 9:00 in Denver is 1:00 the next day in Tokyo: the page must say the district's 9:00.
      const tasks = page.getByRole('region', { name: language === 'es' ? 'Tareas' : 'Tasks' });
      await tasks.getByText(language === 'es' ? /vence 1 dic 2026, 9:00/ : /due Dec 1, 2026, 9:00\sAM/).waitFor();
      if (language === 'en') {
        // A time typed in a form is read on the district's clock too, and shown back as typed.
        await page.getByRole('button', { name: 'Guardian notification', exact: true }).click();
        await page.getByLabel('Who was told').fill('Rosa Torres (mother)');
        await page.getByRole('region', { name: 'Guardian notification' }).getByLabel(/^When/).fill('2026-12-01T08:30');
        await page.getByRole('button', { name: 'Record', exact: true }).click();
        await page.getByText(/Rosa Torres \(mother\) was told by Phone, Dec 1, 2026, 8:30\sAM/).waitFor();
      }
      const next = page.getByRole('region', { name: language === 'es' ? 'Siguiente paso' : 'Next step' });
      // The case is assessed: no button says "Start the assessment"; the assessment reads as done, and the move back says it goes back.
      await next.getByText(language === 'es' ? /Amenaza evaluada: amenaza transitoria, por okafor/ : /Threat assessed: transient threat, by okafor/).waitFor();
      expect(await next.getByRole('button', { name: language === 'es' ? 'Empezar la evaluación' : 'Start the assessment' }).count()).toBe(0);
      expect(await next.getByRole('button', { name: language === 'es' ? 'Volver a la evaluación' : 'Back to assessing' }).getAttribute('data-variant')).toBe(
        'subtle',
      );
      await page.goto(`${baseUrl}/caseload`);
      await page
        .getByRole('listitem')
        .filter({ hasText: 'Call the family back' })
        .getByText(language === 'es' ? /\b1 dic 2026, 9:00/ : /Dec 1, 2026, 9:00\sAM/)
        .waitFor();
      await expectAccessible(page);
      await context.close();
    }
  });
});
