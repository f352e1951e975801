import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { roleGrants } from '../../data/accounts.ts';
import { classEnrollments, classes, rosterImports, rosterStaff } from '../../data/roster.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import { RosterFileError } from './oneroster.rules.ts';
import { importOneRoster, readExport } from './roster.service.ts';

let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const oneOne = fixture('oneroster-1.1');
const oneTwo = 'test/fixtures/oneroster-1.2';
const run = (districtId: string, files: Map<string, string>, dryRun = false) =>
  importOneRoster(haven.deps, districtId, files, { dryRun, source: 'test', by: 'test' });
const studentsOf = (districtId: string) => haven.deps.db.system.select().from(students).where(eq(students.districtId, districtId));

describe('importing a real OneRoster 1.1 export', () => {
  it('creates the students, links the parent to the student, offers staff no access, and stores no password', async () => {
    const { district } = await createDistrict(haven.deps);
    const grantsBefore = (await haven.deps.db.system.select().from(roleGrants).where(eq(roleGrants.districtId, district.id))).length;
    const summary = await run(district.id, readExport(oneOne));
    expect(summary).toMatchObject({
      version: '1.1',
      students: { created: 3, updated: 0 },
      guardians: { created: 1 },
      links: { created: 1 },
      staff: { created: 2 },
      // The sample enrolls a teacher (Jim Smith) as a student in two classes: those rows match no student.
      classes: { created: 2 },
      enrollments: { created: 4, unmatched: 2 },
    });
    const rows = await studentsOf(district.id);
    expect(rows.map((s) => `${s.firstName} ${s.lastName} ${s.grade} ${s.localId}`).sort()).toEqual([
      'Anna Brown 11 anna.brown',
      'Mary Jones 12 mary.jones',
      'mmichel Jones 12 mmichel.jones',
    ]);
    const [link] = await haven.deps.db.system
      .select({ student: students.firstName, guardian: guardians.firstName, relationship: studentGuardians.relationship })
      .from(studentGuardians)
      .innerJoin(students, eq(students.id, studentGuardians.studentId))
      .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
      .where(eq(studentGuardians.districtId, district.id));
    expect(link).toEqual({ student: 'Mary', guardian: 'Thomas', relationship: 'parent' });
    const staff = await haven.deps.db.system.select().from(rosterStaff).where(eq(rosterStaff.districtId, district.id));
    expect(staff.map((s) => [s.givenName, s.offeredRole])).toEqual(
      expect.arrayContaining([
        ['John', 'staff'],
        ['Jim', 'staff'],
      ]),
    );
    expect((await haven.deps.db.system.select().from(roleGrants).where(eq(roleGrants.districtId, district.id))).length).toBe(grantsBefore);
    const everything = await haven.deps.db.system.execute(
      sql`select (select json_agg(s) from students s)::text || (select json_agg(g) from guardians g)::text || (select json_agg(r) from roster_staff r)::text || (select json_agg(i) from roster_imports i)::text || (select json_agg(a) from audit_events a)::text as dump`,
    );
    expect(String(everything.rows[0]?.dump)).not.toContain('Password1-');
  });

  it('changes nothing the second time', async () => {
    const { district } = await createDistrict(haven.deps);
    await run(district.id, readExport(oneOne));
    const again = await run(district.id, readExport(oneOne));
    expect(again).toMatchObject({
      students: { created: 0, updated: 0, unchanged: 3, deactivated: 0 },
      guardians: { created: 0, updated: 0 },
      links: { created: 0 },
      staff: { created: 0, updated: 0 },
      classes: { created: 0, updated: 0, unchanged: 2, deactivated: 0 },
      enrollments: { created: 0, updated: 0, unchanged: 4, deactivated: 0, unmatched: 2 },
    });
    expect((await haven.deps.db.system.select().from(rosterImports).where(eq(rosterImports.districtId, district.id))).length).toBe(2);
  });
});

