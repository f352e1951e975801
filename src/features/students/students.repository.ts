import { and, asc, count, desc, eq, gte, ilike, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { studentsVisibleTo } from '../../access/scope.ts';
import { auditEvents } from '../../data/audit.ts';
import { schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referrals } from '../../data/referrals.ts';
import { mandatoryReportCategories } from '../../data/reports.values.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { isUuid } from '../../platform/ids.ts';
import { factsOf, guardianMayBeTold } from '../referrals/index.ts';

export type StudentSearch = { q?: string | undefined; school?: string | undefined; includeInactive: boolean; page: number; pageSize: number };

/** Escapes LIKE wildcards so a search for "50%" means the characters, not a pattern. */
function likePrefix(term: string): string {
  return `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Searches the students the actor may see; each word must match a name or the local id. */
export async function searchStudents(tx: Transaction, actor: Actor, search: StudentSearch) {
  const conditions: SQL[] = [studentsVisibleTo(actor)];
  if (!search.includeInactive) conditions.push(eq(students.active, true));
  if (search.school) {
    conditions.push(isUuid(search.school) ? eq(students.schoolId, search.school) : eq(schools.code, search.school));
  }
  for (const term of (search.q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5)) {
    const pattern = likePrefix(term);
    conditions.push(
      or(
        ilike(students.firstName, pattern),
        ilike(students.lastName, pattern),
        ilike(students.preferredName, pattern),
        ilike(students.localId, pattern),
      ) as SQL,
    );
  }
  const where = and(...conditions);
  const [total] = await tx.select({ n: count() }).from(students).innerJoin(schools, eq(schools.id, students.schoolId)).where(where);
  const items = await tx
    .select({
      id: students.id,
      localId: students.localId,
      firstName: students.firstName,
      lastName: students.lastName,
      preferredName: students.preferredName,
      grade: students.grade,
      active: students.active,
      schoolId: students.schoolId,
      schoolName: schools.name,
    })
    .from(students)
    .innerJoin(schools, eq(schools.id, students.schoolId))
    .where(where)
    .orderBy(asc(students.lastName), asc(students.firstName), asc(students.id))
    .limit(search.pageSize)
    .offset((search.page - 1) * search.pageSize);
  return { total: total?.n ?? 0, items };
}

/** One student with their school, or undefined. Row-level security limits it to the district. */
/** Whether the actor may see this student at all: the rule search applies (a teacher sees their classes). */
export async function isStudentVisibleTo(tx: Transaction, actor: Actor, id: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: students.id })
    .from(students)
    .where(and(eq(students.id, id), studentsVisibleTo(actor)));
  return row !== undefined;
}

export async function findStudent(tx: Transaction, id: string) {
  const [row] = await tx
    .select({ student: students, school: { id: schools.id, code: schools.code, name: schools.name } })
    .from(students)
    .innerJoin(schools, eq(schools.id, students.schoolId))
    .where(eq(students.id, id));
  return row;
}

export async function guardiansOf(tx: Transaction, studentId: string) {
  return tx
    .select({
      id: guardians.id,
      firstName: guardians.firstName,
      lastName: guardians.lastName,
      relationship: studentGuardians.relationship,
      primaryContact: studentGuardians.primaryContact,
      phone: guardians.phone,
      email: guardians.email,
      preferredLanguage: guardians.preferredLanguage,
    })
    .from(studentGuardians)
    .innerJoin(guardians, eq(guardians.id, studentGuardians.guardianId))
    .where(eq(studentGuardians.studentId, studentId))
    .orderBy(desc(studentGuardians.primaryContact), asc(guardians.lastName));
}

/** Every recorded look at or change to a student's record, newest first (FERPA 34 CFR 99.32). */
export async function accessLogOf(tx: Transaction, studentId: string) {
  return tx.select(logColumns).from(auditEvents).where(eq(auditEvents.studentId, studentId)).orderBy(desc(auditEvents.sequence)).limit(5000);
}

const logColumns = {
  id: auditEvents.id,
  at: auditEvents.at,
  actor: auditEvents.actorLabel,
  action: auditEvents.action,
  reason: auditEvents.reason,
  subjectType: auditEvents.subjectType,
  subjectId: auditEvents.subjectId,
  detail: auditEvents.detail,
};

/**
 * The whole log for a period, oldest first, for a family's copy: no row limit, since the law asks
 * for every access (the index on district, student and time keeps it one range scan).
 */
export async function accessLogBetween(tx: Transaction, studentId: string, from: Date | null, to: Date) {
  return tx
    .select(logColumns)
    .from(auditEvents)
    .where(and(eq(auditEvents.studentId, studentId), from ? gte(auditEvents.at, from) : undefined, lt(auditEvents.at, to)))
    .orderBy(asc(auditEvents.sequence));
}

/** Partner organizations' names by id, for saying to whom something was disclosed. */
export async function organizationNames(tx: Transaction, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter(isUuid);
  if (wanted.length === 0) return new Map();
  const rows = await tx
    .select({ id: partnerOrganizations.id, name: partnerOrganizations.name })
    .from(partnerOrganizations)
    .where(inArray(partnerOrganizations.id, wanted));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The student's referrals that are student-initiated connections the guardian may not be told
 * of: a family's copy of the log leaves out everything about them (access-log.rules.ts).
 */
export async function confidentialReferralsOf(tx: Transaction, studentId: string): Promise<Set<string>> {
  const rows = await tx.select({ id: referrals.id, preferences: referrals.preferences }).from(referrals).where(eq(referrals.studentId, studentId));
  return new Set(rows.filter((r) => !guardianMayBeTold(factsOf(r.preferences).studentConnection)).map((r) => r.id));
}

/**
 * The student's cases and reports that carry the duty to report suspected abuse (an abuse case, or
 * a report in a duty category, and every case opened from such a report): a family's copy must not
 * show them, because the family may be the subject of the concern (C.R.S. 19-1-307).
 */
export async function abuseMattersOf(tx: Transaction, studentId: string): Promise<Set<string>> {
  const { rows } = await tx.execute<{ id: string }>(sql`
    select c.id::text from cases c join case_students cs on cs.case_id = c.id
      where cs.student_id = ${studentId} and (c.type = 'abuse_neglect' or exists (
        select 1 from case_reports cr join reports r on r.id = cr.report_id
        where cr.case_id = c.id and r.category in (${sql.join(
          mandatoryReportCategories.map((c) => sql`${c}`),
          sql`, `,
        )})))
    union
    select r.id::text from reports r
      where r.category in (${sql.join(
        mandatoryReportCategories.map((c) => sql`${c}`),
        sql`, `,
      )}) and (r.student_id = ${studentId} or exists (
        select 1 from case_reports cr join case_students cs on cs.case_id = cr.case_id where cr.report_id = r.id and cs.student_id = ${studentId}))`);
  return new Set(rows.map((r) => r.id));
}
