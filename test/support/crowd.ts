import { supportPlans } from '../../src/data/plans.ts';
import { referrals } from '../../src/data/referrals.ts';
import { screeningResults } from '../../src/data/screening.ts';
import { students } from '../../src/data/students.ts';
import { insertMany } from '../../src/platform/db/bulk.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { createDistrict } from './factories.ts';

type District = Awaited<ReturnType<typeof createDistrict>>;

/**
 * Many Lincoln students at once, each on every list a counselor and a partner read: a positive
 * PHQ-A waiting for follow-up (the follow-up queue and the caseload), an active tier 3 plan Ms.
 * Rivera is responsible for, and a referral sent to Dr. Cho's organization. With `plans: false`
 * and `referrals: false` nothing is in place, so they wait in "Needs support now" instead. Rows go
 * in with one statement per table, so a 500-student crowd takes well under a second to seed.
 */
export async function seedCrowd(deps: Deps, d: District, n: number, options: { serviceId: string; lastName?: string; plans?: boolean; referrals?: boolean }) {
  const now = deps.clock.now();
  const day = now.toISOString().slice(0, 10);
  const ids = Array.from({ length: n }, () => deps.ids.uuid());
  await deps.db.system.transaction(async (tx) => {
    await insertMany(
      tx,
      students,
      ids.map((id, i) => ({
        id,
        districtId: d.district.id,
        schoolId: d.schools.lincoln.id,
        localId: `C${id.slice(-10)}`,
        firstName: `Kid${i}`,
        lastName: options.lastName ?? 'Crowd',
        grade: '7' as const,
        dateOfBirth: '2013-04-02',
      })),
    );
    await insertMany(
      tx,
      screeningResults,
      ids.map((studentId) => ({
        id: deps.ids.uuid(),
        districtId: d.district.id,
        studentId,
        schoolId: d.schools.lincoln.id,
        instrumentId: 'phq-a',
        instrumentVersion: '1.0.0',
        source: 'staff' as const,
        answers: {},
        score: 16,
        band: 'moderately_severe',
        flags: [],
        actions: [],
        prorated: false,
        valid: true,
        administeredAt: now,
        followUpDueOn: day,
      })),
    );
    if (options.plans !== false)
      await insertMany(
        tx,
        supportPlans,
        ids.map((studentId) => ({
          id: deps.ids.uuid(),
          districtId: d.district.id,
          studentId,
          schoolId: d.schools.lincoln.id,
          tier: 3,
          status: 'active' as const,
          concern: 'Worry that keeps her from class',
          goals: [],
          interventions: [],
          responsibleUserId: d.people.rivera.id,
          reviewEveryDays: 30,
          startDate: day,
          nextReviewOn: day,
          createdAt: now,
        })),
      );
    if (options.referrals !== false)
      await insertMany(
        tx,
        referrals,
        ids.map((studentId) => ({
          id: deps.ids.uuid(),
          districtId: d.district.id,
          studentId,
          schoolId: d.schools.lincoln.id,
          organizationId: d.partnerId,
          serviceId: options.serviceId,
          source: 'direct' as const,
          serviceType: 'counseling',
          urgency: 'routine' as const,
          preferences: { language: 'en', languageRequired: false, insurance: 'medicaid' },
          status: 'requested' as const,
          consentBasis: 'guardian_consent',
          referredBy: d.people.rivera.id,
          createdAt: now,
          requestedAt: now,
        })),
      );
  });
  return ids;
}
