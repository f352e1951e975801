import { z } from 'zod';
import { fundedKinds, fundingKinds, policyKinds, staffRoles, trainingKinds } from '../../data/leadership.values.ts';
import { inSpanish } from '../../platform/errors.text.ts';

// Requests and answers of the leadership routes. Each answer is serialized through its schema, so a
// field left out here is never sent (dashboards carry aggregates only; small groups are hidden on the
// server). The web app reads the types (z.input: the wire form). Values read back from stored text
// are plain strings, so an answer never fails over an old row.

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, inSpanish('use a date like 2027-06-30', 'use una fecha como 2027-06-30', 'date_format'));

export const idParams = z.object({ id: z.string().max(100) });
/** Every dashboard also downloads as CSV (?format=csv). */
export const formatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** A staff position: FTE and caseload per FTE, at a school. */
export const positionInput = z.object({
  schoolId: z.uuid({ message: inSpanish('choose a school', 'elija una escuela', 'school_required') }),
  role: z.enum(staffRoles, {
    message: inSpanish(`the role is one of: ${staffRoles.join(', ')}`, `el rol es uno de estos: ${staffRoles.join(', ')}`, 'staff_role_invalid'),
  }),
  fte: z
    .number()
    .min(0.05, inSpanish('FTE is between 0.05 and 5', 'el FTE está entre 0,05 y 5', 'fte_out_of_range'))
    .max(5, inSpanish('FTE is between 0.05 and 5', 'el FTE está entre 0,05 y 5', 'fte_out_of_range')),
  caseloadPerFte: z
    .number()
    .int()
    .min(1)
    .max(
      1000,
      inSpanish('a caseload is at most 1,000 students per FTE', 'una carga de casos es como máximo de 1.000 estudiantes por FTE', 'caseload_out_of_range'),
    ),
  title: z.string().trim().max(200).optional(),
});

const cents = z
  .number()
  .int(inSpanish('amounts are in whole cents', 'los montos se dan en centavos enteros', 'amount_whole_cents'))
  .min(1, inSpanish('the amount must be more than zero', 'el monto debe ser mayor que cero', 'amount_not_positive'))
  .max(100_000_000_000);

export const sourceInput = z.object({
  kind: z.enum(fundingKinds, {
    message: inSpanish(`the kind is one of: ${fundingKinds.join(', ')}`, `el tipo es uno de estos: ${fundingKinds.join(', ')}`, 'funding_kind_invalid'),
  }),
  name: z
    .string()
    .trim()
    .min(1, inSpanish('name the award', 'indique el nombre de la subvención', 'award_name_required'))
    .max(200),
  awardCents: cents,
  periodStart: day,
  periodEnd: day,
  obligationDeadline: day,
  liquidationDeadline: day.optional(),
});
export const allocationInput = z.object({
  fundsKind: z.enum(fundedKinds),
  funds: z
    .string()
    .trim()
    .min(1, inSpanish('say what it pays for', 'diga qué paga', 'allocation_purpose_required'))
    .max(200),
  amountCents: cents,
});
export const spendingInput = z.object({ spentOn: day, amountCents: cents, note: z.string().trim().max(500).optional() });

/** A link to the version's document: http or https only, so the link opens a page and runs nothing. */
const documentUrl = z
  .url({
    protocol: /^https?$/,
    message: inSpanish(
      'give the document as a web link starting with https://',
      'dé el documento como un enlace web que empiece con https://',
      'document_link_https',
    ),
  })
  .max(2000, inSpanish('the link is limited to 2,000 characters', 'el enlace tiene un límite de 2.000 caracteres', 'document_link_too_long'))
  .optional();
