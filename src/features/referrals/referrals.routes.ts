import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../access/authenticate.ts';
import type { Deps } from '../../platform/deps.ts';
import { letGuardianBeTold } from './connection.service.ts';
import { moveReferral } from './lifecycle.service.ts';
import { referralMeasures } from './measures.service.ts';
import { getReferral } from './referral-view.service.ts';
import {
  calendarAnswer,
  calendarQuery,
  consentParams,
  consentRecorded,
  consentWithdrawn,
  fhirAnswer,
  followUpDone,
  followUpDoneInput,
  guardianConsentInput,
  guardianTellInput,
  guardianToldAnswer,
  idParams,
  listQuery,
  measuresQuery,
  moveInput,
  referralCreated,
  referralInput,
  referralList,
  referralMeasuresView,
  referralMoved,
  referralSent,
  referralView,
  sendInput,
  withdrawInput,
} from './referrals.schema.ts';
import { createReferral, recordGuardianConsent, sendReferral } from './referrals.service.ts';
import { completeFollowUp, listReferrals, referralCalendar, referralFhir } from './views.service.ts';
import { withdrawGuardianConsent } from './withdrawal.service.ts';

const tags = ['Referrals'];

export function registerReferralRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.post(
    '/api/v1/referrals',
    {
      schema: {
        tags,
        summary: 'Start a referral (a draft: nothing is sent until consent is recorded)',
        body: referralInput,
        response: { 201: referralCreated },
      },
    },
    async (request, reply) => reply.code(201).send(await createReferral(deps, actorOf(request), request.body)),
  );
  api.get(
    '/api/v1/referrals',
    {
      schema: {
        tags,
        summary: "Referrals: a student's, your schools', or (partners) those sent to your organization",
        querystring: listQuery,
        response: { 200: referralList },
      },
    },
    async (request) => listReferrals(deps, actorOf(request), request.query),
  );
  api.get(
    '/api/v1/referrals/measures',
    {
      schema: {
        tags,
        summary: 'Referrals sent, accepted, days to first appointment and loops closed, by partner, school or home language',
        querystring: measuresQuery,
        response: { 200: referralMeasuresView },
      },
    },
    async (request) => referralMeasures(deps, actorOf(request), request.query.by),
  );
  api.get(
    '/api/v1/referrals/:id',
    { schema: { tags, summary: 'One referral (partners see the disclosed minimum)', params: idParams, response: { 200: referralView } } },
    async (request) => getReferral(deps, actorOf(request), request.params.id),
  );
  api.post(
    '/api/v1/referrals/:id/send',
    { schema: { tags, summary: 'Send a draft to the partner, through the consent gate', params: idParams, body: sendInput, response: { 200: referralSent } } },
    async (request) => sendReferral(deps, actorOf(request), request.params.id, request.body),
  );
  api.post(
    '/api/v1/referrals/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a referral: accept, decline, schedule, attended, on hold, complete, fail, cancel',
        params: idParams,
        body: moveInput,
        response: { 200: referralMoved },
      },
    },
    async (request) => moveReferral(deps, actorOf(request), request.params.id, request.body),
  );
  api.post(
    '/api/v1/referrals/:id/guardian-may-be-told',
    {
      schema: {
        tags,
        summary:
          'A student-initiated connection: the student agreed that the guardian may be told, or the clinician records that it is necessary (with the reason)',
        params: idParams,
        body: guardianTellInput,
        response: { 200: guardianToldAnswer },
      },
    },
    async (request) => letGuardianBeTold(deps, actorOf(request), request.params.id, request.body),
  );
  api.get(
    '/api/v1/referrals/:id/fhir',
    { schema: { tags, summary: 'The referral as a FHIR R4 ServiceRequest + Task bundle', params: idParams, response: { 200: fhirAnswer } } },
    async (request, reply) => reply.type('application/fhir+json').send(await referralFhir(deps, actorOf(request), request.params.id)),
  );
  api.get(
    '/api/v1/referrals/:id/appointment.ics',
    { schema: { tags, summary: 'The appointment as a calendar file', params: idParams, querystring: calendarQuery, response: { 200: calendarAnswer } } },
    async (request, reply) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'attachment; filename="appointment.ics"')
        .send(await referralCalendar(deps, actorOf(request), request.params.id, request.query.lang)),
  );
  api.post(
    '/api/v1/referral-follow-ups/:id/done',
    { schema: { tags, summary: 'Mark a referral follow-up done', params: idParams, body: followUpDoneInput, response: { 200: followUpDone } } },
    async (request) => completeFollowUp(deps, actorOf(request), request.params.id, request.body.note),
  );
  api.post(
    '/api/v1/students/:id/referral-consents',
    {
      schema: {
        tags,
        summary: "Record a guardian's written consent to share with partners",
        params: idParams,
        body: guardianConsentInput,
        response: { 201: consentRecorded },
      },
    },
    async (request, reply) => reply.code(201).send(await recordGuardianConsent(deps, actorOf(request), request.params.id, request.body)),
  );
  api.post(
    '/api/v1/students/:id/referral-consents/:consentId/withdraw',
    {
      schema: {
        tags,
        summary: 'The guardian withdraws a consent: nothing more is shared on it, and partners lose the referrals sent on it',
        params: consentParams,
        body: withdrawInput,
        response: { 200: consentWithdrawn },
      },
    },
    async (request) => withdrawGuardianConsent(deps, actorOf(request), request.params.id, request.params.consentId, request.body.reason || undefined),
  );
}
