import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerAgreements, partnerServices } from '../../src/data/directory.ts';
import { partnerOrganizations } from '../../src/data/partners.ts';
import { importDirectory, readHsds } from '../../src/features/partners/hsds.service.ts';
import { expectAccessible, launchChromium, signedInPage } from '../support/browser.ts';
import { createDistrict, password, signIn } from '../support/factories.ts';
import { fixture } from '../support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('finding the right partner service', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await importDirectory(haven.deps, d.district.id, await readHsds(fixture('hsds-3.1/service_full.json')), 'test');
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, d.district.id));
    const [org] = await haven.deps.db.system
      .select()
      .from(partnerOrganizations)
      .where(eq(partnerOrganizations.id, service?.organizationId as string));
    await haven.app.inject({
      method: 'PATCH',
      url: `/api/v1/partners/services/${service?.id}`,
      headers: whitfield.headers,
      payload: { serviceTypes: ['counseling'], modalities: ['telehealth'], insurance: ['medicaid'], capacityAvailable: 2 },
    });
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/partners/${org?.id}/agreements`,
      headers: whitfield.headers,
      payload: { type: 'mou', scope: 'Counseling', ferpaBasis: 'consent', startsOn: '2026-08-01', endsOn: '2027-07-31' },
    });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('a counselor sees capacity and agreements, and the matching explains its first choice', async () => {
    const page = await signedInPage(browser, baseUrl, d.people.rivera.email, password);
    await page.getByRole('heading', { name: 'Needs support now' }).waitFor();
    await page.getByRole('link', { name: 'Partner directory' }).click();
    await page.getByRole('rowheader', { name: /Community Counselling/ }).waitFor();
    await page.getByText('2 open places').waitFor();
    await page.getByRole('combobox', { name: 'Family language' }).fill('Urd');
    await page.getByRole('option', { name: 'Urdu' }).click();
    await page.getByRole('button', { name: 'Find services' }).click();
    await page.getByText('1. Community Counselling').waitFor();
    await page.getByText("✓ provides the service in the family's language (Urdu)").waitFor();
    await expectAccessible(page);
    await page.context().close();
  });

  it('the district administrator records a signed agreement with its document', async () => {
    const page = await signedInPage(browser, baseUrl, d.people.whitfield.email, password);
    await page.getByRole('link', { name: 'Partner directory' }).click();
    await page.getByRole('heading', { name: 'Record an agreement' }).waitFor();
    await page
      .locator('input[aria-haspopup="listbox"]')
      .and(page.getByLabel(/^Partner/))
      .click();
    await page.getByRole('option', { name: 'Front Range Family Counseling' }).click();
    await page.getByLabel('What it covers').fill('Crisis counseling for referred students');
    await page.getByLabel('Starts on').fill('2026-11-01');
    await page.getByLabel('Ends on').fill('2027-10-31');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Signed document (PDF)' }).click();
    await (await chooser).setFiles({ name: 'mou-signed.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 signed') });
    await page.getByRole('button', { name: 'Save agreement' }).click();
    await page.getByText('Saved.').waitFor();
    const [stored] = await haven.deps.db.system.select().from(partnerAgreements).where(eq(partnerAgreements.scope, 'Crisis counseling for referred students'));
    expect(stored).toMatchObject({ documentName: 'mou-signed.pdf', endsOn: '2027-10-31', type: 'mou' });
    expect(Buffer.from(stored?.documentBase64 ?? '', 'base64').toString()).toBe('%PDF-1.4 signed');
    await expectAccessible(page);
    await page.context().close();
  });
});
