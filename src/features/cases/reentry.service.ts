import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, ne } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor, Grant } from '../../access/actor.ts';
import { auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { roleGrants, users } from '../../data/accounts.ts';
import { caseRecords, caseStudents, cases, caseTasks } from '../../data/cases.ts';
import { supportPlans } from '../../data/plans.ts';
import { students } from '../../data/students.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { instantAt } from '../../platform/time-zone.ts';
import { teachesStudent } from '../roster/index.ts';
import { type CaseRow, districtZone, schoolHours, storeRecord, withCase } from './case-access.ts';
import type { reentryPlanInput } from './cases.schema.ts';
import { checkInTitle, reentryCheckIns, reentryDatesRefusal, reentryMeetingTitle } from './reentry.rules.ts';

type ReentryPlan = z.infer<typeof reentryPlanInput>;

/**
 * The re-entry plan. The meeting must be on or before the return date; check-ins with the point
 * person fall on school days through day 90 (reentry.rules.ts), at 9:00 in the district. A new
 * version replaces the check-ins still ahead, so a revised return date never leaves two schedules.
 */
export async function recordReentryPlan(deps: Deps, actor: Actor, caseId: string, input: ReentryPlan) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const timeZone = await districtZone(tx, row.districtId);
    const meetingAt = new Date(input.meetingAt);
    const refusal = reentryDatesRefusal({ returnDate: input.returnDate, meetingAt }, timeZone);
    if (refusal) throw badRequest(refusal, { code: 'reentry_dates', es: reentryDatesRefusal({ returnDate: input.returnDate, meetingAt }, timeZone, 'es') });
    const [point] = await tx.select({ id: roleGrants.userId }).from(roleGrants).where(eq(roleGrants.userId, input.pointPersonUserId)).limit(1);
    if (!point)
      throw badRequest('The point person must be someone with a role in this district.', {
        code: 'point_person_without_role',
        es: 'La persona de referencia debe tener un rol en este distrito.',
      });
    const namedStaffUserIds = [...new Set(input.namedStaffUserIds)];
    await requireStaffOfTheStudent(tx, actor, row, namedStaffUserIds);

    const now = deps.clock.now();
    const replaced = await tx
      .delete(caseTasks)
      .where(and(eq(caseTasks.caseId, row.id), inArray(caseTasks.kind, ['check_in', 'reentry_meeting']), isNull(caseTasks.doneAt), gt(caseTasks.dueAt, now)))
      .returning({ id: caseTasks.id });
    const checkIns = reentryCheckIns(input.returnDate, (await schoolHours(tx, row.districtId)).weekdays);
    const last = checkIns.at(-1);
    const stored = await storeRecord(
      deps,
      tx,
      actor,
      row,
      'reentry_plan',
      { ...input, namedStaffUserIds },
      `Re-entry plan: back on ${input.returnDate}; ${checkIns.length} check-ins on school days through ${last?.date} (day ${last?.day})` +
        `${replaced.length > 0 ? ', replacing the earlier schedule' : ''}.`,
    );
    const task = (kind: 'check_in' | 'reentry_meeting', title: string, dueAt: Date) => ({
      id: deps.ids.uuid(),
      districtId: row.districtId,
      caseId: row.id,
      kind,
      title,
      ownerUserId: input.pointPersonUserId,
      dueAt,
    });
    const rows = checkIns.map((c, i) => {
      const [y, m, d] = c.date.split('-').map(Number) as [number, number, number];
      return task('check_in', checkInTitle(c, i, checkIns.length), instantAt(y, m, d, 9 * 60, timeZone));
    });
    // A meeting still ahead is a task, due at the meeting: on or before the return date (refused otherwise).
    if (meetingAt > now) rows.push(task('reentry_meeting', reentryMeetingTitle(input.returnDate), meetingAt));
    if (rows.length > 0) await tx.insert(caseTasks).values(rows);
    return stored;
  });
}

/** Grants of each of the given people in the actor's district (row-level security confines the read). */
async function grantsOf(tx: Transaction, userIds: readonly string[]) {
  const rows = userIds.length
    ? await tx
        .select({ userId: roleGrants.userId, role: roleGrants.role, schoolId: roleGrants.schoolId, partnerOrganizationId: roleGrants.partnerOrganizationId })
        .from(roleGrants)
        .where(inArray(roleGrants.userId, [...userIds]))
    : [];
  const byUser = new Map<string, Grant[]>();
  for (const { userId, ...grant } of rows) byUser.set(userId, [...(byUser.get(userId) ?? []), grant]);
  return byUser;
}

/** The schools of the case's students; the case's own school when no student is identified yet. */
async function studentSchools(tx: Transaction, row: CaseRow): Promise<string[]> {
  const linked = await tx
    .selectDistinct({ schoolId: students.schoolId })
    .from(caseStudents)
    .innerJoin(students, eq(students.id, caseStudents.studentId))
    .where(eq(caseStudents.caseId, row.id));
  return linked.length > 0 ? linked.map((s) => s.schoolId) : row.schoolId ? [row.schoolId] : [];
}

/**
 * Everyone named on the plan must be able to look the case's students up (staff of their school),
 * or the notes would never reach them. The access policy decides, asked as each named person.
 */
