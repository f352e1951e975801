import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classEnrollments, classes } from '../../src/data/roster.ts';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createDistrict, createStudent, password, type Session, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

const webDist = path.resolve(process.env.HAVEN_WEB_DIST ?? 'web/dist');

/**
 * Screening day (decision 31): Ms. Rivera, who runs the window, gives Ms. Shah her homeroom on a
 * desktop; Ms. Shah, on her phone in Spanish, sees only that class, marks a consent form handed
 * in, and prints the class's codes on one page and as cards to cut out, each card in the
 * student's language. On paper only the sheet prints, with every student of the class.
 */
describe('a proctor prints the codes for her class', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let rivera: Session;
  let windowId: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) execSync('npm run build', { stdio: 'inherit' });
    haven = await startTestHaven({ webDist });
    d = await createDistrict(haven.deps);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    rivera = await signIn(haven.app, d.people.rivera.email);
    const lincoln = d.schools.lincoln.id;
    const ana = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Ana', lastName: 'Alvarez' });
    const ben = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Ben', lastName: 'Brooks', homeLanguage: 'en' });
    const carla = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Carla', lastName: 'Cruz' });
    for (const [title, members] of [
      ['Homeroom 7A', [ana.id, ben.id]],
      ['Homeroom 7B', [carla.id]],
    ] as const) {
      const classId = haven.deps.ids.uuid();
      await haven.deps.db.system.insert(classes).values({ id: classId, districtId: d.district.id, schoolId: lincoln, sourcedId: `cls-${classId}`, title });
      for (const studentId of members) {
        await haven.deps.db.system
          .insert(classEnrollments)
          .values({ id: haven.deps.ids.uuid(), districtId: d.district.id, sourcedId: `enr-${studentId}`, classId, role: 'student', studentId });
      }
    }
    const created = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/screening/windows',
      headers: rivera.headers,
      payload: { name: 'Fall check-in', schoolIds: [lincoln], grades: ['7'], instrumentIds: ['phq-a'], opensOn: '2026-11-01', closesOn: '2026-12-18' },
    });
    windowId = created.json().id;
    for (const studentId of [ana.id, carla.id]) {
      await haven.app.inject({
        method: 'POST',
        url: `/api/v1/students/${studentId}/screening-consents`,
        headers: rivera.headers,
        payload: { kind: 'consent', source: 'paper', windowId },
      });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  const signInAs = async (email: string, language: 'en' | 'es', phone: boolean): Promise<Page> => {
    const context = await browser.newContext({
      viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      isMobile: phone,
      hasTouch: phone,
      locale: language === 'es' ? 'es-US' : 'en-US',
      reducedMotion: 'reduce',
    });
    const page = await context.newPage();
    // The print dialog is the browser's: count the calls instead of opening it.
    await page.addInitScript(() => {
      const counted = window as unknown as { printed: number };
      counted.printed = 0;
      window.print = () => {
        counted.printed += 1;
      };
    });
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(language === 'es' ? /^Correo electrónico/ : /^E-mail address/).fill(email);
    await page.getByLabel(language === 'es' ? /^Contraseña/ : /^Password/).fill(password);
    await page.getByRole('button', { name: language === 'es' ? 'Iniciar sesión' : 'Sign in' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    return page;
  };
  const fitsPhone = async (page: Page) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  it('Ms. Rivera gives Ms. Shah her homeroom; Ms. Shah, on a phone in Spanish, sees only it, marks consent and prints the codes', async () => {
    const counselor = await signInAs(d.people.rivera.email, 'en', false);
    await counselor.goto(`${baseUrl}/screening/windows/${windowId}`);
    const proctors = counselor.getByRole('region', { name: 'Proctors and their classes' });
    await proctors.getByRole('combobox', { name: 'Add a proctor' }).click();
    await counselor.getByRole('option', { name: 'shah' }).click();
    await proctors.getByRole('combobox', { name: 'Classes' }).click();
    await counselor.getByRole('option', { name: /^Homeroom 7A/ }).click();
    await counselor.keyboard.press('Escape');
    await proctors.getByRole('button', { name: 'Give these classes' }).click();
    await proctors.getByRole('combobox', { name: 'Classes for shah' }).waitFor();
    await expectAccessible(counselor);
    await counselor.context().close();

    const page = await signInAs(d.people.shah.email, 'es', true);
    await page.goto(`${baseUrl}/screening/windows/${windowId}`);
    const mine = page.getByRole('region', { name: 'Sus clases en esta ventana' });
    await mine.getByText('Homeroom 7A').waitFor();
    const roster = page.getByRole('list', { name: 'Estudiantes' });
    await roster.getByRole('link', { name: 'Ana Alvarez' }).waitFor();
    await roster.getByRole('link', { name: 'Ben Brooks' }).waitFor();
    expect(await roster.getByRole('listitem').count()).toBe(2);
    expect(await page.getByText('Carla').count()).toBe(0);
    await roster.getByText('Falta consentimiento').waitFor();
    await fitsPhone(page);
    await expectAccessible(page);

    // Ben's form came back signed: select him, one action.
    await roster.getByRole('checkbox', { name: 'Seleccionar a Ben Brooks' }).check();
    await page.getByText('1 estudiante seleccionado').waitFor();
    await page.getByRole('button', { name: 'Consentimiento recibido' }).first().click();
    await page.getByText('1 estudiante marcado.').waitFor();
    await expect.poll(() => roster.getByText('Falta consentimiento').count()).toBe(0);

    // The codes on one page: every student of the class, a code for each.
    await mine.getByRole('button', { name: 'Imprimir los códigos de Homeroom 7A en una página' }).click();
    const sheet = page.getByRole('region', { name: 'Códigos del chequeo: Homeroom 7A' });
    const table = sheet.getByRole('table', { name: 'Homeroom 7A: 2 estudiantes' });
    await table.waitFor();
    const codes = await table.locator('.codes-code').allTextContents();
    expect(codes).toHaveLength(2);
    for (const code of codes) expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await table.getByRole('rowheader').allTextContents()).toEqual(['Alvarez, Ana', 'Brooks, Ben']);
    await fitsPhone(page);
    await expectAccessible(page);
    await sheet.getByRole('button', { name: 'Imprimir' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

    // On paper: the sheet alone (no app, no buttons), with both students and no one else.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#root').isVisible()).toBe(false);
    const paper = page.locator('.codes-print');
    expect(await paper.isVisible()).toBe(true);
    expect(await paper.getByRole('rowheader').allTextContents()).toEqual(['Alvarez, Ana', 'Brooks, Ben']);
    expect(await paper.locator('.codes-code').allTextContents()).toEqual(codes);
    expect(await paper.textContent()).not.toContain('Carla');
    await page.emulateMedia({ media: 'screen' });

    // As cards to cut out: name, class, code and the steps in the student's own language.
    await sheet.getByText('Tarjetas', { exact: true }).click();
    const cards = sheet.getByRole('list', { name: 'Tarjetas con los códigos de Homeroom 7A' });
    await cards.waitFor();
    const ana = cards.getByRole('listitem').filter({ hasText: 'Ana Alvarez' });
    await ana.getByText('Tu código para el chequeo').waitFor();
    expect(await ana.locator('[lang="es"]').count()).toBe(1);
    await ana.getByText('Escribe este código y pulsa Empezar.').waitFor();
    expect(await ana.textContent()).toContain('Homeroom 7A');
    expect(await ana.textContent()).toContain(codes[0]);
    const ben = cards.getByRole('listitem').filter({ hasText: 'Ben Brooks' });
    await ben.getByText('Your check-in code').waitFor();
    expect(await ben.locator('[lang="en"]').count()).toBe(1);
    await ben.getByText('Type this code and press Begin.').waitFor();
    await fitsPhone(page);
    await expectAccessible(page);
    await page.emulateMedia({ media: 'print' });
    expect(await paper.locator('.codes-card').count()).toBe(2);
    await page.emulateMedia({ media: 'screen' });

    // Printing the class again from her list, as cards or on one page, shows the same codes (no new
    // ones are asked for), so the sheet already printed keeps working.
    const issuing: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && r.url().endsWith('/codes')) issuing.push(r.url());
    });
    await mine.getByRole('button', { name: 'Imprimir los códigos de Homeroom 7A en tarjetas para recortar' }).click();
    await cards.waitFor();
    expect(await cards.locator('.codes-code').allTextContents()).toEqual(codes);
    await mine.getByRole('button', { name: 'Imprimir los códigos de Homeroom 7A en una página' }).click();
    await table.waitFor();
    expect(await table.locator('.codes-code').allTextContents()).toEqual(codes);
    expect(issuing).toEqual([]);

    // The printed code is the student's way in.
    const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: codes[1], lang: 'en' } });
    expect(start.statusCode).toBe(303);

    // Back on a later visit, the class has codes out: printing says what new codes would do and waits.
    await page.reload();
    await mine.getByRole('button', { name: 'Imprimir los códigos de Homeroom 7A en una página' }).click();
    const warning = mine.getByRole('alert').filter({ hasText: 'Homeroom 7A ya tiene códigos' });
    await warning.getByText('cualquier hoja o tarjeta ya impresa deja de funcionar').waitFor();
    await fitsPhone(page);
    await expectAccessible(page);
    await warning.getByRole('button', { name: 'Conservar los códigos impresos' }).click();
    await warning.waitFor({ state: 'detached' });
    expect(issuing).toEqual([]);
    await mine.getByRole('button', { name: 'Imprimir los códigos de Homeroom 7A en una página' }).click();
    await warning.getByRole('button', { name: 'Imprimir códigos nuevos' }).click();
    await table.waitFor();
    expect(issuing).toHaveLength(1);
    const fresh = await table.locator('.codes-code').allTextContents();
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).not.toBe(codes[0]);
    await page.context().close();
  });
});