describe('a OneRoster 1.2 export with roles and demographics, columns reordered and ext_ columns', () => {
  it('reads roles.csv (the counselor is offered the counselor role, not granted it) and fills demographics', async () => {
    const { district } = await createDistrict(haven.deps);
    const summary = await run(district.id, readExport(oneTwo));
    expect(summary).toMatchObject({
      version: '1.2',
      schools: { created: 2 },
      students: { created: 2 },
      guardians: { created: 3 },
      links: { created: 3 },
      rejected: [],
    });
    const sofia = (await studentsOf(district.id)).find((s) => s.localId === '1001');
    expect(sofia).toMatchObject({
      firstName: 'Sofía',
      preferredName: 'Sofi',
      grade: '7',
      dateOfBirth: '2013-05-20',
      gender: 'female',
      raceEthnicity: ['white', 'hispanic_latino'],
    });
    const bao = (await studentsOf(district.id)).find((s) => s.localId === '1002');
    expect(bao?.grade).toBe('K');
    const staff = await haven.deps.db.system.select().from(rosterStaff).where(eq(rosterStaff.districtId, district.id));
    expect(staff.find((s) => s.givenName === 'Grace')).toMatchObject({ rosterRole: 'counselor', offeredRole: 'counselor' });
  });

  it('reads the same export from a zip', async () => {
    const { district } = await createDistrict(haven.deps);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roster-'));
    const zip = path.join(dir, 'export.zip');
    const entries = Object.fromEntries(fs.readdirSync(oneTwo).map((f) => [`export/${f}`, new Uint8Array(fs.readFileSync(path.join(oneTwo, f)))]));
    fs.writeFileSync(zip, zipSync(entries));
    expect(await run(district.id, readExport(zip))).toMatchObject({ students: { created: 2 } });
  });

  it('a bulk file without a student makes them inactive; a delta marks tobedeleted inactive; nothing is deleted', async () => {
    const { district } = await createDistrict(haven.deps);
    await run(district.id, readExport(oneTwo));
    const files = readExport(oneTwo);
    files.set(
      'users.csv',
      (files.get('users.csv') as string)
        .split('\n')
        .filter((l) => !l.includes('usr-s-1002'))
        .join('\n'),
    );
    files.set(
      'roles.csv',
      (files.get('roles.csv') as string)
        .split('\n')
        .filter((l) => !l.includes('usr-s-1002'))
        .join('\n'),
    );
    expect((await run(district.id, files)).students).toMatchObject({ deactivated: 1, unchanged: 1 });
    expect((await studentsOf(district.id)).map((s) => [s.localId, s.active]).sort()).toEqual([
      ['1001', true],
      ['1002', false],
    ]);
    const delta = readExport(oneTwo);
    delta.set('manifest.csv', (delta.get('manifest.csv') as string).replace('file.users,bulk', 'file.users,delta'));
    delta.set('users.csv', (delta.get('users.csv') as string).replace('usr-s-1001,,,', 'usr-s-1001,tobedeleted,2026-11-01,'));
    expect((await run(district.id, delta)).students.deactivated).toBe(1);
    expect((await studentsOf(district.id)).find((s) => s.localId === '1001')?.active).toBe(false);
  });

  it('an unreadable file rejects the whole import, naming the file and line; a dry run changes nothing', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = readExport(oneTwo);
    files.set('demographics.csv', `${files.get('demographics.csv')}usr-s-1003,,,"2013-01-01,female\n`);
    await expect(run(district.id, files)).rejects.toThrow(new RosterFileError('demographics.csv', 4, 'a quoted cell is never closed'));
    expect(await studentsOf(district.id)).toEqual([]);
    const dry = await run(district.id, readExport(oneTwo), true);
    expect(dry).toMatchObject({ dryRun: true, students: { created: 2 } });
    expect(await studentsOf(district.id)).toEqual([]);
  });

  it('a row with a value out of place is rejected with its file and line; the rest imports', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = readExport(oneTwo);
    // An unquoted comma in a city name shifts the row by one value.
    files.set('demographics.csv', (files.get('demographics.csv') as string).replace('Aurora', 'Aurora, CO'));
    const summary = await run(district.id, files);
    expect(summary.rejected).toEqual([{ file: 'demographics.csv', line: 3, reason: '17 values for 16 columns; a value with a comma must be in quotes' }]);
    expect(summary.students.created).toBe(2);
  });
});