export const policyInput = z.object({
  kind: z.enum(policyKinds, {
    message: inSpanish(`the kind is one of: ${policyKinds.join(', ')}`, `el tipo es uno de estos: ${policyKinds.join(', ')}`, 'policy_kind_invalid'),
  }),
  title: z
    .string()
    .trim()
    .min(1, inSpanish('give the policy a title', 'dé un título a la política', 'policy_title_required'))
    .max(200),
  ownerUserId: z.uuid({
    message: inSpanish('choose the person who owns the policy', 'elija a la persona responsable de la política', 'policy_owner_required'),
  }),
  reviewBy: day,
  version: z.string().trim().min(1).max(40),
  summary: z
    .string()
    .trim()
    .min(1, inSpanish('summarize what the policy asks of staff', 'resuma lo que la política pide al personal', 'policy_summary_required'))
    .max(4000),
  documentUrl,
});
export const versionInput = z.object({
  version: z.string().trim().min(1).max(40),
  summary: z.string().trim().min(1).max(4000),
  reviewBy: day,
  documentUrl,
});

export const assessmentInput = z.object({
  heldOn: day,
  scores: z
    .array(
      z.object({
        indicatorId: z.string().max(60),
        score: z
          .number()
          .int()
          .min(1, inSpanish('scores run from 1 to 6', 'las puntuaciones van de 1 a 6', 'score_out_of_range'))
          .max(6, inSpanish('scores run from 1 to 6', 'las puntuaciones van de 1 a 6', 'score_out_of_range')),
        note: z.string().trim().max(1000).optional(),
      }),
    )
    .min(1, inSpanish('score at least one indicator', 'puntúe al menos un indicador', 'score_required')),
});
export const actionInput = z.object({
  indicatorId: z.string().max(60).optional(),
  action: z
    .string()
    .trim()
    .min(1, inSpanish('say what will be done', 'diga qué se hará', 'action_required'))
    .max(1000),
  owner: z
    .string()
    .trim()
    .min(1, inSpanish('name who owns it', 'indique quién es responsable', 'action_owner_required'))
    .max(200),
  dueOn: day,
});

export const trainingInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, inSpanish('name the training', 'indique el nombre de la formación', 'training_name_required'))
    .max(200),
  kind: z.enum(trainingKinds, {
    message: inSpanish(`the kind is one of: ${trainingKinds.join(', ')}`, `el tipo es uno de estos: ${trainingKinds.join(', ')}`, 'training_kind_invalid'),
  }),
  audience: z.enum(['staff', 'students']),
  refresherMonths: z.number().int().min(1).max(60).optional(),
});
/** Student awareness sessions: how many students a session reached (no names). */
export const studentSessionInput = z.object({ trainingId: z.uuid(), schoolId: z.uuid(), heldOn: day, studentsReached: z.number().int().min(1).max(5000) });

export const createdId = z.object({ id: z.string() });
export const positionRemoved = z.object({ removed: z.boolean() });
export const versionAdded = z.object({ version: z.string() });
/** The version acknowledged. */
export const acknowledged = z.object({ acknowledged: z.string() });
export const actionDone = z.object({ done: z.boolean() });
export const refreshed = z.object({ refreshed: z.boolean() });
/** A sign-in sheet imported: rows read, attendances added, sessions they formed. */
export const attendanceImported = z.object({ rows: z.number(), added: z.number(), sessions: z.number() });
export type AttendanceImported = z.input<typeof attendanceImported>;

/** A count, or null where it would name a group smaller than the district's threshold. */
const count = z.number().nullable();

