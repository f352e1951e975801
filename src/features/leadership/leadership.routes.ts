import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import { can } from '../../access/policy.ts';
import { toCsv } from '../../platform/csv.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { addPosition, capacityView, removePosition } from './capacity.service.ts';
import { equityPath } from './equity.service.ts';
import { equityCsvHeader, equityCsvRows } from './equity-view.rules.ts';
import { addAllocation, addSource, addSpending, fundingView } from './funding.service.ts';
import {
  acknowledged,
  actionDone,
  actionInput,
  allocationInput,
  assessmentInput,
  attendanceImported,
  capacityReport,
  createdId,
  equityReport,
  formatQuery,
  fundingReport,
  idParams,
  orCsv,
  policyInput,
  policyList,
  positionInput,
  positionRemoved,
  refreshed,
  selfAssessmentReport,
  sourceInput,
  spendingInput,
  studentSessionInput,
  trainingInput,
  trainingReport,
  versionAdded,
  versionInput,
} from './leadership.schema.ts';
import { acknowledge, addPolicy, addVersion, listPolicies } from './policies.service.ts';
import { dropRollups } from './rollups.service.ts';
import { addAction, completeAction, recordAssessment, selfAssessment } from './self-assessment.service.ts';
import { addStudentSession, addTraining, importAttendance, trainingCoverage } from './training.service.ts';

const tags = ['Leadership'];
const round = (n: number | null | undefined, digits = 3) => (n === null || n === undefined ? '' : Number(n.toFixed(digits)));

/** District leadership dashboards: aggregates only, small groups suppressed on the server; every one exports CSV. */
export function registerLeadershipRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/leadership/capacity',
    {
      schema: {
        tags,
        summary: 'Need against capacity per school, and partner capacity by service type (?format=csv)',
        querystring: formatQuery,
        response: { 200: orCsv(capacityReport, 'Need against capacity') },
      },
    },
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
    { schema: { tags, summary: 'Add a staff position (FTE and caseload)', body: positionInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addPosition(deps, actorOf(request), request.body)),
  );
  api.delete(
    '/api/v1/leadership/positions/:id',
    { schema: { tags, summary: 'Remove a staff position', params: idParams, response: { 200: positionRemoved } } },
    async (request) => removePosition(deps, actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/leadership/funding',
    {
      schema: {
        tags,
        summary: 'Funding sources with burn-down, deadline alerts and what loses funding (?format=csv)',
        querystring: formatQuery,
        response: { 200: orCsv(fundingReport, 'Funding sources') },
      },
    },
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
  api.post(
    '/api/v1/leadership/funding',
    { schema: { tags, summary: 'Add a funding source', body: sourceInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addSource(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/funding/:id/allocations',
    { schema: { tags, summary: 'Allocate part of a source to what it pays for', params: idParams, body: allocationInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addAllocation(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/leadership/funding/:id/spending',
    { schema: { tags, summary: 'Record spending from a source', params: idParams, body: spendingInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addSpending(deps, actorOf(request), request.params.id, request.body)),
  );
  api.get(
    '/api/v1/leadership/training',
    {
      schema: {
        tags,
        summary: 'Training coverage per school (?format=csv)',
        querystring: formatQuery,
        response: { 200: orCsv(trainingReport, 'Training coverage') },
      },
    },
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
  api.post(
    '/api/v1/leadership/trainings',
    { schema: { tags, summary: 'Add a training', body: trainingInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addTraining(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/training-sessions',
    { schema: { tags, summary: 'Record a student awareness session (students reached)', body: studentSessionInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addStudentSession(deps, actorOf(request), request.body)),
  );
  // text/csv bodies arrive as a string (the parser is registered with the screening import).
  api.post(
    '/api/v1/leadership/training-attendance',
    {
      schema: {
        tags,
        summary: 'Import sign-in sheets as CSV: email, name, training, held_on, school',
        response: { 200: attendanceImported },
      },
    },
    async (request) => importAttendance(deps, actorOf(request), String(request.body ?? '')),
  );
  api.get(
    '/api/v1/policies',
    { schema: { tags, summary: 'The policy library: current versions, review dates, acknowledgements', response: { 200: policyList } } },
    async (request) => listPolicies(deps, actorOf(request)),
  );
  api.post(
    '/api/v1/policies',
    { schema: { tags, summary: 'Add a policy with its first version', body: policyInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addPolicy(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/policies/:id/versions',
    { schema: { tags, summary: 'Publish a new version (staff acknowledge it afresh)', params: idParams, body: versionInput, response: { 201: versionAdded } } },
    async (request, reply) => reply.code(201).send(await addVersion(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/policies/:id/acknowledge',
    { schema: { tags, summary: 'Acknowledge the current version', params: idParams, response: { 200: acknowledged } } },
    async (request) => acknowledge(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/leadership/refresh',
    { schema: { tags, summary: 'Recompute the equity and self-assessment figures now', response: { 200: refreshed } } },
    async (request) => {
      const actor = actorOf(request);
      if (!can(actor, 'leadership.manage', null)) throw notFound('Leadership');
      await dropRollups(deps, actor);
      return { refreshed: true };
    },
  );
  api.get(
    '/api/v1/leadership/self-assessment',
    {
      schema: { tags, summary: 'Quality indicators pre-filled from Haven’s data, past sittings and the action plan', response: { 200: selfAssessmentReport } },
    },
    async (request) => selfAssessment(deps, actorOf(request)),
  );
  api.post(
    '/api/v1/leadership/self-assessments',
    { schema: { tags, summary: 'Record a sitting’s scores', body: assessmentInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await recordAssessment(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/actions',
    { schema: { tags, summary: 'Add an action to the plan', body: actionInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addAction(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/leadership/actions/:id/done',
    { schema: { tags, summary: 'Mark an action done', params: idParams, response: { 200: actionDone } } },
    async (request) => completeAction(deps, actorOf(request), request.params.id),
  );
  api.get(
    '/api/v1/leadership/equity',
    {
      schema: {
        tags,
        summary: 'Each step of the funnel by group, of the students eligible for it: rates, risk ratios with 95% intervals, waits (?format=csv)',
        querystring: formatQuery,
        response: { 200: orCsv(equityReport, 'Equity along the path') },
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
