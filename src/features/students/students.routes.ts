import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toCsv } from '../../platform/csv.ts';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { accessLogResponse, studentListResponse, studentResponse, studentSearchQuery } from './students.schema.ts';
import { findStudents, openStudent, studentAccessLog } from './students.service.ts';

const tags = ['Students'];
const idParams = z.object({ id: z.string().max(100) });

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
        summary: "Who looked at a student's record, when and why (FERPA 34 CFR 99.32); ?format=csv for a parent's request",
        params: idParams,
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
        response: { 200: accessLogResponse.or(z.string()) },
      },
    },
    async (request, reply) => {
      const log = await studentAccessLog(deps, actorOf(request), request.params.id);
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
}
