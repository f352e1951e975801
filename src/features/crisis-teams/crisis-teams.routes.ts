import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { actorOf } from '../accounts/authenticate.ts';
import { escalationSettingsInput, newMember, newOverride, newShift, newTeam } from './crisis-teams.schema.ts';
import { addMember, addOverride, addShifts, createTeam, getEscalationSettings, listTeams, removeShift, setEscalationSettings } from './crisis-teams.service.ts';
import { teamRota } from './rota.service.ts';

const tags = ['Crisis teams'];
const teamParams = z.object({ teamId: z.string().max(100) });

/** Crisis teams, their members and rota, who is on call now, and the escalation chain's waits. */
export function registerCrisisTeamRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get('/api/v1/crisis-teams', { schema: { tags, summary: 'Teams with members, rota and who is on call now' } }, async (request) =>
    listTeams(deps, actorOf(request)),
  );
  api.get(
    '/api/v1/crisis-teams/:teamId/rota',
    {
      schema: {
        tags,
        summary: "A week of the team's on-call cover in the district's time zone, with overrides and gaps (?week=any day of the week)",
        params: teamParams,
        querystring: z.object({ week: z.string().max(20).optional() }),
      },
    },
    async (request) => teamRota(deps, actorOf(request), request.params.teamId, request.query.week),
  );
  api.post('/api/v1/crisis-teams', { schema: { tags, summary: 'Create a school or district crisis team', body: newTeam } }, async (request, reply) =>
    reply.code(201).send(await createTeam(deps, actorOf(request), request.body)),
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/members',
    { schema: { tags, summary: 'Add a member (staff user or named person)', params: teamParams, body: newMember } },
    async (request, reply) => reply.code(201).send(await addMember(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/shifts',
    { schema: { tags, summary: 'Add weekly on-call shifts', params: teamParams, body: newShift } },
    async (request, reply) => reply.code(201).send(await addShifts(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.delete(
    '/api/v1/crisis-teams/:teamId/shifts/:shiftId',
    { schema: { tags, summary: 'Remove a weekly shift', params: z.object({ teamId: z.string().max(100), shiftId: z.string().max(100) }) } },
    async (request, reply) => {
      await removeShift(deps, actorOf(request), request.params.teamId, request.params.shiftId);
      return reply.code(204).send();
    },
  );
  api.post(
    '/api/v1/crisis-teams/:teamId/overrides',
    { schema: { tags, summary: 'Add a dated on-call override', params: teamParams, body: newOverride } },
    async (request, reply) => reply.code(201).send(await addOverride(deps, actorOf(request), request.params.teamId, request.body)),
  );
  api.get('/api/v1/escalation-settings', { schema: { tags, summary: 'Waits per step and urgency; alert hours' } }, async (request) =>
    getEscalationSettings(deps, actorOf(request)),
  );
  api.put(
    '/api/v1/escalation-settings',
    { schema: { tags, summary: 'Change waits and alert hours (district administrators)', body: escalationSettingsInput } },
    async (request, reply) => {
      await setEscalationSettings(deps, actorOf(request), request.body);
      return reply.code(204).send();
    },
  );
}
