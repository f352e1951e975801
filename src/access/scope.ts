import { inArray, type SQL, sql } from 'drizzle-orm';
import { reports } from '../features/crisis-reports/crisis-reports.tables.ts';
import { students } from '../features/students/students.tables.ts';
import type { Actor } from './actor.ts';
import { reportSchools, rosterSchools } from './policy.ts';

/**
 * SQL predicates that confine a query to what the actor may see, on top of row-level security
 * (which confines it to the district). A repository that forgets the policy still uses these,
 * so the failure is an empty list, never a leak.
 */
export function studentsVisibleTo(actor: Actor): SQL {
  const schools = rosterSchools(actor);
  if (schools === 'all') return sql`true`;
  if (schools.length === 0) return sql`false`;
  return inArray(students.schoolId, schools);
}

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
