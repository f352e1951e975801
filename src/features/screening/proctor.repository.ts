import { and, eq, type SQL, sql } from 'drizzle-orm';
import { screeningProctorClasses } from '../../data/screening.ts';
import type { Transaction } from '../../platform/db/client.ts';

/**
 * The roster's classes and enrollments as a screening window's proctors meet them. The roster's
 * and accounts' tables are named in SQL rather than imported, so this feature does not reach into
 * theirs (the import rules in docs/ARCHITECTURE.md; issue 17 gives tables a layer of their own).
 * Row-level security confines every query to the actor's district.
 */

const uuids = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

export type ClassRow = { id: string; title: string; schoolId: string; school: string };

/** Active classes of these schools, with their teachers (as the roster names them) and how many students. */
export async function classesOfSchools(tx: Transaction, schoolIds: readonly string[]) {
  if (schoolIds.length === 0) return [];
  const { rows } = await tx.execute<ClassRow & { teachers: string[]; students: number }>(sql`
    select c.id, c.title, c.school_id as "schoolId", s.name as school,
      coalesce(array_agg(distinct r.given_name || ' ' || r.family_name) filter (where r.id is not null), '{}') as teachers,
      count(distinct e.student_id)::int as students
    from classes c join schools s on s.id = c.school_id
    left join class_enrollments e on e.class_id = c.id and e.active
    left join roster_staff r on r.id = e.roster_staff_id and r.active
    where c.active and c.school_id = any(${uuids(schoolIds)})
    group by c.id, s.name order by s.name, c.title limit 2000`);
  return rows;
}

/** The classes assigned to proctors in a window: all of them, or one person's. */
export async function assignedClasses(tx: Transaction, windowId: string, userId?: string): Promise<(ClassRow & { userId: string })[]> {
  const { rows } = await tx.execute<ClassRow & { userId: string }>(sql`
    select pc.user_id as "userId", c.id, c.title, c.school_id as "schoolId", s.name as school
    from ${screeningProctorClasses} pc join classes c on c.id = pc.class_id and c.active join schools s on s.id = c.school_id
    where pc.window_id = ${windowId} ${userId ? sql`and pc.user_id = ${userId}` : sql``}
    order by s.name, c.title`);
  return rows;
}

/** For each of these students, which of these classes they are enrolled in (active enrollments). */
export async function classesOfStudents(tx: Transaction, classIds: readonly string[], studentIds: readonly string[]): Promise<Map<string, string[]>> {
  const byStudent = new Map<string, string[]>();
  if (classIds.length === 0 || studentIds.length === 0) return byStudent;
  const { rows } = await tx.execute<{ studentId: string; classId: string }>(sql`
    select e.student_id as "studentId", e.class_id as "classId" from class_enrollments e
    where e.role = 'student' and e.active and e.class_id = any(${uuids(classIds)}) and e.student_id = any(${uuids(studentIds)})`);
  for (const r of rows) byStudent.set(r.studentId, [...(byStudent.get(r.studentId) ?? []), r.classId]);
  return byStudent;
}

/** One active class, with its school. */
export async function classById(tx: Transaction, classId: string): Promise<ClassRow | undefined> {
  const { rows } = await tx.execute<ClassRow>(sql`
    select c.id, c.title, c.school_id as "schoolId", s.name as school from classes c join schools s on s.id = c.school_id
    where c.id = ${classId} and c.active`);
  return rows[0];
}

/** The students enrolled in a class (active enrollments). */
export async function studentIdsOfClass(tx: Transaction, classId: string): Promise<string[]> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    select distinct e.student_id as id from class_enrollments e where e.class_id = ${classId} and e.role = 'student' and e.active limit 1000`);
  return rows.map((r) => r.id);
}

/** People who may proctor at these schools: anyone with a role that works with students there. */
export async function possibleProctors(tx: Transaction, schoolIds: readonly string[]) {
  if (schoolIds.length === 0) return [];
  const { rows } = await tx.execute<{ userId: string; name: string }>(sql`
    select distinct u.id as "userId", u.display_name as name from users u join role_grants g on g.user_id = u.id
    where u.disabled_at is null and g.role in ('district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff')
      and (g.school_id is null or g.school_id = any(${uuids(schoolIds)}))
    order by name limit 2000`);
  return rows;
}

/** Whether this person has a role that works with students at this school (or district-wide). */
export async function worksAt(tx: Transaction, userId: string, schoolId: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    select 1 from role_grants g where g.user_id = ${userId} and g.role in ('district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff')
      and (g.school_id is null or g.school_id = ${schoolId}) limit 1`);
  return rows.length > 0;
}

/** Replaces one proctor's classes in a window. */
export async function replaceAssignments(
  tx: Transaction,
  input: { districtId: string; windowId: string; userId: string; classIds: readonly string[]; ids: () => string; now: Date },
) {
  await tx.delete(screeningProctorClasses).where(and(eq(screeningProctorClasses.windowId, input.windowId), eq(screeningProctorClasses.userId, input.userId)));
  if (input.classIds.length === 0) return;
  await tx.insert(screeningProctorClasses).values(
    input.classIds.map((classId) => ({
      id: input.ids(),
      districtId: input.districtId,
      windowId: input.windowId,
      userId: input.userId,
      classId,
      createdAt: input.now,
    })),
  );
}

/** The proctors of a window assigned a class this student is enrolled in. */
export async function proctorsOfStudent(tx: Transaction, windowId: string, studentId: string): Promise<string[]> {
  const { rows } = await tx.execute<{ userId: string }>(sql`
    select distinct pc.user_id as "userId" from ${screeningProctorClasses} pc
    join classes c on c.id = pc.class_id and c.active
    join class_enrollments e on e.class_id = pc.class_id and e.role = 'student' and e.active
    where pc.window_id = ${windowId} and e.student_id = ${studentId}`);
  return rows.map((r) => r.userId);
}
