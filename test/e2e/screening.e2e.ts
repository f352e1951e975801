import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, createStudent, password, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('a student screen that reaches a person at once', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let windowId: string;

  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    await createCrisisTeams(haven.deps, d);
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const created = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/screening/windows',
      headers: rivera.headers,
      payload: {
        name: 'Fall wellness check',
        schoolIds: [d.schools.lincoln.id],
        grades: ['7'],
        instrumentIds: ['phq-a'],
        opensOn: '2026-11-01',
        closesOn: '2026-12-18',
      },
    });
    windowId = created.json().id;
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('on a phone, a PHQ-A item 9 answer alerts the on-call member within a second; the student sees care and crisis lines, never a score', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/students/${student.id}/screening-consents`,
      headers: rivera.headers,
      payload: { kind: 'consent', source: 'paper', windowId },
    });
    const { code } = (
      await haven.app.inject({
        method: 'POST',
        url: `/api/v1/screening/windows/${windowId}/codes`,
        headers: rivera.headers,
        payload: { studentId: student.id },
      })
    ).json();

    const controller = new AbortController();
    const stream = await fetch(`${baseUrl}/api/v1/alerts/stream`, { headers: { cookie: rivera.headers.cookie }, signal: controller.signal });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    let seen = '';
    let alertAt = 0;
    const alertArrived = (async () => {
      const decoder = new TextDecoder();
      while (!seen.includes('event: report.alert')) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += decoder.decode(value);
      }
      alertAt = performance.now();
      return true;
    })();

    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en-US' });
    const page = await context.newPage();
    const pages: string[] = [];
    await page.goto(`${baseUrl}/screen`);
    await page.getByLabel('Your code').fill(code.toLowerCase());
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Begin' }).click();

    let answeredNine = 0;
    for (let step = 0; step < 20; step++) {
      await page.locator('legend, h1').first().waitFor();
      if (await page.getByRole('heading', { name: 'All done. Thank you!' }).isVisible()) break;
      const question = (await page.locator('legend').textContent()) ?? '';
      pages.push(await page.content());
      const group = page.getByRole('group', { name: question });
      if (question.startsWith('Thoughts that you would be better off dead')) {
        await expectAccessible(page);
        answeredNine = performance.now();
        await group.getByRole('button', { name: 'Several days' }).tap();
        await page.getByRole('alert').filter({ hasText: 'Thank you for telling us.' }).waitFor();
        await expect.poll(() => alertArrived, { timeout: 1000 }).toBe(true);
        expect(alertAt - answeredNine).toBeLessThan(1000);
        await expect(page.getByRole('link', { name: 'Call or text 988' }).isVisible()).resolves.toBe(true);
        await expect(page.getByText('An adult from your school will check in with you today.').isVisible()).resolves.toBe(true);
        await expectAccessible(page);
        continue;
      }
      const first = group.getByRole('button').first();
      await first.tap();
    }
    expect(answeredNine).toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'All done. Thank you!' }).waitFor();
    pages.push(await page.content());
    await expectAccessible(page);
    for (const html of pages) expect(html).not.toMatch(/\b(score|minimal|mild|moderate|severe|band)\b/i);
    expect(seen).toContain('"urgency":"urgent"');
    controller.abort();
    // Kiosk: the next student starts from a clean page; the back button shows nothing of the last one.
    await page.getByRole('link', { name: 'Next student' }).click();
    await page.getByLabel('Your code').waitFor();
    await page.goBack();
    await page.goBack();
    expect(await page.content()).not.toContain('Thoughts that you would be better off dead');
    await context.close();
  });

  it('the counselor sees the window figures and the follow-up queue, and records the follow-up', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(d.people.rivera.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A counselor starts on the students who need support now.
    await page.getByRole('heading', { name: 'Needs support now' }).waitFor();
    await page.getByRole('link', { name: 'Screening', exact: true }).click();
    await page.getByRole('link', { name: 'Fall wellness check' }).click();
    await page.getByRole('rowheader', { name: 'Lincoln Middle School' }).waitFor();
    await page.getByText('1 / 1 (100%)').waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: '← Screening' }).click();
    await page.getByRole('link', { name: 'Follow-up queue' }).click();
    await page.getByRole('rowheader', { name: /Torres, Maya/ }).waitFor();
    await expectAccessible(page);
    await page.getByLabel('What was done for Maya Torres').fill('Met with Maya before lunch; safety plan started');
    await page.getByRole('button', { name: 'Record' }).click();
    await page.getByText('Nothing is waiting for follow-up.').waitFor();

    // Her profile shows the screen on a chart (and as a table), and the emergency ASQ is at hand.
    await page.getByRole('switch', { name: 'Show followed-up screens too' }).check();
    await page.getByRole('link', { name: 'Torres, Maya' }).click();
    await page.getByRole('heading', { name: 'Screening history' }).waitFor();
    await page.getByRole('img', { name: /Screening scores over time/ }).waitFor();
    await expectAccessible(page);
    const asq = page.getByRole('region', { name: 'Ask the ASQ now (after a disclosure)' });
    for (const [question, answer] of [
      ['In the past few weeks, have you wished you were dead?', 'Yes'],
      ['In the past few weeks, have you felt that you or your family would be better off if you were dead?', 'No'],
      ['In the past week, have you been having thoughts about killing yourself?', 'No'],
      ['Have you ever tried to kill yourself?', 'No'],
      ['Are you having thoughts of killing yourself right now?', 'No'],
    ]) {
      await asq.getByRole('radiogroup', { name: question }).getByRole('radio', { name: answer, exact: true }).check();
    }
    await asq.getByRole('button', { name: 'Record the ASQ' }).click();
    await asq.getByRole('status').filter({ hasText: 'Non-acute positive' }).waitFor();
    await asq.getByText('The crisis team has been alerted through the on-call chain.').waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