/** Need against capacity per school, partner capacity by service type, and the positions recorded. */
export const capacityReport = z.object({
  threshold: z.number(),
  computedAt: z.string(),
  schools: z.array(
    z.object({
      school: z.string(),
      enrollment: z.number(),
      need: z.object({ tier2: count, tier3: count, openPositives: count, openCases: count, reentryPlans: count, waitingReferrals: count, total: count }),
      capacity: z.object({ counselorFte: z.number(), staffFte: z.number(), caseloadCapacity: z.number() }),
      gap: count,
      studentsPerCounselor: z.number().nullable(),
      recommendedPerCounselor: z.number(),
      counselorsShort: z.number(),
    }),
  ),
  partners: z.array(
    z.object({
      type: z.string(),
      openPlaces: z.number(),
      shortestWaitlistWeeks: z.number().nullable(),
      waiting: count,
      /** capacity.rules.ts: "no wait" only with open places left after the referrals already waiting. */
      wait: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('no_wait') }),
        z.object({ kind: z.literal('waitlist'), weeks: z.number() }),
        z.object({ kind: z.literal('full') }),
        z.object({ kind: z.literal('unknown') }),
      ]),
      projectedWaitWeeks: z.number().nullable(),
    }),
  ),
  positions: z.array(
    z.object({ id: z.string(), school: z.string(), role: z.string(), fte: z.number(), caseloadPerFte: z.number(), title: z.string().nullable() }),
  ),
});
export type CapacityReport = z.input<typeof capacityReport>;

/** Funding sources with burn-down and deadline alerts, and what loses funding when a source ends. */
export const fundingReport = z.object({
  today: z.string(),
  sources: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      awardCents: z.number(),
      periodStart: z.string(),
      periodEnd: z.string(),
      obligationDeadline: z.string(),
      liquidationDeadline: z.string().nullable(),
      allocations: z.array(z.object({ id: z.string(), fundsKind: z.string(), funds: z.string(), amountCents: z.number() })),
      allocatedCents: z.number(),
      spentCents: z.number(),
      remainingCents: z.number(),
      unallocatedCents: z.number(),
      expectedSpentShare: z.number(),
      spentShare: z.number(),
      projectedAtEndCents: z.number(),
      daysToObligation: z.number(),
      daysToEnd: z.number(),
      /** In English (as e-mailed); `alertKinds` names each, in the same order, for the screen's own words. */
      alerts: z.array(z.string()),
      alertKinds: z.array(z.enum(['unobligated', 'unspent', 'overspent'])),
    }),
  ),
  losingFunding: z.array(
    z.object({
      funds: z.string(),
      totalCents: z.number(),
      losingCents: z.number(),
      losingShare: z.number(),
      endingSources: z.array(z.object({ name: z.string(), endsOn: z.string() })),
    }),
  ),
});
export type FundingReport = z.input<typeof fundingReport>;

/** Training coverage per school and for the district (the figures the self-assessment uses). */
export const trainingReport = z.object({
  trainings: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), audience: z.string(), refresherMonths: z.number().nullable() })),
  schools: z.array(
    z.object({
      school: z.string(),
      staff: z.number(),
      staffTrainedShare: z.number().nullable(),
      crisisTeam: z.number(),
      crisisTeamTrainedShare: z.number().nullable(),
      studentsReached: z.number(),
      studentsReachedShare: z.number().nullable(),
    }),
  ),
  district: z.object({
    staff: z.number(),
    staffTrainedShare: z.number().nullable(),
    crisisTeam: z.number(),
    crisisTeamTrainedShare: z.number().nullable(),
    studentsReached: z.number(),
  }),
});
export type TrainingReport = z.input<typeof trainingReport>;

/** The policy library: the current version of each policy, its review date and acknowledgements. */
export const policyList = z.array(
  z.object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    owner: z.string(),
    reviewBy: z.string(),
    reviewOverdue: z.boolean(),
    version: z.string(),
    /** The version's text (without its document link). */
    summary: z.string(),
    /** A web link to the version's document, when the district gave one. */
    documentUrl: z.string().nullable(),
    publishedAt: z.string().nullable(),
    acknowledged: z.number(),
    staff: z.number(),
    acknowledgedByMe: z.boolean(),
  }),
);
export type PolicyList = z.input<typeof policyList>;

