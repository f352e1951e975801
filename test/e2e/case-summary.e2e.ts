import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, createStudent, password, type Session, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

/**
 * Issue 16, on a phone (390 × 844) as Ms. Rivera: the case page opens with the case at a glance,
 * a recorded SAFE-T reads as recorded (never a blank form), the next step follows the case, and
 * closing goes through a dialog that asks how the case ended and says what it cancels. In English
 * and in Spanish; every page and the dialog are checked with axe.
 */
describe('the case at a glance, on a phone', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let rivera: Session;
  let riskCase: string;

  const openCase = async (type: string, summary: string) => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    const opened = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: rivera.headers,
      payload: { type, summary, studentIds: [student.id] },
    });
    expect(opened.statusCode).toBe(201);
    return opened.json().id as string;
  };
  /** Ms. Rivera on her phone, signed in through the real page, in the given language. */
  const phone = async (language: 'en' | 'es'): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: language === 'es' ? 'es-US' : 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(language === 'es' ? /^Correo electrónico/ : /^E-mail address/).fill(d.people.rivera.email);
    await page.getByLabel(language === 'es' ? /^Contraseña/ : /^Password/).fill(password);
    await page.getByRole('button', { name: language === 'es' ? 'Iniciar sesión' : 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return { context, page };
  };
  /** The description beside a term of the summary's definition list. */
  const fact = (page: Page, term: string) => page.locator('dt', { hasText: term }).first().locator('xpath=following-sibling::dd[1]');
  const noSideScroll = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    rivera = await signIn(haven.app, d.people.rivera.email);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    riskCase = await openCase('suicide_risk', 'Told a friend she has pills and wants to die tonight');
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('records a SAFE-T and sees it in the summary and as recorded; the next step moves on; closing is refused in the dialog with the reasons', async () => {
    const { context, page } = await phone('en');
    await page.goto(`${baseUrl}/cases/${riskCase}`);
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();
    await fact(page, 'Suicide risk (SAFE-T)').getByText('No SAFE-T recorded yet').waitFor();
    await page.getByText('Assess the risk: record a SAFE-T or a threat assessment.').waitFor();
    await noSideScroll(page);
    await expectAccessible(page);

    // The SAFE-T section is open: the next step is to assess.
    await page.getByRole('checkbox', { name: 'Prior suicide attempt' }).check();
    await page.getByRole('checkbox', { name: 'Access to lethal means' }).check();
    await page.getByRole('checkbox', { name: 'Connected to family' }).check();
    await page.getByRole('radio', { name: 'Thoughts of suicide' }).check();
    await page.getByRole('checkbox', { name: 'Has a plan' }).check();
    await page.getByRole('checkbox', { name: 'Intends to act' }).check();
    await page.getByRole('radiogroup', { name: 'Your risk level' }).getByRole('radio', { name: 'High' }).check();
    await page.getByLabel('Interventions').fill('Kept in sight; pills removed; mother called to come in');
    const safet = page.getByRole('region', { name: 'Suicide risk assessment (SAFE-T) and ASQ' });
    await safet.getByRole('button', { name: 'Record the assessment' }).click();

    await page.getByRole('heading', { name: 'SAFE-T as recorded' }).waitFor();
    // Focus follows to what is now shown, not left on a button that disappeared.
    await page.waitForFunction(() => document.activeElement?.textContent === 'SAFE-T as recorded');
    await page.getByText('Version 1 by rivera (Counselor)', { exact: false }).first().waitFor();
    expect(await safet.getByRole('button', { name: 'Record the assessment' }).count()).toBe(0);
    const risk = fact(page, 'Suicide risk (SAFE-T)');
    await risk.getByText('High').waitFor();
    await risk.getByText(/recorded by rivera \(Counselor\), .*\(version 1\)/).waitFor();
    await fact(page, 'Risk factors').getByText('Prior suicide attempt and Access to lethal means').waitFor();
    await fact(page, 'Guardian notice').getByText(/^Due/).waitFor();
    await page.getByText('The risk is high: make the safety plan with the student.').waitFor();
    await noSideScroll(page);
    await expectAccessible(page);

    // A new version starts from the recorded one, not from a blank form.
    await page.getByRole('button', { name: 'Record a new version' }).click();
    await page.getByRole('heading', { name: 'New version (2)' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Prior suicide attempt' }).isChecked()).toBe(true);
    expect(await page.getByRole('radiogroup', { name: 'Your risk level' }).getByRole('radio', { name: 'High' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Interventions').inputValue()).toBe('Kept in sight; pills removed; mother called to come in');
    await page.getByRole('button', { name: 'Cancel: keep the recorded version' }).click();
    await page.getByRole('heading', { name: 'SAFE-T as recorded' }).waitFor();

    // The next step takes her to the safety plan.
    await page.getByRole('button', { name: 'Go to the safety plan' }).click();
    await page.getByLabel('Step 1. Warning signs').waitFor();
    expect(await page.getByRole('button', { name: 'Safety plan', exact: true }).getAttribute('aria-expanded')).toBe('true');

    // Closing asks first, and says why it cannot close yet.
    await page.getByRole('button', { name: 'Close the case' }).click();
    const dialog = page.getByRole('dialog', { name: 'Close the case' });
    await dialog.getByText('The risk is high: make a safety plan with the student first.').waitFor();
    await dialog.getByText('Record the guardian notification, or a confirmed reason not to notify, before closing.').waitFor();
    expect(await dialog.getByRole('button', { name: /^Close the case/ }).isDisabled()).toBe(true);
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await context.close();
  });

  it('in Spanish: the summary and the recorded SAFE-T', async () => {
    const { context, page } = await phone('es');
    await page.goto(`${baseUrl}/cases/${riskCase}`);
    await page.getByRole('heading', { name: 'Resumen' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    const risk = fact(page, 'Riesgo de suicidio (SAFE-T)');
    await risk.getByText('Alto').waitFor();
    await risk.getByText(/registrado por rivera \(Consejería\), .*\(versión 1\)/).waitFor();
    await fact(page, 'Plan de seguridad').getByText('Todavía no hay').waitFor();
    await fact(page, 'Reporte obligatorio').getByText('No se requiere').waitFor();
    await page.getByText('El riesgo es alto: haga el plan de seguridad con el estudiante.').waitFor();
    await page.getByRole('button', { name: 'Evaluación del riesgo de suicidio (SAFE-T) y ASQ' }).click();
    await page.getByRole('heading', { name: 'SAFE-T registrado' }).waitFor();
    await page.getByRole('button', { name: 'Registrar una nueva versión' }).waitFor();
    await noSideScroll(page);
    await expectAccessible(page);
    await context.close();
  });

  it('closes a case through the dialog: outcome, summary, and the open tasks it cancels', async () => {
    const caseId = await openCase('other_crisis', 'Conflict with a classmate after a fight at lunch');
    const task = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/tasks`,
      headers: rivera.headers,
      payload: { title: 'Check in with Maya after lunch', due: '2026-12-01T12:30' },
    });
    expect(task.statusCode).toBe(201);
    const { context, page } = await phone('en');
    await page.goto(`${baseUrl}/cases/${caseId}`);
    await page.getByRole('heading', { name: 'At a glance' }).waitFor();

    const opener = page.getByRole('button', { name: 'Close the case' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Close the case' });
    await dialog.getByText('Closing cancels 1 open task').waitFor();
    await dialog.getByText(/Check in with Maya after lunch/).waitFor();
    const confirm = dialog.getByRole('button', { name: 'Close the case and cancel 1 task' });
    // Focus is kept inside the dialog.
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    await noSideScroll(page);
    await expectAccessible(page);

    await dialog.getByLabel(/^Summary: how did the case end\?/).fill('Both students met with the counselor and agreed to a plan; no further concern.');
    await confirm.click();
    await dialog.getByText('Choose how the case ended.').waitFor();
    await dialog.getByRole('radio', { name: 'Resolved' }).check();
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });

    await page.getByText('Closed', { exact: true }).first().waitFor();
    await fact(page, 'Closed')
      .getByText(/^Resolved, .*, by rivera \(Counselor\)$/)
      .waitFor();
    await fact(page, 'Closed').getByText('Closing cancelled 1 open task.').waitFor();
    await page.getByText('Cancelled (case closed)').waitFor();
    await page.getByText('The case is closed. Reopen it (with a reason) to add to it.').waitFor();
    await page.getByRole('button', { name: 'Reopen the case' }).waitFor();
    await noSideScroll(page);
    await expectAccessible(page);
    await context.close();
  });
});
