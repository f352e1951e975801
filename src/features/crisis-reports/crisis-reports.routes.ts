import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorLabel } from '../../access/actor.ts';
import { actorOf } from '../../access/authenticate.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { sendMessage } from './conversation.service.ts';
import {
  alertStream,
  closeReport,
  figuresQuery,
  idParams,
  listQuery,
  messageSent,
  noContent,
  reportAcknowledged,
  reportAction,
  reportCreated,
  reportFigures,
  reportList,
  reportView,
  staffMessage,
  staffReportInput,
} from './crisis-reports.schema.ts';
import { acknowledgeReport, closeReport as close, listReports, openReport, recordAction } from './handling.service.ts';
import { receiveReport } from './intake.service.ts';
import { reportMetrics } from './report-metrics.service.ts';

const tags = ['Crisis reports'];

/** The crisis team's side: inbox, the report, acknowledge, act, talk to the reporter, close, figures, live alerts. */
export function registerCrisisReportRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/reports',
    {
      schema: {
        tags,
        summary: 'Reports for your schools',
        querystring: listQuery,
        response: { 200: reportList },
      },
    },
    async (request) => listReports(deps, actorOf(request), request.query),
  );

  api.get(
    '/api/v1/reports/metrics',
    {
      schema: {
        tags,
        summary: 'Time to acknowledge and to first action (median, 90th percentile)',
        querystring: figuresQuery,
        response: { 200: reportFigures },
      },
    },
    async (request) => reportMetrics(deps, actorOf(request), request.query.days),
  );

  api.post(
    '/api/v1/reports/staff',
    {
      schema: {
        tags,
        summary: 'Record a report taken by phone, in person, from a teacher, or from the state tip line',
        body: staffReportInput,
        response: { 201: reportCreated },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'report.submitAsStaff', null)) throw notFound('Report entry');
      const { channel, stateTipLineId, ...input } = request.body;
      if (channel === 'state_tip_line') {
        if (!stateTipLineId)
          throw badRequest('Give the state tip line report ID.', {
            code: 'tip_line_id_required',
            es: 'Indique el número de reporte de la línea estatal de denuncias.',
          });
        if (input.description)
          throw badRequest(
            'Record only the state tip line report ID here: its contents may not be copied outside the state system (C.R.S. 24-31-607). Add your own actions as notes on the report.',
            {
              code: 'tip_line_contents_not_copied',
              es: 'Registre aquí solo el número de reporte de la línea estatal de denuncias: su contenido no puede copiarse fuera del sistema estatal (C.R.S. 24-31-607). Agregue sus propias acciones como notas en el reporte.',
            },
          );
        input.description = `State tip line report ${stateTipLineId} (contents stay in the state system)`;
      } else if (!input.description) {
        throw badRequest('Describe what was reported.', { code: 'report_description_required', es: 'Describa lo que se reportó.' });
      }
      // A staff member reports into their own district only: the school is looked up there, never in
      // another district that happens to use the same code (or whose code was typed by mistake).
      const [home] = await deps.db.system.select({ slug: districts.slug }).from(districts).where(eq(districts.id, actor.districtId));
      input.district = home?.slug;
      const received = await receiveReport(deps, channel, input, { enteredByUserId: actor.userId, enteredByLabel: actorLabel(actor), stateTipLineId });
      return reply.code(201).send({ id: received.id, followUpCode: received.followUpCode });
    },
  );

  api.get(
    '/api/v1/reports/:id',
    { schema: { tags, summary: 'One report with its conversation and alert timeline (audited)', params: idParams, response: { 200: reportView } } },
    async (request) => openReport(deps, actorOf(request), request.params.id),
  );

  api.post(
    '/api/v1/reports/:id/acknowledge',
    { schema: { tags, summary: 'I have this report: stops the escalation', params: idParams, response: { 200: reportAcknowledged } } },
    async (request) => acknowledgeReport(deps, actorOf(request), request.params.id),
  );

  api.post(
    '/api/v1/reports/:id/actions',
    { schema: { tags, summary: 'Record a step of the response', params: idParams, body: reportAction, response: { 204: noContent } } },
    async (request, reply) => {
      await recordAction(deps, actorOf(request), request.params.id, request.body.action, request.body.note);
      return reply.code(204).send();
    },
  );

  api.post(
    '/api/v1/reports/:id/messages',
    { schema: { tags, summary: 'Write to the reporter, or add a team note', params: idParams, body: staffMessage, response: { 201: messageSent } } },
    async (request, reply) => {
      await sendMessage(deps, actorOf(request), request.params.id, request.body.body, request.body.direction);
      return reply.code(201).send({ status: 'sent' });
    },
  );

  api.post(
    '/api/v1/reports/:id/close',
    { schema: { tags, summary: 'Close with a disposition; nothing is deleted', params: idParams, body: closeReport, response: { 204: noContent } } },
    async (request, reply) => {
      await close(deps, actorOf(request), request.params.id, request.body.disposition, request.body.note);
      return reply.code(204).send();
    },
  );

  // The stream is written by hand (hijacked), so its schema documents the answer without serializing it.
  app.get(
    '/api/v1/alerts/stream',
    { schema: { tags, summary: 'Live alerts (server-sent events) for the signed-in person', response: { 200: alertStream } } },
    async (request, reply) => {
      const actor = actorOf(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write(`event: ready\ndata: {}\n\n`);
      const unsubscribe = deps.live.subscribe(actor.userId, (event) => {
        raw.write(`event: ${event.type}\ndata: ${JSON.stringify(event.data)}\n\n`);
      });
      // A comment every 25 s keeps proxies from closing an idle stream.
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), 25_000);
      request.raw.on('close', () => {
        clearInterval(keepAlive);
        unsubscribe();
      });
    },
  );
}
