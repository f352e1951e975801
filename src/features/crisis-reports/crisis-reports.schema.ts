import { z } from 'zod';
import { inboundChannelKinds } from '../../data/reports.ts';
import { dispositions, reportCategories, staffChannels, urgencies } from '../../data/reports.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';
import { sentMoment } from '../../platform/sent-moment.ts';
import { type TriageLanguage, triageLanguages, triageTopics } from './triage.rules.ts';

/** A report as anyone may send it (web form, app, and the same rules for SMS and e-mail). */
export const reportInput = z.object({
  description: z
    .string()
    .trim()
    .min(1, inSpanish('tell us what is happening', 'cuéntenos qué está pasando', 'report_description_required'))
    .max(5000, inSpanish('use at most 5,000 characters', 'use como máximo 5.000 caracteres', 'too_long')),
  about: z
    .string()
    .trim()
    .max(200, inSpanish('use at most 200 characters', 'use como máximo 200 caracteres', 'too_long'))
    .optional(),
  school: z.string().trim().max(64).optional(),
  district: z.string().trim().max(40).optional(),
  category: z
    .enum(reportCategories, {
      message: inSpanish(
        `choose one of: ${reportCategories.join(', ')}`,
        `elija una de estas opciones: ${reportCategories.join(', ')}`,
        'report_category_invalid',
      ),
    })
    .default('other'),
  urgency: z
    .enum(urgencies, {
      message: inSpanish(`choose one of: ${urgencies.join(', ')}`, `elija una de estas opciones: ${urgencies.join(', ')}`, 'urgency_invalid'),
    })
    .default('routine'),
  contact: z
    .string()
    .trim()
    .max(200, inSpanish('use at most 200 characters', 'use como máximo 200 caracteres', 'too_long'))
    .optional(),
  language: z.enum(['en', 'es']).default('en'),
  /**
   * A concern of abuse that names someone in the student's home: messages to the guardians then
   * wait for a person to decide (family-contact).
   */
  householdConcern: z.boolean().optional(),
});
export type ReportInput = z.infer<typeof reportInput>;

export const staffReportInput = reportInput.extend({
  channel: z.enum(staffChannels, {
    message: inSpanish(`choose one of: ${staffChannels.join(', ')}`, `elija una de estas opciones: ${staffChannels.join(', ')}`, 'report_channel_invalid'),
  }),
  stateTipLineId: z.string().trim().max(64).optional(),
  description: z.string().trim().max(5000).default(''),
});

export const reporterMessage = z.object({
  message: z
    .string()
    .trim()
    .min(1, inSpanish('write a message', 'escriba un mensaje', 'message_required'))
    .max(5000, inSpanish('use at most 5,000 characters', 'use como máximo 5.000 caracteres', 'too_long')),
});

export const reportAction = z.object({
  action: z.enum(['first_action', 'student_contacted', 'connected_to_help'], {
    message: inSpanish(
      'choose first_action, student_contacted or connected_to_help',
      'elija first_action, student_contacted o connected_to_help',
      'report_step_invalid',
    ),
  }),
  note: z.string().trim().max(5000).optional(),
});

export const closeReport = z.object({
  disposition: z.enum(dispositions, {
    message: inSpanish(`choose one of: ${dispositions.join(', ')}`, `elija una de estas opciones: ${dispositions.join(', ')}`, 'disposition_invalid'),
  }),
  note: z.string().trim().max(5000).optional(),
});

export const staffMessage = z.object({
  body: z
    .string()
    .trim()
    .min(1, inSpanish('write a message', 'escriba un mensaje', 'message_required'))
    .max(5000),
  /** to_reporter goes to the reporter (follow-up page, SMS or e-mail); internal_note stays with the team. */
  direction: z.enum(['to_reporter', 'internal_note']),
});

