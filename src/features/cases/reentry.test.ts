import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, password, type Session, signIn, teachClass } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { classEnrollments } from '../../data/roster.ts';
import { addUser } from '../accounts/users.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
/** A second teacher at Lincoln Middle, who does not teach Maya and is not named on her plan. */
let novak: { id: string; email: string };
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
  const email = `novak.${d.district.slug}@haven.test`;
  const { userId } = await addUser(haven.deps, {
    districtId: d.district.id,
    email,
    role: 'staff',
    displayName: 'Mr. Novak',
    schoolCode: 'lincoln-ms',
    password,
  });
  novak = { id: userId, email };
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

type Task = { kind: string; title: string; dueAt: string; owner: string | null };
const plan = {
  releaseOfInformationAt: '2026-12-01',
  participants: ['Maya', 'Rosa Torres', 'Ms. Rivera', 'Mr. Bell', 'School nurse'],
  safetyPlanReviewed: true,
  supports: 'Shortened schedule for two weeks; no penalty for missed work',
  consider504Referral: true,
  teacherSummary: 'Maya is back on a shortened schedule; please excuse missed work for two weeks and let her go to the counseling office when she asks.',
};

/** Maya's case at Lincoln Middle, opened by Ms. Rivera (the test clock reads Saturday 2026-11-28). */
async function mayasCase() {
  const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
  const opened = await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'Back from a hospital stay after an attempt', studentIds: [student.id] });
  expect(opened.statusCode).toBe(201);
  return { caseId: opened.json().id as string, student };
}
const tasksOf = async (caseId: string, kind: string): Promise<Task[]> =>
  (await get(rivera, `/api/v1/cases/${caseId}`)).json().tasks.filter((t: Task) => t.kind === kind);
const denverWeekday = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'America/Denver', weekday: 'short' }).format(new Date(iso));
const daysBetween = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

describe('a re-entry plan', () => {
  it('back on a Friday: the meeting task is due before the return; check-ins fall on school days, weekly then every two weeks, through day 90', async () => {
    const { caseId } = await mayasCase();
    const recorded = await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, {
      ...plan,
      returnDate: '2026-12-04',
      meetingAt: '2026-12-03T15:30:00-07:00',
      pointPersonUserId: d.people.rivera.id,
    });
    expect(recorded.statusCode).toBe(201);

    const checkIns = await tasksOf(caseId, 'check_in');
    expect(checkIns.map((t) => t.dueAt)).toEqual(
      ['2026-12-04', '2026-12-11', '2026-12-18', '2026-12-25', '2027-01-01', '2027-01-15', '2027-01-29', '2027-02-12', '2027-02-26', '2027-03-04'].map(
        (day) => `${day}T16:00:00.000Z`, // 9:00 in Denver
      ),
    );
    for (const t of checkIns) expect(['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], t.dueAt).toContain(denverWeekday(t.dueAt));
    const gaps = checkIns.slice(1).map((t, i) => daysBetween(checkIns[i]?.dueAt ?? '', t.dueAt));
    expect(gaps).toEqual([7, 7, 7, 7, 14, 14, 14, 14, 6]);
    expect(daysBetween('2026-12-04T16:00:00.000Z', checkIns.at(-1)?.dueAt ?? '')).toBe(90);
    expect(checkIns.every((t) => t.owner === 'rivera')).toBe(true);
    expect(checkIns.at(-1)?.title).toBe('Re-entry check-in, day 90: the end of the first 90 days');

    const [meeting, ...others] = await tasksOf(caseId, 'reentry_meeting');
    expect(others).toEqual([]);
    expect(meeting).toMatchObject({ title: 'Hold the re-entry meeting (on or before the return to school, 2026-12-04)', dueAt: '2026-12-03T22:30:00.000Z' });
    expect(Date.parse(meeting?.dueAt ?? '')).toBeLessThan(Date.parse('2026-12-04T16:00:00.000Z'));
  });

  it('back on a Monday: day 90 is a Sunday, so the last check-in is the Friday before; a revised plan replaces the schedule instead of adding one', async () => {
    const { caseId } = await mayasCase();
    const first = { ...plan, returnDate: '2026-12-07', meetingAt: '2026-12-07T08:00:00-07:00', pointPersonUserId: d.people.rivera.id };
    expect((await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, first)).statusCode).toBe(201);
    const checkIns = await tasksOf(caseId, 'check_in');
    expect(checkIns).toHaveLength(10);
    expect(checkIns.slice(-2).map((t) => [t.dueAt, t.title])).toEqual([
      ['2027-03-01T16:00:00.000Z', 'Re-entry check-in, day 84'],
      ['2027-03-05T16:00:00.000Z', 'Re-entry check-in, day 88: the end of the first 90 days'],
    ]);

    // The hospital keeps her a week longer: the meeting moves with the return.
    const revised = { ...first, returnDate: '2026-12-14', meetingAt: '2026-12-11T15:30:00-07:00' };
    expect((await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, revised)).json()).toMatchObject({ version: 2 });
    const after = await tasksOf(caseId, 'check_in');
    expect(after).toHaveLength(10);
    expect(after[0]?.dueAt).toBe('2026-12-14T16:00:00.000Z');
    expect((await tasksOf(caseId, 'reentry_meeting')).map((t) => t.dueAt)).toEqual(['2026-12-11T22:30:00.000Z']);
    const events = (await get(rivera, `/api/v1/cases/${caseId}`)).json().events.map((e: { summary: string }) => e.summary);
    expect(events).toContain('Re-entry plan: back on 2026-12-14; 10 check-ins on school days through 2027-03-12 (day 88), replacing the earlier schedule.');
  });

  it('refuses a meeting after the return date, in words a counselor can act on, and stores nothing', async () => {
    const { caseId } = await mayasCase();
    const late = await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, {
      ...plan,
      returnDate: '2026-12-07',
      meetingAt: '2026-12-08T08:00:00-07:00',
      pointPersonUserId: d.people.rivera.id,
    });
    expect(late.statusCode).toBe(400);
    expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(late.json()).toMatchObject({
      status: 400,
      detail:
        'The re-entry meeting is on Tuesday, December 8, 2026, after the student returns on Monday, December 7, 2026. Hold the meeting on or before the day they come back, so their supports are in place when they walk in.',
    });
    const theCase = (await get(rivera, `/api/v1/cases/${caseId}`)).json();
    expect(theCase.records.filter((r: { kind: string }) => r.kind === 'reentry_plan')).toEqual([]);
    expect(theCase.tasks).toEqual([]);
  });
});

