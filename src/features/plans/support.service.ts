import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, can, supportSchools } from '../../access/policy.ts';
import { users } from '../../data/accounts.ts';
import { caseRecords, caseStudents, cases, caseTasks } from '../../data/cases.ts';
import { districts, schools } from '../../data/districts.ts';
import { studentContacts, supportPlans } from '../../data/plans.ts';
import type { needReasons } from '../../data/plans.values.ts';
import { referrals } from '../../data/referrals.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { recordStudentsShown, type ShownBasis } from '../../platform/audit/students-shown.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { enqueueMessage } from '../../platform/outbox/outbox.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { readTaskTitle } from '../cases/index.ts';
import { addDays, queueEntry } from './plans.rules.ts';
import { supportSettings } from './plans.service.ts';

/**
 * "Needs support now": students something says need support, with nothing in place. Computed from
 * screens (90 days), crisis cases (open, or closed in the last 30 days), re-entry plans and tier 3,
 * in the schools the actor serves. In place means an active support plan or a safety plan on an
 * open crisis case, an open referral, or a recent contact or crisis check-in. Each entry says why
 * and how long it has waited.
 */
export async function needsSupportQueue(deps: Deps, actor: Actor) {
  const scope = supportSchools(actor);
  if (scope !== 'all' && scope.length === 0) throw notFound('The support queue');
  return withTenant(deps.db.app, actor, async (tx) => {
    const { timeZone, contactDays } = await supportSettings(tx, actor.districtId);
    const now = deps.clock.now();
    const todayDay = districtDay(now, timeZone);
    const inScope = (column: typeof students.schoolId | typeof screeningResults.schoolId | typeof supportPlans.schoolId) =>
      scope === 'all' ? sql`true` : inArray(column, scope);
    // Each reason's day is the district's day (a UTC date is tomorrow on a Denver evening: "Waiting -1 day").
    const reasons = new Map<string, { reason: (typeof needReasons)[number]; since: string }[]>();
    const add = (studentId: string, reason: (typeof needReasons)[number], since: string) =>
      reasons.set(studentId, [...(reasons.get(studentId) ?? []), { reason, since }]);
    const since90 = new Date(now.getTime() - 90 * 86_400_000);
    for (const r of await tx
      .select({ studentId: screeningResults.studentId, at: sql<Date>`min(${screeningResults.administeredAt})` })
      .from(screeningResults)
      .where(
        and(
          gte(screeningResults.administeredAt, since90),
          or(
            sql`${screeningResults.flags} && array['suicide_risk', 'imminent_risk']`,
            inArray(screeningResults.band, ['severe', 'moderately_severe', 'acute_positive', 'non_acute_positive', 'high']),
          ),
          inScope(screeningResults.schoolId),
        ),
      )
      .groupBy(screeningResults.studentId))
      add(r.studentId, 'high_risk_screen', districtDay(new Date(r.at), timeZone));
    const since30 = new Date(now.getTime() - 30 * 86_400_000);
    for (const c of await tx
      .select({ studentId: caseStudents.studentId, openedAt: cases.openedAt, caseId: cases.id })
      .from(caseStudents)
      .innerJoin(cases, eq(cases.id, caseStudents.caseId))
      .where(and(or(ne(cases.status, 'closed'), gte(cases.closedAt, since30)), scope === 'all' ? sql`true` : inArray(cases.schoolId, scope))))
      add(c.studentId, 'crisis_case', districtDay(c.openedAt, timeZone));
    for (const r of await tx
      .select({ studentId: caseStudents.studentId, at: caseRecords.createdAt })
      .from(caseRecords)
      .innerJoin(caseStudents, eq(caseStudents.caseId, caseRecords.caseId))
      .innerJoin(cases, eq(cases.id, caseRecords.caseId))
      .where(and(eq(caseRecords.kind, 'reentry_plan'), ne(cases.status, 'closed'))))
      add(r.studentId, 'reentry_plan', districtDay(r.at, timeZone));
    const plans = await tx
      .select({ studentId: supportPlans.studentId, tier: supportPlans.tier, status: supportPlans.status, startDate: supportPlans.startDate })
      .from(supportPlans)
      .where(inScope(supportPlans.schoolId));
    for (const p of plans) if (p.tier === 3) add(p.studentId, 'tier_3', p.startDate);
    const ids = [...reasons.keys()];
    if (ids.length === 0) return { entries: [], bySchool: [] };
    // A safety plan on an open crisis case is a plan in place, as an active support plan is.
    const safetyPlanned = (
      await tx
        .selectDistinct({ studentId: caseStudents.studentId })
        .from(caseRecords)
        .innerJoin(cases, eq(cases.id, caseRecords.caseId))
        .innerJoin(caseStudents, eq(caseStudents.caseId, caseRecords.caseId))
        .where(and(eq(caseRecords.kind, 'safety_plan'), ne(cases.status, 'closed'), inArray(caseStudents.studentId, ids)))
    ).map((r) => r.studentId);
    const active = new Set([...plans.filter((p) => p.status === 'active').map((p) => p.studentId), ...safetyPlanned]);
    // A contact is a recorded contact or a crisis case's check-in marked done, whichever is later.
    const contactRows = await tx
      .select({ studentId: studentContacts.studentId, last: sql<Date>`max(${studentContacts.at})` })
      .from(studentContacts)
      .where(inArray(studentContacts.studentId, ids))
      .groupBy(studentContacts.studentId);
    const checkInRows = await tx
      .select({ studentId: caseStudents.studentId, last: sql<Date>`max(${caseTasks.doneAt})` })
      .from(caseTasks)
      .innerJoin(caseStudents, eq(caseStudents.caseId, caseTasks.caseId))
      .where(and(eq(caseTasks.kind, 'check_in'), isNotNull(caseTasks.doneAt), inArray(caseStudents.studentId, ids)))
      .groupBy(caseStudents.studentId);
    const contacts = new Map<string, string>();
    for (const c of [...contactRows, ...checkInRows]) {
      const day = districtDay(new Date(c.last), timeZone);
      if (day > (contacts.get(c.studentId) ?? '')) contacts.set(c.studentId, day);
    }
    // A referral sent and not yet closed means someone outside the school is taking the student on.
    const referred = new Set(
      (
        await tx
          .select({ studentId: referrals.studentId })
          .from(referrals)
          .where(and(inArray(referrals.studentId, ids), isNull(referrals.closedAt), ne(referrals.status, 'draft')))
      ).map((r) => r.studentId),
    );
    const people = await tx
      .select({
        id: students.id,
        firstName: students.firstName,
        lastName: students.lastName,
        grade: students.grade,
        localId: students.localId,
        schoolId: students.schoolId,
        school: schools.name,
      })
      .from(students)
      .innerJoin(schools, eq(schools.id, students.schoolId))
      .where(and(inArray(students.id, ids), eq(students.active, true), inScope(students.schoolId)));
    const entries = people
      .map((p) => {
        const entry = queueEntry(
          { reasons: reasons.get(p.id) ?? [], hasActivePlan: active.has(p.id), hasOpenReferral: referred.has(p.id), lastContactOn: contacts.get(p.id) ?? null },
          todayDay,
          contactDays,
        );
        return entry ? { student: p, ...entry } : null;
      })
      .filter((e): e is NonNullable<typeof e> => e !== null)
      .sort((a, b) => b.waitedDays - a.waitedDays);
    const bySchool = [...new Set(entries.map((e) => e.student.school))].map((school) => {
      const waits = entries
        .filter((e) => e.student.school === school)
        .map((e) => e.waitedDays)
        .sort((a, b) => a - b);
      return { school, waiting: waits.length, medianDays: waits[Math.floor((waits.length - 1) / 2)] ?? 0, longestDays: waits.at(-1) ?? 0 };
    });
    // Every student on the queue is a name seen: one access-log row each, written in one INSERT.
    const shown = entries.flatMap(({ student }) => {
      const grant = allowingGrant(actor, 'plan.read', { schoolId: student.schoolId });
      return grant ? [{ studentId: student.id, basis: { grant, school: student.school } }] : [];
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'support_queue', shown, {
      action: 'support.queue_read',
      subjectType: 'support_queue',
      detail: { entries: entries.length },
    });
    return { entries, bySchool };
  });
}

/** A counselor's caseload: plans they are responsible for (reviews due), their open case tasks, groups. */
export async function caseload(deps: Deps, actor: Actor) {
  if (!can(actor, 'support.queue', null)) throw notFound('The caseload');
  return withTenant(deps.db.app, actor, async (tx) => {
    const { timeZone } = await supportSettings(tx, actor.districtId);
    const todayDay = districtDay(deps.clock.now(), timeZone);
    const plans = await tx
      .select({ plan: supportPlans, firstName: students.firstName, lastName: students.lastName, grade: students.grade, school: schools.name })
      .from(supportPlans)
      .innerJoin(students, eq(students.id, supportPlans.studentId))
      .innerJoin(schools, eq(schools.id, supportPlans.schoolId))
      .where(and(eq(supportPlans.responsibleUserId, actor.userId), eq(supportPlans.status, 'active')))
      .orderBy(asc(supportPlans.nextReviewOn));
    const tasks = await tx
      .select({
        id: caseTasks.id,
        caseId: caseTasks.caseId,
        kind: caseTasks.kind,
        title: caseTasks.title,
        dueAt: caseTasks.dueAt,
        schoolId: cases.schoolId,
        school: schools.name,
        assignedUserIds: cases.assignedUserIds,
      })
      .from(caseTasks)
      .innerJoin(cases, eq(cases.id, caseTasks.caseId))
      .leftJoin(schools, eq(schools.id, cases.schoolId))
      .where(and(eq(caseTasks.ownerUserId, actor.userId), isNull(caseTasks.doneAt)))
      .orderBy(asc(caseTasks.dueAt))
      .limit(100);
    // A task names the student it is for, when the reader may read the case: by a role at its
    // school, else as one of the team assigned to it (the basis each name is logged with).
    const taskBasis = new Map(
      tasks.map((task) => {
        const grant = allowingGrant(actor, 'case.read', { schoolId: task.schoolId, assignedUserIds: [], breakGlass: false });
        const assigned = allowingGrant(actor, 'case.read', { schoolId: task.schoolId, assignedUserIds: task.assignedUserIds, breakGlass: false });
        const basis: ShownBasis | null = grant ? { grant, school: task.school ?? '' } : assigned ? { named: 'case_assigned' } : null;
        return [task.caseId, basis] as const;
      }),
    );
    const readable = [...taskBasis].filter(([, basis]) => basis).map(([caseId]) => caseId);
    const taskStudents = readable.length
      ? await tx
          .select({ caseId: caseStudents.caseId, studentId: caseStudents.studentId, firstName: students.firstName, lastName: students.lastName })
          .from(caseStudents)
          .innerJoin(students, eq(students.id, caseStudents.studentId))
          .where(inArray(caseStudents.caseId, readable))
          .orderBy(asc(students.lastName), asc(students.firstName))
      : [];
    // Positive screens waiting for follow-up at the counselor's schools.
    const scope = supportSchools(actor);
    const followUps = await tx
      .select({
        id: screeningResults.id,
        studentId: screeningResults.studentId,
        instrumentId: screeningResults.instrumentId,
        band: screeningResults.band,
        dueOn: screeningResults.followUpDueOn,
        firstName: students.firstName,
        lastName: students.lastName,
        schoolId: screeningResults.schoolId,
        school: schools.name,
      })
      .from(screeningResults)
      .innerJoin(students, eq(students.id, screeningResults.studentId))
      .innerJoin(schools, eq(schools.id, screeningResults.schoolId))
      .where(
        and(
          isNotNull(screeningResults.followUpDueOn),
          isNull(screeningResults.followedUpAt),
          scope === 'all' ? sql`true` : inArray(screeningResults.schoolId, scope),
        ),
      )
      .orderBy(asc(screeningResults.followUpDueOn))
      .limit(100);
    const groups = new Map<string, { code: string; name: string; members: string[] }>();
    for (const { plan, firstName, lastName } of plans) {
      for (const i of plan.interventions) {
        const group = groups.get(i.code) ?? { code: i.code, name: i.name, members: [] };
        group.members.push(`${firstName} ${lastName}`);
        groups.set(i.code, group);
      }
    }
    // The plans (and the groups made of them) and the follow-ups name students: one access-log row
    // per student. A plan's responsible person sees it even without a role at its school.
    const shown = [
      ...plans.map(({ plan, school }) => {
        const grant = allowingGrant(actor, 'plan.read', { schoolId: plan.schoolId });
        return { studentId: plan.studentId, basis: grant ? { grant, school } : { named: 'plan_responsible' as const } };
      }),
      ...followUps.flatMap((f) => {
        const grant = allowingGrant(actor, 'plan.read', { schoolId: f.schoolId });
        return grant ? [{ studentId: f.studentId, basis: { grant, school: f.school } }] : [];
      }),
      ...taskStudents.flatMap((n) => {
        const basis = taskBasis.get(n.caseId);
        return basis ? [{ studentId: n.studentId, basis, records: [n.caseId] }] : [];
      }),
    ];
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'caseload', shown, {
      action: 'caseload.read',
      subjectType: 'caseload',
      detail: { plans: plans.length, followUps: followUps.length, tasks: tasks.length },
    });
    return {
      plans: plans.map(({ plan, firstName, lastName, grade }) => ({
        id: plan.id,
        studentId: plan.studentId,
        student: `${firstName} ${lastName}`,
        grade,
        tier: plan.tier,
        nextReviewOn: plan.nextReviewOn,
        reviewOverdue: plan.nextReviewOn < todayDay,
      })),
      tasks: tasks.map((t) => ({
        id: t.id,
        caseId: t.caseId,
        kind: t.kind,
        title: t.title,
        words: readTaskTitle(t.title),
        dueAt: t.dueAt.toISOString(),
        overdue: t.dueAt < deps.clock.now(),
        students: taskStudents.filter((n) => n.caseId === t.caseId).map((n) => ({ id: n.studentId, name: `${n.firstName} ${n.lastName}` })),
      })),
      followUps: followUps.map((f) => ({
        id: f.id,
        studentId: f.studentId,
        student: `${f.firstName} ${f.lastName}`,
        instrumentId: f.instrumentId,
        band: f.band,
        dueOn: f.dueOn as string,
        overdue: (f.dueOn as string) < todayDay,
      })),
      groups: [...groups.values()].filter((g) => g.members.length > 1 || g.code === 'counseling_group'),
    };
  });
}

