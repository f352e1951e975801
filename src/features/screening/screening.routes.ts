import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { auditActor } from '../../access/actor.ts';
import { actorOf } from '../../access/authenticate.ts';
import { can } from '../../access/policy.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, HttpProblem, notFound, requestLanguage } from '../../platform/errors.ts';
import { printableNotices, recordConsent, recordStaffResult, sendNotices } from './consent.service.ts';
import { windowDashboard } from './dashboard.service.ts';
import { instrumentDefinition, validatedAges } from './definition.schema.ts';
import { releaseHold } from './hold.service.ts';
import { importResults } from './import.service.ts';
import { registerInstrumentPages } from './instrument-page.routes.ts';
import { InvalidDefinition, importInstrument, instrumentNotFound, instrumentsFor } from './instruments.service.ts';
import { noticePrintView } from './notice.print.ts';
import { markStudents, printClassCodes, setProctorClasses, windowProctors } from './proctor.service.ts';
import { followUpQueue, recordFollowUp, studentResultsAsFhir, studentScreeningHistory } from './results.service.ts';
import {
  classCodeSheet,
  classParams,
  consentInput,
  consentRecorded,
  createdId,
  definitionInput,
  fhirAnswer,
  followedUp,
  followUpInput,
  followUpList,
  followUpQuery,
  idParams,
  importQuery,
  importSummary,
  instrumentImported,
  instrumentList,
  issuedCode,
  markedAbsent,
  marksDone,
  marksInput,
  noContent,
  noticePrintAnswer,
  noticesSent,
  proctorClassesInput,
  proctorClassesSet,
  proctorParams,
  refusedImport,
  scoreRequest,
  scoreResponse,
  screeningHistory,
  sessionParams,
  staffResult,
  staffResultInput,
  studentBody,
  windowDashboardView,
  windowInput,
  windowList,
  windowProctorsView,
  windowRosterView,
} from './screening.schema.ts';
import { createWindow, issueCode, listWindows, markAbsent, windowRoster } from './windows.service.ts';

const tags = ['Screening'];
/** A screening export of a whole district fits well within this. */
const importLimit = 200 * 1024 * 1024;

