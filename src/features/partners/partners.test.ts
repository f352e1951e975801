import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { partnerServices } from '../../data/directory.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { importDirectory, readHsds } from './hsds.service.ts';
import { remindAgreementRenewals } from './partners.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let whitfield: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
  await importDirectory(haven.deps, d.district.id, await readHsds(fixture('hsds-3.1/service_full.json')), 'test');
});
afterAll(() => haven.close());

const call = (session: Session, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  haven.app.inject({ method, url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

describe('partners, agreements and matching', () => {
  it('the district describes a service and signs an agreement; matching then ranks it with its reasons', async () => {
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, d.district.id));
    const [org] = await haven.deps.db.system.select().from(partnerOrganizations).where(eq(partnerOrganizations.hsdsId, 'd9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610'));
    const need = { serviceType: 'counseling', age: 13, language: 'ur', insurance: 'medicaid', modality: 'telehealth' };
    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await call(rivera, 'POST', '/api/v1/referrals/match', need)).json().ranked).toEqual([]);

    expect(
      (
        await call(whitfield, 'PATCH', `/api/v1/partners/services/${service?.id}`, {
          serviceTypes: ['counseling'],
          modalities: ['in_person', 'telehealth'],
          insurance: ['medicaid'],
          capacityAvailable: 3,
        })
      ).statusCode,
    ).toBe(200);
    const noAgreement = (await call(rivera, 'POST', '/api/v1/referrals/match', need)).json();
    expect(noAgreement.excluded[0].reasons).toEqual([{ code: 'no_agreement', values: {} }]);

    const bad = await call(whitfield, 'POST', `/api/v1/partners/${org?.id}/agreements`, {
      type: 'mou',
      scope: 'Counseling',
      ferpaBasis: 'consent',
      startsOn: '2026-12-31',
      endsOn: '2026-01-01',
    });
    expect(bad.json().detail).toBe('The agreement ends before it starts; check the dates.');
    expect(
      (
        await call(whitfield, 'POST', `/api/v1/partners/${org?.id}/agreements`, {
          type: 'mou',
          scope: 'Counseling for referred students',
          ferpaBasis: 'consent',
          startsOn: '2026-08-01',
          endsOn: '2026-12-20',
          documentName: 'mou.pdf',
          documentBase64: 'JVBERi0=',
        })
      ).statusCode,
    ).toBe(201);
    const matched = (await call(rivera, 'POST', '/api/v1/referrals/match', need)).json();
    expect(matched.ranked).toEqual([
      expect.objectContaining({
        fits: [
          { code: 'language_provided', values: { language: 'ur' } },
          { code: 'open_places', values: { count: 3 } },
          { code: 'takes_insurance', values: { insurance: 'medicaid' } },
          { code: 'modality_offered', values: { modality: 'telehealth' } },
        ],
        gaps: [],
      }),
    ]);
    const partners = (await call(rivera, 'GET', '/api/v1/partners')).json();
    expect(partners[0]).toMatchObject({
      agreement: { type: 'mou', endsOn: '2026-12-20' },
      services: [expect.objectContaining({ capacityAvailable: 3, serviceTypes: ['counseling'] })],
    });

    mail.length = 0;
    expect(await remindAgreementRenewals(haven.deps)).toBe(1);
    await sendOutbox(haven.deps);
    expect(mail.map((m) => m.to)).toEqual([d.people.whitfield.email]);
    // The agreement by its name, never its stored code ("The mou with ...").
    expect(mail[0]?.subject).toBe(`Haven: the agreement with ${org?.name} ends on December 20, 2026`);
    expect(mail[0]?.text).toBe(
      `The memorandum of understanding (MOU) with ${org?.name} ends on December 20, 2026. Renew it so referrals to them stay covered.`,
    );
    expect(await remindAgreementRenewals(haven.deps)).toBe(0);
  });

  it('a partner sees only its own organization and updates only its capacity; teachers and analysts see nothing', async () => {
    const [service] = await haven.deps.db.system.select().from(partnerServices).where(eq(partnerServices.districtId, d.district.id));
    const cho = await signIn(haven.app, d.people.cho.email);
    expect((await call(cho, 'GET', '/api/v1/partners')).json().map((p: { name: string }) => p.name)).toEqual(['Front Range Family Counseling']);
    expect((await call(cho, 'PATCH', `/api/v1/partners/services/${service?.id}`, { capacityAvailable: 0 })).statusCode).toBe(404);
    await haven.deps.db.system
      .update(partnerServices)
      .set({ organizationId: d.partnerId })
      .where(eq(partnerServices.id, service?.id as string));
    expect((await call(cho, 'PATCH', `/api/v1/partners/services/${service?.id}`, { capacityAvailable: 0, waitlistWeeks: 3 })).statusCode).toBe(200);
    expect((await call(cho, 'PATCH', `/api/v1/partners/services/${service?.id}`, { insurance: ['private'] })).json().detail).toBe(
      'Partners update capacity and waitlist; the district keeps what the service offers.',
    );
    const [after] = await haven.deps.db.system
      .select()
      .from(partnerServices)
      .where(eq(partnerServices.id, service?.id as string));
    expect(after).toMatchObject({ capacityAvailable: 0, waitlistWeeks: 3, capacityUpdatedAt: expect.any(Date) });
    for (const person of ['shah', 'lee'] as const) {
      const session = await signIn(haven.app, d.people[person].email);
      expect((await call(session, 'GET', '/api/v1/partners')).statusCode, person).toBe(404);
      expect(
        (await call(session, 'POST', '/api/v1/referrals/match', { serviceType: 'counseling', age: 13, language: 'es', insurance: 'medicaid' })).statusCode,
        person,
      ).toBe(404);
    }
  });
});
