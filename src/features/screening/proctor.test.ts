import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, password, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { classEnrollments, classes } from '../../data/roster.ts';
import { screeningConsents } from '../../data/screening.ts';
import { addUser } from '../accounts/users.service.ts';

/**
 * Screening day at Lincoln Middle: Ms. Rivera (counselor) runs the window and gives Ms. Shah
 * (teacher) her homeroom, 7A; Mr. Novak (teacher) proctors 7B. A proctor sees, prints codes for
 * and marks consent and absence for her own class only, and sees no result (decision 31).
 */
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let shah: Session;
let novak: { id: string; email: string };
const kids = {} as Record<'ana' | 'ben' | 'dev' | 'carla' | 'eli', { id: string }>;
const room = {} as Record<'a7' | 'b7' | 'aspen', string>;

async function rosterClass(title: string, schoolId: string, studentIds: string[]) {
  const id = haven.deps.ids.uuid();
  await haven.deps.db.system.insert(classes).values({ id, districtId: d.district.id, schoolId, sourcedId: `cls-${id}`, title });
  if (studentIds.length > 0) {
    await haven.deps.db.system.insert(classEnrollments).values(
      studentIds.map((studentId) => ({
        id: haven.deps.ids.uuid(),
        districtId: d.district.id,
        sourcedId: `enr-${haven.deps.ids.uuid()}`,
        classId: id,
        role: 'student' as const,
        studentId,
      })),
    );
  }
  return id;
}

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  const lincoln = d.schools.lincoln.id;
  kids.ana = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Ana', lastName: 'Alvarez' });
  kids.ben = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Ben', lastName: 'Brooks', homeLanguage: 'en' });
  kids.dev = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Dev', lastName: 'Das', grade: '8', homeLanguage: 'en' });
  kids.carla = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Carla', lastName: 'Cruz' });
  kids.eli = await createStudent(haven.deps, d.district.id, lincoln, { firstName: 'Eli', lastName: 'Evans' });
  room.a7 = await rosterClass('Homeroom 7A', lincoln, [kids.ana.id, kids.ben.id, kids.dev.id]);
  room.b7 = await rosterClass('Homeroom 7B', lincoln, [kids.carla.id]);
  room.aspen = await rosterClass('Aspen 4', d.schools.aspen.id, []);
  const email = `novak.${d.district.slug}@haven.test`;
  const added = await addUser(haven.deps, { districtId: d.district.id, email, role: 'staff', displayName: 'Mr. Novak', schoolCode: 'lincoln-ms', password });
  novak = { id: added.userId, email };
  rivera = await signIn(haven.app, d.people.rivera.email);
  shah = await signIn(haven.app, d.people.shah.email);
});
afterAll(() => haven.close());

