import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn, teachClass } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

let haven: TestHaven;
let demo: Awaited<ReturnType<typeof createDistrict>>;
let other: Awaited<ReturnType<typeof createDistrict>>;
let maya: { id: string };
let leo: { id: string };
let stranger: { id: string };

beforeAll(async () => {
  haven = await startTestHaven();
  demo = await createDistrict(haven.deps);
  other = await createDistrict(haven.deps);
  maya = await createStudent(haven.deps, demo.district.id, demo.schools.lincoln.id, { firstName: 'Maya', lastName: 'Torres' });
  leo = await createStudent(haven.deps, demo.district.id, demo.schools.aspen.id, { firstName: 'Leo', lastName: 'Nguyen', grade: '3' });
  await createStudent(haven.deps, demo.district.id, demo.schools.lincoln.id, { firstName: 'Old', lastName: 'Record', active: false });
  stranger = await createStudent(haven.deps, other.district.id, other.schools.lincoln.id, { firstName: 'Far', lastName: 'Away' });
});
afterAll(() => haven.close());

const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

async function studentAudit(studentId: string) {
  const { rows } = await haven.deps.db.system.$client.query(
    'select action, actor_label, reason, subject_id from audit_events where subject_id = $1 order by sequence',
    [studentId],
  );
  return rows;
}

describe('finding students', () => {
  it('Ms. Rivera finds Lincoln students by name, and no one from Aspen or another district', async () => {
    const rivera = await signIn(haven.app, demo.people.rivera.email);
    const all = (await get(rivera, '/api/v1/students')).json();
    expect(all.items.map((s: { firstName: string }) => s.firstName)).toEqual(['Maya']);
    expect((await get(rivera, '/api/v1/students?q=torr')).json().total).toBe(1);
    expect((await get(rivera, '/api/v1/students?q=nguyen')).json().total).toBe(0);
    expect((await get(rivera, '/api/v1/students?q=%25')).json().total).toBe(0);
  });

  it('the district admin sees every school and can filter by school code; inactive students on request', async () => {
    const whitfield = await signIn(haven.app, demo.people.whitfield.email);
    expect((await get(whitfield, '/api/v1/students')).json().total).toBe(2);
    expect((await get(whitfield, '/api/v1/students?school=aspen-es')).json().items[0].firstName).toBe('Leo');
    expect((await get(whitfield, '/api/v1/students?includeInactive=true')).json().total).toBe(3);
  });

  it('an analyst and a partner get no student list at all', async () => {
    for (const person of [demo.people.lee, demo.people.cho]) {
      const session = await signIn(haven.app, person.email);
      expect((await get(session, '/api/v1/students')).statusCode).toBe(404);
    }
  });

  it('paging is bounded and explained', async () => {
    const whitfield = await signIn(haven.app, demo.people.whitfield.email);
    const response = await get(whitfield, '/api/v1/students?pageSize=500');
    expect(response.statusCode).toBe(400);
    expect(response.json().detail).toMatch(/pageSize is at most 100/);
  });
});

