import { eq } from 'drizzle-orm';
import { users } from '../../data/accounts.ts';
import { partnerAgreements, partnerServices } from '../../data/directory.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referralConsents, referralEvents, referralFollowUps, referrals } from '../../data/referrals.ts';
import type { students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { addDays } from '../plans/index.ts';
import type { TaskStatus } from '../referrals/index.ts';
import type { seededRandom } from './demo.seed.ts';

type Service = Omit<typeof partnerServices.$inferInsert, 'id' | 'districtId' | 'organizationId' | 'hsdsId' | 'document' | 'status'>;
type Partner = {
  name: string;
  agreement: { type: 'mou' | 'contract'; ferpaBasis: 'consent' | 'school_official'; endsInDays: number } | null;
  services: Service[];
};

const others: Partner[] = [
  {
    name: 'Mountain Youth Services',
    agreement: { type: 'contract', ferpaBasis: 'school_official', endsInDays: 400 },
    services: [
      {
        name: 'Mobile crisis response',
        serviceTypes: ['crisis_response'],
        modalities: ['at_school', 'in_person'],
        languages: ['en', 'es'],
        insurance: ['medicaid', 'chp_plus', 'private', 'uninsured'],
        minimumAge: 5,
        maximumAge: 21,
        capacityAvailable: 1,
        capacityMaximum: 2,
      },
      {
        name: 'Teen substance use program',
        serviceTypes: ['substance_use', 'counseling'],
        modalities: ['in_person'],
        languages: ['en', 'es'],
        insurance: ['medicaid', 'chp_plus', 'sliding_fee'],
        minimumAge: 12,
        maximumAge: 18,
        capacityAvailable: 0,
        capacityMaximum: 12,
        waitlistWeeks: 6,
      },
    ],
  },
  {
    name: 'Peak Counseling Associates',
    agreement: { type: 'mou', ferpaBasis: 'consent', endsInDays: 20 },
    services: [
      {
        name: 'Teen counseling',
        serviceTypes: ['counseling'],
        modalities: ['in_person', 'telehealth'],
        languages: ['en'],
        insurance: ['private', 'chp_plus'],
        minimumAge: 12,
        maximumAge: 18,
        capacityAvailable: 6,
        capacityMaximum: 15,
      },
    ],
  },
  {
    name: 'Saigon Family Center',
    agreement: null,
    services: [
      {
        name: 'Vietnamese family support',
        serviceTypes: ['family_support', 'case_management'],
        modalities: ['in_person'],
        languages: ['vi', 'en'],
        insurance: ['medicaid', 'uninsured', 'sliding_fee'],
        competencies: ['vietnamese_community', 'buddhist'],
        capacityAvailable: 3,
        capacityMaximum: 8,
      },
    ],
  },
];

const demoPartnerServices: Service[] = [
  {
    name: 'Bilingual family counseling',
    serviceTypes: ['counseling', 'family_support'],
    modalities: ['in_person', 'telehealth'],
    languages: ['en', 'es'],
    insurance: ['medicaid', 'chp_plus', 'private', 'sliding_fee'],
    competencies: ['latino_families', 'lgbtq_youth'],
    minimumAge: 6,
    maximumAge: 18,
    capacityAvailable: 4,
    capacityMaximum: 20,
  },
  {
    name: 'Child and adolescent psychiatry (telehealth)',
    serviceTypes: ['psychiatry', 'telehealth'],
    modalities: ['telehealth'],
    languages: ['en'],
    interpretation: true,
    insurance: ['medicaid', 'private'],
    minimumAge: 10,
    maximumAge: 18,
    capacityAvailable: 0,
    capacityMaximum: 6,
    waitlistWeeks: 5,
  },
];

/** Where each demo referral stands, oldest first: a mix that makes the measures and follow-ups believable. */
const paths: TaskStatus[][] = [
  ...Array.from({ length: 6 }, (): TaskStatus[] => ['requested', 'accepted', 'scheduled', 'in-progress', 'completed']),
  ...Array.from({ length: 8 }, (): TaskStatus[] => ['requested', 'accepted', 'scheduled', 'in-progress']),
  ...Array.from({ length: 4 }, (): TaskStatus[] => ['requested', 'accepted', 'scheduled']),
  ['requested', 'accepted'],
  ['requested', 'accepted'],
  ['requested', 'accepted', 'scheduled', 'in-progress', 'on-hold'],
  ['requested', 'rejected'],
  ['requested', 'cancelled'],
  ['requested'],
  ['requested'],
  [],
];

/**
 * The demo directory (four partners, six services, agreements including one about to end and one
 * partner without any) and about thirty referrals from the Lincoln counselor in every state, so
 * the referral list, follow-through and loop measures have something true-looking to show.
 */
export async function seedDemoPartners(
  deps: Deps,
  tx: Transaction,
  ids: { districtId: string; partnerId: string; lincolnId: string },
  lincolnStudents: (typeof students.$inferInsert)[],
  random: ReturnType<typeof seededRandom>,
) {
  const now = deps.clock.now();
  const today = districtDay(now, 'America/Denver');
  const serviceIds: { id: string; organizationId: string; languages: string[] }[] = [];
  const addPartner = async (organizationId: string, partner: Partner) => {
    if (partner.agreement)
      await tx.insert(partnerAgreements).values({
        id: random.uuid(),
        districtId: ids.districtId,
        organizationId,
        type: partner.agreement.type,
        scope: 'Services for students referred by district schools',
        ferpaBasis: partner.agreement.ferpaBasis,
        startsOn: addDays(today, -200),
        endsOn: addDays(today, partner.agreement.endsInDays),
        createdAt: now,
      });
    for (const s of partner.services) {
      const id = random.uuid();
      const hsdsId = `demo-${id.slice(0, 8)}`;
      await tx.insert(partnerServices).values({
        ...s,
        id,
        districtId: ids.districtId,
        organizationId,
        hsdsId,
        status: 'active',
        capacityUpdatedAt: new Date(now.getTime() - random.next() * 10 * 86_400_000),
        document: { id: hsdsId, name: s.name, status: 'active' },
      });
      serviceIds.push({ id, organizationId, languages: s.languages ?? [] });
    }
  };
  await addPartner(ids.partnerId, { name: '', agreement: { type: 'mou', ferpaBasis: 'consent', endsInDays: 240 }, services: demoPartnerServices });
  for (const partner of others) {
    const id = random.uuid();
    await tx.insert(partnerOrganizations).values({ id, districtId: ids.districtId, name: partner.name });
    await addPartner(id, partner);
  }

  const [counselor] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'counselor@demo.haven.test'));
  const [clinician] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'partner@demo.haven.test'));
  if (!counselor) return;
  const referred = lincolnStudents.filter((_, i) => i % 13 === 5).slice(0, paths.length);
  for (const [i, student] of referred.entries()) {
    const path = paths[i] as TaskStatus[];
    const spanish = student.homeLanguage === 'es';
    const service = spanish || random.chance(0.7) ? serviceIds[0] : serviceIds[4];
    if (!service) continue;
    const id = random.uuid();
    // Sent between 75 and 2 days ago, oldest first; each step a few days after the last.
    let at = new Date(now.getTime() - (75 - i * 2.4) * 86_400_000);
    const step = (days: number) => {
      at = new Date(Math.min(now.getTime() - 3_600_000, at.getTime() + days * 86_400_000));
      return at;
    };
    const createdAt = at;
    const times: Partial<Record<TaskStatus, Date>> = {};
    for (const status of path)
      times[status] = step(status === 'scheduled' ? 2 + random.next() * 6 : status === 'in-progress' ? 3 + random.next() * 8 : 1 + random.next() * 2);
    const status: TaskStatus = path.at(-1) ?? 'draft';
    const appointmentAt = times.scheduled ? new Date((times['in-progress'] ?? new Date(now.getTime() + (2 + random.next() * 7) * 86_400_000)).getTime()) : null;
    await tx.insert(referrals).values({
      id,
      districtId: ids.districtId,
      studentId: student.id as string,
      schoolId: ids.lincolnId,
      organizationId: service.organizationId,
      serviceId: service.id,
      source: random.chance(0.5) ? 'direct' : 'screening',
      sourceId: null,
      serviceType: 'counseling',
      urgency: random.chance(0.2) ? 'urgent' : 'routine',
      preferences: {
        language: student.homeLanguage ?? 'en',
        languageRequired: spanish,
        insurance: random.chance(0.6) ? 'medicaid' : 'private',
        times: 'after school',
      },
      status,
      statusReason:
        status === 'rejected'
          ? 'No openings for this age group'
          : status === 'cancelled'
            ? 'Family chose a provider through their insurance'
            : status === 'on-hold'
              ? 'Family travelling for three weeks'
              : null,
      consentBasis: path.length ? 'guardian_consent' : null,
      appointmentAt,
      appointmentMinutes: appointmentAt ? 50 : null,
      appointmentPlace: appointmentAt ? 'Front Range office, 1200 Pearl St' : null,
      referredBy: counselor.id,
      createdAt,
      requestedAt: times.requested ?? null,
      acceptedAt: times.accepted ?? null,
      firstSeenAt: times['in-progress'] ? appointmentAt : null,
      closedAt: times.completed ?? times.rejected ?? times.cancelled ?? null,
    });
    if (path.length)
      await tx.insert(referralConsents).values({
        id: random.uuid(),
        districtId: ids.districtId,
        studentId: student.id as string,
        kind: 'guardian',
        givenBy: 'Parent (signed release form)',
        scope: [service.organizationId],
        expiresOn: addDays(today, 180),
        recordedBy: counselor.id,
        recordedAt: createdAt,
      });
    let from: TaskStatus = 'draft';
    await tx
      .insert(referralEvents)
      .values({ id: random.uuid(), districtId: ids.districtId, referralId: id, at: createdAt, byUserId: counselor.id, side: 'school', toStatus: 'draft' });
    for (const to of path) {
      await tx.insert(referralEvents).values({
        id: random.uuid(),
        districtId: ids.districtId,
        referralId: id,
        at: times[to] as Date,
        byUserId: to === 'requested' || to === 'cancelled' ? counselor.id : service.organizationId === ids.partnerId ? (clinician?.id ?? null) : null,
        side: to === 'requested' || to === 'cancelled' ? 'school' : 'partner',
        fromStatus: from,
        toStatus: to,
      });
      from = to;
    }
    if (times['in-progress'])
      await tx.insert(referralFollowUps).values({
        id: random.uuid(),
        districtId: ids.districtId,
        referralId: id,
        kind: 'family_checkin',
        ownerUserId: counselor.id,
        dueOn: addDays(districtDay(times['in-progress'], 'America/Denver'), 2),
        createdAt: times['in-progress'],
        doneAt: i % 3 === 0 ? null : times['in-progress'],
        note: i % 3 === 0 ? null : 'Parent says the first session went well.',
      });
  }
}
