import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, password, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('asking for help, and being answered', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('with JavaScript off, a Spanish report gets a follow-up code and reaches the on-call counselor live', async () => {
    // Ms. Rivera, on call, has her alert stream open.
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const controller = new AbortController();
    const stream = await fetch(`${baseUrl}/api/v1/alerts/stream`, { headers: { cookie: rivera.headers.cookie }, signal: controller.signal });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    const alertArrived = (async () => {
      const decoder = new TextDecoder();
      while (!seen.includes('event: report.alert')) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += decoder.decode(value);
      }
      return true;
    })();

    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'es-US' });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${baseUrl}/report/lincoln-ms`);
    await page.getByRole('heading', { name: 'Pedir ayuda' }).waitFor();
    const formHtml = await page.content();
    await page.getByLabel('¿Qué está pasando?').fill('Mi amiga dice que quiere morir y no quiere venir a la escuela');
    await page.getByLabel('Suicidio o autolesión').check();
    await page.getByRole('button', { name: 'Enviar' }).click();
    await page.getByRole('heading', { name: 'Gracias. Recibimos su reporte.' }).waitFor();
    const code = await page.locator('.code').textContent();
    expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const thanksHtml = await page.content();
    expect(requests.every((url) => url.startsWith(baseUrl))).toBe(true);

    expect(await Promise.race([alertArrived, new Promise((resolve) => setTimeout(() => resolve(false), 5000))])).toBe(true);
    expect(seen).toContain('"urgency":"life_safety"');
    controller.abort();

    // The reporter checks back later, still without JavaScript.
    await page.getByRole('link', { name: 'Consultar un reporte' }).last().click();
    await page.getByLabel('Código de seguimiento').fill(code ?? '');
    await page.getByRole('button', { name: 'Consultar' }).click();
    await page.getByText('Recibido. Esperando a que una persona lo atienda.').waitFor();
    expect(page.url()).not.toContain(code ?? '-');
    await context.close();

    // axe needs JavaScript to run; the pages have none, so check the same HTML in a normal context.
    const checker = await browser.newContext();
    const view = await checker.newPage();
    for (const html of [formHtml, thanksHtml]) {
      await view.setContent(html);
      await expectAccessible(view);
    }
    await checker.close();
  });

  it('Ms. Rivera sees the live alert in the web app and acknowledges the report', async () => {
    // Her laptop is still on Tokyo time; the report's times are the district's (Denver).
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(d.people.rivera.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Needs support now' }).waitFor();
    await page.getByRole('link', { name: 'Crisis reports' }).click();
    await page.getByRole('heading', { name: 'Crisis reports' }).waitFor();
    await page.getByText('Live alerts are on').waitFor();
    await expectAccessible(page);

    await fetch(`${baseUrl}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'A boy showed a knife on the bus', school: d.schools.lincoln.id, category: 'weapon', urgency: 'life_safety' }),
    });
    const banner = page.getByRole('alert').filter({ hasText: 'New Life-safety report at Lincoln Middle School' });
    await banner.waitFor();
    await banner.getByRole('link', { name: 'Open the report' }).click();
    await page.getByRole('heading', { name: 'Weapon' }).waitFor();
    // Why this urgency, in words rather than codes.
    await page.getByText('The reporter chose "Life-safety".').waitFor();
    // Received at 15:00 UTC: 8:00 AM in Denver (Tokyo would say Nov 29, 12:00 AM).
    await page
      .getByText(/Nov 28, 2026, 8:00\sAM/)
      .first()
      .waitFor();
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Acknowledge: I have this' }).click();
    await page.getByText('Acknowledged by rivera').waitFor();

    // The team pages: who is on call now, and recording a concern, are usable and accessible too.
    await page.getByRole('link', { name: 'Crisis teams' }).click();
    await page.getByText('On call now: Primary — Elena Rivera; Secondary — Sam Okafor').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Record a report' }).first().click();
    await page.getByRole('heading', { name: 'Record a report' }).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
