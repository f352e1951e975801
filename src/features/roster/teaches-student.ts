import { sql } from 'drizzle-orm';
import { users } from '../../data/accounts.ts';
import { classEnrollments, classes, rosterStaff } from '../../data/roster.ts';
import type { Transaction } from '../../platform/db/client.ts';

/**
 * Whether a Haven user teaches a student: the user's e-mail is a roster staff member's, enrolled as
 * a teacher in an active class the student is enrolled in (both enrollments active). Read inside
 * the actor's district (row-level security); the access policy still requires a grant at the school.
 */
export async function teachesStudent(tx: Transaction, userId: string, studentId: string): Promise<boolean> {
  const { rows } = await tx.execute(sql`
    select 1 from ${classEnrollments} s
    join ${classes} c on c.id = s.class_id and c.active
    join ${classEnrollments} t on t.class_id = s.class_id and t.role = 'teacher' and t.active
    join ${rosterStaff} r on r.id = t.roster_staff_id and r.active
    join ${users} u on u.email = lower(r.email)
    where s.student_id = ${studentId} and s.role = 'student' and s.active and u.id = ${userId}
    limit 1`);
  return rows.length > 0;
}
