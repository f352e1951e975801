import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { recordNoCauseFinding } from '../crisis-reports/index.ts';
import { caseList, caseView } from './case-view.schema.ts';
import {
  assessmentRecorded,
  breakGlassInput,
  caseMoved,
  caseOpened,
  caseScreening,
  caseScreeningInput,
  doneInput,
  dutyOpened,
  findingRecorded,
  glassBroken,
  guardianNoticeInput,
  handoffInput,
  idParams,
  linkStudentInput,
  listQuery,
  mandatoryReportInput,
  noCauseFindingInput,
  openCaseInput,
  planShared,
  printAnswer,
  printQuery,
  recordAdded,
  reentryPlanInput,
  safetyPlanInput,
  shareInput,
  staffList,
  studentLinked,
  suicideAssessmentInput,
  taskAdded,
  taskDone,
  taskInput,
  taskParams,
  teacherNoteList,
  threatAssessmentInput,
  transitionInput,
  versionParams,
} from './cases.schema.ts';
import { breakGlass, getCase, linkStudent, listCases, openCase, screenInCase, transitionCase } from './cases.service.ts';
import { confirmNoNotice, recordGuardianNotice, recordMandatoryReport, requireMandatoryReport } from './duties.service.ts';
import {
  addTask,
  completeTask,
  recordHandoff,
  recordSafetyPlan,
  recordSuicideAssessment,
  recordThreatAssessment,
  safetyPlanVersion,
  shareSafetyPlan,
} from './records.service.ts';
import { recordReentryPlan, staffToName, teacherNotes } from './reentry.service.ts';
import { safetyPlanPrintView } from './safety-plan.print.ts';

const tags = ['Crisis cases'];

