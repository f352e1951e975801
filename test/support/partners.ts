import { partnerAgreements, partnerServices } from '../../src/data/directory.ts';
import type { Deps } from '../../src/platform/deps.ts';

/**
 * A Spanish-speaking counseling service taking Medicaid, with open places and a current MOU, at
 * the given partner organization: the usual target of a referral in tests.
 */
export async function addCounselingService(
  deps: Deps,
  districtId: string,
  organizationId: string,
  overrides: Partial<typeof partnerServices.$inferInsert> = {},
) {
  const id = deps.ids.uuid();
  await deps.db.system.insert(partnerServices).values({
    id,
    districtId,
    organizationId,
    hsdsId: `svc-${id}`,
    name: 'Bilingual family counseling',
    status: 'active',
    minimumAge: 10,
    maximumAge: 18,
    languages: ['en', 'es'],
    serviceTypes: ['counseling'],
    modalities: ['in_person', 'telehealth'],
    insurance: ['medicaid', 'chp_plus', 'private'],
    capacityAvailable: 4,
    document: { id: `svc-${id}`, name: 'Bilingual family counseling', status: 'active' },
    ...overrides,
  });
  await deps.db.system.insert(partnerAgreements).values({
    id: deps.ids.uuid(),
    districtId,
    organizationId,
    type: 'mou',
    scope: 'Counseling for referred students',
    ferpaBasis: 'consent',
    startsOn: '2026-08-01',
    endsOn: '2027-07-31',
    createdAt: new Date(),
  });
  return { id };
}