async function requireStaffOfTheStudent(tx: Transaction, actor: Actor, row: CaseRow, userIds: readonly string[]) {
  if (userIds.length === 0) return;
  const schools = await studentSchools(tx, row);
  const grants = await grantsOf(tx, userIds);
  const outside = userIds.filter((id) => {
    const person: Actor = { ...actor, userId: id, grants: grants.get(id) ?? [] };
    return person.grants.length === 0 || schools.some((schoolId) => !can(person, 'student.read', { schoolId }));
  });
  if (outside.length === 0) return;
  const names = await tx.select({ name: users.displayName }).from(users).where(inArray(users.id, outside));
  const who = names.length > 0 ? names.map((n) => n.name).join(', ') : 'someone you named';
  throw badRequest(`Name only staff who work at the student's school: ${who} cannot see this student in Haven, so they would never see the notes.`, {
    code: 'staff_outside_school',
    es: `Nombre solo a personal que trabaje en la escuela del estudiante: ${who === 'someone you named' ? 'alguien que usted nombró' : who} no puede ver a este estudiante en Haven, así que nunca vería las notas.`,
  });
}

/** The teachers and other staff of the students' schools, whom a counselor may name on the re-entry plan. */
export async function staffToName(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const schools = await studentSchools(tx, row);
    if (schools.length === 0) return [];
    return tx
      .selectDistinct({ id: users.id, name: users.displayName })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.role, 'staff'), inArray(roleGrants.schoolId, schools)))
      .orderBy(asc(users.displayName));
  });
}

/** The people a re-entry plan names: its point person and the staff named on it (older versions had no list). */
function namedOn(content: Record<string, unknown>): string[] {
  const named = Array.isArray(content.namedStaffUserIds) ? content.namedStaffUserIds.filter((id): id is string => typeof id === 'string') : [];
  return typeof content.pointPersonUserId === 'string' ? [content.pointPersonUserId, ...named] : named;
}

/**
 * What an open re-entry plan and an active support plan ask of the student's teachers, never
 * anything clinical; the case itself stays out of reach. The re-entry summary is need-to-know: the
 * school's clinical and crisis roles see it, and other staff only when they teach the student or
 * the plan names them (access policy, `student.readReentryNotes`). A support plan's asks still go
 * to all of the school's staff: support plans name no teachers yet. Someone with nothing to see
 * here gets 404, the same as for a student who does not exist, whether or not a plan exists.
 */
export async function teacherNotes(deps: Deps, actor: Actor, studentId: string) {
  const notes = await withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId)
      ? await tx.select({ id: students.id, schoolId: students.schoolId }).from(students).where(eq(students.id, studentId))
      : [];
    const denied = async (reason: string) => {
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'student.teacher_notes_denied',
        subjectType: 'student',
        subjectId: studentId.slice(0, 64),
        detail: { reason },
      });
      return null;
    };
    if (!student || !can(actor, 'student.read', { schoolId: student.schoolId })) return denied(student ? 'not_permitted' : 'not_found_in_district');
    const [plan] = await tx
      .select({ content: caseRecords.content, createdAt: caseRecords.createdAt })
      .from(caseRecords)
      .innerJoin(caseStudents, eq(caseStudents.caseId, caseRecords.caseId))
      .innerJoin(cases, eq(cases.id, caseRecords.caseId))
      .where(and(eq(caseStudents.studentId, student.id), eq(caseRecords.kind, 'reentry_plan'), ne(cases.status, 'closed')))
      .orderBy(desc(caseRecords.createdAt))
      .limit(1);
    // A teacher sees the summary when enrolled (roster) in one of the student's classes, or named on the plan. Decision 0021.
    const teaches = await teachesStudent(tx, actor.userId, student.id);
    const namedOnPlan = plan !== undefined && namedOn(plan.content).includes(actor.userId);
    const grant = allowingGrant(actor, 'student.readReentryNotes', { schoolId: student.schoolId, teachesStudent: teaches, namedOnPlan });
    const asks = await tx
      .select({ teacherAsks: supportPlans.teacherAsks, startDate: supportPlans.startDate, createdAt: supportPlans.createdAt })
      .from(supportPlans)
      .where(and(eq(supportPlans.studentId, student.id), eq(supportPlans.status, 'active'), isNotNull(supportPlans.teacherAsks)));
    if (!grant && asks.length === 0) return denied('no_need_to_know');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.teacher_notes_read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      reason: !grant
        ? 'staff at the school (what a support plan asks of teachers)'
        : namedOnPlan && grant.role === 'staff'
          ? 'named on the re-entry plan'
          : teaches && grant.role === 'staff'
            ? 'teaches the student (a class on the roster)'
            : `${grant.role.replace('_', ' ')} (what plans ask of teachers)`,
    });
    return [
      ...(grant && plan
        ? [
            {
              kind: 'reentry' as const,
              returnDate: plan.content.returnDate as string,
              teacherSummary: plan.content.teacherSummary as string,
              since: plan.createdAt.toISOString(),
            },
          ]
        : []),
      ...asks.map((a) => ({
        kind: 'support_plan' as const,
        // A support plan has no return: this is the day it started (the field name is kept for the API's callers).
        returnDate: a.startDate,
        teacherSummary: a.teacherAsks as string,
        since: a.createdAt.toISOString(),
      })),
    ];
  });
  if (!notes) throw notFound('That student');
  return notes;
}