export function registerCaseRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/cases',
    {
      schema: {
        tags,
        summary: 'Crisis cases: mine, my schools’, overdue, closed',
        querystring: listQuery,
        response: { 200: caseList },
      },
    },
    async (request) => listCases(deps, actorOf(request), request.query.filter),
  );
  api.post(
    '/api/v1/cases',
    { schema: { tags, summary: 'Open a case (from reports, a screening alert, or directly)', body: openCaseInput, response: { 201: caseOpened } } },
    async (request, reply) => reply.code(201).send(await openCase(deps, actorOf(request), request.body)),
  );
  api.get(
    '/api/v1/cases/:id',
    { schema: { tags, summary: 'A case with its timeline, tasks and records (audited)', params: idParams, response: { 200: caseView } } },
    async (request) => getCase(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/cases/:id/transitions',
    {
      schema: {
        tags,
        summary: 'Move the case along, close it, or reopen it with a reason',
        params: idParams,
        body: transitionInput,
        response: { 200: caseMoved },
      },
    },
    async (request) => transitionCase(deps, actorOf(request), request.params.id, request.body),
  );
  api.post(
    '/api/v1/cases/:id/students',
    { schema: { tags, summary: 'Identify a student on the case', params: idParams, body: linkStudentInput, response: { 200: studentLinked } } },
    async (request) => linkStudent(deps, actorOf(request), request.params.id, request.body.studentId),
  );
  api.post(
    '/api/v1/cases/:id/break-glass',
    {
      schema: {
        tags,
        summary: 'See a case you are not on, with a reason (audited; the team is told)',
        params: idParams,
        body: breakGlassInput,
        response: { 200: glassBroken },
      },
    },
    async (request) => breakGlass(deps, actorOf(request), request.params.id, request.body.reason),
  );

  /** A versioned record added to the case (201), answered with its id and version. */
  const record = <S extends z.ZodType>(
    path: string,
    summary: string,
    body: S,
    handler: (actorId: ReturnType<typeof actorOf>, caseId: string, input: z.infer<S>) => Promise<z.output<typeof recordAdded>>,
  ) =>
    api.post(`/api/v1/cases/:id/${path}`, { schema: { tags, summary, params: idParams, body, response: { 201: recordAdded } } }, async (request, reply) =>
      reply.code(201).send(await handler(actorOf(request), request.params.id, request.body as z.infer<S>)),
    );
  api.post(
    '/api/v1/cases/:id/suicide-assessments',
    {
      schema: {
        tags,
        summary: 'Record a SAFE-T suicide risk assessment (Haven’s suggestion is kept beside the clinician’s level)',
        params: idParams,
        body: suicideAssessmentInput,
        response: { 201: assessmentRecorded },
      },
    },
    async (request, reply) => reply.code(201).send(await recordSuicideAssessment(deps, actorOf(request), request.params.id, request.body)),
  );
  record('threat-assessments', 'Record a behavioral threat assessment', threatAssessmentInput, (a, id, b) => recordThreatAssessment(deps, a, id, b));
  record('safety-plans', 'Add a version of the Stanley-Brown safety plan', safetyPlanInput, (a, id, b) => recordSafetyPlan(deps, a, id, b));
  record('guardian-notices', 'Record the guardian notification, or a reason not to notify (an administrator confirms it)', guardianNoticeInput, (a, id, b) =>
    recordGuardianNotice(deps, a, id, b),
  );
  record('mandatory-reports', 'Record the mandatory report as made (C.R.S. 19-3-304)', mandatoryReportInput, (a, id, b) =>
    recordMandatoryReport(deps, a, id, b),
  );
  record(
    'reentry-plans',
    'Record the re-entry plan: the meeting on or before the return date; check-ins on school days, weekly for four weeks, then every two weeks through day 90',
    reentryPlanInput,
    (a, id, b) => recordReentryPlan(deps, a, id, b),
  );
  api.get(
    '/api/v1/cases/:id/staff-to-name',
    {
      schema: {
        tags,
        summary: 'Teachers and other staff of the student’s school who may be named on the re-entry plan',
        params: idParams,
        response: { 200: staffList },
      },
    },
    async (request) => staffToName(deps, actorOf(request), request.params.id),
  );
  record('handoffs', 'Record a warm hand-off (988, Colorado Crisis Services, emergency services)', handoffInput, (a, id, b) => recordHandoff(deps, a, id, b));
  api.post(
    '/api/v1/cases/:id/tasks',
    {
      schema: {
        tags,
        summary: 'Add a task with an owner and a due time (district time zone)',
        params: idParams,
        body: taskInput,
        response: { 201: taskAdded },
      },
    },
    async (request, reply) => reply.code(201).send(await addTask(deps, actorOf(request), request.params.id, request.body)),
  );

  api.post(
    '/api/v1/cases/:id/screenings',
    {
      schema: {
        tags,
        summary: "Give the ASQ (or the district's licensed C-SSRS) inside the case, to the case's student",
        params: idParams,
        body: caseScreeningInput,
        response: { 201: caseScreening },
      },
    },
    async (request, reply) => reply.code(201).send(await screenInCase(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/cases/:id/mandatory-report-duty',
    {
      schema: { tags, summary: 'Abuse or neglect is suspected: a mandatory report is due now (24 h at most)', params: idParams, response: { 201: dutyOpened } },
    },
    async (request, reply) => reply.code(201).send(await requireMandatoryReport(deps, actorOf(request), request.params.id)),
  );
  api.post(
    '/api/v1/cases/:id/guardian-notices/confirm',
    { schema: { tags, summary: 'An administrator confirms the reason not to notify the guardian', params: idParams, response: { 200: recordAdded } } },
    async (request) => confirmNoNotice(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/cases/:id/tasks/:taskId/done',
    { schema: { tags, summary: 'Mark a task done', params: taskParams, body: doneInput, response: { 200: taskDone } } },
    async (request) => completeTask(deps, actorOf(request), request.params.id, request.params.taskId, request.body.note),
  );
  api.post(
    '/api/v1/cases/:id/safety-plans/:version/share',
    {
      schema: {
        tags,
        summary: 'Record that the safety plan was shared with a guardian',
        params: versionParams,
        body: shareInput,
        response: { 200: planShared },
      },
    },
    async (request) => shareSafetyPlan(deps, actorOf(request), request.params.id, request.params.version, request.body),
  );
  api.get(
    '/api/v1/cases/:id/safety-plans/:version/print',
    {
      schema: {
        tags,
        summary: 'The safety plan on one printed page (HTML), in English or Spanish',
        params: versionParams,
        querystring: printQuery,
        response: { 200: printAnswer },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { plan, createdAt, timeZone, students } = await safetyPlanVersion(deps, actor, request.params.id, request.params.version);
      const student = students.join(', ') || '—';
      const lang = request.query.lang ?? plan.language ?? 'en';
      return reply
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(safetyPlanPrintView(lang, plan, student, createdAt, timeZone));
    },
  );
  // Registered here, beside the mandatory report it stands in for: the finding is about the duty to report.
  api.post(
    '/api/v1/reports/:id/no-cause-finding',
    {
      schema: {
        tags,
        summary: 'An administrator records a finding of no reasonable cause to suspect abuse or neglect (who, when, why; audited)',
        params: idParams,
        body: noCauseFindingInput,
        response: { 201: findingRecorded },
      },
    },
    async (request, reply) => reply.code(201).send(await recordNoCauseFinding(deps, actorOf(request), request.params.id, request.body.reasoning)),
  );
  api.get(
    '/api/v1/students/:id/teacher-notes',
    {
      schema: {
        tags,
        summary:
          'What an open re-entry plan (for staff who teach the student or are named on it) and an active support plan ask of the student’s teachers (no clinical detail)',
        params: idParams,
        response: { 200: teacherNoteList },
      },
    },
    async (request) => teacherNotes(deps, actorOf(request), request.params.id),
  );
}
