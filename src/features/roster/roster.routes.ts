import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorLabel } from '../../access/actor.ts';
import { actorOf } from '../../access/authenticate.ts';
import { can } from '../../access/policy.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { ZipRefused } from '../../platform/zip.ts';
import { importStudentCsv } from './csv-students.service.ts';
import { RosterFileError } from './oneroster-files.rules.ts';
import { RosterSyncError, syncRoster } from './rest-sync.service.ts';
import {
  dryRunQuery,
  idParams,
  importHistory,
  pastImport,
  rosterSettingsInput,
  rosterSettingsView,
  rosterSummary,
  studentCsvInput,
  studentCsvSummary,
} from './roster.schema.ts';
import { importOneRoster, readExportZip } from './roster.service.ts';
import { listRosterImports, readRosterImport } from './roster-history.service.ts';
import { changeRosterSettings, rosterSettingsFor } from './roster-settings.service.ts';

const tags = ['Roster'];
const limit = 200 * 1024 * 1024;

/** Roster import from the web app (a OneRoster export as a .zip), the REST sync and its settings, and the history: district administrators only. */
export function registerRosterRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser('application/zip', { parseAs: 'buffer', bodyLimit: limit }, (_request, body, done) => done(null, body));

  api.post(
    '/api/v1/roster/imports',
    {
      bodyLimit: limit,
      schema: {
        tags,
        summary: 'Import a OneRoster 1.1/1.2 export (.zip, application/zip); dryRun=true changes nothing',
        querystring: dryRunQuery,
        response: { 200: rosterSummary, 201: rosterSummary },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'district.configure', null)) throw notFound('Roster imports');
      if (!Buffer.isBuffer(request.body)) throw badRequest('Send the OneRoster export as a .zip file with Content-Type: application/zip.');
      let files: Map<string, string>;
      try {
        files = readExportZip(new Uint8Array(request.body));
      } catch (error) {
        if (error instanceof ZipRefused) throw badRequest(`${error.message} Nothing was imported.`);
        throw error;
      }
      try {
        const summary = await importOneRoster(deps, actor.districtId, files, {
          dryRun: request.query.dryRun === 'true',
          source: 'upload',
          by: actorLabel(actor),
        });
        return reply.code(summary.dryRun ? 200 : 201).send(summary);
      } catch (error) {
        if (error instanceof RosterFileError) throw badRequest(`${error.message}. Nothing was imported.`, { file: error.file, line: error.line });
        throw error;
      }
    },
  );

  api.post(
    '/api/v1/roster/students-csv',
    {
      bodyLimit: 50 * 1024 * 1024,
      schema: {
        tags,
        summary: 'Import students from a plain CSV through a column mapping (district administrators)',
        body: studentCsvInput,
        response: { 200: studentCsvSummary, 201: studentCsvSummary },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'district.configure', null)) throw notFound('Roster imports');
      const summary = await importStudentCsv(deps, actor.districtId, request.body.csv, request.body.mapping, {
        dryRun: request.body.dryRun,
        by: actorLabel(actor),
      });
      return reply.code(summary.dryRun ? 200 : 201).send(summary);
    },
  );

  api.get(
    '/api/v1/roster/imports',
    {
      schema: {
        tags,
        summary: 'Past roster imports and syncs: counts, and how many rows were rejected or warned about',
        response: { 200: importHistory },
      },
    },
    async (request) => listRosterImports(deps, actorOf(request)),
  );

  api.get(
    '/api/v1/roster/imports/:id',
    {
      schema: {
        tags,
        summary: 'One past import or sync with every rejected row and warning (for the CSV download)',
        params: idParams,
        response: { 200: pastImport },
      },
    },
    async (request) => readRosterImport(deps, actorOf(request), request.params.id),
  );

  api.get(
    '/api/v1/roster/settings',
    {
      schema: {
        tags,
        summary: 'The OneRoster REST source and nightly sync time (the client secret only as set or not)',
        response: { 200: rosterSettingsView },
      },
    },
    async (request) => rosterSettingsFor(deps, actorOf(request)),
  );

  api.put(
    '/api/v1/roster/settings',
    {
      schema: {
        tags,
        summary: 'Set the OneRoster REST source (base URL, token URL, client ID and secret, version), the nightly time and the ext_* mapping',
        body: rosterSettingsInput,
        response: { 200: rosterSettingsView },
      },
    },
    async (request) => changeRosterSettings(deps, actorOf(request), request.body),
  );

  api.post(
    '/api/v1/roster/syncs',
    {
      schema: {
        tags,
        summary: 'Sync the roster from the OneRoster REST source now (a delta after the first full sync); dryRun=true changes nothing',
        querystring: dryRunQuery,
        response: { 200: rosterSummary, 201: rosterSummary },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!can(actor, 'district.configure', null)) throw notFound('Roster sync');
      try {
        const summary = await syncRoster(deps, actor.districtId, { dryRun: request.query.dryRun === 'true', by: actorLabel(actor) });
        return reply.code(summary.dryRun ? 200 : 201).send(summary);
      } catch (error) {
        if (error instanceof RosterSyncError) throw badRequest(error.message);
        throw error;
      }
    },
  );
}
