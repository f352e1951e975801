import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reports } from '../../src/data/reports.ts';
import { pushMessage } from '../../src/platform/notify/push.rules.ts';
import { launchChromium, signedInPage } from '../support/browser.ts';
import { createCrisisTeams } from '../support/crisis.ts';
import { createDistrict, password } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

type Shown = { title: string; body: string; tag: string; actions: string[]; requireInteraction: boolean };

/** The notifications the page's service worker is showing now, as the operating system would list them. */
const shownNotifications = (page: Page): Promise<Shown[]> =>
  page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    return (await registration.getNotifications()).map((n) => ({
      title: n.title,
      body: n.body,
      tag: n.tag,
      actions: ((n as unknown as { actions?: { title: string }[] }).actions ?? []).map((a) => a.title),
      requireInteraction: n.requireInteraction,
    }));
  });

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  // A loaded CI runner can take seconds to start the service worker that shows it.
  const until = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The id Chromium gave the service worker registration of `origin`, from the DevTools ServiceWorker domain. */
async function registrationId(cdp: CDPSession, origin: string): Promise<string> {
  const found = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const mine = registrations.find((r) => r.scopeURL === `${origin}/` && !r.isDeleted);
      if (mine) resolve(mine.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}

describe('an alert that reaches a person on a phone', () => {
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

  it('the open app chimes, retitles the tab and notifies; a push shows on the device and acknowledging from it stops the escalation', async () => {
    // Ms. Rivera, on call at Lincoln Middle, has Haven open on her phone and allowed notifications.
    const page = await signedInPage(browser, baseUrl, d.people.rivera.email, password);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.context().grantPermissions(['notifications'], { origin: baseUrl });
    // Count the chimes the page plays (a headless browser has no loudspeaker to listen to).
    await page.context().addInitScript(() => {
      const counted = window as unknown as { chimes: number };
      counted.chimes = 0;
      window.AudioContext = class extends window.AudioContext {
        constructor(options?: AudioContextOptions) {
          super(options);
          counted.chimes += 1;
        }
      };
    });
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

    // The app is installable: a manifest with a name, icons, a start URL and standalone display.
    const manifest = await (await fetch(`${baseUrl}/manifest.webmanifest`)).json();
    expect(manifest).toMatchObject({ name: 'Haven', start_url: '/', display: 'standalone' });
    for (const icon of manifest.icons as { src: string; type: string }[]) {
      const response = await fetch(`${baseUrl}${icon.src}`);
      expect(response.status, icon.src).toBe(200);
      expect(response.headers.get('content-type')).toContain(icon.type);
    }

    // Her account page offers alerts on this device; the card passes the accessibility check.
    await page.goto(`${baseUrl}/account`);
    await page.getByRole('heading', { name: 'Alerts on this device' }).waitFor();
    await page.getByRole('button', { name: 'Turn on alerts on this device' }).waitFor();
    const axe = await new AxeBuilder({ page })
      .include('section[aria-labelledby="push-heading"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
    const widest = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(widest).toBeLessThanOrEqual(390);

    // A student writes in about a friend; the alert reaches the open app.
    const filed = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'My friend says she wants to die', school: 'lincoln-ms', district: d.district.slug, category: 'suicide_self_harm' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const reportId = filed.json().id as string;
    await page.waitForFunction(() => document.title === '(1) New alert — Haven');
    expect(await page.evaluate(() => (window as unknown as { chimes: number }).chimes)).toBe(1);
    const inApp = await waitFor(
      () => shownNotifications(page),
      (shown) => shown.some((n) => n.tag === `report-${reportId}`),
      'the in-app notification',
    );
    expect(inApp.find((n) => n.tag === `report-${reportId}`)).toMatchObject({ title: 'New report needing action', body: 'Open Haven to see it.' });

    // Her phone locks. The push service delivers Haven's message to the service worker.
    const cdp = await page.context().newCDPSession(page);
    const registration = await registrationId(cdp, baseUrl);
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: baseUrl,
      registrationId: registration,
      data: JSON.stringify(pushMessage({ kind: 'report.alert', reportId })),
    });
    const pushed = await waitFor(
      () => shownNotifications(page),
      (shown) => shown.some((n) => n.tag === `report-${reportId}` && n.actions.length > 0),
      'the pushed notification',
    );
    // One notification per report (the pushed one replaced the in-app one), naming no student or school.
    expect(pushed.filter((n) => n.tag === `report-${reportId}`)).toEqual([
      {
        title: 'New report needing action',
        body: 'Open Haven to see it.',
        tag: `report-${reportId}`,
        actions: ['Acknowledge', 'Open'],
        requireInteraction: true,
      },
    ]);

    // She taps "Acknowledge" on the notification: the worker acknowledges with her session.
    const worker = page
      .context()
      .serviceWorkers()
      .find((w) => w.url() === `${baseUrl}/sw.js`);
    if (!worker) throw new Error('no service worker');
    const outcome = await worker.evaluate(async (tag) => {
      const scope = self as unknown as {
        registration: ServiceWorkerRegistration;
        handleNotificationClick(n: Notification, action: string): Promise<string>;
      };
      const [notification] = await scope.registration.getNotifications({ tag });
      if (!notification) return 'no notification';
      return scope.handleNotificationClick(notification, 'acknowledge');
    }, `report-${reportId}`);
    expect(outcome).toBe('acknowledged');
    const [report] = await haven.deps.db.system
      .select({ status: reports.status, acknowledgedBy: reports.acknowledgedBy })
      .from(reports)
      .where(eq(reports.id, reportId));
    expect(report).toEqual({ status: 'acknowledged', acknowledgedBy: d.people.rivera.id });
    const after = await waitFor(
      () => shownNotifications(page),
      (shown) => shown.some((n) => n.title === 'You have this report'),
      'the acknowledgement notice',
    );
    expect(after.filter((n) => n.tag === `report-${reportId}`).map((n) => n.body)).toEqual(['The escalation stopped. Open Haven to act on it.']);
    // The open app hears the acknowledgement too: the tab title is Haven's again.
    await page.waitForFunction(() => document.title === 'Haven');

    // In Spanish, the next alert speaks Spanish on the lock screen.
    await page.getByRole('combobox', { name: 'Language' }).click();
    await page.getByRole('option', { name: 'Español' }).click();
    await page.getByRole('heading', { name: 'Alertas en este dispositivo' }).waitFor();
    const second = haven.deps.ids.uuid();
    await waitFor(
      () => page.evaluate(async () => (await (await caches.open('haven-settings')).match('/language'))?.text()),
      (language) => language === 'es',
      'the saved language',
    );
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: baseUrl,
      registrationId: registration,
      data: JSON.stringify(pushMessage({ kind: 'report.alert', reportId: second })),
    });
    const spanish = await waitFor(
      () => shownNotifications(page),
      (shown) => shown.some((n) => n.tag === `report-${second}`),
      'the Spanish notification',
    );
    expect(spanish.find((n) => n.tag === `report-${second}`)).toMatchObject({
      title: 'Nuevo reporte que requiere acción',
      body: 'Abra Haven para verlo.',
      actions: ['Atender', 'Abrir'],
    });
    await page.context().close();
  });
});