describe('classes and class enrollments (decision 21: who teaches a student)', () => {
  /** The 1.2 set with a classes.csv and its teacher, Arjun Patel, enrolled in Sofía's class. */
  const withClasses = () => {
    const files = readExport(oneTwo);
    files.set('manifest.csv', (files.get('manifest.csv') as string).replace('file.classes,absent', 'file.classes,bulk'));
    files.set(
      'classes.csv',
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds\n' +
        'cls-1,,,Science 7,07,crs-1,SCI7,scheduled,Room 4,org-sch-roosevelt,t-1\n' +
        'cls-2,,,Kindergarten A,KG,crs-2,KA,homeroom,Room 1,org-sch-hill,t-1\n',
    );
    files.set('enrollments.csv', `${files.get('enrollments.csv')}e-3,,,cls-1,org-sch-roosevelt,usr-t-3002,teacher,true,,\n`);
    return files;
  };
  const enrollmentsOf = (districtId: string) =>
    haven.deps.db.system
      .select({ sourcedId: classEnrollments.sourcedId, role: classEnrollments.role, active: classEnrollments.active, title: classes.title })
      .from(classEnrollments)
      .innerJoin(classes, eq(classes.id, classEnrollments.classId))
      .where(eq(classEnrollments.districtId, districtId))
      .orderBy(classEnrollments.sourcedId);

  it('stores classes and student and teacher enrollments; the same export twice changes nothing', async () => {
    const { district } = await createDistrict(haven.deps);
    expect(await run(district.id, withClasses())).toMatchObject({
      classes: { created: 2 },
      enrollments: { created: 3, updated: 0, deactivated: 0, unmatched: 0 },
      rejected: [],
    });
    expect(await enrollmentsOf(district.id)).toEqual([
      { sourcedId: 'e-1', role: 'student', active: true, title: 'Science 7' },
      { sourcedId: 'e-2', role: 'student', active: true, title: 'Kindergarten A' },
      { sourcedId: 'e-3', role: 'teacher', active: true, title: 'Science 7' },
    ]);
    const [science] = await haven.deps.db.system
      .select()
      .from(classes)
      .where(and(eq(classes.districtId, district.id), eq(classes.sourcedId, 'cls-1')));
    expect(science?.schoolId).toBe((await studentsOf(district.id)).find((s) => s.localId === '1001')?.schoolId);
    expect(await run(district.id, withClasses())).toMatchObject({
      classes: { created: 0, updated: 0, unchanged: 2, deactivated: 0 },
      enrollments: { created: 0, updated: 0, unchanged: 3, deactivated: 0, unmatched: 0 },
    });
  });

  it('without classes.csv the enrollments are kept under the class sourcedId; a bulk file deactivates the missing ones, a delta tobedeleted', async () => {
    const { district } = await createDistrict(haven.deps);
    const plain = readExport(oneTwo);
    plain.set('enrollments.csv', `${plain.get('enrollments.csv')}e-3,,,cls-1,org-sch-roosevelt,usr-t-3002,teacher,true,,\n`);
    expect(await run(district.id, plain)).toMatchObject({ classes: { created: 2 }, enrollments: { created: 3 } });
    expect((await enrollmentsOf(district.id)).map((e) => e.title)).toEqual(['cls-1', 'cls-2', 'cls-1']);
    // classes.csv arrives later: the classes get their titles, the enrollments stay as they are.
    expect(await run(district.id, withClasses())).toMatchObject({ classes: { updated: 2, created: 0 }, enrollments: { unchanged: 3 } });

    const bulk = withClasses();
    bulk.set('enrollments.csv', (bulk.get('enrollments.csv') as string).replace(/^e-3,.*\n/m, ''));
    expect((await run(district.id, bulk)).enrollments).toMatchObject({ deactivated: 1, unchanged: 2, created: 0 });
    const delta = withClasses();
    delta.set('manifest.csv', (delta.get('manifest.csv') as string).replace('file.enrollments,bulk', 'file.enrollments,delta'));
    // A delta lists only what changed: e-1 ended; e-3, not listed, stays inactive.
    delta.set('enrollments.csv', (bulk.get('enrollments.csv') as string).replace('e-1,,,', 'e-1,tobedeleted,2026-11-01,').replace(/^e-2,.*\n/m, ''));
    expect((await run(district.id, delta)).enrollments).toMatchObject({ deactivated: 1, created: 0 });
    expect((await enrollmentsOf(district.id)).map((e) => [e.sourcedId, e.active])).toEqual([
      ['e-1', false],
      ['e-2', true],
      ['e-3', false],
    ]);
  });
});

