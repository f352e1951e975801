import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { screeningResults } from '../../data/screening.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let whitfield: Session;
let lee: Session;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
  lee = await signIn(haven.app, d.people.lee.email);
  const rivera = await signIn(haven.app, d.people.rivera.email);
  // 40 English learners from Spanish-speaking homes, 40 English speakers, 3 Somali speakers: everyone screens positive.
  const groups = [
    ...Array.from({ length: 40 }, (_, i) => ({ homeLanguage: 'es', englishLearner: true, late: i < 25, waiting: false })),
    ...Array.from({ length: 40 }, (_, i) => ({ homeLanguage: 'en', englishLearner: false, late: false, waiting: i % 4 === 0 })),
    ...Array.from({ length: 3 }, () => ({ homeLanguage: 'so', englishLearner: true, late: true, waiting: false })),
  ];
  const moderate = { q1: 2, q2: 2, q3: 1, q4: 2, q5: 1, q6: 1, q7: 1, q8: 1, q9: 0 };
  const late: string[] = [];
  const onTime: string[] = [];
  for (const g of groups) {
    const s = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, {
      homeLanguage: g.homeLanguage,
      englishLearner: g.englishLearner,
      iep: false,
    });
    await haven.app.inject({
      method: 'POST',
      url: `/api/v1/students/${s.id}/screenings`,
      headers: rivera.headers,
      payload: { instrumentId: 'phq-9', answers: moderate },
    });
    // Most Spanish-speaking families are reached late; most others on time; some still wait.
    if (g.late) late.push(s.id);
    else if (!g.waiting) onTime.push(s.id);
  }
  await haven.deps.db.system
    .update(screeningResults)
    .set({ followedUpAt: new Date('2026-12-20T17:00:00Z') })
    .where(inArray(screeningResults.studentId, late));
  await haven.deps.db.system
    .update(screeningResults)
    .set({ followedUpAt: new Date('2026-11-30T17:00:00Z') })
    .where(inArray(screeningResults.studentId, onTime));
}, 60_000);
afterAll(() => haven.close());

const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

type Group = { group: string; suppressed: boolean; reached?: number; eligible?: number; rr?: number; low?: number; high?: number; flag?: string | null };
type View = {
  threshold: number;
  steps: { step: string; reached: number; eligible: number; dimensions: { dimension: string; groups: Group[] }[] }[];
  highlights: unknown[];
};

describe('equity across the path', () => {
  it('shows that English learners are followed up in time less often, with a clear interval, and hides the small Somali group', async () => {
    const view: View = (await get(whitfield, '/api/v1/leadership/equity')).json();
    const step = view.steps.find((s) => s.step === 'followed_up_in_time');
    // The 10 English speakers still waiting are not due yet: they count neither way (83 positive, 73 due).
    expect(step).toMatchObject({ eligible: 73, of: 'follow_up_due' });
    const el = step?.dimensions.find((x) => x.dimension === 'english_learner')?.groups.find((g) => g.group === 'yes');
    expect(el).toMatchObject({ suppressed: false, reached: 15, eligible: 43 });
    expect(el?.rr).toBeCloseTo(15 / 43 / (30 / 30), 6);
    expect(el?.flag).toBe('less');
    expect(el?.high).toBeLessThan(1);
    const languages = step?.dimensions.find((x) => x.dimension === 'home_language')?.groups ?? [];
    expect(languages.find((g) => g.group === 'so')).toEqual({ group: 'so', suppressed: true, reason: 'small' });
    expect(view.highlights).toContainEqual(expect.objectContaining({ step: 'followed_up_in_time', dimension: 'english_learner', group: 'yes', flag: 'less' }));
    // Most English learners waited 22 days; everyone's median (those still waiting counted) is 2.
    expect(view.highlights).toContainEqual({
      step: 'followed_up_in_time',
      dimension: 'english_learner',
      group: 'yes',
      flag: 'waits_longer',
      days: 22.1,
      overallDays: 2.1,
    });
  });

  it('never returns a cell under the threshold, to analysts or in the CSV', async () => {
    const view: View = (await get(lee, '/api/v1/leadership/equity')).json();
    for (const step of view.steps)
      for (const dim of step.dimensions)
        for (const g of dim.groups)
          if (!g.suppressed) {
            // Zero is shown (0 of 0: nobody was eligible); anything else is at least the threshold.
            expect(g.eligible === 0 || (g.eligible as number) >= view.threshold, `${step.step} ${dim.dimension} ${g.group}`).toBe(true);
            expect(g.reached === 0 || (g.reached as number) >= view.threshold, `${step.step} ${dim.dimension} ${g.group}`).toBe(true);
          }
    const csv = (await get(lee, '/api/v1/leadership/equity?format=csv')).body;
    expect(csv.split('\r\n')[0]).toBe('step,of,dimension,group,reached,eligible,rate,risk_ratio,ci_low,ci_high,disparity');
    expect(csv).toContain('followed_up_in_time,follow_up_due,home_language,so,suppressed,suppressed');
  });

  it('gives analysts aggregates only: every student-level list and record is closed to them', async () => {
    const [student] = (await haven.deps.db.system.select({ id: screeningResults.studentId }).from(screeningResults).limit(1)) as { id: string }[];
    for (const url of [
      '/api/v1/students',
      `/api/v1/students/${student?.id}`,
      `/api/v1/students/${student?.id}/screenings`,
      '/api/v1/referrals',
      '/api/v1/cases',
      '/api/v1/support/queue',
      '/api/v1/screening/follow-ups',
    ])
      expect((await get(lee, url)).statusCode, url).toBe(404);
  });

  it('is for district leaders and analysts only', async () => {
    for (const person of [d.people.rivera, d.people.bell, d.people.shah, d.people.cho]) {
      const session = await signIn(haven.app, person.email);
      expect((await get(session, '/api/v1/leadership/equity')).statusCode, person.email).toBe(404);
      expect((await get(session, '/api/v1/leadership/capacity')).statusCode, person.email).toBe(404);
    }
  });
});

