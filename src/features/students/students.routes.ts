import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import { toCsv } from '../../platform/csv.ts';
import type { Deps } from '../../platform/deps.ts';
import { accessLogCsv, accessLogPage } from './access-log.print.ts';
import { exportAccessLog, studentAccessLog } from './access-log.service.ts';
import {
  accessLogAnswer,
  accessLogExportAnswer,
  accessLogExportQuery,
  accessLogQuery,
  idParams,
  studentListResponse,
  studentResponse,
  studentSearchQuery,
} from './students.schema.ts';
import { findStudents, openStudent } from './students.service.ts';

const tags = ['Students'];

export function registerStudentRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/v1/students',
    { schema: { tags, summary: 'Search the students you work with', querystring: studentSearchQuery, response: { 200: studentListResponse } } },
    async (request) => findStudents(deps, actorOf(request), request.query),
  );

  api.get(
    '/api/v1/students/:id',
    { schema: { tags, summary: "Open a student's record (audited)", params: idParams, response: { 200: studentResponse } } },
    async (request) => openStudent(deps, actorOf(request), request.params.id),
  );

  api.get(
    '/api/v1/students/:id/access-log',
    {
      schema: {
        tags,
        summary: "Who looked at a student's record, when and why (FERPA 34 CFR 99.32), in words (?lang=en|es); ?format=csv for the raw log",
        params: idParams,
        querystring: accessLogQuery,
        response: { 200: accessLogAnswer },
      },
    },
    async (request, reply) => {
      const log = await studentAccessLog(deps, actorOf(request), request.params.id, request.query.lang);
      if (request.query.format === 'json') return log;
      const csv = toCsv(
        ['when (UTC)', 'who', 'what', 'why'],
        log.entries.map((e) => [e.at, e.actor, e.action, e.reason]),
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="access-log-${log.student.localId.replace(/[^\w-]/g, '')}.csv"`)
        .send(csv);
    },
  );

  api.get(
    '/api/v1/students/:id/access-log/export',
    {
      schema: {
        tags,
        summary:
          "A parent's copy of the access log for a period (FERPA 34 CFR 99.10, 99.32): every look and disclosure in time order, in English or Spanish, as CSV or a printable page (audited)",
        params: idParams,
        querystring: accessLogExportQuery,
        response: { 200: accessLogExportAnswer },
      },
    },
    async (request, reply) => {
      const { format, lang } = request.query;
      const { rows, facts } = await exportAccessLog(deps, actorOf(request), request.params.id, request.query);
      reply.header('cache-control', 'no-store');
      if (format === 'html') return reply.type('text/html; charset=utf-8').send(accessLogPage(rows, lang, facts));
      const name = `${facts.student.localId}-${facts.from ?? 'start'}-${facts.to}`.replace(/[^\w-]/g, '');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="access-log-${name}-${lang}.csv"`)
        .send(accessLogCsv(rows, lang, facts.timeZone));
    },
  );
}
