import { asc, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, actorLabel, auditActor } from '../../access/actor.ts';
import { allowingGrant, can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { interventionLibrary, planEvents, planProgress, studentContacts, supportPlans } from '../../data/plans.ts';
import { defaultInterventions } from '../../data/plans.values.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { readPlanEvent } from './plan-words.rules.ts';
import { addDays, applyDecision } from './plans.rules.ts';
import type { planInput, progressInput, reviewInput } from './plans.schema.ts';

async function studentFor(tx: Transaction, actor: Actor, studentId: string, action: 'plan.read' | 'plan.write') {
  const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
  const grant = student ? allowingGrant(actor, action, { schoolId: student.schoolId }) : undefined;
  if (!student || !grant) throw notFound('That student');
  return { student, grant };
}

/** The district's time zone and how many school days without contact put a student back on the queue. */
export async function supportSettings(tx: Transaction, districtId: string) {
  const [d] = await tx.select().from(districts).where(eq(districts.id, districtId));
  if (!d) throw new Error(`district ${districtId} is not visible here; its support settings cannot be read`);
  return { timeZone: d.timeZone, contactDays: d.supportContactDays };
}

/** The district's intervention library: the defaults and what the district added. */
export async function interventionChoices(deps: Deps, actor: Actor) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const added = await tx.select().from(interventionLibrary).orderBy(asc(interventionLibrary.name));
    return [...defaultInterventions.map((i) => ({ ...i })), ...added.map((i) => ({ code: i.code, name: i.name }))];
  });
}

export async function addIntervention(deps: Deps, actor: Actor, name: string) {
  if (!can(actor, 'library.manage', null)) throw notFound('The intervention library');
  const code = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 60);
  if (!code) throw badRequest('Name the intervention.', { code: 'intervention_required', es: 'Indique la intervención.' });
  return withTenant(deps.db.app, actor, async (tx) => {
    await tx.insert(interventionLibrary).values({ id: deps.ids.uuid(), districtId: actor.districtId, code, name }).onConflictDoNothing();
    return { code, name };
  });
}

/** Creates a plan; interventions come from the library; the first review is due after the cadence. */
export async function createPlan(deps: Deps, actor: Actor, studentId: string, input: z.infer<typeof planInput>) {
  const library = new Map((await interventionChoices(deps, actor)).map((i) => [i.code, i.name]));
  for (const i of input.interventions)
    if (!library.has(i.code))
      throw badRequest(`"${i.code}" is not in the district's intervention library.`, {
        code: 'intervention_unknown',
        es: `"${i.code}" no está en la biblioteca de intervenciones del distrito.`,
      });
  return withTenant(deps.db.app, actor, async (tx) => {
    const { student } = await studentFor(tx, actor, studentId, 'plan.write');
    const id = deps.ids.uuid();
    await tx.insert(supportPlans).values({
      id,
      districtId: actor.districtId,
      studentId: student.id,
      schoolId: student.schoolId,
      tier: input.tier,
      concern: input.concern,
      goals: input.goals.map((g, i) => ({ ...g, id: `g${i + 1}` })),
      interventions: input.interventions.map((i) => ({ code: i.code, name: library.get(i.code) as string, frequency: i.frequency })),
      responsibleUserId: input.responsibleUserId ?? actor.userId,
      teacherAsks: input.teacherAsks ?? null,
      startDate: input.startDate,
      reviewEveryDays: input.reviewEveryDays,
      nextReviewOn: addDays(input.startDate, input.reviewEveryDays),
      status: 'active',
      createdAt: deps.clock.now(),
    });
    await tx.insert(planEvents).values({
      id: deps.ids.uuid(),
      districtId: actor.districtId,
      planId: id,
      at: deps.clock.now(),
      actorLabel: actorLabel(actor),
      kind: 'created',
      summary: `Tier ${input.tier} plan created.`,
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'plan.created',
      subjectType: 'support_plan',
      subjectId: id,
      studentId: student.id,
    });
    return { id };
  });
}

/** A student's plans with progress and history (audited read). */
export async function studentPlans(deps: Deps, actor: Actor, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const { student, grant } = await studentFor(tx, actor, studentId, 'plan.read');
    const plans = await tx.select().from(supportPlans).where(eq(supportPlans.studentId, student.id)).orderBy(desc(supportPlans.createdAt));
    const ids = plans.map((p) => p.id);
    const progress = ids.length ? await tx.select().from(planProgress).where(inArray(planProgress.planId, ids)).orderBy(asc(planProgress.measuredOn)) : [];
    const events = ids.length ? await tx.select().from(planEvents).where(inArray(planEvents.planId, ids)).orderBy(asc(planEvents.at)) : [];
    const rescreens = await tx
      .select({ instrumentId: screeningResults.instrumentId, score: screeningResults.score, at: screeningResults.administeredAt })
      .from(screeningResults)
      .where(eq(screeningResults.studentId, student.id))
      .orderBy(asc(screeningResults.administeredAt));
    const { timeZone } = await supportSettings(tx, actor.districtId);
    const now = districtDay(deps.clock.now(), timeZone);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'plan.read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      reason: `${grant.role.replace('_', ' ')} (support plans)`,
    });
    return {
      plans: plans.map((p) => ({
        ...p,
        createdAt: p.createdAt.toISOString(),
        closedAt: p.closedAt?.toISOString() ?? null,
        reviewOverdue: p.status === 'active' && p.nextReviewOn < now,
        // A measure dated after today (accepted before such days were refused) is not charted until its day.
        progress: progress
          .filter((r) => r.planId === p.id && r.measuredOn <= now)
          .map((r) => ({ goalId: r.goalId, measuredOn: r.measuredOn, value: r.value, note: r.note })),
        history: events
          .filter((e) => e.planId === p.id)
          .map((e) => ({ at: e.at.toISOString(), who: e.actorLabel, kind: e.kind, decision: e.decision, summary: e.summary, words: readPlanEvent(e) })),
      })),
      rescreens: rescreens.filter((r) => r.score !== null).map((r) => ({ instrumentId: r.instrumentId, score: r.score, on: r.at.toISOString().slice(0, 10) })),
    };
  });
}

