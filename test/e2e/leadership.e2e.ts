import path from 'node:path';
import { inArray } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screeningResults } from '../../src/data/screening.ts';
import { expectAccessible, launchChromium, signedInPage } from '../support/browser.ts';
import { createDistrict, createStudent, password, signIn } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';

describe('a district leader reads capacity and equity', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  beforeAll(async () => {
    haven = await startTestHaven({ webDist: path.resolve('web/dist') });
    d = await createDistrict(haven.deps);
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const moderate = { q1: 2, q2: 2, q3: 1, q4: 2, q5: 1, q6: 1, q7: 1, q8: 1, q9: 0 };
    const late: string[] = [];
    const onTime: string[] = [];
    // English learners are mostly followed up late; three Somali-speaking students form a group too small to show.
    const plan = [
      ...Array.from({ length: 30 }, (_, i) => ({ homeLanguage: 'es', englishLearner: true, late: i < 20 })),
      ...Array.from({ length: 30 }, (_, i) => ({ homeLanguage: 'en', englishLearner: false, late: i < 10 })),
      ...Array.from({ length: 3 }, () => ({ homeLanguage: 'so', englishLearner: true, late: false })),
    ];
    for (const p of plan) {
      const s = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { homeLanguage: p.homeLanguage, englishLearner: p.englishLearner });
      await haven.app.inject({
        method: 'POST',
        url: `/api/v1/students/${s.id}/screenings`,
        headers: rivera.headers,
        payload: { instrumentId: 'phq-9', answers: moderate },
      });
      (p.late ? late : onTime).push(s.id);
    }
    await haven.deps.db.system
      .update(screeningResults)
      .set({ followedUpAt: new Date('2026-12-20T17:00:00Z') })
      .where(inArray(screeningResults.studentId, late));
    await haven.deps.db.system
      .update(screeningResults)
      .set({ followedUpAt: new Date('2026-11-30T17:00:00Z') })
      .where(inArray(screeningResults.studentId, onTime));
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
  });

  it('adds a counselor and sees the gap and ratio; finds English learners followed up late and the small group hidden; sees a funding deadline, training coverage and the pre-filled self-assessment; prints the district report', async () => {
    const page = await signedInPage(browser, baseUrl, d.people.whitfield.email, password);
    await page.getByRole('link', { name: 'Leadership' }).click();
    await page
      .getByRole('heading', { name: 'Capacity against need' })
      .or(page.getByRole('tab', { name: 'Capacity against need' }))
      .first()
      .waitFor();
    await page.getByRole('rowheader', { name: 'Lincoln Middle School' }).waitFor();
    await page.getByText('no counselor').first().waitFor();
    const staff = page.getByRole('region', { name: 'Mental-health staff' });
    await staff.getByRole('combobox', { name: /^School/ }).click();
    await page.getByRole('option', { name: 'Lincoln Middle School' }).click();
    await page.getByLabel('Title (optional)').fill('School counselor');
    await page.getByRole('button', { name: 'Add position' }).click();
    const lincoln = page.getByRole('row', { name: /^Lincoln Middle School/ });
    await lincoln.getByText('63 : 1').waitFor();
    await lincoln.getByText('recommended 250 : 1; 0 FTE short').waitFor();
    expect(await page.getByRole('img', { name: /Students needing support and caseload capacity, per school/ }).count()).toBe(1);
    await expectAccessible(page);

    await page.getByRole('tab', { name: 'Equity across the path' }).click();
    await page.getByText(/English learners reach "Followed up in time" less often than everyone else/).waitFor();
    await page.getByRole('rowheader', { name: 'English learners', exact: true }).first().waitFor();
    await page.getByRole('combobox', { name: 'Compare by' }).click();
    await page.getByRole('option', { name: 'Home language' }).click();
    const somali = page.getByRole('row', { name: /^Somali / });
    await somali.first().getByText('Fewer than 10 students: not shown, so no one can be identified').waitFor();
    await expectAccessible(page);
    const csv = await page.request.get(`${baseUrl}/api/v1/leadership/equity?format=csv`);
    expect(await csv.text()).toContain('followed_up_in_time,home_language,so,suppressed,suppressed');

    // Funding: a grant with an obligation deadline in 33 days and money not yet allocated.
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const grant = {
      kind: 'state_grant',
      name: 'Matching grant',
      awardCents: 5_000_000,
      periodStart: '2026-07-01',
      periodEnd: '2027-06-30',
      obligationDeadline: '2026-12-31',
    };
    await haven.app.inject({ method: 'POST', url: '/api/v1/leadership/funding', headers: whitfield.headers, payload: grant });
    await page.getByRole('tab', { name: 'Funding' }).click();
    await page.getByText('$50,000 is not yet obligated and the obligation deadline is in 33 days').waitFor();
    await page.getByRole('rowheader', { name: /Matching grant/ }).waitFor();
    await expectAccessible(page);

    // Training coverage from an imported sign-in sheet.
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/leadership/trainings',
      headers: whitfield.headers,
      payload: { name: 'Reporting tools', kind: 'reporting_tool_staff', audience: 'staff', refresherMonths: 12 },
    });
    await haven.app.inject({
      method: 'POST',
      url: '/api/v1/leadership/training-attendance',
      headers: { ...whitfield.headers, 'content-type': 'text/csv' },
      payload: `email,name,training,held_on,school\n${d.people.shah.email},Ms Shah,Reporting tools,2026-10-01,lincoln-ms\n`,
    });
    await page.getByRole('tab', { name: 'Training' }).click();
    await page
      .getByRole('row', { name: /^Lincoln Middle School/ })
      .getByText('25% of 4')
      .waitFor();
    await expectAccessible(page);

    // The self-assessment, pre-filled: Lincoln has staffing on record, Aspen not (50%).
    await page.getByRole('tab', { name: 'Self-assessment' }).click();
    await page
      .getByRole('row', { name: /Internal staffing is mapped against need/ })
      .getByText('50%')
      .waitFor();
    await page.getByRole('button', { name: 'Record this sitting' }).click();
    await page.getByRole('listitem').filter({ hasText: 'Needs assessment and resource mapping 4' }).waitFor();
    await expectAccessible(page);

    // The printable district report: every dashboard on one page, no forms.
    await page.getByRole('link', { name: 'District report' }).click();
    await page.getByRole('heading', { name: /: mental-health services report$/ }).waitFor();
    for (const heading of ['Capacity against need', 'Equity across the path', 'Funding', 'Training', 'Self-assessment'])
      await page.getByRole('heading', { name: heading, exact: true, level: 2 }).waitFor();
    expect(await page.getByRole('button', { name: 'Add position' }).count()).toBe(0);
    await expectAccessible(page);
    await page.context().close();
  }, 90_000);

  it('Dr. Whitfield reads the dashboards on her phone, in English then Spanish: the path bars say what they are a share of, hidden groups are described truthfully, and dates, dollars and decimals are written as the reader writes them', async () => {
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const bridge = {
      kind: 'title_iv_a',
      name: 'Bridge grant',
      awardCents: 18_000_000,
      periodStart: '2026-07-01',
      periodEnd: '2027-06-30',
      obligationDeadline: '2026-12-20',
    };
    await haven.app.inject({ method: 'POST', url: '/api/v1/leadership/funding', headers: whitfield.headers, payload: bridge });
    const page = await signedInPage(browser, baseUrl, d.people.whitfield.email, password);
    await page.setViewportSize({ width: 390, height: 844 });
    const fitsPhone = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    /** The smallest text in the page's charts, in CSS pixels (the old SVG chart drew it at about 5 px on a phone). */
    const smallestChartText = () =>
      page.evaluate(() =>
        Math.min(
          ...[...document.querySelectorAll('figure [role=img] *')]
            .filter((e) => e.childElementCount === 0 && e.textContent?.trim())
            .map((e) => Number.parseFloat(getComputedStyle(e).fontSize)),
        ),
      );

    await page.goto(`${baseUrl}/leadership`);
    await page.getByRole('tab', { name: 'Equity across the path' }).click();
    const path = page.getByRole('img', { name: /^The path: share of the students at the step before who reached each step/ });
    expect(await path.getAttribute('aria-label')).toMatch(/3\. Screened positive.* \(share of students screened\)/);
    // The measures beside the funnel are a separate, labelled section with their own chart.
    await page
      .getByRole('region', { name: 'Beside the path', exact: true })
      .getByRole('img', { name: /^Measures beside the path/ })
      .waitFor();
    expect(await path.getAttribute('aria-label')).not.toContain('Reported about');
    expect(await smallestChartText()).toBeGreaterThanOrEqual(12);
    await fitsPhone();

    // A group hidden only so that Somali speakers can't be worked out is not "fewer than 10 students".
    await page.getByRole('combobox', { name: 'Compare by' }).click();
    await page.getByRole('option', { name: 'Home language' }).click();
    const equity = await (await page.request.get(`${baseUrl}/api/v1/leadership/equity`)).json();
    const groups: { group: string; suppressed: boolean; reason?: string }[] = equity.steps
      .find((s: { step: string }) => s.step === 'followed_up_in_time')
      .dimensions.find((x: { dimension: string }) => x.dimension === 'home_language').groups;
    const groupTable = page.getByRole('region', { name: 'Equity across the path', exact: true });
    for (const g of groups.filter((x) => x.suppressed)) {
      const row = groupTable.getByRole('row', { name: new RegExp(`^${new Intl.DisplayNames(['en'], { type: 'language' }).of(g.group)} `) });
      await row
        .getByText(g.reason === 'complementary' ? "Not shown, so that a small group can't be worked out from the others" : 'Fewer than 10 students')
        .waitFor();
    }

    // Funding in English: dollars with their sign, dates in words.
    await page.getByRole('tab', { name: 'Funding' }).click();
    const bridgeRow = page.getByRole('row', { name: /^Bridge grant/ });
    await bridgeRow.getByText('$180,000').waitFor();
    await bridgeRow.getByText('obligate by Dec 20, 2026; ends Jun 30, 2027').waitFor();
    expect(await smallestChartText()).toBeGreaterThanOrEqual(12);
    await fitsPhone();

    // The same pages in Spanish.
    await page.evaluate(() => localStorage.setItem('haven.language', 'es'));
    await page.reload();
    await page.getByRole('tab', { name: 'Financiación' }).click();
    await page.getByText('180.000 US$ aún no se ha comprometido y el plazo para comprometerlo vence en 22 días').waitFor();
    await page
      .getByRole('row', { name: /^Bridge grant/ })
      .getByText('comprometer antes del 20 dic 2026; termina el 30 jun 2027')
      .waitFor();
    await fitsPhone();
    await page.getByRole('tab', { name: 'Equidad a lo largo del camino' }).click();
    // A risk ratio and its interval with a decimal comma: "0,45 (0,30–0,68)".
    await page
      .getByRole('region', { name: 'Equidad a lo largo del camino', exact: true })
      .getByText(/\d,\d\d \(\d+,\d\d–\d+,\d\d\)/)
      .first()
      .waitFor();
    expect(await page.getByRole('img', { name: /^El camino:/ }).getAttribute('aria-label')).toMatch(/\d\s%/);
    await page.getByRole('combobox', { name: 'Comparar por' }).click();
    await page.getByRole('option', { name: 'Idioma del hogar' }).click();
    await page
      .getByRole('row', { name: /^somalí / })
      .first()
      .getByText('Menos de 10 estudiantes: no se muestra para que nadie pueda ser identificado')
      .waitFor();
    await expectAccessible(page);
    await fitsPhone();
    await page.context().close();
  }, 90_000);
});
