import { eq } from 'drizzle-orm';
import { users } from '../../data/accounts.ts';
import {
  actionItems,
  fundingAllocations,
  fundingSources,
  fundingSpending,
  policies,
  policyVersions,
  selfAssessments,
  staffPositions,
  trainingAttendance,
  trainingSessions,
  trainings,
} from '../../data/leadership.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { addDays } from '../plans/index.ts';
import type { seededRandom } from './demo.seed.ts';

/** Each demo school's mental-health staff: Aspen is short of counselors, Lincoln close, Sierra Vista near the ratio. */
const staffing: Record<string, { role: (typeof staffPositions.$inferInsert)['role']; fte: number; caseloadPerFte: number; title: string }[]> = {
  'aspen-es': [
    { role: 'counselor', fte: 1, caseloadPerFte: 50, title: 'School counselor' },
    { role: 'psychologist', fte: 0.4, caseloadPerFte: 40, title: 'School psychologist (shared)' },
    { role: 'nurse', fte: 0.5, caseloadPerFte: 30, title: 'School nurse' },
  ],
  'lincoln-ms': [
    { role: 'counselor', fte: 1, caseloadPerFte: 50, title: 'Counselor, grades 6–7' },
    { role: 'counselor', fte: 0.5, caseloadPerFte: 50, title: 'Counselor, grade 8' },
    { role: 'social_worker', fte: 0.5, caseloadPerFte: 30, title: 'School social worker' },
  ],
  'sierra-vista-hs': [
    { role: 'counselor', fte: 2, caseloadPerFte: 50, title: 'Counselors' },
    { role: 'psychologist', fte: 0.6, caseloadPerFte: 40, title: 'School psychologist' },
    { role: 'social_worker', fte: 1, caseloadPerFte: 30, title: 'School social worker' },
  ],
};

export async function seedDemoStaffing(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  schoolIds: Map<string, string>,
  random: ReturnType<typeof seededRandom>,
) {
  for (const [code, positions] of Object.entries(staffing))
    for (const p of positions)
      await tx.insert(staffPositions).values({ id: random.uuid(), districtId, schoolId: schoolIds.get(code) as string, ...p, createdAt: deps.clock.now() });
}

/**
 * Three funding sources braided over the demo's services: a state grant ending in 75 days with
 * money not yet obligated (so a deadline alert shows), Title IV-A and Medicaid billing.
 */
export async function seedDemoFunding(deps: Deps, tx: Transaction, districtId: string, random: ReturnType<typeof seededRandom>) {
  const today = districtDay(deps.clock.now(), 'America/Denver');
  const now = deps.clock.now();
  const sources = [
    { key: 'grant', kind: 'state_grant', name: 'Behavioral Health Care Professional Matching Grant', award: 180_000, start: -290, end: 75, obligation: 40 },
    { key: 'title', kind: 'title_iv_a', name: 'Title IV-A (safe and healthy students)', award: 95_000, start: -150, end: 300, obligation: 300 },
    { key: 'medicaid', kind: 'medicaid_sbs', name: 'Medicaid school-based services', award: 40_000, start: -150, end: 215, obligation: 215 },
  ] as const;
  const ids = new Map<string, string>();
  for (const s of sources) {
    const id = random.uuid();
    ids.set(s.key, id);
    await tx.insert(fundingSources).values({
      id,
      districtId,
      kind: s.kind,
      name: s.name,
      awardCents: s.award * 100,
      periodStart: addDays(today, s.start),
      periodEnd: addDays(today, s.end),
      obligationDeadline: addDays(today, s.obligation),
      createdAt: now,
    });
  }
  const allocations = [
    ['grant', 'partner_contract', 'Bilingual family counseling (Front Range)', 90_000],
    ['title', 'partner_contract', 'Bilingual family counseling (Front Range)', 30_000],
    ['grant', 'staff_position', 'Lincoln social worker (0.5 FTE)', 45_000],
    ['title', 'staff_position', 'Lincoln counselor, grade 8 (0.5 FTE)', 40_000],
    ['medicaid', 'service', 'Universal screening and follow-up', 25_000],
  ] as const;
  for (const [key, fundsKind, funds, dollars] of allocations)
    await tx
      .insert(fundingAllocations)
      .values({ id: random.uuid(), districtId, sourceId: ids.get(key) as string, fundsKind, funds, amountCents: dollars * 100, createdAt: now });
  for (const [key, daysAgo, dollars] of [
    ['grant', 250, 22_000],
    ['grant', 180, 24_000],
    ['grant', 90, 26_000],
    ['grant', 20, 21_000],
    ['title', 120, 12_000],
    ['title', 45, 14_000],
    ['medicaid', 60, 6_500],
  ] as const)
    await tx.insert(fundingSpending).values({
      id: random.uuid(),
      districtId,
      sourceId: ids.get(key) as string,
      spentOn: addDays(today, -daysAgo),
      amountCents: dollars * 100,
      createdAt: now,
    });
}

