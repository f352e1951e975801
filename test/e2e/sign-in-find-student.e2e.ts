import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createDistrict, createStudent, password, teachClass } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

const webDist = path.resolve('web/dist');

describe('a counselor signs in, finds a student and opens the profile', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let district: Awaited<ReturnType<typeof createDistrict>>;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) execSync('npm run build', { stdio: 'inherit' });
    haven = await startTestHaven({ webDist });
    district = await createDistrict(haven.deps);
    await createStudent(haven.deps, district.district.id, district.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    const jonah = await createStudent(haven.deps, district.district.id, district.schools.lincoln.id, { firstName: 'Jonah', lastName: 'Bell' });
    // Ms. Shah teaches Jonah's class, so he is among the students she finds (Maya is not).
    await teachClass(haven.deps, district.district.id, district.schools.lincoln.id, district.people.shah.email, [jonah.id]);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('Ms. Rivera signs in, searches for Maya, and reads her profile', async () => {
    const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await page.goto(`${baseUrl}/students`);
    await expect.poll(() => page.url()).toContain('/sign-in');
    await page.getByRole('heading', { name: 'Sign in to Haven' }).waitFor();
    await expectAccessible(page);

    await page.getByLabel(/^E-mail address/).fill(district.people.rivera.email);
    await page.getByLabel(/^Password/).fill('wrong password entirely');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not right' }).waitFor();

    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Students' }).waitFor();
    await page.getByRole('status').filter({ hasText: '2 students' }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Search by name or student number').fill('torr');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: '1 student' }).waitFor();
    await page.getByRole('link', { name: 'Torres, Maya' }).click();

    await page.getByRole('heading', { name: 'Maya Torres' }).waitFor();
    await page.getByRole('heading', { name: 'Protected information' }).waitFor();
    await expect.poll(() => page.getByText('Rosa Torres').count()).toBe(1);
    await expectAccessible(page);

    const { rows } = await haven.deps.db.system.$client.query(
      `select count(*)::int as n from audit_events where action = 'student.read' and district_id = $1`,
      [district.district.id],
    );
    expect(rows[0].n).toBe(1);
  });

  it('the same pages work in Spanish', async () => {
    const page = await (await browser.newContext({ locale: 'es-US' })).newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByRole('heading', { name: 'Iniciar sesión en Haven' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('es');
    await page.getByLabel(/^Correo electrónico/).fill(district.people.shah.email);
    await page.getByLabel(/^Contraseña/).fill(password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.getByRole('heading', { name: 'Estudiantes' }).waitFor();
    await page.getByRole('link', { name: 'Bell, Jonah' }).waitFor();
    expect(await page.getByRole('link', { name: 'Torres, Maya' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Bell, Jonah' }).click();
    await page.getByRole('heading', { name: 'Jonah Bell' }).waitFor();
    // A teacher sees no protected information.
    expect(await page.getByRole('heading', { name: 'Información protegida' }).count()).toBe(0);
    await expectAccessible(page);
  });

  it('a Spanish-speaking counselor reads the profile in words, never codes, and the ASQ in Spanish', async () => {
    const page = await (await browser.newContext({ locale: 'es-US' })).newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^Correo electrónico/).fill(district.people.rivera.email);
    await page.getByLabel(/^Contraseña/).fill(password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'));
    await page.goto(`${baseUrl}/students`);
    await page.getByRole('link', { name: 'Torres, Maya' }).click();
    await page.getByRole('heading', { name: 'Información protegida' }).waitFor();
    // Relationship, gender, languages and the date of birth in words: not "mother", "unspecified", "es" or 2013-04-02.
    await page.getByRole('cell', { name: 'Madre', exact: true }).waitFor();
    await page.getByText('No indicado', { exact: true }).waitFor();
    await page.getByText(/^2 abr\.? 2013$/).waitFor();
    expect(await page.getByText('2013-04-02').count()).toBe(0);
    expect(await page.getByText('español', { exact: true }).count()).toBe(2);
    // NIMH's Spanish ASQ, with the English original beside it.
    const asq = page.getByRole('region', { name: 'Hacer el ASQ ahora (después de una revelación)' });
    await asq.getByRole('radiogroup', { name: 'En las últimas semanas, ¿ha deseado estar muerto?' }).waitFor();
    await asq.getByText('In the past few weeks, have you wished you were dead?').waitFor();
    await expectAccessible(page);
  });
});
