import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });

type Task = {
  caseId: string;
  kind: string;
  title: string;
  words: { code: string; values: Record<string, unknown> } | null;
  students: { id: string; name: string }[];
};

describe("a counselor's caseload tasks say whom they are for", () => {
  it('Ms. Rivera sees "Call Maya\'s mother" with Maya Torres named, and Maya\'s access log says the caseload showed her', async () => {
    const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
    const named = await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'Said she wants to die', studentIds: [maya.id] });
    expect(named.statusCode).toBe(201);
    const caseId = named.json().id as string;
    expect((await post(rivera, `/api/v1/cases/${caseId}/tasks`, { title: "Call Maya's mother", due: '2026-11-30T09:00' })).statusCode).toBe(201);
    // A case opened before anyone knows who the student is: its task names no one.
    const unnamed = await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'A note found in the library', schoolId: d.schools.lincoln.id });
    expect(unnamed.statusCode).toBe(201);
    expect((await post(rivera, `/api/v1/cases/${unnamed.json().id}/tasks`, { title: 'Ask the librarian', due: '2026-11-30T10:00' })).statusCode).toBe(201);

    const { rows: before } = await haven.deps.db.system.$client.query('select coalesce(max(sequence), 0)::int as n from audit_events where district_id = $1', [
      d.district.id,
    ]);
    const load = await haven.app.inject({ method: 'GET', url: '/api/v1/caseload', headers: rivera.headers });
    expect(load.statusCode).toBe(200);
    const tasks = load.json().tasks as Task[];
    expect(tasks.find((t) => t.title === "Call Maya's mother")).toMatchObject({ caseId, students: [{ id: maya.id, name: 'Maya Torres' }] });
    expect(tasks.find((t) => t.title === 'Ask the librarian')?.students).toEqual([]);

    const { rows } = await haven.deps.db.system.$client.query(
      'select action, reason, detail from audit_events where district_id = $1 and sequence > $2 and student_id = $3 and actor_user_id = $4',
      [d.district.id, before[0].n, maya.id, d.people.rivera.id],
    );
    expect(rows).toEqual([expect.objectContaining({ action: 'student.listed', reason: 'counselor at Lincoln Middle School' })]);
    expect(rows[0].detail).toMatchObject({ where: 'caseload' });
  });

  it('the tasks Haven makes come with their parts, so a Spanish reader is not left with English; a typed title has none', async () => {
    const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya', lastName: 'Ortiz' });
    const opened = await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'Back from a hospital stay', studentIds: [maya.id] });
    const caseId = opened.json().id as string;
    const reentry = await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, {
      participants: ['Maya', 'Ms. Rivera'],
      safetyPlanReviewed: true,
      supports: 'Shortened schedule for two weeks',
      teacherSummary: 'Maya is back on a shortened schedule.',
      returnDate: '2026-12-04',
      meetingAt: '2026-12-03T15:30:00-07:00',
      pointPersonUserId: d.people.rivera.id,
    });
    expect(reentry.statusCode).toBe(201);
    const leo = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo', lastName: 'Ortiz' });
    expect((await post(rivera, '/api/v1/cases', { type: 'abuse_neglect', summary: 'Bruises on his arms', studentIds: [leo.id] })).statusCode).toBe(201);

    const tasks = (await haven.app.inject({ method: 'GET', url: '/api/v1/caseload', headers: rivera.headers })).json().tasks as Task[];
    const ofMaya = tasks.filter((t) => t.caseId === caseId);
    expect(ofMaya.map((t) => t.words?.code)).toEqual(['reentry_meeting', 'first_check_in', ...Array(8).fill('check_in'), 'last_check_in']);
    expect(ofMaya[0]?.words).toEqual({ code: 'reentry_meeting', values: { returnDate: '2026-12-04' } });
    expect(ofMaya.at(-1)).toMatchObject({ title: 'Re-entry check-in, day 90: the end of the first 90 days', words: { values: { day: 90, windowDays: 90 } } });
    // A duty is named by its kind; a title a person typed is shown as typed.
    expect(tasks.find((t) => t.students[0]?.id === leo.id)).toMatchObject({ kind: 'mandatory_report', words: null });
    expect(tasks.find((t) => t.title === "Call Maya's mother")).toMatchObject({ kind: 'general', words: null });
  });
});