describe("opening a student's record", () => {
  it('Ms. Rivera sees Maya with her protected attributes and guardians; the look is audited with its reason', async () => {
    const rivera = await signIn(haven.app, demo.people.rivera.email);
    const response = await get(rivera, `/api/v1/students/${maya.id}`);
    expect(response.statusCode).toBe(200);
    const student = response.json();
    expect(student.protected).toMatchObject({ iep: true, englishLearner: true, guardians: [{ firstName: 'Rosa', relationship: 'mother' }] });
    expect(student.abilities).toEqual({ readProtected: true, readAccessLog: false, exportAccessLog: true });
    expect(await studentAudit(maya.id)).toContainEqual(
      expect.objectContaining({ action: 'student.read', actor_label: 'rivera (counselor)', reason: 'counselor at Lincoln Middle School' }),
    );
  });

  it('Ms. Shah, a teacher, finds only the students she teaches, and sees who Maya is but not her disability, lunch status or family', async () => {
    const shah = await signIn(haven.app, demo.people.shah.email);
    // Not in any class of hers yet: Maya is neither listed nor opened (404, audited as not permitted).
    expect((await get(shah, '/api/v1/students')).json().total).toBe(0);
    expect((await get(shah, `/api/v1/students/${maya.id}`)).statusCode).toBe(404);
    expect(await studentAudit(maya.id)).toContainEqual(expect.objectContaining({ action: 'student.read.denied' }));

    const ben = await createStudent(haven.deps, demo.district.id, demo.schools.lincoln.id, { firstName: 'Ben', lastName: 'Okoro' });
    await teachClass(haven.deps, demo.district.id, demo.schools.lincoln.id, demo.people.shah.email, [maya.id]);
    expect((await get(shah, '/api/v1/students')).json().items.map((s: { firstName: string }) => s.firstName)).toEqual(['Maya']);
    const student = (await get(shah, `/api/v1/students/${maya.id}`)).json();
    expect(student.firstName).toBe('Maya');
    expect(student.protected).toBeNull();
    expect(JSON.stringify(student)).not.toContain('Rosa');
    expect((await get(shah, `/api/v1/students/${ben.id}`)).statusCode).toBe(404);

    // The district lets staff look up any student of their school: Ben too, and still nobody at Aspen.
    const whitfield = await signIn(haven.app, demo.people.whitfield.email);
    const opened = await haven.app.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      headers: whitfield.headers,
      payload: { staffSeeWholeSchool: true },
    });
    expect(opened.json()).toMatchObject({ staffSeeWholeSchool: true });
    expect(
      (await get(shah, '/api/v1/students'))
        .json()
        .items.map((s: { firstName: string }) => s.firstName)
        .sort(),
    ).toEqual(['Ben', 'Maya']);
    expect((await get(shah, `/api/v1/students/${ben.id}`)).statusCode).toBe(200);
    expect((await get(shah, `/api/v1/students/${leo.id}`)).statusCode).toBe(404);
    await haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: whitfield.headers, payload: { staffSeeWholeSchool: false } });
    expect((await get(shah, `/api/v1/students/${ben.id}`)).statusCode).toBe(404);
  });

  it('a student of another district answers 404, and the attempt is audited', async () => {
    const shah = await signIn(haven.app, demo.people.shah.email);
    const response = await get(shah, `/api/v1/students/${stranger.id}`);
    expect(response.statusCode).toBe(404);
    expect(response.json().detail).toBe('That student does not exist, or you do not have access to it.');
    const { rows } = await haven.deps.db.system.$client.query(
      `select action, district_id, detail->>'reason' as reason from audit_events where subject_id = $1`,
      [stranger.id],
    );
    expect(rows).toEqual([{ action: 'student.read.denied', district_id: demo.district.id, reason: 'not_found_in_district' }]);
  });

  it('forbidden and missing look the same: an Aspen student and a made-up id both answer 404', async () => {
    const rivera = await signIn(haven.app, demo.people.rivera.email);
    const forbidden = await get(rivera, `/api/v1/students/${leo.id}`);
    const missing = await get(rivera, '/api/v1/students/0190b5a0-0000-7000-8000-000000000000');
    const malformed = await get(rivera, '/api/v1/students/not-an-id');
    expect([forbidden.statusCode, missing.statusCode, malformed.statusCode]).toEqual([404, 404, 404]);
    expect(forbidden.body).toBe(missing.body);
  });
});

describe("a student's access log (FERPA)", () => {
  it('Mr. Bell, the principal, sees who looked at Maya and exports it as CSV for her mother', async () => {
    const rivera = await signIn(haven.app, demo.people.rivera.email);
    await get(rivera, `/api/v1/students/${maya.id}`);
    const bell = await signIn(haven.app, demo.people.bell.email);
    const log = (await get(bell, `/api/v1/students/${maya.id}/access-log`)).json();
    expect(log.entries.some((e: { actor: string; action: string }) => e.actor === 'rivera (counselor)' && e.action === 'student.read')).toBe(true);
    const csv = await get(bell, `/api/v1/students/${maya.id}/access-log?format=csv`);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="access-log-/);
    expect(csv.body.split('\r\n')[0]).toBe('when (UTC),who,what,why');
    expect(csv.body).toContain('rivera (counselor),student.read,counselor at Lincoln Middle School');
  });

  it('a counselor may not read the access log', async () => {
    const rivera = await signIn(haven.app, demo.people.rivera.email);
    expect((await get(rivera, `/api/v1/students/${maya.id}/access-log`)).statusCode).toBe(404);
  });
});
