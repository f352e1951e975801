import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addProviderFromCommandLine } from '../../src/features/accounts/identity-providers.service.ts';
import { addUser } from '../../src/features/accounts/users.service.ts';
import { expectAccessible, launchChromium } from '../support/browser.ts';
import { createDistrict } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/identity-provider.ts';

const webDist = path.resolve('web/dist');

describe('a counselor signs in with her school account', () => {
  let haven: TestHaven;
  let idp: TestIdentityProvider;
  let browser: Browser;
  let baseUrl: string;
  let slug: string;
  let email: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDist, 'index.html'))) execSync('npm run build', { stdio: 'inherit' });
    haven = await startTestHaven({ webDist });
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    // The provider sends the browser back to this Haven, so it must know its own address.
    haven.deps.settings.publicUrl = baseUrl;
    idp = await startTestIdentityProvider({ redirectUris: [`${baseUrl}/api/v1/auth/sso/callback`] });
    const d = await createDistrict(haven.deps);
    slug = d.district.slug;
    const domain = `${slug}.schools.test`;
    email = `rivera@${domain}`;
    await addUser(haven.deps, { districtId: d.district.id, email, role: 'counselor', displayName: 'Ms. Rivera', schoolCode: 'lincoln-ms' });
    await addProviderFromCommandLine(haven.deps, d.district.id, {
      label: 'Lincoln School Accounts',
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      domains: domain,
    });
    idp.accounts.set('rivera-at-school', { sub: 'rivera-at-school', email, name: 'Ana Rivera' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await haven?.close();
  });

  it('Ms. Rivera types her e-mail, chooses "Sign in with Lincoln School Accounts", signs in at the provider and lands on her home page', async () => {
    const page = await (await browser.newContext({ locale: 'en-US', reducedMotion: 'reduce' })).newPage();
    await page.goto(`${baseUrl}/sign-in/${slug}`);
    await page.getByRole('link', { name: 'Sign in with Lincoln School Accounts' }).waitFor();
    await expectAccessible(page);

    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel(/^E-mail address/).fill(email);
    const button = page.getByRole('link', { name: 'Sign in with Lincoln School Accounts' });
    await button.waitFor();
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await expectAccessible(page);
    await button.click();

    await page.getByRole('heading', { name: 'Test school sign-in' }).waitFor();
    expect(await page.getByLabel('School e-mail').inputValue()).toBe(email);
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect.poll(() => new URL(page.url()).origin).toBe(baseUrl);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/support');
    const me = await page.evaluate(async () => (await fetch('/api/v1/me', { headers: { accept: 'application/json' } })).json());
    expect(me.user.email).toBe(email);
    await expectAccessible(page);
  });
});
