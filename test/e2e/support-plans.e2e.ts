import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindOverdueReviews } from '../../src/features/plans/support.service.ts';
import type { Mail } from '../../src/platform/mail/mailer.ts';
import { sendOutbox } from '../../src/platform/outbox/outbox.test-kit.ts';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createDistrict, createStudent, password, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('no one left without support', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  const mail: Mail[] = [];
  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist'), mailer: { send: async (m) => void mail.push(m) } });
    d = await createDistrict(haven.deps);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana', lastName: 'Lopez' });
    const rivera = await signIn(haven.app, d.people.rivera.email);
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/students/${student.id}/screenings`,
      headers: rivera.headers,
      payload: { instrumentId: 'phq-9', answers: { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3, q7: 2, q8: 1, q9: 0 } },
    });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('the counselor starts on the queue, makes a tier 2 plan, records progress twice, sees the chart; the student leaves the queue; a late review alerts', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(d.people.rivera.email);
    await page.getByLabel(/^Password/).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Needs support now' }).waitFor();
    await page.getByRole('rowheader', { name: /Lopez, Ana/ }).waitFor();
    await page.getByText('High-risk screen').first().waitFor();
    await expectAccessible(page);
    await page.getByRole('link', { name: 'Lopez, Ana' }).click();

    await page.getByRole('heading', { name: 'New support plan' }).waitFor();
    await page.getByLabel('The concern').fill('Withdrawn in class; PHQ-9 severe');
    await page.getByLabel('A measurable goal').fill('Attends the counseling group every week');
    await page.getByLabel('How it is measured').fill('sessions attended per month');
    await page.getByLabel('Target', { exact: false }).first().fill('4');
    // By keyboard: from the target field, Tab into the interventions list and choose two.
    await page.getByLabel('Target', { exact: false }).first().press('Tab');
    await page.keyboard.type('Counseling group');
    await page.keyboard.press('Enter');
    await page.keyboard.type('check-in');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.getByLabel('Start date').fill('2026-10-01');
    await page.getByRole('button', { name: 'Create the plan' }).click();
    await page.getByRole('heading', { name: 'Tier 2 plan' }).waitFor();

    // Days are entered as the date field gives them and read as people write them, never as codes.
    for (const [on, value, day] of [
      ['2026-10-08', '1', 'Oct 8, 2026'],
      ['2026-10-15', '3', 'Oct 15, 2026'],
    ]) {
      await page.getByLabel('Measured on').fill(on as string);
      await page.getByLabel('Value').fill(value as string);
      await page.getByRole('button', { name: 'Record progress' }).click();
      await page.getByText(`: ${value} on ${day} (target 4).`).first().waitFor();
    }
    await page.getByRole('img', { name: /Progress on sessions attended per month/ }).waitFor();
    await page.getByText('sessions attended per month — Oct 8, 2026: 1 · Oct 15, 2026: 3 (target 4)').waitFor();
    await page.getByText('Review overdue').first().waitFor();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await expectAccessible(page);

    await sendOutbox(haven.deps);
    mail.length = 0;
    expect(await remindOverdueReviews(haven.deps)).toBe(1);
    await sendOutbox(haven.deps);
    expect(mail).toEqual([expect.objectContaining({ to: d.people.rivera.email, subject: 'Haven: a support plan review is overdue' })]);

    await page.getByRole('link', { name: 'Support plans' }).click();
    await page.getByRole('heading', { name: 'Needs support now' }).waitFor();
    await page.getByText('Everyone who needs support has it in place.').waitFor();
    await page.getByRole('link', { name: 'My caseload' }).click();
    await page.getByRole('rowheader', { name: 'Ana Lopez' }).waitFor();
    await expectAccessible(page);
    await context.close();
  });
});