const call = (session: Session, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
  haven.app.inject({ method, url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });

async function openWindow(name: string) {
  const created = await call(rivera, 'POST', '/api/v1/screening/windows', {
    name,
    schoolIds: [d.schools.lincoln.id],
    grades: ['7'],
    instrumentIds: ['phq-a'],
    opensOn: '2026-11-01',
    closesOn: '2026-12-18',
  });
  expect(created.statusCode).toBe(201);
  return created.json().id as string;
}
const assign = (windowId: string, userId: string, classIds: string[], as = rivera) =>
  call(as, 'PUT', `/api/v1/screening/windows/${windowId}/proctors/${userId}`, { classIds });
const consent = (windowId: string, studentId: string) =>
  call(rivera, 'POST', `/api/v1/students/${studentId}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
const events = (action: string, studentIds: string[]) =>
  haven.deps.db.system
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.districtId, d.district.id), eq(auditEvents.action, action), inArray(auditEvents.studentId, studentIds)));

describe('an administrator gives each proctor their classes', () => {
  it("Ms. Rivera sees the school's classes and who may proctor, and gives Ms. Shah her homeroom; Ms. Shah cannot do it herself", async () => {
    const windowId = await openWindow('Fall check-in');
    const before = (await call(rivera, 'GET', `/api/v1/screening/windows/${windowId}/proctors`)).json();
    expect(before.classes.map((c: { title: string }) => c.title)).toEqual(['Homeroom 7A', 'Homeroom 7B']);
    expect(before.classes.find((c: { id: string }) => c.id === room.a7)).toMatchObject({ school: 'Lincoln Middle School', students: 3 });
    expect(before.people.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['shah', 'Mr. Novak', 'rivera']));
    expect(before.people.map((p: { name: string }) => p.name)).not.toContain('cho'); // a partner never proctors
    expect(before.proctors).toEqual([]);

    const given = await assign(windowId, d.people.shah.id, [room.a7]);
    expect(given.statusCode).toBe(200);
    expect(given.json()).toEqual({ userId: d.people.shah.id, classIds: [room.a7] });
    const windows = (await call(rivera, 'GET', '/api/v1/screening/windows')).json();
    expect(windows.find((w: { id: string }) => w.id === windowId).proctorUserIds).toEqual([d.people.shah.id]);
    const after = (await call(rivera, 'GET', `/api/v1/screening/windows/${windowId}/proctors`)).json();
    expect(after.proctors).toEqual([{ userId: d.people.shah.id, name: 'shah', classIds: [room.a7] }]);
    const [set] = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, windowId), eq(auditEvents.action, 'screening.proctor_classes_set')));
    expect(set?.detail).toEqual({ proctor: d.people.shah.id, classes: [room.a7] });

    // A proctor assigns nothing and sees no one else's assignments.
    expect((await call(shah, 'GET', `/api/v1/screening/windows/${windowId}/proctors`)).statusCode).toBe(404);
    expect((await assign(windowId, d.people.shah.id, [room.a7, room.b7], shah)).statusCode).toBe(404);
    // An empty list takes the classes away, and the window no longer names her.
    expect((await assign(windowId, d.people.shah.id, [])).json()).toEqual({ userId: d.people.shah.id, classIds: [] });
    const emptied = (await call(rivera, 'GET', '/api/v1/screening/windows')).json();
    expect(emptied.find((w: { id: string }) => w.id === windowId).proctorUserIds).toEqual([]);
  });

  it('refuses, with a clear message and nothing stored, a class of another school, a made-up class, and a partner as proctor', async () => {
    const windowId = await openWindow('Refusals');
    const aspen = await assign(windowId, d.people.shah.id, [room.aspen]);
    expect(aspen.statusCode).toBe(404);
    expect(aspen.json().detail).toMatch(/One of the classes/);
    expect((await assign(windowId, d.people.shah.id, [haven.deps.ids.uuid()])).statusCode).toBe(404);
    const garbled = await assign(windowId, d.people.shah.id, ['7A']);
    expect(garbled.statusCode).toBe(400);
    expect(garbled.json().detail).toMatch(/choose classes from the list/);
    const partner = await assign(windowId, d.people.cho.id, [room.a7]);
    expect(partner.statusCode).toBe(400);
    expect(partner.json().detail).toBe('This person has no role at Lincoln Middle School; a proctor must work with students there.');
    expect((await call(rivera, 'GET', `/api/v1/screening/windows/${windowId}/proctors`)).json().proctors).toEqual([]);
  });
});

describe('a proctor sees her own class only, and no result', () => {
  it("Ms. Shah's roster is 7A's students in the window's grades, with status only; each name is in that student's access log as proctor", async () => {
    const windowId = await openWindow('Roster');
    await assign(windowId, d.people.shah.id, [room.a7]);
    await assign(windowId, novak.id, [room.b7]);
    await consent(windowId, kids.ana.id);
    const roster = await call(shah, 'GET', `/api/v1/screening/windows/${windowId}/roster`);
    expect(roster.statusCode).toBe(200);
    const body = roster.json();
    expect(body.classes).toEqual([{ id: room.a7, title: 'Homeroom 7A', school: 'Lincoln Middle School' }]);
    expect(body.students.map((s: { name: string }) => s.name)).toEqual(['Alvarez, Ana', 'Brooks, Ben']); // Dev is in grade 8
    expect(body.students.map((s: { status: string }) => s.status)).toEqual(['not_started', 'needs_consent']);
    expect(body.students[0].classIds).toEqual([room.a7]);
    expect(roster.body).not.toMatch(/"(score|band|flags|answers)"/);

    const listed = await events('student.listed', [kids.ana.id, kids.ben.id, kids.carla.id, kids.eli.id]);
    const byShah = listed.filter((e) => e.actorUserId === d.people.shah.id);
    expect(byShah.map((e) => e.studentId).sort()).toEqual([kids.ana.id, kids.ben.id].sort());
    expect(byShah.every((e) => e.reason === 'named proctor of the screening window')).toBe(true);

    // The counselor who runs the window still sees the whole grade.
    const all = (await call(rivera, 'GET', `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(all.students.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([kids.ana.id, kids.ben.id, kids.carla.id, kids.eli.id]));
  });

  it('another class is refused exactly like a student who does not exist: codes, marks, printing', async () => {
    const windowId = await openWindow('Other class');
    await assign(windowId, d.people.shah.id, [room.a7]);
    await consent(windowId, kids.carla.id);
    await consent(windowId, kids.ana.id);
    const carla = await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/codes`, { studentId: kids.carla.id });
    const nobody = await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/codes`, { studentId: haven.deps.ids.uuid() });
    expect(carla.statusCode).toBe(404);
    expect(carla.json()).toEqual(nobody.json());
    expect((await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/absent`, { studentId: kids.carla.id })).statusCode).toBe(404);
    expect((await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/classes/${room.b7}/codes`)).statusCode).toBe(404);
    // One student of another class in a bulk mark: nothing is stored, not even for her own student.
    const mixed = await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/marks`, { studentIds: [kids.ana.id, kids.carla.id], mark: 'absent' });
    expect(mixed.statusCode).toBe(404);
    expect(await events('screening.absent', [kids.ana.id, kids.carla.id])).toEqual([]);
    // Named on another window only: this window is not hers at all.
    const other = await openWindow('Not hers');
    expect((await call(shah, 'GET', `/api/v1/screening/windows/${other}/roster`)).statusCode).toBe(404);
  });
});

describe('marking consent and absence in bulk', () => {
  it('consent received for Ana and Ben: Ben is recorded, Ana (already consented) is skipped; each change is audited as hers', async () => {
    const windowId = await openWindow('Marks');
    await assign(windowId, d.people.shah.id, [room.a7]);
    await consent(windowId, kids.ana.id);
    const url = `/api/v1/screening/windows/${windowId}/marks`;
    const received = await call(shah, 'POST', url, { studentIds: [kids.ana.id, kids.ben.id], mark: 'consent_received' });
    expect(received.statusCode).toBe(200);
    expect(received.json()).toEqual({ mark: 'consent_received', marked: [kids.ben.id], skipped: [{ studentId: kids.ana.id, reason: 'already' }] });
    const [row] = await haven.deps.db.system.select().from(screeningConsents).where(eq(screeningConsents.studentId, kids.ben.id));
    expect(row).toMatchObject({ kind: 'consent', source: 'paper', windowId, recordedBy: d.people.shah.id });
    const consented = await events('screening.consent.consent', [kids.ben.id]);
    expect(consented.map((e) => [e.actorUserId, e.studentId])).toEqual([[d.people.shah.id, kids.ben.id]]);

    const absent = (await call(shah, 'POST', url, { studentIds: [kids.ana.id, kids.ben.id], mark: 'absent' })).json();
    expect(absent.marked.sort()).toEqual([kids.ana.id, kids.ben.id].sort());
    const absences = await events('screening.absent', [kids.ana.id, kids.ben.id]);
    expect(absences.filter((e) => e.subjectId === windowId && e.actorUserId === d.people.shah.id)).toHaveLength(2);
    expect((await call(shah, 'POST', url, { studentIds: [kids.ben.id], mark: 'absent' })).json().skipped).toEqual([
      { studentId: kids.ben.id, reason: 'already' },
    ]);

    const refused = await call(shah, 'POST', url, { studentIds: [kids.ben.id], mark: 'consent_refused' });
    expect(refused.json().marked).toEqual([kids.ben.id]);
    expect(await events('screening.consent.opt_out', [kids.ben.id])).toHaveLength(1);
    const roster = (await call(shah, 'GET', `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(roster.students.map((s: { status: string }) => s.status)).toEqual(['absent', 'absent']);
    expect(roster.students[1]).toMatchObject({
      eligible: false,
      reason: 'The family opted out of this window.',
      words: [{ code: 'opted_out_window', values: { instrument: null, schoolYear: '2026-27', leftOut: [] } }],
    });
  });

  it('bad input is a clear 400 and stores nothing', async () => {
    const windowId = await openWindow('Bad marks');
    await assign(windowId, d.people.shah.id, [room.a7]);
    const url = `/api/v1/screening/windows/${windowId}/marks`;
    const before = (await events('screening.absent', [kids.ana.id])).length;
    expect((await call(shah, 'POST', url, { studentIds: [], mark: 'absent' })).json().detail).toMatch(/choose at least one student/);
    expect((await call(shah, 'POST', url, { studentIds: [kids.ana.id], mark: 'present' })).json().detail).toMatch(
      /the mark is one of: consent_received, consent_refused, absent/,
    );
    expect((await call(shah, 'POST', url, { studentIds: ['Ana'], mark: 'absent' })).statusCode).toBe(400);
    expect(await events('screening.absent', [kids.ana.id])).toHaveLength(before);
  });
});