describe('partner capacity', () => {
  it('never says "no wait" for a type of service with no open places or with a waitlist', async () => {
    await addCounselingService(haven.deps, d.district.id, d.partnerId, { capacityAvailable: 0, waitlistWeeks: null });
    await addCounselingService(haven.deps, d.district.id, d.partnerId, { serviceTypes: ['psychiatry'], capacityAvailable: 3, waitlistWeeks: 4 });
    await addCounselingService(haven.deps, d.district.id, d.partnerId, { serviceTypes: ['family_support'], capacityAvailable: 5 });
    const partners = (await get(whitfield, '/api/v1/leadership/capacity')).json().partners;
    expect(
      partners.map((p: { type: string; openPlaces: number; wait: unknown; projectedWaitWeeks: number | null }) => [
        p.type,
        p.openPlaces,
        p.wait,
        p.projectedWaitWeeks,
      ]),
    ).toEqual([
      ['counseling', 0, { kind: 'full' }, null],
      ['family_support', 5, { kind: 'no_wait' }, 0],
      ['psychiatry', 3, { kind: 'waitlist', weeks: 4 }, 4],
    ]);
  });
});

describe('capacity against need', () => {
  it('compares each school’s need with its staff and the recommended ratio', async () => {
    const bad = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/leadership/positions',
      headers: whitfield.headers,
      payload: { schoolId: d.schools.lincoln.id, role: 'counselor', fte: 9, caseloadPerFte: 40 },
    });
    expect(bad.json().detail).toMatch(/FTE is between 0.05 and 5/);
    const added = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/leadership/positions',
      headers: whitfield.headers,
      payload: { schoolId: d.schools.lincoln.id, role: 'counselor', fte: 0.2, caseloadPerFte: 50, title: 'Counselor (part-time)' },
    });
    expect(added.statusCode).toBe(201);
    const view = (await get(whitfield, '/api/v1/leadership/capacity')).json();
    const lincoln = view.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School');
    const waiting = await haven.deps.db.system.select().from(screeningResults).where(eq(screeningResults.districtId, d.district.id));
    const open = waiting.filter((r) => r.followedUpAt === null).length;
    expect(lincoln).toMatchObject({
      enrollment: 83,
      need: { openPositives: open, total: open },
      capacity: { counselorFte: 0.2, caseloadCapacity: 10 },
      gap: open - 10,
    });
    expect(lincoln.studentsPerCounselor).toBe(415);
    expect(lincoln.counselorsShort).toBe(0.1);
    // Analysts see the same figures, with counts under the threshold hidden.
    const analyst = (await get(lee, '/api/v1/leadership/capacity')).json();
    const aspen = analyst.schools.find((s: { school: string }) => s.school === 'Aspen Elementary');
    expect(aspen.need.total).toBe(0);
    expect(analyst.positions).toEqual([]);
    const csv = (await get(whitfield, '/api/v1/leadership/capacity?format=csv')).body;
    expect(csv).toContain('Lincoln Middle School,83,');
  });
});