/** Quality indicators pre-filled from Haven's data, past sittings by domain, and the action plan. */
export const selfAssessmentReport = z.object({
  computedAt: z.string(),
  indicators: z.array(
    z.object({
      id: z.string(),
      domain: z.string(),
      text: z.string(),
      measure: z.string().optional(),
      measured: z.number().nullable(),
      suggested: z.number().nullable(),
    }),
  ),
  history: z.array(z.object({ id: z.string(), heldOn: z.string(), domains: z.array(z.object({ domain: z.string(), average: z.number().nullable() })) })),
  actions: z.array(
    z.object({
      id: z.string(),
      indicatorId: z.string().nullable(),
      action: z.string(),
      owner: z.string(),
      dueOn: z.string(),
      done: z.boolean(),
      overdue: z.boolean(),
    }),
  ),
});
export type SelfAssessmentReport = z.input<typeof selfAssessmentReport>;

/** Why a group is hidden: too small, or it would let a small one be worked out (complementary). */
const hiddenReason = z.string();
const quantile = z.union([z.object({ days: z.number() }), z.object({ moreThan: z.number() })]).nullable();
const waitShown = { suppressed: z.literal(false), students: z.number(), median: quantile, p90: quantile };

/** The funnel step by step, by group, with risk ratios against everyone else eligible, and waits. */
export const equityReport = z.object({
  computedAt: z.string(),
  since: z.string(),
  threshold: z.number(),
  steps: z.array(
    z.object({
      step: z.string(),
      /** The population the step is taken of: the step before it on the path, or all students. */
      of: z.string(),
      inPath: z.boolean(),
      /** Null, with `suppressed`, when an analyst may not see the district figures (decision 23). */
      reached: z.number().nullable(),
      eligible: z.number().nullable(),
      rate: z.number().nullable(),
      suppressed: z.boolean(),
      dimensions: z.array(
        z.object({
          dimension: z.string(),
          groups: z.array(
            z.discriminatedUnion('suppressed', [
              z.object({
                group: z.string(),
                suppressed: z.literal(false),
                reached: z.number(),
                eligible: z.number(),
                /** Null when no one in the group was eligible (0 of 0). */
                rate: z.number().nullable(),
                rr: z.number().nullable(),
                low: z.number().nullable(),
                high: z.number().nullable(),
                corrected: z.boolean(),
                /** The district's plan sets this rate (which grades are offered screening), so no ratio is made of it. */
                planned: z.boolean(),
                flag: z.enum(['less', 'more']).nullable(),
              }),
              z.object({ group: z.string(), suppressed: z.literal(true), reason: hiddenReason }),
            ]),
          ),
        }),
      ),
      waits: z
        .object({
          overall: z.discriminatedUnion('suppressed', [z.object(waitShown), z.object({ suppressed: z.literal(true), reason: hiddenReason })]),
          dimensions: z.array(
            z.object({
              dimension: z.string(),
              groups: z.array(
                z.discriminatedUnion('suppressed', [
                  z.object({ group: z.string(), ...waitShown }),
                  z.object({ group: z.string(), suppressed: z.literal(true), reason: hiddenReason }),
                ]),
              ),
            }),
          ),
        })
        .nullable(),
    }),
  ),
  highlights: z.array(
    z.union([
      z.object({ step: z.string(), dimension: z.string(), group: z.string(), flag: z.literal('waits_longer'), days: z.number(), overallDays: z.number() }),
      z.object({ step: z.string(), dimension: z.string(), group: z.string(), flag: z.enum(['less', 'more']), rr: z.number() }),
    ]),
  ),
  languageAccess: z.array(
    z.discriminatedUnion('suppressed', [
      z.object({ group: z.string(), suppressed: z.literal(false), reached: z.number(), eligible: z.number(), rate: z.number() }),
      z.object({ group: z.string(), suppressed: z.literal(true), reason: hiddenReason }),
    ]),
  ),
});
export type EquityReport = z.input<typeof equityReport>;

/** A dashboard as JSON, or the same figures as CSV (?format=csv). */
export const orCsv = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
});