describe('printing the codes for a class', () => {
  it("lists every student of 7A and no other; a code (and a card in the student's language) for each who may be screened; the code works", async () => {
    const windowId = await openWindow('Print');
    await assign(windowId, d.people.shah.id, [room.a7]);
    await consent(windowId, kids.ana.id);
    await consent(windowId, kids.carla.id);
    const printed = await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/classes/${room.a7}/codes`);
    expect(printed.statusCode).toBe(201);
    expect(printed.headers['cache-control']).toBe('no-store');
    const sheet = printed.json();
    expect(sheet.class).toEqual({ id: room.a7, title: 'Homeroom 7A', school: 'Lincoln Middle School' });
    expect(sheet.students.map((s: { id: string }) => s.id)).toEqual([kids.ana.id, kids.ben.id, kids.dev.id]);
    const [ana, ben, dev] = sheet.students;
    expect(ana).toMatchObject({ name: 'Alvarez, Ana', cardName: 'Ana Alvarez', status: 'issued', code: expect.stringMatching(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/) });
    expect(ana.card).toEqual({
      lang: 'es',
      title: 'Tu código para el chequeo',
      steps: expect.arrayContaining(['Entra en http://haven.test/screen', 'Escribe este código y pulsa Empezar.']),
    });
    expect(ben).toMatchObject({ status: 'needs_consent', code: null, card: null });
    expect(dev).toMatchObject({ status: 'not_in_window', code: null });
    expect(printed.body).not.toContain(kids.carla.id);

    // Every name printed is in that student's access log; the print itself is one event.
    const listed = (await events('student.listed', [kids.ana.id, kids.ben.id, kids.dev.id, kids.carla.id])).filter(
      (e) => e.actorUserId === d.people.shah.id && (e.detail as { where: string }).where === 'screening_roster',
    );
    expect(new Set(listed.map((e) => e.studentId))).toEqual(new Set([kids.ana.id, kids.ben.id, kids.dev.id]));
    const [summary] = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, windowId), eq(auditEvents.action, 'screening.codes_printed')));
    expect(summary?.detail).toEqual({ class: room.a7, students: 3, codes: 1 });

    // Printing again gives new codes: the first one no longer works, the new one does.
    const again = (await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/classes/${room.a7}/codes`)).json();
    expect(again.students[0].code).not.toBe(ana.code);
    expect((await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: ana.code, lang: 'es' } })).statusCode).toBe(400);
    const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: again.students[0].code, lang: 'es' } });
    expect(start.statusCode).toBe(303);
    // A student in the middle of the screen keeps it: no new code for Ana now.
    const during = (await call(shah, 'POST', `/api/v1/screening/windows/${windowId}/classes/${room.a7}/codes`)).json();
    expect(during.students[0]).toMatchObject({ status: 'started', code: null });

    // The counselor who runs the window may print any class of the school.
    expect((await call(rivera, 'POST', `/api/v1/screening/windows/${windowId}/classes/${room.b7}/codes`)).json().students[0]).toMatchObject({
      name: 'Cruz, Carla',
      status: 'issued',
    });
  });

  it('before the window opens, printing is refused with its dates, in Spanish to a Spanish reader', async () => {
    const created = await call(rivera, 'POST', '/api/v1/screening/windows', {
      name: 'Spring check-in',
      schoolIds: [d.schools.lincoln.id],
      grades: ['7'],
      instrumentIds: ['phq-a'],
      opensOn: '2027-02-01',
      closesOn: '2027-03-12',
    });
    const windowId = created.json().id as string;
    await assign(windowId, d.people.shah.id, [room.a7]);
    const url = `/api/v1/screening/windows/${windowId}/classes/${room.a7}/codes`;
    expect((await call(shah, 'POST', url)).json().detail).toBe('This window is open from 2027-02-01 to 2027-03-12.');
    const spanish = await haven.app.inject({ method: 'POST', url, headers: { ...shah.headers, 'accept-language': 'es-US,es;q=0.9' } });
    expect(spanish.json().detail).toBe('Esta ventana está abierta del 2027-02-01 al 2027-03-12.');
  });
});