describe('roster import from the web app', () => {
  it('a district administrator uploads a zip and sees the summary and the history; others get 404; a broken file says where', async () => {
    const { signIn } = await import('../../../test/support/factories.ts');
    const d = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const entries = Object.fromEntries(fs.readdirSync(oneOne).map((f) => [f, new Uint8Array(fs.readFileSync(path.join(oneOne, f)))]));
    const zip = Buffer.from(zipSync(entries));
    const upload = (session: typeof whitfield, body: Buffer, query = '') =>
      haven.app.inject({
        method: 'POST',
        url: `/api/v1/roster/imports${query}`,
        headers: { ...session.headers, 'content-type': 'application/zip' },
        payload: body,
      });
    const dry = await upload(whitfield, zip, '?dryRun=true');
    expect(dry.json()).toMatchObject({ dryRun: true, students: { created: 3 } });
    const done = await upload(whitfield, zip);
    expect(done.statusCode).toBe(201);
    const history = await haven.app.inject({ method: 'GET', url: '/api/v1/roster/imports', headers: whitfield.headers });
    expect(history.json()).toHaveLength(1);
    expect(history.json()[0]).toMatchObject({ format: 'oneroster 1.1', summary: { students: { created: 3 } } });
    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await upload(rivera, zip)).statusCode).toBe(404);
    const broken = Buffer.from(zipSync({ ...entries, 'users.csv': new TextEncoder().encode('sourcedId,givenName\nx,"open\n') }));
    const refused = await upload(whitfield, broken);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ file: 'users.csv', line: 2, detail: expect.stringMatching(/^users.csv, line 2: a quoted cell is never closed/) });
    expect((await upload(whitfield, Buffer.from('not a zip'))).json().detail).toBe('That file is not a readable .zip archive. Nothing was imported.');
    // An archive stuffed with files is refused by its limit, and the server keeps answering.
    const stuffed = Buffer.from(zipSync(Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`part${i}.csv`, new Uint8Array(1)]))));
    const tooMany = await upload(whitfield, stuffed);
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().detail).toBe('The archive holds more than 64 files. Nothing was imported.');
    expect((await upload(whitfield, zip, '?dryRun=true')).statusCode).toBe(200);
  });
});

describe('a plain student CSV with a column mapping', () => {
  it('checks, then imports; the same file again changes nothing; a missing mapping is named', async () => {
    const { signIn } = await import('../../../test/support/factories.ts');
    const d = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const csv =
      'Student Number,First,Last,Grade,School,DOB,ELL\n5001,Maya,Torres,07,lincoln-ms,4/2/2013,Y\n5002,Leo,Park,KG,Aspen Elementary,,N\n5003,Bad,Row,13,nowhere,,\n';
    const mapping = {
      localId: 'Student Number',
      firstName: 'First',
      lastName: 'Last',
      grade: 'Grade',
      school: 'School',
      dateOfBirth: 'DOB',
      englishLearner: 'ELL',
    };
    const send = (body: unknown) =>
      haven.app.inject({ method: 'POST', url: '/api/v1/roster/students-csv', headers: whitfield.headers, payload: body as Record<string, unknown> });
    const check = await send({ csv, mapping, dryRun: true });
    expect(check.json()).toMatchObject({ dryRun: true, created: 2, rejected: [{ line: 4 }] });
    expect(await studentsOf(d.district.id)).toEqual([]);
    expect((await send({ csv, mapping, dryRun: false })).json()).toMatchObject({ created: 2, updated: 0 });
    expect((await studentsOf(d.district.id)).find((s) => s.localId === '5001')).toMatchObject({
      grade: '7',
      dateOfBirth: '2013-04-02',
      englishLearner: true,
      schoolId: d.schools.lincoln.id,
    });
    expect((await send({ csv, mapping, dryRun: false })).json()).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    const missing = await send({ csv, mapping: { localId: 'Student Number' }, dryRun: true });
    expect(missing.json()).toMatchObject({ status: 400, detail: 'Choose the column for: firstName, lastName, grade, school.' });
  });
});
