import type { FastifyInstance } from 'fastify';
import { partnerOrganizations } from '../../src/data/partners.ts';
import { classEnrollments, classes, rosterStaff } from '../../src/data/roster.ts';
import { guardians, studentGuardians, students } from '../../src/data/students.ts';
import { addUser } from '../../src/features/accounts/users.service.ts';
import { addDistrict, addSchool } from '../../src/features/districts/districts.service.ts';
import type { Deps } from '../../src/platform/deps.ts';

export const password = 'correct horse battery staple';
let counter = 0;

/**
 * A fresh fictional district per test, so tests never share rows. Its people:
 * Ms. Rivera (counselor, Lincoln Middle), Mr. Bell (principal, Lincoln Middle), Mr. Okafor
 * (crisis team, Lincoln Middle), Ms. Shah (teacher, Lincoln Middle), Ms. Whitfield (district
 * admin), Mx. Lee (analyst), Dr. Cho (partner clinician), Ms. Park (counselor, Aspen Elementary).
 */
export async function createDistrict(deps: Deps, options: { mfaRequired?: boolean } = {}) {
  counter += 1;
  const slug = `d${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const district = await addDistrict(deps, { slug, name: `District ${slug}`, timeZone: 'America/Denver', mfaRequired: options.mfaRequired ?? false });
  const lincoln = await addSchool(deps, district.id, { code: 'lincoln-ms', name: 'Lincoln Middle School', level: 'middle' });
  const aspen = await addSchool(deps, district.id, { code: 'aspen-es', name: 'Aspen Elementary', level: 'elementary' });
  const partnerId = deps.ids.uuid();
  await deps.db.system.insert(partnerOrganizations).values({ id: partnerId, districtId: district.id, name: 'Front Range Family Counseling' });
  const person = async (name: string, role: string, schoolCode?: string) => {
    const email = `${name}.${slug}@haven.test`;
    const { userId } = await addUser(deps, {
      districtId: district.id,
      email,
      role,
      displayName: name,
      schoolCode,
      partnerOrganizationId: role === 'partner' ? partnerId : undefined,
      password,
    });
    return { id: userId, email };
  };
  const people = {
    rivera: await person('rivera', 'counselor', 'lincoln-ms'),
    bell: await person('bell', 'school_admin', 'lincoln-ms'),
    okafor: await person('okafor', 'crisis_team', 'lincoln-ms'),
    shah: await person('shah', 'staff', 'lincoln-ms'),
    whitfield: await person('whitfield', 'district_admin'),
    lee: await person('lee', 'analyst'),
    cho: await person('cho', 'partner'),
    park: await person('park', 'counselor', 'aspen-es'),
  };
  return { district, schools: { lincoln, aspen }, people, partnerId };
}

export async function createStudent(deps: Deps, districtId: string, schoolId: string, overrides: Partial<typeof students.$inferInsert> = {}) {
  counter += 1;
  const id = deps.ids.uuid();
  const guardianId = deps.ids.uuid();
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(students).values({
      id,
      districtId,
      schoolId,
      localId: `S${counter}`,
      firstName: 'Maya',
      lastName: 'Torres',
      grade: '7',
      dateOfBirth: '2013-04-02',
      homeLanguage: 'es',
      englishLearner: true,
      iep: true,
      freeReducedLunch: true,
      ...overrides,
    });
    await tx.insert(guardians).values({ id: guardianId, districtId, firstName: 'Rosa', lastName: 'Torres', phone: '303-555-0100', preferredLanguage: 'es' });
    await tx.insert(studentGuardians).values({ districtId, studentId: id, guardianId, relationship: 'mother', primaryContact: true });
  });
  return { id };
}

export type Session = { headers: { cookie: string; 'x-csrf-token': string } };

/** Signs in through the real endpoint and returns the headers a browser would send next. */
export async function signIn(app: FastifyInstance, email: string, secret = password, otp?: string): Promise<Session> {
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: secret, otp } });
  if (response.statusCode !== 200) throw new Error(`sign-in failed for ${email}: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'haven_session');
  if (!cookie) throw new Error('no session cookie');
  return { headers: { cookie: `haven_session=${cookie.value}`, 'x-csrf-token': response.json().csrfToken } };
}

/**
 * A class taught by a Haven user, as a roster import would record it: a roster staff member with
 * the user's e-mail (in the roster's capitals), enrolled as the teacher, and the students enrolled.
 */
export async function teachClass(deps: Deps, districtId: string, schoolId: string, teacherEmail: string, studentIds: string[], title = 'Homeroom') {
  const db = deps.db.system;
  const classId = deps.ids.uuid();
  const staffId = deps.ids.uuid();
  await db.insert(classes).values({ id: classId, districtId, schoolId, sourcedId: `cls-${classId}`, title });
  await db.insert(rosterStaff).values({
    id: staffId,
    districtId,
    sourcedId: `usr-${staffId}`,
    givenName: title,
    familyName: 'Teacher',
    email: teacherEmail.toUpperCase(),
    rosterRole: 'teacher',
    schoolId,
    offeredRole: 'staff',
  });
  const enrollment = (role: 'student' | 'teacher', member: { studentId: string } | { rosterStaffId: string }) => ({
    id: deps.ids.uuid(),
    districtId,
    sourcedId: `enr-${deps.ids.uuid()}`,
    classId,
    role,
    ...member,
  });
  await db
    .insert(classEnrollments)
    .values([enrollment('teacher', { rosterStaffId: staffId }), ...studentIds.map((studentId) => enrollment('student', { studentId }))]);
  return { classId };
}
