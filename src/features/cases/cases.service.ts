import { and, asc, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { auditActor } from '../../access/actor.ts';
import { allowingGrant, can, reportSchools } from '../../access/policy.ts';
import { users } from '../../data/accounts.ts';
import { caseAccessGrants, caseEvents, caseRecords, caseReports, caseStudents, cases, caseTasks } from '../../data/cases.ts';
import { schools } from '../../data/districts.ts';
import { reports } from '../../data/reports.ts';
import { students } from '../../data/students.ts';
import { reasonOf, recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { enqueueMessages } from '../../platform/outbox/outbox.ts';
import { reportColumns } from '../crisis-reports/index.ts';
import { recordStaffResult } from '../screening/index.ts';
import { taskState } from './case.deadlines.ts';
import { availableActions, type CaseStatus, checkTransition } from './case.rules.ts';
import { gatesTextEs } from './case.text.ts';
import { addEvent, type CaseRow, caseFacts, caseSubject, districtZone, withCase } from './case-access.ts';
import { auditCase, auditCaseFor, caseBasis } from './case-audit.ts';
import { cancelledTaskIds, caseOverview } from './case-summary.rules.ts';
import { readCaseEvent, readTaskTitle } from './case-words.rules.ts';
import type { openCaseInput, transitionInput } from './cases.schema.ts';
import { closeCase } from './closing.service.ts';
import { openMandatoryDuty } from './duties.service.ts';

type OpenCase = z.infer<typeof openCaseInput>;

/**
 * Opens a case from reports, a screening alert (its report) or directly. The school comes from the
 * input, the first report or the first student; students named by the reports are linked. When
 * abuse or neglect is suspected a mandatory-report task is created at once: due now, and at most
 * 24 hours after the earliest linked report was received.
 */
export async function openCase(deps: Deps, actor: Actor, input: OpenCase) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const linked = input.reportIds.length > 0 ? await tx.select(reportColumns).from(reports).where(inArray(reports.id, input.reportIds)) : [];
    if (linked.length !== input.reportIds.length) throw notFound('One of the reports');
    const named = input.studentIds.length > 0 ? await tx.select().from(students).where(inArray(students.id, input.studentIds)) : [];
    if (named.length !== input.studentIds.length) throw notFound('One of the students');
    // Opening a case gives its team the record of every student on it: each must be one the opener may see.
    for (const student of named) if (!can(actor, 'student.read', { schoolId: student.schoolId })) throw notFound('One of the students');
    const schoolId = input.schoolId ?? linked.find((r) => r.schoolId)?.schoolId ?? named[0]?.schoolId ?? null;
    for (const report of linked) if (!can(actor, 'report.read', { schoolId: report.schoolId })) throw notFound('One of the reports');
    if (!can(actor, 'case.open', { schoolId })) throw notFound('That school');
    const studentIds = [...new Set([...input.studentIds, ...linked.map((r) => r.studentId).filter((id): id is string => id !== null)])];
    const now = deps.clock.now();
    const id = deps.ids.uuid();
    const row = {
      id,
      districtId: actor.districtId,
      schoolId,
      type: input.type,
      status: 'open' as const,
      summary: input.summary,
      assignedUserIds: [actor.userId],
      openedBy: actor.userId,
      openedAt: now,
      closedAt: null,
    };
    await tx.insert(cases).values(row);
    for (const studentId of studentIds) await tx.insert(caseStudents).values({ districtId: actor.districtId, caseId: id, studentId });
    for (const report of linked) await tx.insert(caseReports).values({ districtId: actor.districtId, caseId: id, reportId: report.id });
    await addEvent(
      deps,
      tx,
      row,
      actor,
      'opened',
      `Case opened (${input.type.replaceAll('_', ' ')})${linked.length > 0 ? ` from ${linked.length} report(s)` : ''}.`,
    );
    // The 24 hours run from when the reports reached Haven, not from now (C.R.S. 19-3-304).
    if (input.abuseSuspected || input.type === 'abuse_neglect')
      await openMandatoryDuty(
        deps,
        tx,
        row,
        actor,
        linked.map((r) => r.receivedAt),
      );
    await auditCaseFor(deps, tx, actor, id, studentIds, {
      action: 'case.opened',
      detail: { type: input.type, reports: linked.length, students: studentIds.length },
    });
    return { id };
  });
}

export type CaseFilter = 'mine' | 'school' | 'overdue' | 'closed';

/**
 * Cases the actor may see: their school's (or all, district-wide), and those assigned to them.
 * Every student named on a case shown is a `student.listed` row in their access log, with the
 * grant that let the actor see that case (decision 23); the list's own `case.listed` goes first.
 */
