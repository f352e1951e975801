import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium, signedInPage } from '../support/browser.ts';
import { createDistrict, createStudent, password } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

/** `HAVEN_WEB_DIST` lets a run use a build of its own instead of web/dist. */
const webDist = path.resolve(process.env.HAVEN_WEB_DIST ?? 'web/dist');

describe("a family's copy of the access log, from the profile", () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let district: Awaited<ReturnType<typeof createDistrict>>;
  let maya: { id: string };

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) execSync('npm run build', { stdio: 'inherit' });
    haven = await startTestHaven({ webDist });
    district = await createDistrict(haven.deps);
    maya = await createStudent(haven.deps, district.district.id, district.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('Mr. Bell reads the log in words and opens the Spanish printable copy; the page is accessible', async () => {
    const rivera = await signedInPage(browser, baseUrl, district.people.rivera.email, password);
    await rivera.goto(`${baseUrl}/students/${maya.id}`);
    await rivera.getByRole('heading', { name: 'Maya Torres' }).waitFor();
    // The counselor may prepare the family's copy, without the staff view of the log.
    await rivera.getByRole('tab', { name: 'Access log' }).click();
    await rivera.getByRole('heading', { name: "A family's copy (FERPA request)" }).waitFor();
    await expectAccessible(rivera);

    const bell = await signedInPage(browser, baseUrl, district.people.bell.email, password);
    await bell.goto(`${baseUrl}/students/${maya.id}`);
    await bell.getByRole('tab', { name: 'Access log' }).click();
    await bell.getByRole('cell', { name: 'Opened the student’s profile, with protected information and family contacts' }).first().waitFor();
    await bell.getByRole('cell', { name: 'Their role: counselor (Lincoln Middle School)' }).first().waitFor();
    await expectAccessible(bell);

    const familyCopy = bell.getByRole('region', { name: "A family's copy (FERPA request)" });
    await familyCopy.getByLabel('From').fill('2026-11-01');
    await familyCopy.getByText('Español', { exact: true }).click();
    const print = bell.getByRole('link', { name: 'Open printable page' });
    const href = (await print.getAttribute('href')) ?? '';
    expect(href).toBe(`/api/v1/students/${maya.id}/access-log/export?format=html&lang=es&from=2026-11-01`);
    expect(await bell.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toContain('format=csv&lang=es');

    const copy = await bell.context().newPage();
    await copy.goto(`${baseUrl}${href}`);
    await copy.getByRole('heading', { name: 'Quién ha visto los expedientes de Maya Torres' }).waitFor();
    expect(await copy.getAttribute('html', 'lang')).toBe('es');
    await copy.getByRole('cell', { name: 'Abrió el perfil del estudiante, con la información protegida y los datos de la familia' }).first().waitFor();
    await expectAccessible(copy);
  });
});
