import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partnerOrganizations } from '../../src/data/partners.ts';
import { guardians, studentGuardians } from '../../src/data/students.ts';
import { createMailer } from '../../src/platform/mail/mailer.ts';
import { sendOutbox } from '../../src/platform/outbox/outbox.test-kit.ts';
import { expectAccessible, launchChromium, signedInPage } from '../support/browser.ts';
import { createDistrict, createStudent, password } from '../support/factories.ts';
import { startTestHaven, type TestHaven } from '../support/harness.ts';
import { addCounselingService } from '../support/partners.ts';
import { startSmtpListener } from '../support/smtp.ts';

describe('a closed-loop referral, in the browser', () => {
  let haven: TestHaven;
  let browser: Browser;
  let baseUrl: string;
  let smtp: Awaited<ReturnType<typeof startSmtpListener>>;
  let d: Awaited<ReturnType<typeof createDistrict>>;
  let maya: { id: string };
  beforeAll(async () => {
    smtp = await startSmtpListener();
    haven = await startTestHaven({
      webDist: path.resolve('web/dist'),
      mailer: createMailer({ smtpUrl: smtp.url, from: 'Haven <no-reply@haven.test>', environment: 'test', log: () => undefined }),
    });
    d = await createDistrict(haven.deps);
    // Three services: the Spanish-speaking Medicaid one with open places should come first.
    await addCounselingService(haven.deps, d.district.id, d.partnerId, { name: 'Consejería familiar bilingüe', capacityAvailable: 3 });
    const waitlisted = haven.deps.ids.uuid();
    await haven.deps.db.system.insert(partnerOrganizations).values({ id: waitlisted, districtId: d.district.id, name: 'Mountain Youth Services' });
    await addCounselingService(haven.deps, d.district.id, waitlisted, { name: 'Youth therapy', capacityAvailable: 0, waitlistWeeks: 6 });
    const englishOnly = haven.deps.ids.uuid();
    await haven.deps.db.system.insert(partnerOrganizations).values({ id: englishOnly, districtId: d.district.id, name: 'Peak Counseling' });
    await addCounselingService(haven.deps, d.district.id, englishOnly, { name: 'Teen counseling', languages: ['en'] });
    maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const [link] = await haven.deps.db.system.select().from(studentGuardians).where(eq(studentGuardians.studentId, maya.id));
    await haven.deps.db.system
      .update(guardians)
      .set({ email: 'rosa.torres@family.test' })
      .where(eq(guardians.id, link?.guardianId as string));
    baseUrl = await haven.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await haven?.close();
    await smtp?.close();
  });

  async function signInAs(email: string, landing: string): Promise<Page> {
    const page = await signedInPage(browser, baseUrl, email, password);
    await page.getByRole('heading', { name: landing }).waitFor();
    return page;
  }

  it('the counselor refers with consent; the partner accepts, schedules telehealth (the family gets an .ics) and marks it attended; the counselor sees the loop closed', async () => {
    const rivera = await signInAs(d.people.rivera.email, 'Needs support now');
    await rivera.goto(`${baseUrl}/students/${maya.id}`);
    await rivera.getByRole('link', { name: 'Refer to a partner' }).click();
    await rivera.getByRole('heading', { name: 'Refer Maya Torres' }).waitFor();
    expect(await rivera.getByRole('combobox', { name: 'Family language' }).inputValue()).toBe('Spanish');
    await rivera.getByRole('button', { name: 'Find services' }).click();
    await rivera.getByText('1. Consejería familiar bilingüe (Front Range Family Counseling)').waitFor();
    await rivera.getByText("✓ provides the service in the family's language (Spanish)").first().waitFor();
    await rivera.getByText('✓ 3 open places now').waitFor();
    await rivera.getByText('2. Youth therapy (Mountain Youth Services)').waitFor();
    await rivera.getByText(/Set aside: Teen counseling \(Peak Counseling\) \(does not provide the service in the family's language \(Spanish\)\)/).waitFor();
    await expectAccessible(rivera);
    await rivera.getByRole('button', { name: 'Refer to Consejería familiar bilingüe (Front Range Family Counseling)' }).click();

    await rivera.getByRole('heading', { name: 'Consent before sending' }).waitFor();
    // Send waits for the guardian's consent, and says so, rather than answering with an error.
    expect(await rivera.getByRole('button', { name: 'Send to Front Range Family Counseling' }).isDisabled()).toBe(true);
    await rivera.getByText("Record the guardian's consent above first; then you can send the referral.").waitFor();
    await rivera.getByLabel("Given by (guardian's name)").fill('Rosa Torres (mother), signed form');
    await rivera.getByRole('button', { name: 'Record guardian consent' }).click();
    await rivera.getByText(/Guardian consent on file from Rosa Torres/).waitFor();
    await rivera.getByRole('button', { name: 'Send to Front Range Family Counseling' }).click();
    await rivera.getByText('Waiting for the partner').first().waitFor();
    await expectAccessible(rivera);
    const referralUrl = rivera.url();

    const cho = await signInAs(d.people.cho.email, 'Referrals sent to you');
    await cho.getByRole('link', { name: 'Maya Torres' }).click();
    await cho.getByRole('heading', { name: 'What the school shared' }).waitFor();
    await cho.getByText("The guardian's name, phone and e-mail appear here once you accept the referral.").waitFor();
    expect(await cho.getByText('Guardian: Rosa Torres').count()).toBe(0);
    // The partner answers: accept or decline (with a reason). Only the school cancels a referral.
    await cho.getByText('Needed to decline.').waitFor();
    await cho.getByRole('button', { name: 'Decline' }).waitFor();
    expect(await cho.getByRole('button', { name: 'Cancel the referral' }).count()).toBe(0);
    await cho.getByRole('button', { name: 'Accept' }).click();
    await cho.getByText('Guardian: Rosa Torres').waitFor();
    // The family's number is a link to call, on one line.
    const phone = cho.getByRole('link', { name: '303-555-0100' });
    expect(await phone.getAttribute('href')).toBe('tel:3035550100');
    expect(await phone.evaluate((a) => getComputedStyle(a).whiteSpace)).toBe('nowrap');
    await cho.getByRole('heading', { name: 'Schedule the appointment' }).or(cho.getByText('Schedule the appointment')).first().waitFor();
    await cho.getByText('Needed to mark that it did not work out.').waitFor();
    // On a phone the date-time field takes the card's width, so its value is not cut off.
    await cho.setViewportSize({ width: 390, height: 844 });
    const when = cho.getByLabel('Date and time');
    await expect.poll(async () => (await when.boundingBox())?.width).toBeGreaterThan(280);
    expect(await when.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    await when.fill('2026-12-02T16:30');
    await cho.getByLabel('Telehealth link').fill('https://meet.example.org/frfc-42');
    await cho.getByRole('button', { name: 'Save and send the invitation' }).click();
    await cho.getByText('Wednesday, December 2, 2026 at 4:30 PM').waitFor();
    await cho.getByText('The invitation was e-mailed to the family.').waitFor();
    await expectAccessible(cho);
    await cho.setViewportSize({ width: 1280, height: 800 });
    // Before the appointment's day the student cannot have been seen: "attended" is not offered yet.
    await cho.getByText('You can mark the first appointment attended from the day of the appointment.').waitFor();
    expect(await cho.getByRole('button', { name: 'Mark first appointment attended' }).count()).toBe(0);
    await cho.getByText('Needed to put it on hold or mark that it did not work out.').waitFor();
    // The invitation went to the outbox with the appointment; the worker's pass sends it.
    await expect
      .poll(async () => {
        await sendOutbox(haven.deps);
        return smtp.received.filter((m) => m.to.includes('rosa.torres@family.test')).length;
      })
      .toBe(1);
    const invitation = smtp.received.find((m) => m.to.includes('rosa.torres@family.test'));
    expect(invitation?.raw).toContain('Subject: Cita con Front Range Family Counseling');
    expect(invitation?.raw).toMatch(/Content-Type: text\/calendar; charset=utf-8; method=PUBLISH;\s+name=appointment\.ics/i);
    const ics = Buffer.from(invitation?.raw.split(/name=appointment\.ics[\s\S]*?\r\n\r\n/)[1]?.split('\r\n--')[0] ?? '', 'base64').toString('utf8');
    expect(ics).toContain('DTSTART:20261202T233000Z');

    // The evening of the appointment (moving the clock ends sessions: both sign in again).
    haven.clock.set(new Date('2026-12-03T00:30:00Z'));
    const choAfter = await signInAs(d.people.cho.email, 'Referrals sent to you');
    await choAfter.goto(referralUrl);
    await choAfter.getByRole('button', { name: 'Mark first appointment attended' }).click();
    await choAfter.getByText('Seen; in care').first().waitFor();
    // The partner keeps capacity current: one place fewer now that Maya is in care.
    await choAfter.getByRole('link', { name: 'Partner directory' }).click();
    await choAfter.getByLabel('Open places for Consejería familiar bilingüe').fill('2');
    await choAfter.getByRole('button', { name: 'Save capacity for Consejería familiar bilingüe' }).click();
    await choAfter.getByText('Saved.').waitFor();
    await choAfter.getByText('2 open places').waitFor();
    await expectAccessible(choAfter);

    const riveraAfter = await signInAs(d.people.rivera.email, 'Needs support now');
    await riveraAfter.goto(referralUrl);
    await riveraAfter.getByText('The loop is closed: the student was seen by Front Range Family Counseling.').waitFor();
    await riveraAfter.getByText('Check in with the family after the first visit').waitFor();
    // The counselor calls the family from the page too.
    expect(await riveraAfter.getByRole('link', { name: '303-555-0100' }).getAttribute('href')).toBe('tel:3035550100');
    await expectAccessible(riveraAfter);
    // Later the mother withdraws her consent: nothing more is shared on it.
    await riveraAfter.getByRole('button', { name: /^Withdrawn by the guardian \(Rosa Torres/ }).click();
    await riveraAfter.getByLabel('How the guardian said so (optional)').fill('Phone call to the office');
    await riveraAfter.getByRole('button', { name: 'Record the withdrawal' }).click();
    await riveraAfter.getByRole('heading', { name: 'Guardian consent on file' }).waitFor({ state: 'detached' });
    // The referral rested on that consent: it is withdrawn, and the partner loses it at once.
    await riveraAfter.getByText(/The partner no longer sees it, and nothing more is sent\./).waitFor();
    await expectAccessible(riveraAfter);
    await choAfter.goto(referralUrl);
    await choAfter.getByText(/does not exist, or you do not have access to it/).waitFor();
  }, 180_000);

  it("a 15-year-old's own referral: the partner sees only what she chose and no guardian; without a birth date the path is closed, and the page says why", async () => {
    const lucia = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Lucía', grade: '9', dateOfBirth: '2011-05-10' });
    const rivera = await signInAs(d.people.rivera.email, 'Needs support now');
    await rivera.goto(`${baseUrl}/referrals/new?student=${lucia.id}`);
    await rivera.getByRole('button', { name: 'Find services' }).click();
    await rivera.getByRole('button', { name: 'Refer to Consejería familiar bilingüe (Front Range Family Counseling)' }).click();
    await rivera.getByRole('heading', { name: 'Consent before sending' }).waitFor();
    await rivera.getByRole('radio', { name: "The student's own consent (a student-initiated connection)" }).check();
    await rivera.getByLabel('The name the student wants the partner to use').fill('Lu');
    await rivera.getByRole('checkbox', { name: 'Age', exact: true }).check();
    await rivera.getByRole('radio', { name: "The student's own e-mail" }).check();
    await rivera.getByLabel("The student's e-mail address").fill('lu.student@example.org');
    await expectAccessible(rivera);
    await rivera.getByRole('button', { name: 'Send to Front Range Family Counseling' }).click();
    await rivera.getByRole('heading', { name: 'Student-initiated connection' }).waitFor();
    await rivera.getByText('The guardian has not been told: do not tell the guardian, e-mail them or send them the appointment.').waitFor();

    const cho = await signInAs(d.people.cho.email, 'Referrals sent to you');
    await cho.getByRole('link', { name: 'Lu', exact: true }).click();
    await cho.getByRole('heading', { name: 'Student-initiated connection' }).waitFor();
    await cho.getByText('The guardian has not been told and is not shown to you.').waitFor();
    expect(await cho.getByText(/Guardian: /).count()).toBe(0);
    await expectAccessible(cho);

    const noBirthDate = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Sam', grade: '10', dateOfBirth: null });
    await rivera.goto(`${baseUrl}/referrals/new?student=${noBirthDate.id}`);
    await rivera.getByText(/^No birth date on record: the student's own consent cannot be used/).waitFor();
    await rivera.getByLabel("Student's age (for matching services only)").fill('15');
    await rivera.getByRole('button', { name: 'Find services' }).click();
    await rivera.getByRole('button', { name: 'Refer to Consejería familiar bilingüe (Front Range Family Counseling)' }).click();
    await rivera.getByRole('heading', { name: 'Consent before sending' }).waitFor();
    expect(await rivera.getByRole('radio', { name: "The student's own consent (a student-initiated connection)" }).isDisabled()).toBe(true);
    await expectAccessible(rivera);
  });
});
