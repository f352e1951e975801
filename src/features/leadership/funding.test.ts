import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindFundingDeadlines } from './funding.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let whitfield: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: Record<string, unknown>) => haven.app.inject({ method: 'POST', url, headers: session.headers, payload });

describe('braided funding', () => {
  it('tracks sources, refuses over-allocation, shows the burn-down, what loses funding, and alerts once before a deadline', async () => {
    const bad = await post(whitfield, '/api/v1/leadership/funding', {
      kind: 'esser_iii',
      name: 'ARP ESSER',
      awardCents: 10_000_000,
      periodStart: '2026-07-01',
      periodEnd: '2026-06-30',
      obligationDeadline: '2026-12-31',
    });
    expect(bad.json().detail).toBe('The period ends before it starts; check the dates.');
    const esser = (
      await post(whitfield, '/api/v1/leadership/funding', {
        kind: 'state_grant',
        name: 'Behavioral Health Matching Grant',
        awardCents: 10_000_000,
        periodStart: '2026-07-01',
        periodEnd: '2027-02-28',
        obligationDeadline: '2027-01-15',
      })
    ).json();
    const title = (
      await post(whitfield, '/api/v1/leadership/funding', {
        kind: 'title_iv_a',
        name: 'Title IV-A',
        awardCents: 5_000_000,
        periodStart: '2026-07-01',
        periodEnd: '2027-09-30',
        obligationDeadline: '2027-09-30',
      })
    ).json();
    expect(
      (
        await post(whitfield, `/api/v1/leadership/funding/${esser.id}/allocations`, {
          fundsKind: 'partner_contract',
          funds: 'Bilingual counseling',
          amountCents: 6_000_000,
        })
      ).statusCode,
    ).toBe(201);
    await post(whitfield, `/api/v1/leadership/funding/${title.id}/allocations`, {
      fundsKind: 'partner_contract',
      funds: 'Bilingual counseling',
      amountCents: 2_000_000,
    });
    const over = await post(whitfield, `/api/v1/leadership/funding/${esser.id}/allocations`, {
      fundsKind: 'service',
      funds: 'Screening',
      amountCents: 5_000_000,
    });
    expect(over.json().detail).toBe('That would allocate more than the award: $40,000 is left to allocate.');
    const outside = await post(whitfield, `/api/v1/leadership/funding/${esser.id}/spending`, { spentOn: '2027-05-01', amountCents: 100 });
    expect(outside.json().detail).toBe("Spending must fall between 2026-07-01 and 2027-02-28, the source's period.");
    expect((await post(whitfield, `/api/v1/leadership/funding/${esser.id}/spending`, { spentOn: '2026-10-01', amountCents: 2_000_000 })).statusCode).toBe(201);

    const lee = await signIn(haven.app, d.people.lee.email);
    const view = (await haven.app.inject({ method: 'GET', url: '/api/v1/leadership/funding', headers: lee.headers })).json();
    const grant = view.sources.find((s: { name: string }) => s.name === 'Behavioral Health Matching Grant');
    expect(grant).toMatchObject({ allocatedCents: 6_000_000, spentCents: 2_000_000, remainingCents: 8_000_000, daysToObligation: 48 });
    expect(grant.alerts).toEqual(['$40,000 is not yet obligated and the obligation deadline is in 48 days']);
    expect(view.losingFunding).toEqual([expect.objectContaining({ funds: 'Bilingual counseling', losingShare: 0.75 })]);
    expect(
      (
        await post(lee, '/api/v1/leadership/funding', {
          kind: 'local',
          name: 'x',
          awardCents: 1,
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          obligationDeadline: '2026-12-31',
        })
      ).statusCode,
    ).toBe(404);

    expect(await remindFundingDeadlines(haven.deps)).toBeGreaterThanOrEqual(1);
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.subject === 'Haven: Behavioral Health Matching Grant needs attention').map((m) => m.to)).toEqual([d.people.whitfield.email]);
    await remindFundingDeadlines(haven.deps);
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.subject.includes('Behavioral Health')).length).toBe(1);
  });
});
