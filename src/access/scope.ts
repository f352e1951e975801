import { inArray, type SQL, sql } from 'drizzle-orm';
import { reports } from '../data/reports.ts';
import { students } from '../data/students.ts';
import type { Actor } from './actor.ts';
import { reportSchools, studentReach } from './policy.ts';

/**
 * SQL predicates that confine a query to what the actor may see, on top of row-level security
 * (which confines it to the district). A repository that forgets the policy still uses these,
 * so the failure is an empty list, never a leak.
 */
export function studentsVisibleTo(actor: Actor): SQL {
  const { wholeSchools, teachingSchools } = studentReach(actor);
  if (wholeSchools === 'all') return sql`true`;
  const inSchools = (schools: 'all' | string[]) => (schools === 'all' ? sql`true` : schools.length === 0 ? sql`false` : inArray(students.schoolId, schools));
  const asTeacher =
    teachingSchools !== 'all' && teachingSchools.length === 0
      ? sql`false`
      : sql`(${inSchools(teachingSchools)} and (${schoolOpenToStaff} or ${taughtBy(actor.userId)}))`;
  return sql`(${inSchools(wholeSchools)} or ${asTeacher})`;
}

/** The district lets any staff member look up any student of their school. */
const schoolOpenToStaff = sql`exists (select 1 from districts d where d.id = ${students.districtId} and d.staff_see_whole_school)`;

/**
 * The student is in an active class the user teaches: the user's e-mail is an active roster staff
 * member's, enrolled as the class's teacher (the same link roster/teaches-student.ts reads).
 */
const taughtBy = (userId: string) => sql`exists (select 1 from class_enrollments s
    join classes c on c.id = s.class_id and c.active
    join class_enrollments t on t.class_id = s.class_id and t.role = 'teacher' and t.active
    join roster_staff r on r.id = t.roster_staff_id and r.active
    join users u on u.email = lower(r.email)
    where s.student_id = ${students.id} and s.role = 'student' and s.active and u.id = ${userId})`;

/** Reports the actor handles: their schools' reports; district-wide roles also see district-level ones. */
export function reportsVisibleTo(actor: Actor): SQL {
  const schools = reportSchools(actor);
  if (schools === 'all') return sql`true`;
  if (schools.length === 0) return sql`false`;
  return inArray(reports.schoolId, schools);
}

/**
 * Students a proctor meets in one screening window: those enrolled (enrollment and class both
 * active) in a class an administrator assigned to the actor for that window, optionally one of
 * them. Tables are named in SQL rather than imported, so the access layer does not reach into the
 * screening and roster features (the import rules; issue 17 gives tables a layer of their own).
 */
export function studentsProctoredBy(actor: Actor, windowId: string, classId?: string): SQL {
  return sql`exists (select 1 from screening_proctor_classes pc
    join classes c on c.id = pc.class_id and c.active
    join class_enrollments e on e.class_id = pc.class_id and e.role = 'student' and e.active
    where pc.window_id = ${windowId} and pc.user_id = ${actor.userId} and e.student_id = ${students.id}
    ${classId ? sql`and pc.class_id = ${classId}` : sql``})`;
}
