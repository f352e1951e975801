import { desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { actionItems, selfAssessments } from '../../data/leadership.ts';
import type { Transaction } from '../../platform/db/client.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { districtTimeZone } from '../districts/index.ts';
import type { actionInput, assessmentInput } from './leadership.schema.ts';
import { rollup } from './rollups.service.ts';
import { domains, indicators, type Measure, suggestedScore } from './self-assessment.values.ts';
import { trainingBySchool, trainingShares } from './training.service.ts';

/**
 * Each measurable indicator as a share (0–1) over the last year, from what actually happened, on
 * the district's calendar day `today`. The two training figures are the Training tab's: they once
 * counted every crisis-team member (the district team included) and only teachers as "staff",
 * while the Training tab counts school teams and all school staff; in the demo district the
 * self-assessment said 75% of the crisis team and 100% of staff were trained where the Training
 * tab said 100% and 75%.
 */
async function measure(tx: Transaction, today: string): Promise<Record<Measure, number | null>> {
  const since = sql`${today}::date - 365`;
  const share = (n: unknown, d: unknown) => (Number(d) > 0 ? Number(n) / Number(d) : null);
  const [r] = (
    await tx.execute(sql`select
      (select count(*) from students where active) as enrolled,
      (select count(distinct student_id) from screening_results where administered_at >= ${since}) as screened,
      (select count(*) from screening_results where follow_up_due_on is not null and administered_at >= ${since}) as positives,
      (select count(*) from screening_results where follow_up_due_on is not null and administered_at >= ${since} and followed_up_at::date <= follow_up_due_on) as in_time,
      (select count(*) from partner_organizations) as partners,
      (select count(distinct organization_id) from partner_agreements where starts_on <= ${today}::date and ends_on >= ${today}::date) as agreed,
      (select count(*) from schools) as schools,
      (select count(distinct school_id) from staff_positions) as staffed,
      (select count(*) from referrals where requested_at >= ${since}) as referred,
      (select count(*) from referrals where requested_at >= ${since} and first_seen_at is not null) as seen,
      (select count(*) from support_plans where status = 'active') as plans,
      (select count(distinct plan_id) from plan_progress pp join support_plans p on p.id = pp.plan_id where p.status = 'active') as monitored,
      (select count(*) from cases where status = 'closed' and closed_at >= ${since}) as closed_cases,
      (select count(distinct c.id) from cases c join case_records r on r.case_id = c.id where c.status = 'closed' and c.closed_at >= ${since} and r.kind = 'reentry_plan') as with_reentry,
      (select count(distinct kind) from funding_sources where period_end >= ${today}::date) as streams,
      (select count(*) from (select distinct on (student_id) student_id, instrument_id, score, administered_at from screening_results
         where follow_up_due_on is not null and administered_at >= ${since} order by student_id, administered_at) p
         where exists (select 1 from screening_results l where l.student_id = p.student_id and l.instrument_id = p.instrument_id and l.administered_at > p.administered_at)) as rescreened,
      (select count(*) from (select distinct on (student_id) student_id, instrument_id, score, administered_at from screening_results
         where follow_up_due_on is not null and administered_at >= ${since} order by student_id, administered_at) p
         where (select l.score from screening_results l where l.student_id = p.student_id and l.instrument_id = p.instrument_id and l.administered_at > p.administered_at
                order by l.administered_at desc limit 1) < p.score) as improved`)
  ).rows as Record<string, unknown>[];
  const v = r ?? {};
  // The Training tab's district totals, from the same query: the two figures cannot drift apart.
  const training = trainingShares(await trainingBySchool(tx, today));
  return {
    crisis_team_trained: training.crisisTeamTrainedShare,
    partners_with_agreement: share(v.agreed, v.partners),
    staffing_recorded: share(v.staffed, v.schools),
    screening_coverage: share(v.screened, v.enrolled),
    positives_followed_in_time: share(v.in_time, v.positives),
    staff_reporting_trained: training.staffTrainedShare,
    referrals_seen: share(v.seen, v.referred),
    plans_monitored: share(v.monitored, v.plans),
    reentry_plans_done: share(v.with_reentry, v.closed_cases),
    funding_streams: Math.min(1, Number(v.streams) / 4),
    improved_on_rescreen: share(v.improved, v.rescreened),
  };
}

/** The measures for one district, for the rollup (the worker's and the first view's). */
export const measureFor = (deps: Deps, scope: { districtId: string; userId: string | null }) =>
  withTenant(deps.db.app, scope, async (tx) => {
    return measure(tx, districtDay(deps.clock.now(), await districtTimeZone(tx, scope.districtId)));
  });

const measuresOf = (deps: Deps, actor: Actor) => rollup(deps, actor, 'self_assessment', () => measureFor(deps, actor));

/** The indicators with Haven's measured values and suggested scores, past sittings, and the action plan. */
export async function selfAssessment(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('The self-assessment');
  const { computedAt, payload: measured } = await measuresOf(deps, actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    const today = deps.clock.now().toISOString().slice(0, 10);
    const history = await tx.select().from(selfAssessments).orderBy(desc(selfAssessments.heldOn)).limit(12);
    const actions = await tx.select().from(actionItems).orderBy(actionItems.dueOn);
    return {
      computedAt: computedAt.toISOString(),
      indicators: indicators.map((i) => {
        const value = i.measure ? measured[i.measure] : null;
        return { ...i, measured: value, suggested: value === null ? null : suggestedScore(value) };
      }),
      history: history.map((h) => ({
        id: h.id,
        heldOn: h.heldOn,
        domains: domains.map((domain) => {
          const scores = h.scores.filter((s) => indicators.find((i) => i.id === s.indicatorId)?.domain === domain).map((s) => s.score);
          return { domain, average: scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10 : null };
        }),
      })),
      actions: actions.map((a) => ({
        id: a.id,
        indicatorId: a.indicatorId,
        action: a.action,
        owner: a.owner,
        dueOn: a.dueOn,
        done: a.doneAt !== null,
        overdue: a.doneAt === null && a.dueOn < today,
      })),
    };
  });
}