export async function listCases(deps: Deps, actor: Actor, filter: CaseFilter) {
  // Teachers, partners and analysts have no case list at all, even if someone assigned them.
  if (!can(actor, 'case.list', null)) throw notFound('The case list');
  const scope = reportSchools(actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    const visible = or(
      sql`${actor.userId} = any(${cases.assignedUserIds})`,
      scope === 'all' ? sql`true` : scope.length > 0 ? inArray(cases.schoolId, scope) : sql`false`,
    );
    const rows = await tx
      .select({
        id: cases.id,
        type: cases.type,
        status: cases.status,
        summary: cases.summary,
        openedAt: cases.openedAt,
        assignedUserIds: cases.assignedUserIds,
        schoolId: cases.schoolId,
        school: schools.name,
      })
      .from(cases)
      .leftJoin(schools, eq(schools.id, cases.schoolId))
      .where(and(visible, filter === 'closed' ? eq(cases.status, 'closed') : sql`${cases.status} <> 'closed'`))
      .orderBy(desc(cases.openedAt))
      .limit(200);
    const ids = rows.map((r) => r.id);
    const now = deps.clock.now();
    const overdue = ids.length
      ? new Set(
          (
            await tx
              .selectDistinct({ caseId: caseTasks.caseId })
              .from(caseTasks)
              // Overdue as taskState says: past the hard deadline when there is one, else past due.
              .where(
                and(
                  inArray(caseTasks.caseId, ids),
                  isNull(caseTasks.doneAt),
                  sql`coalesce(${caseTasks.hardDeadlineAt}, ${caseTasks.dueAt}) < ${now.toISOString()}::timestamptz`,
                ),
              )
          ).map((t) => t.caseId),
        )
      : new Set<string>();
    const names = ids.length
      ? await tx
          .select({ caseId: caseStudents.caseId, studentId: caseStudents.studentId, firstName: students.firstName, lastName: students.lastName })
          .from(caseStudents)
          .innerJoin(students, eq(students.id, caseStudents.studentId))
          .where(inArray(caseStudents.caseId, ids))
      : [];
    const shownRows = rows.filter((r) => (filter === 'mine' ? r.assignedUserIds.includes(actor.userId) : filter === 'overdue' ? overdue.has(r.id) : true));
    const shown = shownRows.flatMap((r) => {
      const basis = caseBasis(actor, { schoolId: r.schoolId, assignedUserIds: r.assignedUserIds, breakGlass: false }, r.school);
      return basis ? names.filter((n) => n.caseId === r.id).map((n) => ({ studentId: n.studentId, basis, records: [r.id] })) : [];
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'case_list', shown, {
      action: 'case.listed',
      subjectType: 'case_list',
      detail: { filter, results: shownRows.length },
    });
    return shownRows.map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      summary: r.summary,
      school: r.school,
      openedAt: r.openedAt.toISOString(),
      mine: r.assignedUserIds.includes(actor.userId),
      overdue: overdue.has(r.id),
      students: names.filter((n) => n.caseId === r.id).map((n) => `${n.firstName} ${n.lastName}`),
    }));
  });
}

/**
 * A case with its students, reports, timeline, tasks and records, and what the actor may do next.
 * The read is audited in each linked student's log with the reason access was allowed (role at the
 * school, assigned to the case, or the broken glass). A mandatory report's content is shown only to
 * its reporter, administrators and the assigned counselor; others see that it exists.
 */
