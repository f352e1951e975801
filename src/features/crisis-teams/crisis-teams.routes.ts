import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import {
  createdId,
  createdShifts,
  escalationSettingsInput,
  escalationSettingsView,
  newMember,
  newOverride,
  newShift,
  newTeam,
  noContent,
  rotaQuery,
  shiftParams,
  teamList,
  teamParams,
  teamRotaView,
} from './crisis-teams.schema.ts';
import { addMember, addOverride, addShifts, createTeam, getEscalationSettings, listTeams, removeShift, setEscalationSettings } from './crisis-teams.service.ts';
import { teamRota } from './rota.service.ts';

const tags = ['Crisis teams'];

/** Crisis teams, their members and rota, who is on call now, and the escalation chain's waits. */
export function registerCrisisTeamRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/v1/crisis-teams',
    { schema: { tags, summary: 'Teams with members, rota and who is on call now', response: { 200: teamList } } },
    async (request) => listTeams(deps, actorOf(request)),
  );
  api.get(
    '/api/v1/crisis-teams/:teamId/rota',
    {
      schema: {
        tags,
        summary: "A week of the team's on-call cover in the district's time zone, with overrides and gaps (?week=any day of the week)",
        params: teamParams,
        querystring: rotaQuery,
        response: { 200: teamRotaView },
      },
    },
    async (request) => teamRota(deps, actorOf(request), request.params.teamId, request.query.week),
  );
  api.post(
    '/api/v1/crisis-teams',
    { schema: { tags, summary: 'Create a school or district crisis team', body: newTeam, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await createTeam(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/members',
    { schema: { tags, summary: 'Add a member (staff user or named person)', params: teamParams, body: newMember, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addMember(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/shifts',
    { schema: { tags, summary: 'Add weekly on-call shifts', params: teamParams, body: newShift, response: { 201: createdShifts } } },
    async (request, reply) => reply.code(201).send(await addShifts(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.delete(
    '/api/v1/crisis-teams/:teamId/shifts/:shiftId',
    { schema: { tags, summary: 'Remove a weekly shift', params: shiftParams, response: { 204: noContent } } },
    async (request, reply) => {
      await removeShift(deps, actorOf(request), request.params.teamId, request.params.shiftId);
      return reply.code(204).send();
    },
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/overrides',
    { schema: { tags, summary: 'Add a dated on-call override', params: teamParams, body: newOverride, response: { 201: createdId } } },
    async (request, reply) => reply.code(201).send(await addOverride(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.get(
    '/api/v1/escalation-settings',
    { schema: { tags, summary: 'Waits per step and urgency; alert hours', response: { 200: escalationSettingsView } } },
    async (request) => getEscalationSettings(deps, actorOf(request)),
  );
  api.put(
    '/api/v1/escalation-settings',
    { schema: { tags, summary: 'Change waits and alert hours (district administrators)', body: escalationSettingsInput, response: { 204: noContent } } },
    async (request, reply) => {
      await setEscalationSettings(deps, actorOf(request), request.body);
      return reply.code(204).send();
    },
  );
}