/** Progress and reviews are records of what happened: a day after today (the district's) is refused, not charted. */
async function refuseFutureDay(tx: Transaction, deps: Deps, actor: Actor, day: string, rule: { en: string; es: string }) {
  const today = districtDay(deps.clock.now(), (await supportSettings(tx, actor.districtId)).timeZone);
  if (day > today)
    throw badRequest(`${rule.en}: ${day} is after today (${today}). Choose today or an earlier day.`, {
      code: 'day_in_future',
      es: `${rule.es}: ${day} es posterior a hoy (${today}). Elija hoy o un día anterior.`,
    });
}

async function planFor(tx: Transaction, actor: Actor, planId: string) {
  const [plan] = isUuid(planId) ? await tx.select().from(supportPlans).where(eq(supportPlans.id, planId)) : [];
  if (!plan || !can(actor, 'plan.write', { schoolId: plan.schoolId })) throw notFound('That plan');
  return plan;
}

export async function recordProgress(deps: Deps, actor: Actor, planId: string, input: z.infer<typeof progressInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const plan = await planFor(tx, actor, planId);
    const goal = plan.goals.find((g) => g.id === input.goalId);
    if (!goal) throw badRequest(`The plan has no goal "${input.goalId}".`, { code: 'goal_not_in_plan', es: `El plan no tiene la meta "${input.goalId}".` });
    await refuseFutureDay(tx, deps, actor, input.measuredOn, {
      en: 'A measure is recorded on the day it was taken',
      es: 'Una medición se registra el día en que se tomó',
    });
    await tx.insert(planProgress).values({
      id: deps.ids.uuid(),
      districtId: plan.districtId,
      planId: plan.id,
      goalId: goal.id,
      measuredOn: input.measuredOn,
      value: input.value,
      note: input.note ?? null,
      recordedBy: actor.userId,
    });
    await tx.insert(planEvents).values({
      id: deps.ids.uuid(),
      districtId: plan.districtId,
      planId: plan.id,
      at: deps.clock.now(),
      actorLabel: actorLabel(actor),
      kind: 'progress',
      summary: `${goal.measure}: ${input.value} on ${input.measuredOn} (target ${goal.target}).`,
    });
    await tx.insert(studentContacts).values({
      id: deps.ids.uuid(),
      districtId: plan.districtId,
      studentId: plan.studentId,
      at: deps.clock.now(),
      byUserId: actor.userId,
      note: 'progress measured',
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'plan.progress_recorded',
      subjectType: 'support_plan',
      subjectId: plan.id,
      studentId: plan.studentId,
    });
    return { recorded: true };
  });
}

/** A review meeting: continue, intensify, step down or close; the next review follows the cadence. */
export async function recordReview(deps: Deps, actor: Actor, planId: string, input: z.infer<typeof reviewInput>) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const plan = await planFor(tx, actor, planId);
    if (plan.status === 'closed')
      throw badRequest('This plan is closed; start a new one if support is needed again.', {
        code: 'plan_closed',
        es: 'Este plan está cerrado; empiece uno nuevo si vuelve a necesitarse apoyo.',
      });
    await refuseFutureDay(tx, deps, actor, input.heldOn, {
      en: 'A review is recorded once it has been held',
      es: 'Una revisión se registra una vez que se ha hecho',
    });
    const next = applyDecision(plan.tier, input.decision);
    await tx
      .update(supportPlans)
      .set({
        tier: next.tier,
        status: next.status,
        nextReviewOn: addDays(input.heldOn, plan.reviewEveryDays),
        reviewRemindedOn: null,
        closedAt: next.status === 'closed' ? deps.clock.now() : null,
      })
      .where(eq(supportPlans.id, plan.id));
    await tx.insert(planEvents).values({
      id: deps.ids.uuid(),
      districtId: plan.districtId,
      planId: plan.id,
      at: deps.clock.now(),
      actorLabel: actorLabel(actor),
      kind: 'review',
      decision: input.decision,
      summary: `Review on ${input.heldOn}: ${input.decision.replace('_', ' ')} (tier ${plan.tier} → ${next.tier}). ${input.notes}`,
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'plan.reviewed',
      subjectType: 'support_plan',
      subjectId: plan.id,
      studentId: plan.studentId,
      detail: { decision: input.decision },
    });
    return { tier: next.tier, status: next.status };
  });
}

export async function recordContact(deps: Deps, actor: Actor, studentId: string, note: string | undefined) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const { student } = await studentFor(tx, actor, studentId, 'plan.write');
    await tx
      .insert(studentContacts)
      .values({ id: deps.ids.uuid(), districtId: actor.districtId, studentId: student.id, at: deps.clock.now(), byUserId: actor.userId, note: note ?? null });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.contact_recorded',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
    });
    return { recorded: true };
  });
}