export async function getCase(deps: Deps, actor: Actor, caseId: string) {
  return withCase(deps, actor, caseId, 'case.read', async (tx, row, _grant, subject) => {
    const linkedStudents = await tx
      .select({
        id: students.id,
        firstName: students.firstName,
        lastName: students.lastName,
        grade: students.grade,
        localId: students.localId,
        homeLanguage: students.homeLanguage,
      })
      .from(caseStudents)
      .innerJoin(students, eq(students.id, caseStudents.studentId))
      .where(eq(caseStudents.caseId, row.id));
    const linkedReports = await tx
      .select({
        id: reports.id,
        receivedAt: reports.receivedAt,
        channel: reports.channel,
        category: reports.category,
        urgency: reports.urgency,
        status: reports.status,
      })
      .from(caseReports)
      .innerJoin(reports, eq(reports.id, caseReports.reportId))
      .where(eq(caseReports.caseId, row.id));
    const events = await tx.select().from(caseEvents).where(eq(caseEvents.caseId, row.id)).orderBy(asc(caseEvents.at));
    const tasks = await tx
      .select({ task: caseTasks, owner: users.displayName })
      .from(caseTasks)
      .leftJoin(users, eq(users.id, caseTasks.ownerUserId))
      .where(eq(caseTasks.caseId, row.id))
      .orderBy(asc(caseTasks.dueAt));
    // Who ticked a task off, by name, so a done step reads as done: by whom and when.
    const doerIds = [...new Set(tasks.flatMap(({ task }) => (task.doneBy ? [task.doneBy] : [])))];
    const doers = new Map(
      doerIds.length
        ? (await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, doerIds))).map((u) => [u.id, u.name])
        : [],
    );
    const records = await tx.select().from(caseRecords).where(eq(caseRecords.caseId, row.id)).orderBy(asc(caseRecords.createdAt));
    const reporters = records.filter((r) => r.kind === 'mandatory_report').map((r) => r.createdBy ?? '');
    const mandatoryOwners = tasks.filter((t) => t.task.kind === 'mandatory_report').map((t) => t.task.ownerUserId ?? '');
    const seeMandatory = can(actor, 'case.readMandatoryReport', { ...subject, reporterUserIds: [...reporters, ...mandatoryOwners] });
    const facts = await caseFacts(tx, row);
    const now = deps.clock.now();
    const cancelled = cancelledTaskIds(records);
    const [school] = row.schoolId ? await tx.select({ id: schools.id, name: schools.name }).from(schools).where(eq(schools.id, row.schoolId)) : [];
    const team = row.assignedUserIds.length
      ? await tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, row.assignedUserIds))
      : [];
    const timeZone = await districtZone(tx, row.districtId);
    const basis = caseBasis(actor, subject, school?.name ?? null);
    await auditCaseFor(
      deps,
      tx,
      actor,
      row.id,
      linkedStudents.map((s) => s.id),
      { action: 'case.read', ...(basis ? { reason: reasonOf(basis) } : {}) },
    );
    return {
      id: row.id,
      type: row.type,
      status: row.status,
      summary: row.summary,
      school: school ?? null,
      openedAt: row.openedAt.toISOString(),
      closedAt: row.closedAt?.toISOString() ?? null,
      assigned: team,
      students: linkedStudents,
      reports: linkedReports.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() })),
      events: events.map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        who: e.actorLabel,
        kind: e.kind,
        summary: e.summary,
        words: readCaseEvent({ ...e, timeZone }),
      })),
      tasks: tasks.map(({ task, owner }) => ({
        id: task.id,
        kind: task.kind,
        title: task.title,
        words: readTaskTitle(task.title),
        owner,
        dueAt: task.dueAt.toISOString(),
        hardDeadlineAt: task.hardDeadlineAt?.toISOString() ?? null,
        doneAt: task.doneAt?.toISOString() ?? null,
        doneBy: task.doneBy ? (doers.get(task.doneBy) ?? null) : null,
        note: task.note,
        state: cancelled.has(task.id) ? ('cancelled' as const) : taskState(task, now),
        overdue: !cancelled.has(task.id) && taskState(task, now) === 'overdue',
      })),
      records: records.map((r) => ({
        id: r.id,
        kind: r.kind,
        version: r.version,
        createdAt: r.createdAt.toISOString(),
        createdBy: r.createdByLabel,
        restricted: r.kind === 'mandatory_report' && !seeMandatory,
        content: r.kind === 'mandatory_report' && !seeMandatory ? {} : r.content,
      })),
      facts,
      overview: caseOverview({
        facts,
        records: records.map((r) => ({ ...r, createdBy: r.createdByLabel, content: r.kind === 'mandatory_report' && !seeMandatory ? {} : r.content })),
        tasks: tasks.map(({ task }) => task),
        now,
        timeZone,
      }),
      actions: availableActions(facts),
      abilities: { readMandatoryReport: seeMandatory, confirmWaiver: can(actor, 'case.confirmWaiver', subject) },
    };
  });
}

/** Moves a case along (or reopens it, with a reason); refused with every reason when it may not. */
export async function transitionCase(deps: Deps, actor: Actor, caseId: string, input: z.infer<typeof transitionInput>) {
  if (input.action === 'close') return closeCase(deps, actor, caseId, input);
  if (input.action === 'reopen' && !input.reason)
    throw badRequest('Say why the case is reopened.', { code: 'reopen_reason_required', es: 'Indique por qué se reabre el caso.' });
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const decision = checkTransition(await caseFacts(tx, row), input.action);
    if (!decision.ok)
      throw badRequest(decision.reasons.join(' '), {
        code: 'case_transition_refused',
        es: gatesTextEs(decision.gates, row.status as CaseStatus, input.action),
        reasons: decision.reasons,
      });
    const now = deps.clock.now();
    await tx
      .update(cases)
      .set({ status: decision.next, closedAt: decision.next === 'closed' ? now : null })
      .where(eq(cases.id, row.id));
    await addEvent(
      deps,
      tx,
      row,
      actor,
      input.action,
      `Status: ${row.status.replace('_', ' ')} → ${decision.next.replace('_', ' ')}${input.reason ? ` (${input.reason})` : ''}.`,
    );
    await auditCase(deps, tx, actor, row.id, { action: `case.${input.action}`, detail: { from: row.status, to: decision.next } });
    return { status: decision.next };
  });
}

