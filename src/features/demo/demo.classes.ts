import { sql } from 'drizzle-orm';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';

/**
 * The demo district's roster: a handful of homerooms per school with their teachers, as a
 * OneRoster import would store them (roster staff, classes, class enrollments). Ms. Shah, the demo
 * teacher, is the 7A teacher on the roster under her Haven e-mail, so she teaches those students
 * (decision 21: re-entry notes reach a teacher only for the students in her classes) and proctors
 * 7A in the screening window (decision 31). The other teachers have no Haven account, as most
 * teachers of a real roster would not at first.
 */
export const demoTeachers = [
  { sourcedId: 'demo-staff-ward', school: 'aspen-es', givenName: 'Rachel', familyName: 'Ward', email: 'rachel.ward@demo.haven.test' },
  { sourcedId: 'demo-staff-mendoza', school: 'aspen-es', givenName: 'Luis', familyName: 'Mendoza', email: 'luis.mendoza@demo.haven.test' },
  { sourcedId: 'demo-staff-tran', school: 'aspen-es', givenName: 'Kim', familyName: 'Tran', email: 'kim.tran@demo.haven.test' },
  { sourcedId: 'demo-staff-novak', school: 'lincoln-ms', givenName: 'Daniel', familyName: 'Novak', email: 'daniel.novak@demo.haven.test' },
  { sourcedId: 'demo-staff-okonkwo', school: 'lincoln-ms', givenName: 'Grace', familyName: 'Okonkwo', email: 'grace.okonkwo@demo.haven.test' },
  { sourcedId: 'demo-staff-shah', school: 'lincoln-ms', givenName: 'Priya', familyName: 'Shah', email: 'teacher@demo.haven.test' },
  { sourcedId: 'demo-staff-ortega', school: 'lincoln-ms', givenName: 'Marisol', familyName: 'Ortega', email: 'marisol.ortega@demo.haven.test' },
  { sourcedId: 'demo-staff-berg', school: 'lincoln-ms', givenName: 'Hannah', familyName: 'Berg', email: 'hannah.berg@demo.haven.test' },
  { sourcedId: 'demo-staff-whitehorse', school: 'sierra-vista-hs', givenName: 'Nathan', familyName: 'Whitehorse', email: 'nathan.whitehorse@demo.haven.test' },
  { sourcedId: 'demo-staff-castillo', school: 'sierra-vista-hs', givenName: 'Elena', familyName: 'Castillo', email: 'elena.castillo@demo.haven.test' },
  { sourcedId: 'demo-staff-park', school: 'sierra-vista-hs', givenName: 'Joon', familyName: 'Park', email: 'joon.park@demo.haven.test' },
  { sourcedId: 'demo-staff-fischer', school: 'sierra-vista-hs', givenName: 'Megan', familyName: 'Fischer', email: 'megan.fischer@demo.haven.test' },
] as const;

/** Each class takes the next `size` students of its school and grade, in the order they were seeded. */
export const demoClasses = [
  { sourcedId: 'demo-class-aspen-k-3', school: 'aspen-es', grade: 'K', title: 'Kindergarten, Room 3', teacher: 'demo-staff-ward', size: 20 },
  { sourcedId: 'demo-class-aspen-2-8', school: 'aspen-es', grade: '2', title: 'Grade 2, Room 8', teacher: 'demo-staff-mendoza', size: 24 },
  { sourcedId: 'demo-class-aspen-4-12', school: 'aspen-es', grade: '4', title: 'Grade 4, Room 12', teacher: 'demo-staff-tran', size: 25 },
  { sourcedId: 'demo-class-lincoln-6a', school: 'lincoln-ms', grade: '6', title: 'Homeroom 6A', teacher: 'demo-staff-novak', size: 26 },
  { sourcedId: 'demo-class-lincoln-6b', school: 'lincoln-ms', grade: '6', title: 'Homeroom 6B', teacher: 'demo-staff-okonkwo', size: 26 },
  { sourcedId: 'demo-class-lincoln-7a', school: 'lincoln-ms', grade: '7', title: 'Homeroom 7A', teacher: 'demo-staff-shah', size: 25 },
  { sourcedId: 'demo-class-lincoln-7b', school: 'lincoln-ms', grade: '7', title: 'Homeroom 7B', teacher: 'demo-staff-ortega', size: 25 },
  { sourcedId: 'demo-class-lincoln-8a', school: 'lincoln-ms', grade: '8', title: 'Homeroom 8A', teacher: 'demo-staff-berg', size: 27 },
  { sourcedId: 'demo-class-sierra-9', school: 'sierra-vista-hs', grade: '9', title: 'Advisory 9 (Whitehorse)', teacher: 'demo-staff-whitehorse', size: 28 },
  { sourcedId: 'demo-class-sierra-10', school: 'sierra-vista-hs', grade: '10', title: 'Advisory 10 (Castillo)', teacher: 'demo-staff-castillo', size: 28 },
  { sourcedId: 'demo-class-sierra-11', school: 'sierra-vista-hs', grade: '11', title: 'Advisory 11 (Park)', teacher: 'demo-staff-park', size: 27 },
  { sourcedId: 'demo-class-sierra-12', school: 'sierra-vista-hs', grade: '12', title: 'Advisory 12 (Fischer)', teacher: 'demo-staff-fischer', size: 26 },
] as const;