export function registerScreeningRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  registerInstrumentPages(app);

  api.get(
    '/api/v1/instruments',
    {
      config: { access: 'public' },
      schema: { tags, summary: 'Instruments: those Haven ships, and your district’s own when signed in', response: { 200: instrumentList } },
    },
    async (request) => {
      const library = await instrumentsFor(deps, request.actor?.districtId ?? null);
      return [...library.values()].map(({ definition: d }) => ({
        id: d.id,
        version: d.version,
        name: d.name,
        title: d.title,
        respondent: d.respondent,
        minAge: validatedAges(d)?.min ?? null,
        ages: validatedAges(d),
        items: d.item.length,
        validatedLanguages: d.validatedLanguages,
        copyright: d.copyright ?? null,
      }));
    },
  );

  api.get(
    '/api/v1/instruments/:id',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'One instrument definition (FHIR-Questionnaire-shaped, with its scoring rules)',
        params: idParams,
        response: { 200: instrumentDefinition },
      },
    },
    async (request) => {
      const instrument = (await instrumentsFor(deps, request.actor?.districtId ?? null)).get(request.params.id);
      if (!instrument) throw instrumentNotFound(request.params.id);
      return instrument.definition;
    },
  );

  api.post(
    '/api/v1/instruments/:id/score',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Score answers; 200 when scorable, 422 with the same object and its errors when not. Nothing is stored.',
        params: idParams,
        body: scoreRequest,
        response: { 200: scoreResponse, 422: scoreResponse },
      },
    },
    async (request, reply) => {
      const instrument = (await instrumentsFor(deps, request.actor?.districtId ?? null)).get(request.params.id);
      if (!instrument) throw instrumentNotFound(request.params.id);
      const result = instrument.score(request.body.answers, request.body.context);
      // The errors are read by a person: in Spanish when the request asks for Spanish.
      const errors = requestLanguage(request) === 'es' ? result.errorsEs : result.errors;
      return reply.code(result.valid ? 200 : 422).send({ ...result, errors });
    },
  );

  api.post(
    '/api/v1/instruments',
    {
      schema: {
        tags,
        summary: "Import your district's own instrument definition (district administrators)",
        body: definitionInput,
        response: { 200: instrumentImported, 201: instrumentImported },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'district.configure', null)) throw notFound('The instrument library');
      try {
        const imported = await importInstrument(deps, actor.districtId, JSON.stringify(request.body, null, 2), 'definition', actor);
        return reply.code(imported.status === 'imported' ? 201 : 200).send(imported);
      } catch (error) {
        if (!(error instanceof InvalidDefinition)) throw error;
        throw new HttpProblem(400, 'The definition has problems', `Nothing was stored. ${error.errors.length} problem(s) found.`, {
          code: 'instrument_definition_invalid',
          es: `No se guardó nada. Se encontraron ${error.errors.length} problema(s) en la definición.`,
          errors: error.errors,
        });
      }
    },
  );

  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: importLimit }, (_request, body, done) => done(null, body));
  api.post(
    '/api/v1/screening/imports',
    {
      bodyLimit: importLimit,
      schema: {
        tags,
        summary: 'Import results from another survey tool (text/csv); all or nothing unless skipInvalid=true',
        querystring: importQuery,
        response: { 201: importSummary, 400: refusedImport },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'screening.manage', { schoolId: null })) throw notFound('Result imports');
      if (typeof request.body !== 'string')
        throw badRequest('Send the CSV file itself with Content-Type: text/csv.', {
          code: 'csv_body_required',
          es: 'Envíe el archivo CSV con Content-Type: text/csv.',
        });
      const summary = await importResults(deps, actor.districtId, Readable.from([request.body]), {
        instrument: request.query.instrument,
        skipInvalid: request.query.skipInvalid === 'true',
        by: auditActor(actor),
        language: requestLanguage(request),
      });
      return reply.code(summary.committed ? 201 : 400).send(summary);
    },
  );

  api.get(
    '/api/v1/screening/windows',
    { schema: { tags, summary: 'Screening windows you run, proctor or report on', response: { 200: windowList } } },
    async (request) => listWindows(deps, actorOf(request)),
  );

  api.post(
    '/api/v1/screening/windows',
    { schema: { tags, summary: 'Open a screening window', body: windowInput, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await createWindow(deps, actorOf(request), request.body)),
  );

  api.get(
    '/api/v1/screening/windows/:id/roster',
    {
      schema: {
        tags,
        summary: 'Who is eligible, consented, opted out, screened, absent, or chose not to take part (consent is per window)',
        params: idParams,
        response: { 200: windowRosterView },
      },
    },
    async (request) => windowRoster(deps, actorOf(request), request.params.id),
  );

  api.get(
    '/api/v1/screening/windows/:id/dashboard',
    {
      schema: {
        tags,
        summary: 'Participation, positives by band, alerts and follow-up rate per school',
        params: idParams,
        response: { 200: windowDashboardView },
      },
    },
    async (request) => windowDashboard(deps, actorOf(request), request.params.id),
  );

  api.post(
    '/api/v1/screening/windows/:id/codes',
    {
      schema: {
        tags,
        summary: 'Issue a one-time code for a student to start their screen (shown once)',
        params: idParams,
        body: studentBody,
        response: { 201: issuedCode },
      },
    },
    async (request, reply) => reply.code(201).send(await issueCode(deps, actorOf(request), request.params.id, request.body.studentId)),
  );

  api.post(
    '/api/v1/screening/windows/:id/absent',
    { schema: { tags, summary: 'Mark a student absent', params: idParams, body: studentBody, response: { 200: markedAbsent } } },
    async (request) => markAbsent(deps, actorOf(request), request.params.id, request.body.studentId),
  );

  api.get(
    '/api/v1/screening/windows/:id/proctors',
    {
      schema: {
        tags,
        summary: 'Proctors and their classes, the classes of the window’s schools, and who may proctor (those who run the window)',
        params: idParams,
        response: { 200: windowProctorsView },
      },
    },
    async (request) => windowProctors(deps, actorOf(request), request.params.id),
  );

  api.put(
    '/api/v1/screening/windows/:id/proctors/:userId',
    {
      schema: {
        tags,
        summary: 'Give a proctor their classes in this window (the list replaces theirs; an empty list removes them)',
        params: proctorParams,
        body: proctorClassesInput,
        response: { 200: proctorClassesSet },
      },
    },
    async (request) => setProctorClasses(deps, actorOf(request), request.params.id, request.params.userId, request.body.classIds),
  );

  api.post(
    '/api/v1/screening/windows/:id/classes/:classId/codes',
    {
      schema: {
        tags,
        summary: 'Codes for every student of a class who may be screened, to print as a table and as cards (shown once; printing again replaces them)',
        params: classParams,
        response: { 201: classCodeSheet },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .code(201)
        .send(await printClassCodes(deps, actorOf(request), request.params.id, request.params.classId)),
  );

  api.post(
    '/api/v1/screening/windows/:id/marks',
    {
      schema: {
        tags,
        summary: 'Mark several students at once: consent received, consent refused, or absent (each change audited)',
        params: idParams,
        body: marksInput,
        response: { 200: marksDone },
      },
    },
    async (request) => markStudents(deps, actorOf(request), request.params.id, request.body),
  );

  api.post(
    '/api/v1/screening/windows/:id/sessions/:sessionId/release',
    {
      schema: {
        tags,
        summary: 'Release a device held after an imminent-risk answer, once the student is with the crisis team',
        params: sessionParams,
        response: { 204: noContent },
      },
    },
    async (request, reply) => {
      await releaseHold(deps, actorOf(request), request.params.id, request.params.sessionId);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/screening/windows/:id/notices',
    { schema: { tags, summary: "E-mail the notice letter to guardians, in each guardian's language", params: idParams, response: { 200: noticesSent } } },
    async (request) => sendNotices(deps, actorOf(request), request.params.id),
  );

  api.get(
    '/api/v1/screening/windows/:id/notices/print',
    {
      schema: {
        tags,
        summary: 'Printable notice letters for families without e-mail (HTML, one per page)',
        params: idParams,
        response: { 200: noticePrintAnswer },
      },
    },
    async (request, reply) => {
      const letters = await printableNotices(deps, actorOf(request), request.params.id);
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(noticePrintView(letters));
    },
  );

  api.post(
    '/api/v1/students/:id/screening-consents',
    {
      schema: {
        tags,
        summary: 'Record consent, an opt-out, a withdrawal or the student’s own consent, for one window (an opt-out may cover the school year)',
        params: idParams,
        body: consentInput,
        response: { 201: consentRecorded },
      },
    },
    async (request, reply) => reply.code(201).send(await recordConsent(deps, actorOf(request), request.params.id, request.body)),
  );

  api.get(
    '/api/v1/students/:id/screenings',
    { schema: { tags, summary: "A student's screening history (audited)", params: idParams, response: { 200: screeningHistory } } },
    async (request) => {
      const history = await studentScreeningHistory(deps, actorOf(request), request.params.id);
      if (!history) throw notFound('That student');
      return history;
    },
  );

  api.get(
    '/api/v1/students/:id/screenings/fhir',
    {
      schema: {
        tags,
        summary: "A student's results as a FHIR Bundle of QuestionnaireResponses (audited)",
        params: idParams,
        response: { 200: fhirAnswer },
      },
    },
    async (request, reply) => reply.type('application/fhir+json').send(await studentResultsAsFhir(deps, actorOf(request), request.params.id)),
  );

  api.post(
    '/api/v1/students/:id/screenings',
    {
      schema: {
        tags,
        summary: 'Record a screen given by staff: a teacher-rated SRSS-IE, a paper screen, or an emergency ASQ after a disclosure',
        params: idParams,
        body: staffResultInput,
        response: { 201: staffResult },
      },
    },
    async (request, reply) => reply.code(201).send(await recordStaffResult(deps, actorOf(request), request.params.id, request.body)),
  );

  api.get(
    '/api/v1/screening/follow-ups',
    {
      schema: {
        tags,
        summary: 'Positive screens waiting for follow-up, oldest due first',
        querystring: followUpQuery,
        response: { 200: followUpList },
      },
    },
    async (request) => followUpQueue(deps, actorOf(request), { includeDone: request.query.includeDone === 'true' }),
  );

  api.post(
    '/api/v1/screening/results/:id/follow-up',
    { schema: { tags, summary: 'Record the follow-up of a positive screen', params: idParams, body: followUpInput, response: { 200: followedUp } } },
    async (request) => recordFollowUp(deps, actorOf(request), request.params.id, request.body.note),
  );
}