describe('teachers see re-entry notes only when they need to know (issue 14)', () => {
  async function planNaming(namedStaffUserIds: string[]) {
    const { caseId, student } = await mayasCase();
    const recorded = await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, {
      ...plan,
      returnDate: '2026-12-07',
      meetingAt: '2026-12-04T15:30:00-07:00',
      pointPersonUserId: d.people.rivera.id,
      namedStaffUserIds,
    });
    expect(recorded.statusCode).toBe(201);
    return { caseId, student };
  }
  const notesFor = async (person: { email: string }, studentId: string) =>
    get(await signIn(haven.app, person.email), `/api/v1/students/${studentId}/teacher-notes`);

  it('a teacher named on the plan sees the summary and nothing clinical; another teacher at the school gets the same 404 as a missing student', async () => {
    const { student } = await planNaming([d.people.shah.id]);
    const shah = await notesFor(d.people.shah, student.id);
    expect(shah.statusCode).toBe(200);
    expect(shah.json()).toEqual([
      { kind: 'reentry', returnDate: '2026-12-07', teacherSummary: expect.stringContaining('shortened schedule'), since: expect.any(String) },
    ]);
    expect(JSON.stringify(shah.json())).not.toMatch(/suicid|attempt|hospital|risk|safety plan|504/i);

    const other = await notesFor(novak, student.id);
    const missing = await notesFor(novak, haven.deps.ids.uuid());
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual(missing.json());

    const audit = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.districtId, d.district.id), eq(auditEvents.subjectId, student.id)));
    expect(audit.find((e) => e.action === 'student.teacher_notes_read' && e.actorUserId === d.people.shah.id)?.reason).toBe('named on the re-entry plan');
    expect(audit.find((e) => e.action === 'student.teacher_notes_denied' && e.actorUserId === novak.id)?.detail).toEqual({ reason: 'no_need_to_know' });
  });

  it('a plan that names no teacher reaches none; the counselor, crisis team and principal keep their access; another school never', async () => {
    const { student } = await planNaming([]);
    for (const teacher of [d.people.shah, novak]) expect((await notesFor(teacher, student.id)).statusCode).toBe(404);
    for (const person of ['rivera', 'okafor', 'bell', 'whitfield'] as const) {
      const notes = await notesFor(d.people[person], student.id);
      expect(notes.json(), person).toEqual([expect.objectContaining({ kind: 'reentry' })]);
    }
    expect((await notesFor(d.people.park, student.id)).statusCode).toBe(404);
  });

  it("a support plan's asks still reach the school's teachers, labelled as a support plan; the re-entry summary does not", async () => {
    const { student } = await planNaming([d.people.shah.id]);
    const support = await post(rivera, `/api/v1/students/${student.id}/plans`, {
      tier: 2,
      concern: 'Re-entry after a hospital stay',
      goals: [{ description: 'Attends the counseling group weekly', measure: 'sessions attended per month', baseline: 0, target: 4 }],
      interventions: [{ code: 'check_in_check_out', frequency: 'daily' }],
      teacherAsks: 'Check her daily card before she leaves.',
      startDate: '2026-12-07',
      reviewEveryDays: 28,
    });
    expect(support.statusCode).toBe(201);
    const forNovak = await notesFor(novak, student.id);
    expect(forNovak.json()).toEqual([expect.objectContaining({ kind: 'support_plan', teacherSummary: 'Check her daily card before she leaves.' })]);
    expect(JSON.stringify(forNovak.json())).not.toMatch(/shortened schedule/);
    expect((await notesFor(d.people.shah, student.id)).json().map((n: { kind: string }) => n.kind)).toEqual(['reentry', 'support_plan']);
  });

  it("names only staff of the student's school, and offers them to choose from", async () => {
    const { caseId } = await mayasCase();
    const offered = (await get(rivera, `/api/v1/cases/${caseId}/staff-to-name`)).json();
    expect(offered).toEqual(
      expect.arrayContaining([
        { id: d.people.shah.id, name: 'shah' },
        { id: novak.id, name: 'Mr. Novak' },
      ]),
    );
    expect(offered.map((p: { id: string }) => p.id)).not.toContain(d.people.park.id);
    const elsewhere = await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, {
      ...plan,
      returnDate: '2026-12-07',
      meetingAt: '2026-12-04T15:30:00-07:00',
      pointPersonUserId: d.people.rivera.id,
      namedStaffUserIds: [d.people.park.id],
    });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().detail).toBe(
      "Name only staff who work at the student's school: park cannot see this student in Haven, so they would never see the notes.",
    );
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await get(shah, `/api/v1/cases/${caseId}/staff-to-name`)).statusCode).toBe(404);
  });

  /** A class at Lincoln Middle from the roster, its teacher (a roster staff row with the given e-mail) and its students. */
  it("a teacher enrolled in one of the student's classes sees the summary; a teacher of another class at the school gets 404", async () => {
    const { student } = await planNaming([]);
    const classmate = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo' });
    await teachClass(haven.deps, d.district.id, d.schools.lincoln.id, d.people.shah.email, [student.id, classmate.id], 'Science 7');
    await teachClass(haven.deps, d.district.id, d.schools.lincoln.id, novak.email, [classmate.id], 'History 7');

    const shah = await notesFor(d.people.shah, student.id);
    expect(shah.statusCode).toBe(200);
    expect(shah.json()).toEqual([expect.objectContaining({ kind: 'reentry', teacherSummary: expect.stringContaining('shortened schedule') })]);
    const other = await notesFor(novak, student.id);
    expect(other.statusCode).toBe(404);
    expect(other.json()).toEqual((await notesFor(novak, haven.deps.ids.uuid())).json());

    const audit = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.districtId, d.district.id), eq(auditEvents.subjectId, student.id)));
    expect(audit.find((e) => e.action === 'student.teacher_notes_read' && e.actorUserId === d.people.shah.id)?.reason).toBe(
      'teaches the student (a class on the roster)',
    );
    expect(audit.find((e) => e.action === 'student.teacher_notes_denied' && e.actorUserId === novak.id)?.detail).toEqual({ reason: 'no_need_to_know' });

    // An enrollment that ended (a later roster import made it inactive) no longer counts.
    await haven.deps.db.system
      .update(classEnrollments)
      .set({ active: false })
      .where(and(eq(classEnrollments.studentId, student.id), eq(classEnrollments.districtId, d.district.id)));
    expect((await notesFor(d.people.shah, student.id)).statusCode).toBe(404);
  });
});
