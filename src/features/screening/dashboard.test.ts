import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { reports } from '../../data/reports.ts';
import { screeningConsents, screeningResults, screeningSessions } from '../../data/screening.ts';

/**
 * The fall window covers the seventh grades of Lincoln and Aspen; the clock reads Saturday
 * 28 November 2026. At Lincoln, Ana's mother consented and Ana was screened (moderate, followed
 * up the day before it was due, her alert acknowledged); Ben's mother consented, then withdrew,
 * and Ben was absent; Cora gave her own assent with no word from home and chose not to take part;
 * Dev's family has a standing opt-out, whatever Dev said; Eli's family opted out of last year
 * only and Eli screened severe (follow-up now overdue, raised under Ana's alert and one of his
 * own, not acknowledged); Fay's mother consented to another window, and Fay's screen could not be
 * scored. A student who left Lincoln and an eighth grader are not in the window. Ms. Rivera,
 * Lincoln's counselor, sees Lincoln; Ms. Whitfield, the district administrator, sees both schools.
 */
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let windowId: string;
const as = {} as Record<'rivera' | 'whitfield', Session>;

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  for (const who of ['rivera', 'whitfield'] as const) as[who] = await signIn(haven.app, d.people[who].email);
  const created = await haven.app.inject({
    method: 'POST',
    url: '/api/v1/screening/windows',
    headers: as.whitfield.headers,
    payload: {
      name: 'Fall check',
      schoolIds: [d.schools.lincoln.id, d.schools.aspen.id],
      grades: ['7'],
      instrumentIds: ['phq-a'],
      opensOn: '2026-11-01',
      closesOn: '2026-12-18',
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  windowId = created.json().id;
  const other = await haven.app.inject({
    method: 'POST',
    url: '/api/v1/screening/windows',
    headers: as.whitfield.headers,
    payload: {
      name: 'Spring check',
      schoolIds: [d.schools.lincoln.id],
      grades: ['7'],
      instrumentIds: ['phq-a'],
      opensOn: '2027-02-01',
      closesOn: '2027-03-12',
    },
  });
  const springId = other.json().id as string;

  const lincoln = d.schools.lincoln.id;
  const student = (schoolId: string, firstName: string, extra: { grade?: '7' | '8'; active?: boolean } = {}) =>
    createStudent(haven.deps, d.district.id, schoolId, { firstName, grade: extra.grade ?? '7', active: extra.active ?? true });
  // One at a time: the factory numbers students as it creates them.
  const ana = await student(lincoln, 'Ana');
  const ben = await student(lincoln, 'Ben');
  const cora = await student(lincoln, 'Cora');
  const dev = await student(lincoln, 'Dev');
  const eli = await student(lincoln, 'Eli');
  const fay = await student(lincoln, 'Fay');
  const gone = await student(lincoln, 'Gil', { active: false });
  const older = await student(lincoln, 'Hal', { grade: '8' });
  const ivy = await student(d.schools.aspen.id, 'Ivy');
  const ids = haven.deps.ids;
  const at = (iso: string) => new Date(iso);
  const base = { districtId: d.district.id, source: 'paper' as const };
  const acknowledged = ids.uuid();
  const open = ids.uuid();
  await haven.deps.db.system.transaction(async (tx) => {
    await tx.insert(screeningConsents).values([
      { ...base, id: ids.uuid(), studentId: ana.id, kind: 'consent', windowId, recordedAt: at('2026-11-02T15:00Z') },
      { ...base, id: ids.uuid(), studentId: ben.id, kind: 'consent', windowId, recordedAt: at('2026-11-02T15:00Z') },
      { ...base, id: ids.uuid(), studentId: ben.id, kind: 'withdrawn', windowId, recordedAt: at('2026-11-09T15:00Z') },
      { ...base, id: ids.uuid(), studentId: cora.id, kind: 'student_consent', source: 'student', windowId, recordedAt: at('2026-11-10T15:00Z') },
      { ...base, id: ids.uuid(), studentId: dev.id, kind: 'opt_out', recordedAt: at('2025-09-01T15:00Z') },
      { ...base, id: ids.uuid(), studentId: dev.id, kind: 'student_consent', source: 'student', windowId, recordedAt: at('2026-11-10T15:00Z') },
      { ...base, id: ids.uuid(), studentId: eli.id, kind: 'opt_out', schoolYear: '2025-26', recordedAt: at('2025-09-01T15:00Z') },
      { ...base, id: ids.uuid(), studentId: fay.id, kind: 'consent', windowId: springId, recordedAt: at('2026-11-03T15:00Z') },
      { ...base, id: ids.uuid(), studentId: gone.id, kind: 'consent', windowId, recordedAt: at('2026-11-03T15:00Z') },
    ]);
    const sitting = (studentId: string, status: 'completed' | 'absent' | 'declined' | 'void') => ({
      id: ids.uuid(),
      districtId: d.district.id,
      windowId,
      studentId,
      schoolId: lincoln,
      status,
      issuedAt: at('2026-11-16T15:00Z'),
    });
    await tx
      .insert(screeningSessions)
      .values([sitting(ana.id, 'completed'), sitting(ben.id, 'absent'), sitting(cora.id, 'declined'), sitting(dev.id, 'void'), sitting(eli.id, 'completed')]);
    const alert = (id: string, acknowledgedAt: Date | null) => ({
      id,
      districtId: d.district.id,
      channel: 'screening' as const,
      category: 'suicide_self_harm' as const,
      urgencyReported: 'urgent' as const,
      urgency: 'urgent' as const,
      description: 'Screening answer',
      followUpCodeHash: ids.uuid(),
      receivedAt: at('2026-11-16T16:00Z'),
      acknowledgedAt,
    });
    await tx.insert(reports).values([alert(acknowledged, at('2026-11-16T16:05Z')), alert(open, null)]);
    const result = (studentId: string, schoolId: string, band: string | null, more: Partial<typeof screeningResults.$inferInsert> = {}) => ({
      id: ids.uuid(),
      districtId: d.district.id,
      studentId,
      schoolId,
      windowId,
      instrumentId: 'phq-a',
      instrumentVersion: '1.0.0',
      source: 'screen' as const,
      answers: {},
      band,
      flags: [],
      actions: [],
      prorated: false,
      valid: band !== null,
      administeredAt: at('2026-11-16T16:00Z'),
      ...more,
    });
    await tx
      .insert(screeningResults)
      .values([
        result(ana.id, lincoln, 'moderate', { followUpDueOn: '2026-11-20', followedUpAt: at('2026-11-19T18:00Z'), alertReportId: acknowledged }),
        result(eli.id, lincoln, 'severe', { followUpDueOn: '2026-11-25', alertReportId: acknowledged }),
        result(eli.id, lincoln, 'severe', { followUpDueOn: '2026-11-25', alertReportId: open }),
        result(fay.id, lincoln, null),
        result(ivy.id, d.schools.aspen.id, 'mild'),
        result(older.id, lincoln, 'mild', { windowId: springId }),
      ]);
  });
});
afterAll(() => haven.close());

const dashboard = async (who: keyof typeof as) => {
  const response = await haven.app.inject({ method: 'GET', url: `/api/v1/screening/windows/${windowId}/dashboard`, headers: as[who].headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

describe('the window dashboard', () => {
  it("counts Lincoln's consent, sittings, bands, follow-ups and alerts as Ms. Rivera works them", async () => {
    const view = await dashboard('rivera');
    expect(view.schools).toHaveLength(1);
    expect(view.schools[0]).toEqual({
      schoolId: d.schools.lincoln.id,
      school: 'Lincoln Middle School',
      enrolled: 6,
      consented: 2,
      optedOut: 2,
      screened: 2,
      absent: 1,
      declined: 1,
      participation: 2 / 6,
      bands: { 'phq-a': { moderate: 1, severe: 2, not_scored: 1 } },
      positives: 3,
      followUpsDue: 3,
      followedUpInTime: 1,
      overdue: 2,
      followUpRate: 1 / 3,
      alerts: 2,
      alertsAcknowledged: 1,
      suppressed: [],
    });
  });

  it('shows Ms. Whitfield both schools by name, and records each look in the audit trail', async () => {
    const view = await dashboard('whitfield');
    expect(view.schools.map((s: { school: string }) => s.school)).toEqual(['Aspen Elementary', 'Lincoln Middle School']);
    expect(view.schools[0]).toMatchObject({ enrolled: 1, screened: 0, consented: 0, bands: { 'phq-a': { mild: 1 } }, alerts: 0 });
    const looks = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'screening.dashboard_read'), eq(auditEvents.subjectId, windowId)));
    expect(looks.map((e) => e.actorUserId).sort()).toEqual([d.people.rivera.id, d.people.whitfield.id].sort());
  });
});