/** Overdue reviews alert the responsible staff member once a day (worker). */
export async function remindOverdueReviews(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  const due = await deps.db.system
    .select({ plan: supportPlans, email: users.email, timeZone: districts.timeZone })
    .from(supportPlans)
    .innerJoin(users, eq(users.id, supportPlans.responsibleUserId))
    .innerJoin(districts, eq(districts.id, supportPlans.districtId))
    .where(and(eq(supportPlans.status, 'active'), lt(supportPlans.nextReviewOn, addDays(now.toISOString().slice(0, 10), 1))))
    .limit(100);
  let sent = 0;
  for (const { plan, email, timeZone } of due) {
    const todayDay = districtDay(now, timeZone);
    if (plan.nextReviewOn >= todayDay || plan.reviewRemindedOn === todayDay) continue;
    // Marked and queued together: the reminder is sent (or listed for the administrators as failed), never dropped.
    await deps.db.system.transaction(async (tx) => {
      await tx.update(supportPlans).set({ reviewRemindedOn: todayDay }).where(eq(supportPlans.id, plan.id));
      await deps.live.publish(tx, { userIds: [plan.responsibleUserId], type: 'plan.review_overdue', data: { planId: plan.id, studentId: plan.studentId } });
      await enqueueMessage(deps, tx, {
        districtId: plan.districtId,
        purpose: 'plan.review_overdue',
        message: {
          kind: 'email',
          to: email,
          subject: 'Haven: a support plan review is overdue',
          text: `A support plan you are responsible for was due for review on ${plan.nextReviewOn}. Open it: ${deps.settings.publicUrl}/students/${plan.studentId}`,
        },
      });
    });
    sent += 1;
  }
  return sent;
}