export const newInboundChannel = z
  .object({
    kind: z.enum(inboundChannelKinds, {
      message: inSpanish(
        'kind is "sms" (a phone number) or "email" (an address)',
        'el tipo es "sms" (un número de teléfono) o "email" (una dirección)',
        'channel_kind_invalid',
      ),
    }),
    address: z
      .string({ message: inSpanish('write the number or the address', 'escriba el número o la dirección', 'channel_address_required') })
      .trim()
      .min(1, inSpanish('write the number or the address', 'escriba el número o la dirección', 'channel_address_required'))
      .max(254, inSpanish('use at most 254 characters', 'use como máximo 254 caracteres', 'too_long')),
  })
  .strict();

export const idParams = z.object({ id: z.string().max(100) });
export const codeParams = z.object({ code: z.string().max(40) });
export const channelParams = z.object({ id: z.string().max(64) });
export const listQuery = z.object({
  status: z.enum(['open', 'unacknowledged', 'overdue', 'closed', 'all']).default('open'),
  school: z.string().max(64).optional(),
});
export const figuresQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(30) });

// Answers. Each route serializes through its schema, so a field left out here is never sent; the
// web app reads these types (z.input: what goes on the wire, moments as ISO strings). Values read
// back from stored text are plain strings, so an answer never fails over a row written long ago.

export const reportCreated = z.object({ id: z.string(), followUpCode: z.string() });
export type ReportCreated = z.input<typeof reportCreated>;

/** A stored report's answer to an app; `throttled` when it came over the per-address limit (stored all the same). */
export const publicReportCreated = reportCreated.extend({
  throttled: z.boolean().describe('Sent over the per-address intake limit: stored and answered all the same, alerted to the team as a group'),
});

/** A message written to the reporter or the team is stored (and sent, for the reporter). */
export const messageSent = z.object({ status: z.literal('sent') });

/** Nothing to send: the change is made (204, no body). */
export const noContent = z.undefined().describe('Done; nothing to send');

/** The first report of a throttled group (decision 26): how many reports it holds, and how many are open. */
const throttleGroup = z.object({ size: z.number(), open: z.number() }).nullable();

/** The reports inbox, newest first; a throttled group is one row, its first report. */
export const reportList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      receivedAt: sentMoment,
      school: z.string().nullable(),
      channel: z.string(),
      category: z.string(),
      urgency: z.string(),
      status: z.string(),
      disposition: z.string().nullable(),
      acknowledgedAt: sentMoment.nullable(),
      escalationStep: z.number(),
      /** Nobody has acknowledged it within the first step's wait. */
      overdue: z.boolean(),
      nextEscalationAt: sentMoment.nullable(),
      /** Sent over the per-address intake limit. */
      throttled: z.boolean(),
      throttleGroup,
    }),
  ),
});
export type ReportList = z.input<typeof reportList>;

/** What the figures are grouped by; a report with no school is counted under `district_level`. */
export const figureDimensions = ['school', 'channel', 'urgency'] as const;
const minutes = z.object({ median: z.number().nullable(), p90: z.number().nullable() });

/** Time to acknowledge and to first action (minutes), median and 90th percentile, per school, channel and urgency. */
export const reportFigures = z.object({
  days: z.number(),
  groups: z.array(
    z.object({
      dimension: z.enum(figureDimensions),
      value: z.string(),
      reports: z.number(),
      waiting: z.number(),
      minutesToAcknowledge: minutes,
      minutesToFirstAction: minutes,
    }),
  ),
});
export type ReportFigures = z.input<typeof reportFigures>;

const urgency = z.enum(urgencies);
const category = z.enum(reportCategories);
const topic = z.enum(triageTopics);
const triageLanguage = z.enum(triageLanguages.map((l) => l.code) as [TriageLanguage, ...TriageLanguage[]]);

/** Why triage set the urgency, as codes the web app words (triage.rules.ts TriageReason); an older report keeps its English sentence. */
const triageReason = z.union([
  z.object({ code: z.literal('reporter_said'), urgency }),
  z.object({ code: z.literal('category_floor'), category, urgency }),
  z.object({ code: z.literal('text_mentions'), topic, urgency, writtenIn: triageLanguage.optional() }),
  z.object({ code: z.literal('recategorized'), from: category, topic, to: category }),
  z.object({ code: z.literal('imminent') }),
  z.string(),
]);