/** The demo teacher's homeroom: the class she proctors, where a student has a re-entry plan. */
export const demoTeacherClass = 'demo-class-lincoln-7a';

type Member = { id: string; schoolCode: string; grade: string };

/**
 * Which students each class holds: the classes of one school and grade share its students in
 * seeded order, each student in one class at most. Pure, so the same students give the same classes.
 */
export function classMembers(students: readonly Member[]): Map<string, string[]> {
  const taken = new Map<string, number>();
  const members = new Map<string, string[]>();
  for (const c of demoClasses) {
    const key = `${c.school}/${c.grade}`;
    const start = taken.get(key) ?? 0;
    const pool = students.filter((s) => s.schoolCode === c.school && s.grade === c.grade);
    members.set(
      c.sourcedId,
      pool.slice(start, start + c.size).map((s) => s.id),
    );
    taken.set(key, start + c.size);
  }
  return members;
}

/**
 * Stores the roster staff, classes and enrollments. Tables are named in SQL, as the proctor
 * repository does, so the demo adds no import of the roster feature's tables (issue 17).
 * Returns each class's id and students by the class's sourcedId.
 */
export async function seedDemoClasses(
  deps: Pick<Deps, 'ids'>,
  tx: Transaction,
  districtId: string,
  schoolIds: Map<string, string>,
  students: readonly Member[],
): Promise<Map<string, { id: string; studentIds: string[] }>> {
  const staffIds = new Map<string, string>();
  for (const t of demoTeachers) {
    const id = deps.ids.uuid();
    staffIds.set(t.sourcedId, id);
    await tx.execute(sql`insert into roster_staff (id, district_id, sourced_id, given_name, family_name, email, roster_role, school_id, offered_role)
      values (${id}, ${districtId}, ${t.sourcedId}, ${t.givenName}, ${t.familyName}, ${t.email}, 'teacher', ${schoolIds.get(t.school) as string}, 'staff')`);
  }
  const members = classMembers(students);
  const stored = new Map<string, { id: string; studentIds: string[] }>();
  for (const c of demoClasses) {
    const id = deps.ids.uuid();
    const studentIds = members.get(c.sourcedId) ?? [];
    stored.set(c.sourcedId, { id, studentIds });
    await tx.execute(sql`insert into classes (id, district_id, school_id, sourced_id, title)
      values (${id}, ${districtId}, ${schoolIds.get(c.school) as string}, ${c.sourcedId}, ${c.title})`);
    const rows = [
      sql`(${deps.ids.uuid()}, ${districtId}, ${`${c.sourcedId}-${c.teacher}`}, ${id}, 'teacher', null, ${staffIds.get(c.teacher) as string})`,
      ...studentIds.map((studentId, i) => sql`(${deps.ids.uuid()}, ${districtId}, ${`${c.sourcedId}-s${i + 1}`}, ${id}, 'student', ${studentId}, null)`),
    ];
    await tx.execute(
      sql`insert into class_enrollments (id, district_id, sourced_id, class_id, role, student_id, roster_staff_id) values ${sql.join(rows, sql`, `)}`,
    );
  }
  return stored;
}