/** Identifies a student on the case (a case may start before anyone knows who it is about). */
export async function linkStudent(deps: Deps, actor: Actor, caseId: string, studentId: string) {
  return withCase(deps, actor, caseId, 'case.act', async (tx, row) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    if (!student || !can(actor, 'student.read', { schoolId: student.schoolId })) throw notFound('That student');
    await tx.insert(caseStudents).values({ districtId: row.districtId, caseId: row.id, studentId: student.id }).onConflictDoNothing();
    if (!row.schoolId) await tx.update(cases).set({ schoolId: student.schoolId }).where(eq(cases.id, row.id));
    await addEvent(deps, tx, row, actor, 'student_identified', `Student identified: ${student.firstName} ${student.lastName} (${student.localId}).`);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'case.student_linked',
      subjectType: 'case',
      subjectId: row.id,
      studentId: student.id,
    });
    return { studentId: student.id };
  });
}

/**
 * Break the glass: someone outside the team who must see the case gives a reason; they get 12
 * hours of access, the reason is audited, and the team is told at once (in-app and e-mail).
 */
export async function breakGlass(deps: Deps, actor: Actor, caseId: string, reason: string) {
  const result = await withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(caseId) ? await tx.select().from(cases).where(eq(cases.id, caseId)) : [];
    if (!row) return null;
    const subject = await caseSubject(tx, actor, row, deps.clock.now());
    if (!allowingGrant(actor, 'case.breakGlass', subject)) return null;
    const now = deps.clock.now();
    await tx.insert(caseAccessGrants).values({
      id: deps.ids.uuid(),
      districtId: row.districtId,
      caseId: row.id,
      userId: actor.userId,
      reason,
      grantedAt: now,
      expiresAt: new Date(now.getTime() + 12 * 3_600_000),
    });
    await addEvent(deps, tx, row, actor, 'break_glass', `Broke the glass to see this case: ${reason}`);
    // In each student's log. The person's own words stay in the detail (and the case timeline): the
    // reason a family's copy shows is the fixed "break the glass", never a staff note about a child.
    await auditCase(deps, tx, actor, row.id, { action: 'case.break_glass', reason: 'break the glass', detail: { hours: 12, reason } });
    const team = row.assignedUserIds.length
      ? await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, row.assignedUserIds))
      : [];
    await deps.live.publish(tx, { userIds: team.map((t) => t.id), type: 'case.break_glass', data: { caseId: row.id, by: actor.displayName } });
    // With the grant itself: the team hears of every look from outside, even if the mail server is down now.
    await enqueueMessages(
      deps,
      tx,
      team.map((member) => ({
        districtId: row.districtId,
        purpose: 'case.break_glass',
        message: {
          kind: 'email',
          to: member.email,
          subject: 'Haven: someone outside the team opened a case you are on',
          text: `${actor.displayName} broke the glass to see a crisis case you are assigned to, and gave a reason. Open Haven to see who and why: ${deps.settings.publicUrl}/cases/${row.id}`,
        },
      })),
    );
    return row;
  });
  if (!result) throw notFound('That case');
  return { expiresInHours: 12 };
}

/**
 * A suicide-risk instrument given inside the case (the ASQ, or a district's licensed C-SSRS),
 * scored by the screening engine; a positive alerts through the crisis chain like any other.
 */
export async function screenInCase(
  deps: Deps,
  actor: Actor,
  caseId: string,
  input: { instrumentId: string; answers: Record<string, unknown>; studentId?: string | undefined },
) {
  const studentId = await withCase(deps, actor, caseId, 'case.act', async (tx) => {
    const linked = await tx.select({ id: caseStudents.studentId }).from(caseStudents).where(eq(caseStudents.caseId, caseId));
    const chosen = input.studentId ?? (linked.length === 1 ? linked[0]?.id : undefined);
    if (!chosen || !linked.some((l) => l.id === chosen))
      throw badRequest('Identify the student on the case first (or choose one of its students).', {
        code: 'case_student_required',
        es: 'Primero identifique al estudiante del caso (o elija a uno de sus estudiantes).',
      });
    return chosen;
  });
  const result = await recordStaffResult(
    deps,
    actor,
    studentId,
    { instrumentId: input.instrumentId, answers: input.answers, context: {}, emergency: true },
    { tellGuardian: false },
  );
  await withCase(deps, actor, caseId, 'case.act', (tx, row) =>
    addEvent(deps, tx, row, actor, 'screening', `${result.instrument.toUpperCase()} given in the case: ${result.band?.replaceAll('_', ' ') ?? 'not scored'}.`),
  );
  return result;
}

export type { CaseRow };
