import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, password } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const webDist = path.resolve('web/dist');

/** No serious or critical WCAG 2.1 A/AA violation on the page as it is now. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious).toEqual([]);
}

describe('a counselor signs in, finds a student and opens the profile', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let district: Awaited<ReturnType<typeof createDistrict>>;

  beforeAll(async () => {
    if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium is not at ${chromiumPath}: install it with \`apt-get install -y chromium\`.`);
    if (!fs.existsSync(path.join(webDist, 'index.html'))) execSync('npm run build', { stdio: 'inherit' });
    haven = await startTestHaven({ webDist });
    district = await createDistrict(haven.deps);
    await createStudent(haven.deps, district.district.id, district.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    await createStudent(haven.deps, district.district.id, district.schools.lincoln.id, { firstName: 'Jonah', lastName: 'Bell' });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    // Playwright gives every launch a fresh, temporary user-data directory of its own.
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
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
    await page.getByRole('link', { name: 'Bell, Jonah' }).click();
    await page.getByRole('heading', { name: 'Jonah Bell' }).waitFor();
    // A teacher sees no protected information.
    expect(await page.getByRole('heading', { name: 'Información protegida' }).count()).toBe(0);
    await expectAccessible(page);
  });
});