/** Whether the duty to report suspected abuse was met (C.R.S. 19-3-304), and who may record a finding. */
const abuseDuty = z.object({
  mandatoryReportRecorded: z.boolean(),
  /** An administrator's finding of no reasonable cause: who, when, why. */
  finding: z.object({ by: z.string(), at: sentMoment, reasoning: z.string() }).nullable(),
  canRecordFinding: z.boolean(),
});
export type AbuseDuty = z.input<typeof abuseDuty>;

/** One report for the team handling it: what was reported, each step's time, the conversation and every alert sent. */
export const reportView = z.object({
  id: z.string(),
  school: z.object({ id: z.string(), name: z.string() }).nullable(),
  channel: z.string(),
  category: z.string(),
  /** What the reporter chose; triage may have raised it. */
  urgencyReported: z.string(),
  urgency: z.string(),
  triageReasons: z.array(triageReason),
  description: z.string(),
  about: z.string().nullable(),
  contact: z.string().nullable(),
  /** The staff member who entered it (their own concern, a call or walk-in they took), if any. */
  enteredBy: z.object({ name: z.string(), email: z.string() }).nullable(),
  /** Whether a message can reach the reporter (follow-up page, SMS or e-mail). */
  canReply: z.boolean(),
  language: z.string(),
  stateTipLineId: z.string().nullable(),
  status: z.string(),
  disposition: z.string().nullable(),
  escalationStep: z.number(),
  nextEscalationAt: sentMoment.nullable(),
  times: z.object({
    receivedAt: sentMoment,
    acknowledgedAt: sentMoment.nullable(),
    acknowledgedBy: z.string().nullable(),
    firstActionAt: sentMoment.nullable(),
    studentContactedAt: sentMoment.nullable(),
    connectedToHelpAt: sentMoment.nullable(),
    closedAt: sentMoment.nullable(),
  }),
  /** The conversation with the reporter and the team's notes, oldest first. */
  messages: z.array(z.object({ id: z.string(), direction: z.string(), body: z.string(), at: sentMoment, author: z.string().nullable() })),
  alerts: z.array(z.object({ step: z.number(), channel: z.string(), outcome: z.string(), at: sentMoment, person: z.string().nullable() })),
  /** The other reports of the same incident. */
  incident: z.array(z.object({ id: z.string(), receivedAt: sentMoment, channel: z.string(), status: z.string(), urgency: z.string() })),
  throttled: z.boolean(),
  /** The first report of a throttled group: acknowledging it acknowledges the group. */
  throttleGroup,
  /** Reports of suspected abuse, neglect or sexual assault only. */
  abuseDuty: abuseDuty.nullable(),
});
export type ReportView = z.input<typeof reportView>;

/** When the report was acknowledged: now, or earlier by someone else (acknowledging twice changes nothing). */
export const reportAcknowledged = z.object({ acknowledgedAt: sentMoment.nullable() });

/** What a reporter sees with their follow-up code: a status and the messages between them and the team, never a team note. */
export const reporterView = z.object({
  status: z.enum(['received', 'in_progress', 'closed']),
  receivedAt: sentMoment,
  language: z.string(),
  messages: z.array(z.object({ direction: z.string(), body: z.string(), at: sentMoment })),
});

/** A number or address the district receives texts or e-mail on. */
export const inboundChannel = z.object({ id: z.string(), kind: z.enum(inboundChannelKinds), address: z.string(), createdAt: sentMoment });
export type InboundChannelView = z.input<typeof inboundChannel>;
export const inboundChannelList = z.array(inboundChannel);

/** The SMS provider's webhook answer: the reply to the sender, in the provider's XML. */
export const smsAnswer = {
  description: 'The reply texted back to the sender (TwiML)',
  content: { 'text/xml': { schema: z.string().describe('<Response><Message>…</Message></Response>') } },
};

/** The live alert stream: a `ready` event, then report.alert, report.acknowledged, report.message and screening.hold as they happen. */
/** The live-alert stream, documented with each event's schema (src/platform/notify/live.schema.ts). */
export { alertStream } from '../../platform/notify/live.schema.ts';
