import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createDistrict, password } from '../support/factories.ts';
import { fixture } from '../support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('a district administrator imports the roster from the web app', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('checks the export first, then imports it, and sees the summary and the history', async () => {
    const source = fixture('oneroster-1.1');
    const zip = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'roster-e2e-')), 'roster.zip');
    fs.writeFileSync(zip, zipSync(Object.fromEntries(fs.readdirSync(source).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(source, f)))]))));
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(d.people.whitfield.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'District settings' }).click();
    await page.getByRole('heading', { name: 'Roster import (OneRoster)' }).waitFor();
    const roster = page.getByRole('region', { name: 'Roster import (OneRoster)' });
    await roster.locator('input[type=file]').setInputFiles(zip);
    await roster.getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('Checked: nothing was changed').waitFor();
    await page.getByText('Students 3 new, 0 updated, 0 unchanged, 0 made inactive').waitFor();
    await expectAccessible(page);
    await page.getByRole('checkbox', { name: 'Check only: show what would change' }).uncheck();
    await roster.getByRole('button', { name: 'Import' }).click();
    await page.getByText('Imported', { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Past imports' }).waitFor();
    await expectAccessible(page);

    // A district without OneRoster: a plain CSV, columns guessed from the header.
    const csv = path.join(path.dirname(zip), 'students.csv');
    fs.writeFileSync(csv, 'Student Number,First,Last,Grade,School\n7001,Ana,Diaz,5,aspen-es\n');
    await page.getByRole('region', { name: 'Students from a plain CSV' }).locator('input[type=file]').setInputFiles(csv);
    await page.getByRole('region', { name: 'Students from a plain CSV' }).getByRole('button', { name: 'Check the file' }).click();
    await page.getByText('1 new, 0 updated, 0 unchanged, 0 rows with problems.').waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
