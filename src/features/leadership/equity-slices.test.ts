import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { equityChanges, equityTallies } from '../../data/leadership.ts';
import { screeningResults, screeningWindows } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { insertMany } from '../../platform/db/bulk.ts';
import { countEquity, sliceCount } from './equity-rollup.service.ts';

/**
 * Issue 20: the equity rollup recounts only what changed. A district of 600 students, a third of
 * them screened; after one more screen, only that student's slice is counted again, and the sum
 * is exactly what a count from scratch gives.
 */
let haven: TestHaven;
let districtId: string;
let schoolId: string;
let studentIds: string[];
const timeZone = 'America/Denver';
const scope = () => ({ districtId, userId: null });
const sliceOf = (id: string) => Number.parseInt(id.slice(-2), 16);

beforeAll(async () => {
  haven = await startTestHaven();
  const d = await createDistrict(haven.deps);
  districtId = d.district.id;
  schoolId = d.schools.lincoln.id;
  studentIds = Array.from({ length: 600 }, () => haven.deps.ids.uuid());
  await haven.deps.db.system.transaction(async (tx) => {
    await insertMany(
      tx,
      students,
      studentIds.map((id, i) => ({
        id,
        districtId,
        schoolId,
        localId: `S${i}`,
        firstName: 'Student',
        lastName: `${i}`,
        grade: '7',
        homeLanguage: i % 3 ? 'en' : 'es',
      })),
    );
    await insertMany(
      tx,
      screeningResults,
      studentIds.filter((_, i) => i % 3 === 0).map((id) => screen(id, i0)),
    );
  });
});
afterAll(() => haven.close());

const i0 = new Date('2026-11-20T16:00:00Z');
const screen = (studentId: string, administeredAt: Date) => ({
  id: haven.deps.ids.uuid(),
  districtId,
  studentId,
  schoolId,
  instrumentId: 'phq-a',
  instrumentVersion: '1.0.0',
  source: 'staff' as const,
  answers: {},
  band: 'minimal',
  flags: [],
  actions: [],
  prorated: false,
  valid: true,
  administeredAt,
});

const marked = async () =>
  (await haven.deps.db.system.selectDistinct({ slice: equityChanges.slice }).from(equityChanges).where(eq(equityChanges.districtId, districtId)))
    .map((r) => r.slice)
    .sort((a, b) => a - b);
const countedAt = async () =>
  new Map(
    (await haven.deps.db.system.select().from(equityTallies).where(eq(equityTallies.districtId, districtId))).map((r) => [r.slice, r.computedAt.getTime()]),
  );
const withoutSince = <T extends { since: string }>({ since: _, ...rest }: T) => rest;

describe('the equity rollup, counted in slices', () => {
  it('counts every slice the first time, taking every mark', async () => {
    expect((await marked()).length).toBeGreaterThan(0);
    const counts = await countEquity(haven.deps, scope(), timeZone);
    expect(counts.totals.enrolled).toBe(600 + (await activeBefore()));
    expect(counts.totals.screened).toBe(200);
    expect((await countedAt()).size).toBe(sliceCount);
    expect(await marked()).toEqual([]);
  });

  it("after one new screen, recounts only that student's slice, and the sum equals a count from scratch", async () => {
    const before = await countedAt();
    const student = studentIds[1] as string;
    haven.clock.advance(60_000);
    await haven.deps.db.system.insert(screeningResults).values(screen(student, haven.clock.now()));
    expect(await marked()).toEqual([sliceOf(student)]);

    const counts = await countEquity(haven.deps, scope(), timeZone);
    expect(counts.totals.screened).toBe(201);
    const after = await countedAt();
    const recounted = [...after].filter(([slice, at]) => at !== before.get(slice)).map(([slice]) => slice);
    expect(recounted).toEqual([sliceOf(student)]);

    await haven.deps.db.system.delete(equityTallies).where(eq(equityTallies.districtId, districtId));
    const fromScratch = await countEquity(haven.deps, scope(), timeZone);
    expect(withoutSince(counts)).toEqual(withoutSince(fromScratch));
  });

  it('marks nothing for an update that changes nothing it counts, and every slice when a window moves', async () => {
    const [window] = await haven.deps.db.system
      .insert(screeningWindows)
      .values({
        id: haven.deps.ids.uuid(),
        districtId,
        name: 'Spring',
        schoolIds: [schoolId],
        grades: ['7'],
        instrumentIds: ['phq-a'],
        opensOn: '2027-03-01',
        closesOn: '2027-03-14',
        createdAt: haven.clock.now(),
      })
      .returning();
    expect((await marked()).length).toBe(sliceCount);
    await countEquity(haven.deps, scope(), timeZone);
    await haven.deps.db.system
      .update(screeningWindows)
      .set({ name: 'Spring check' })
      .where(eq(screeningWindows.id, window?.id as string));
    expect(await marked()).toEqual([]);
    await haven.deps.db.system
      .update(screeningWindows)
      .set({ opensOn: '2026-11-01' })
      .where(eq(screeningWindows.id, window?.id as string));
    expect((await marked()).length).toBe(sliceCount);
    const counts = await countEquity(haven.deps, scope(), timeZone);
    expect(counts.totals.offered_screening).toBe(600);
  });

  it('counts every slice again on a new day of the district, when due days and waits move', async () => {
    await countEquity(haven.deps, scope(), timeZone);
    const before = await countedAt();
    haven.clock.advance(86_400_000);
    await countEquity(haven.deps, scope(), timeZone);
    const after = await countedAt();
    expect([...after].every(([slice, at]) => at > (before.get(slice) as number))).toBe(true);
  });

  it('keeps a mark written while a recount runs, for the next pass', async () => {
    const student = studentIds[2] as string;
    // A writer's transaction that commits after the recount took the marks.
    await haven.deps.db.system.transaction(async (tx) => {
      await tx.insert(screeningResults).values(screen(student, haven.clock.now()));
      await countEquity(haven.deps, scope(), timeZone);
    });
    expect(await marked()).toEqual([sliceOf(student)]);
    const counts = await countEquity(haven.deps, scope(), timeZone);
    expect(counts.totals.screened).toBe(202);
  });
});

/** Students the district factory enrolled before this test's own (counted in "enrolled" too). */
async function activeBefore() {
  const [row] = await haven.deps.db.system
    .select({ n: sql<number>`count(*)::int` })
    .from(students)
    .where(and(eq(students.districtId, districtId), eq(students.active, true), sql`local_id not like 'S%'`));
  return row?.n ?? 0;
}