/** Records a sitting: the team's scores, with the measured value of the day kept beside each. */
export async function recordAssessment(deps: Deps, actor: Actor, input: z.infer<typeof assessmentInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('The self-assessment');
  const unknown = input.scores.filter((s) => !indicators.some((i) => i.id === s.indicatorId));
  if (unknown.length)
    throw badRequest(`Unknown indicator: ${unknown.map((s) => s.indicatorId).join(', ')}.`, {
      code: 'indicator_unknown',
      es: `Indicador desconocido: ${unknown.map((s) => s.indicatorId).join(', ')}.`,
    });
  const { payload: measured } = await measuresOf(deps, actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    const id = deps.ids.uuid();
    const scores = input.scores.map((s) => {
      const m = indicators.find((i) => i.id === s.indicatorId)?.measure;
      return { indicatorId: s.indicatorId, score: s.score, measured: m ? measured[m] : null, note: s.note ?? null };
    });
    await tx.insert(selfAssessments).values({ id, districtId: actor.districtId, heldOn: input.heldOn, scores, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'leadership.self_assessment_recorded',
      subjectType: 'self_assessment',
      subjectId: id,
    });
    return { id };
  });
}

export async function addAction(deps: Deps, actor: Actor, input: z.infer<typeof actionInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('The action plan');
  if (input.indicatorId && !indicators.some((i) => i.id === input.indicatorId))
    throw badRequest('Unknown indicator.', { code: 'indicator_unknown', es: 'Indicador desconocido.' });
  return withTenant(deps.db.app, actor, async (tx) => {
    const id = deps.ids.uuid();
    await tx.insert(actionItems).values({ id, districtId: actor.districtId, ...input, indicatorId: input.indicatorId ?? null, createdAt: deps.clock.now() });
    return { id };
  });
}

export async function completeAction(deps: Deps, actor: Actor, id: string) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('The action plan');
  return withTenant(deps.db.app, actor, async (tx) => {
    const done = isUuid(id)
      ? await tx.update(actionItems).set({ doneAt: deps.clock.now() }).where(eq(actionItems.id, id)).returning({ id: actionItems.id })
      : [];
    if (done.length === 0) throw notFound('That action');
    return { done: true };
  });
}