/**
 * Readiness in the demo: reporting-tool and crisis-team training with sign-ins (one lapsed),
 * a student awareness session, two policies (one due for review soon), and last spring's
 * self-assessment with its action plan.
 */
export async function seedDemoReadiness(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  schoolIds: Map<string, string>,
  random: ReturnType<typeof seededRandom>,
) {
  const today = districtDay(deps.clock.now(), 'America/Denver');
  const now = deps.clock.now();
  const lincoln = schoolIds.get('lincoln-ms') as string;
  const training = async (name: string, kind: (typeof trainings.$inferInsert)['kind'], audience: 'staff' | 'students', refresherMonths: number | null) => {
    const id = random.uuid();
    await tx.insert(trainings).values({ id, districtId, name, kind, audience, refresherMonths, createdAt: now });
    return id;
  };
  const session = async (trainingId: string, heldOn: string, emails: string[], studentsReached = 0) => {
    const id = random.uuid();
    await tx.insert(trainingSessions).values({ id, districtId, trainingId, schoolId: lincoln, heldOn, studentsReached, createdAt: now });
    for (const email of emails) await tx.insert(trainingAttendance).values({ id: random.uuid(), districtId, sessionId: id, email });
  };
  const reporting = await training('Reporting tools for staff', 'reporting_tool_staff', 'staff', 12);
  const team = await training('Crisis team training', 'crisis_team', 'staff', 24);
  const awareness = await training('Sources of Strength awareness', 'student_awareness', 'students', null);
  await session(reporting, addDays(today, -80), ['teacher@demo.haven.test', 'counselor@demo.haven.test', 'schooladmin@demo.haven.test']);
  await session(reporting, addDays(today, -400), ['crisis@demo.haven.test']);
  await session(team, addDays(today, -120), ['counselor@demo.haven.test', 'crisis@demo.haven.test', 'schooladmin@demo.haven.test']);
  await session(awareness, addDays(today, -50), [], 180);

  const [admin] = await tx.select({ id: users.id }).from(users).where(eq(users.email, 'admin@demo.haven.test'));
  if (!admin) return;
  for (const p of [
    {
      kind: 'crisis_response_plan',
      title: 'Crisis response plan',
      review: 20,
      version: '2025.2',
      summary: 'Who does what in the first hour of a crisis, how reports reach the on-call team, and how families are told.',
    },
    {
      kind: 'reentry',
      title: 'Re-entry after a mental-health crisis',
      review: 200,
      version: '2026.1',
      summary: 'A re-entry meeting within two school days of return, a written plan, and check-ins for four weeks.',
    },
  ] as const) {
    const id = random.uuid();
    await tx
      .insert(policies)
      .values({ id, districtId, kind: p.kind, title: p.title, ownerUserId: admin.id, reviewBy: addDays(today, p.review), createdAt: now });
    await tx
      .insert(policyVersions)
      .values({ id: random.uuid(), districtId, policyId: id, version: p.version, summary: p.summary, publishedAt: new Date(now.getTime() - 90 * 86_400_000) });
  }
  await tx.insert(selfAssessments).values({
    id: random.uuid(),
    districtId,
    heldOn: addDays(today, -200),
    scores: [
      { indicatorId: 'teaming.trained', score: 3, measured: 0.5, note: null },
      { indicatorId: 'teaming.family', score: 2, measured: null, note: 'No family members on the team yet' },
      { indicatorId: 'screening.coverage', score: 2, measured: 0.2, note: null },
      { indicatorId: 'screening.followup', score: 3, measured: 0.55, note: null },
      { indicatorId: 'early.referrals', score: 3, measured: 0.5, note: null },
      { indicatorId: 'funding.streams', score: 4, measured: 0.75, note: null },
    ],
    createdAt: now,
  });
  for (const [action, owner, due] of [
    ['Invite two parents and a student to the district crisis team', 'Dana Whitfield', 30],
    ['Extend the fall screening to Sierra Vista', 'Marcus Bell', -10],
  ] as const)
    await tx.insert(actionItems).values({ id: random.uuid(), districtId, action, owner, dueOn: addDays(today, due), createdAt: now });
}
