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
