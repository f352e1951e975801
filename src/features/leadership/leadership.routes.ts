import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../access/policy.ts';
import { toCsv } from '../../platform/csv.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { addPosition, capacityView, positionInput, removePosition } from './capacity.service.ts';
import { equityPath } from './equity.service.ts';
import { equityCsvHeader, equityCsvRows } from './equity-view.rules.ts';
import { addAllocation, addSource, addSpending, allocationInput, fundingView, sourceInput, spendingInput } from './funding.service.ts';
import { acknowledge, addPolicy, addVersion, listPolicies, policyInput, versionInput } from './policies.service.ts';
import { dropRollups } from './rollups.service.ts';
import { actionInput, addAction, assessmentInput, completeAction, recordAssessment, selfAssessment } from './self-assessment.service.ts';
import { addStudentSession, addTraining, importAttendance, studentSessionInput, trainingCoverage, trainingInput } from './training.service.ts';

const tags = ['Leadership'];
const format = z.object({ format: z.enum(['json', 'csv']).default('json') });
const round = (n: number | null | undefined, digits = 3) => (n === null || n === undefined ? '' : Number(n.toFixed(digits)));

/** District leadership dashboards: aggregates only, small groups suppressed on the server; every one exports CSV. */
export function registerLeadershipRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/leadership/capacity',
    { schema: { tags, summary: 'Need against capacity per school, and partner capacity by service type (?format=csv)', querystring: format } },
    async (request, reply) => {
      const view = await capacityView(deps, actorOf(request));
      if (request.query.format === 'json') return view;
      const csv = toCsv(
        [
          'school',
          'enrollment',
          'tier2',
          'tier3',
          'open_positives',
          'open_cases',
          'reentry_plans',
          'waiting_referrals',
          'need_total',
          'caseload_capacity',
          'gap',
          'counselor_fte',
          'students_per_counselor',
          'recommended',
        ],
        view.schools.map((s) => [
          s.school,
          s.enrollment,
          ...[s.need.tier2, s.need.tier3, s.need.openPositives, s.need.openCases, s.need.reentryPlans, s.need.waitingReferrals, s.need.total].map(
            (n) => n ?? 'suppressed',
          ),
          s.capacity.caseloadCapacity,
          s.gap ?? 'suppressed',
          s.capacity.counselorFte,
          s.studentsPerCounselor ?? '',
          s.recommendedPerCounselor,
        ]),
      );
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="capacity.csv"').send(csv);
    },
  );
  api.post(
    '/api/v1/leadership/positions',
    { schema: { tags, summary: 'Add a staff position (FTE and caseload)', body: positionInput } },
    async (request, reply) => reply.code(201).send(await addPosition(deps, actorOf(request), request.body)),
  );
  api.delete(
    '/api/v1/leadership/positions/:id',
    { schema: { tags, summary: 'Remove a staff position', params: z.object({ id: z.string().max(100) }) } },
    async (request) => removePosition(deps, actorOf(request), request.params.id),
  );
  const sourceParams = z.object({ id: z.string().max(100) });
  api.get(
    '/api/v1/leadership/funding',
    { schema: { tags, summary: 'Funding sources with burn-down, deadline alerts and what loses funding (?format=csv)', querystring: format } },
    async (request, reply) => {
      const view = await fundingView(deps, actorOf(request));
      if (request.query.format === 'json') return view;
      const csv = toCsv(
        ['source', 'kind', 'award', 'allocated', 'spent', 'remaining', 'period_end', 'obligation_deadline', 'alerts'],
        view.sources.map((s) => [
          s.name,
          s.kind,
          s.awardCents / 100,
          s.allocatedCents / 100,
          s.spentCents / 100,
          s.remainingCents / 100,
          s.periodEnd,
          s.obligationDeadline,
          s.alerts.join('; '),
        ]),
      );
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="funding.csv"').send(csv);
    },
  );
  api.post('/api/v1/leadership/funding', { schema: { tags, summary: 'Add a funding source', body: sourceInput } }, async (request, reply) =>
    reply.code(201).send(await addSource(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/funding/:id/allocations',
    { schema: { tags, summary: 'Allocate part of a source to what it pays for', params: sourceParams, body: allocationInput } },
    async (request, reply) => reply.code(201).send(await addAllocation(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/leadership/funding/:id/spending',
    { schema: { tags, summary: 'Record spending from a source', params: sourceParams, body: spendingInput } },
    async (request, reply) => reply.code(201).send(await addSpending(deps, actorOf(request), request.params.id, request.body)),
  );
  api.get(
    '/api/v1/leadership/training',
    { schema: { tags, summary: 'Training coverage per school (?format=csv)', querystring: format } },
    async (request, reply) => {
      const view = await trainingCoverage(deps, actorOf(request));
      if (request.query.format === 'json') return view;
      const csv = toCsv(
        ['school', 'staff', 'staff_trained_share', 'crisis_team', 'crisis_team_trained_share', 'students_reached'],
        view.schools.map((s) => [s.school, s.staff, round(s.staffTrainedShare), s.crisisTeam, round(s.crisisTeamTrainedShare), s.studentsReached]),
      );
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="training.csv"').send(csv);
    },
  );
  api.post('/api/v1/leadership/trainings', { schema: { tags, summary: 'Add a training', body: trainingInput } }, async (request, reply) =>
    reply.code(201).send(await addTraining(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/training-sessions',
    { schema: { tags, summary: 'Record a student awareness session (students reached)', body: studentSessionInput } },
    async (request, reply) => reply.code(201).send(await addStudentSession(deps, actorOf(request), request.body)),
  );
  // text/csv bodies arrive as a string (the parser is registered with the screening import).
  app.post(
    '/api/v1/leadership/training-attendance',
    { schema: { tags, summary: 'Import sign-in sheets as CSV: email, name, training, held_on, school' } },
    async (request) => importAttendance(deps, actorOf(request), String(request.body ?? '')),
  );
  const idParams = z.object({ id: z.string().max(100) });
  api.get('/api/v1/policies', { schema: { tags, summary: 'The policy library: current versions, review dates, acknowledgements' } }, async (request) =>
    listPolicies(deps, actorOf(request)),
  );
  api.post('/api/v1/policies', { schema: { tags, summary: 'Add a policy with its first version', body: policyInput } }, async (request, reply) =>
    reply.code(201).send(await addPolicy(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/policies/:id/versions',
    { schema: { tags, summary: 'Publish a new version (staff acknowledge it afresh)', params: idParams, body: versionInput } },
    async (request, reply) => reply.code(201).send(await addVersion(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post('/api/v1/policies/:id/acknowledge', { schema: { tags, summary: 'Acknowledge the current version', params: idParams } }, async (request) =>
    acknowledge(deps, actorOf(request), request.params.id),
  );
  api.post('/api/v1/leadership/refresh', { schema: { tags, summary: 'Recompute the equity and self-assessment figures now' } }, async (request) => {
    const actor = actorOf(request);
    if (!can(actor, 'leadership.manage', null)) throw notFound('Leadership');
    await dropRollups(deps, actor);
    return { refreshed: true };
  });
  api.get(
    '/api/v1/leadership/self-assessment',
    { schema: { tags, summary: 'Quality indicators pre-filled from Haven’s data, past sittings and the action plan' } },
    async (request) => selfAssessment(deps, actorOf(request)),
  );
  api.post('/api/v1/leadership/self-assessments', { schema: { tags, summary: 'Record a sitting’s scores', body: assessmentInput } }, async (request, reply) =>
    reply.code(201).send(await recordAssessment(deps, actorOf(request), request.body)),
  );
  api.post('/api/v1/leadership/actions', { schema: { tags, summary: 'Add an action to the plan', body: actionInput } }, async (request, reply) =>
    reply.code(201).send(await addAction(deps, actorOf(request), request.body)),
  );
  api.post('/api/v1/leadership/actions/:id/done', { schema: { tags, summary: 'Mark an action done', params: idParams } }, async (request) =>
    completeAction(deps, actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/leadership/equity',
    {
      schema: {
        tags,
        summary: 'Each step of the funnel by group, of the students eligible for it: rates, risk ratios with 95% intervals, waits (?format=csv)',
        querystring: format,
      },
    },
    async (request, reply) => {
      const view = await equityPath(deps, actorOf(request));
      if (request.query.format === 'json') return view;
      const csv = toCsv(equityCsvHeader, equityCsvRows(view));
      return reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="equity.csv"').send(csv);
    },
  );
}
