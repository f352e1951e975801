import { and, desc, eq, gt, inArray, ne, notInArray, or, sql } from 'drizzle-orm';
import { incidents, type reportChannels, reports } from '../../data/reports.ts';
import { carriesReportingDuty } from '../../data/reports.values.ts';
import { insertMany } from '../../platform/db/bulk.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { alertReports, deliver, type Outbound } from './alerts.service.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import type { InboundOrigin } from './inbound-channels.rules.ts';
import { enqueueInboundReplies } from './inbound-channels.service.ts';
import { resolvePlace } from './places.ts';
import { type Comparable, duplicateWindowHours, formatFollowUpCode, sameIncident } from './reports.rules.ts';
import { groupThrottledReports } from './throttled.service.ts';
import { triage, type Urgency } from './triage.rules.ts';
import { holdUnownedChannelReports } from './unrouted.service.ts';

/** Everything needed to store a report, decided before the database is touched (so it can be spooled). */
export type PendingReport = {
  id: string;
  followUpCodeHash: string;
  receivedAt: string;
  channel: (typeof reportChannels)[number];
  input: ReportInput;
  replyAddress?: string | undefined;
  enteredByUserId?: string | undefined;
  enteredByLabel?: string | undefined;
  stateTipLineId?: string | undefined;
  /** Set when Haven itself knows the student (a screening alert). */
  studentId?: string | undefined;
  /** Sent over the per-address intake limit: stored all the same, alerted as a group (decision 26). */
  throttled?: boolean | undefined;
  /** A text or e-mail: the number or address it was sent to places it (decision 27), and its e-mail answer, sealed. */
  inbound?: InboundOrigin | undefined;
};

type NewReport = typeof reports.$inferInsert & {
  id: string;
  districtId: string;
  schoolId: string | null;
  receivedAt: Date;
  safetyFlag: boolean;
  description: string;
  urgency: Urgency;
  escalationStep: number;
  throttled: boolean;
};

/**
 * Stores reports, links each to an incident, alerts the first step of each chain and writes the
 * audit events: one transaction per district and a handful of statements however many reports
 * there are, so a burst is routed in batches rather than one round trip per row. Idempotent by
 * id (a replay after a crash adds nothing). `strict` refuses a report that cannot be placed; it
 * is used only when the sender is still waiting and can fix it.
 */
export async function storeReports(deps: Deps, batch: readonly PendingReport[], options: { strict: boolean }): Promise<void> {
  const byDistrict = new Map<string, NewReport[]>();
  // A text or e-mail to a number or address no district owns is held for the operator, never placed by guess.
  for (const pending of await holdUnownedChannelReports(deps, batch)) {
    const row = await newReport(deps, pending, options.strict);
    byDistrict.set(row.districtId, [...(byDistrict.get(row.districtId) ?? []), row]);
  }
  const actors = new Map(batch.map((p) => [p.id, { userId: p.enteredByUserId ?? null, label: p.enteredByLabel ?? `reporter via ${p.channel}` }]));
  for (const [districtId, rows] of byDistrict) {
    const outbound = await withTenant(deps.db.app, { districtId, userId: null }, async (tx): Promise<Outbound[]> => {
      await linkIncidents(deps, tx, districtId, rows);
      const inserted = new Set(await insertMany(tx, reports, rows, { skipExisting: true }));
      const stored = rows.filter((row) => inserted.has(row.id));
      if (stored.length === 0) return []; // all stored already (a spool replay after a crash)
      await enqueueInboundReplies(
        deps,
        tx,
        districtId,
        stored.map((report) => report.id),
        batch,
      );
      const grouped = await groupThrottledReports(deps, tx, districtId, stored);
      const outbound = await alertReports(
        deps,
        tx,
        stored.filter((report) => !grouped.has(report.id)),
        deps.clock.now(),
      );
      // Last, so the district's audit lock is held only for the append and the commit.
      await deps.audit.appendMany(
        tx,
        districtId,
        stored.map((report) => ({
          actor: actors.get(report.id) ?? { userId: null, label: `reporter via ${report.channel}` },
          entry: {
            action: 'report.received',
            subjectType: 'report',
            subjectId: report.id,
            detail: {
              channel: report.channel,
              category: report.category,
              urgency: report.urgency,
              ...(report.throttled ? { throttled: true, throttleGroupOf: grouped.get(report.id) ?? report.id } : {}),
            },
          },
        })),
      );
      return outbound;
    });
    await deliver(deps, outbound);
  }
}

/** The stored form of a pending report: its place, triaged urgency, encrypted contact details. */
async function newReport(deps: Deps, pending: PendingReport, strict: boolean): Promise<NewReport> {
  const input = pending.input;
  const { districtId, schoolId } = await resolvePlace(deps, input, strict, pending.inbound);
  const assessed = triage({ category: input.category, urgencyReported: input.urgency, text: `${input.description} ${input.about ?? ''}` });
  return {
    id: pending.id,
    districtId,
    schoolId,
    incidentId: null,
    channel: pending.channel,
    category: assessed.category,
    urgencyReported: input.urgency,
    urgency: assessed.urgency,
    triageReasons: assessed.reasons,
    safetyFlag: assessed.safetyFlag,
    householdConcern: input.householdConcern === true && carriesReportingDuty(assessed.category),
    description: input.description,
    aboutPerson: input.about || null,
    contactEncrypted: input.contact ? deps.secrets.encrypt(input.contact) : null,
    replyAddressEncrypted: pending.replyAddress ? deps.secrets.encrypt(pending.replyAddress) : null,
    replyAddressHash: pending.replyAddress ? replyAddressHash(deps, pending.replyAddress) : null,
    language: input.language,
    followUpCodeHash: pending.followUpCodeHash,
    stateTipLineId: pending.stateTipLineId ?? null,
    studentId: pending.studentId ?? null,
    enteredByUserId: pending.enteredByUserId ?? null,
    receivedAt: new Date(pending.receivedAt),
    escalationStep: 0,
    throttled: pending.throttled === true,
  };
}

/**
 * A screening alert is about one student's own answers, never an event others saw. Alerts for
 * different students at one school are worded alike (Haven writes them), so by their words they
 * would be listed as one incident and a counselor could close one as a duplicate of another
 * student's. So an alert never joins or forms an incident, with another alert or with anyone's
 * report (decision 15).
 */
const neverLinked = 'screening' satisfies (typeof reportChannels)[number];

/**
 * Links each report to an earlier one about the same person, or the same school in similar words
 * (earlier in the database or earlier in this batch). Only reports that could match are read:
 * same school, or naming the same person, within the window. Screening alerts are left out.
 */
async function linkIncidents(deps: Deps, tx: Transaction, districtId: string, all: NewReport[]): Promise<void> {
  const batch = all.filter((r) => r.channel !== neverLinked);
  if (batch.length === 0) return;
  const person = (p: string | null | undefined) => p?.trim().toLowerCase() || null;
  const schoolIds = [...new Set(batch.map((r) => r.schoolId).filter((id): id is string => !!id))];
  const people = [...new Set(batch.map((r) => person(r.aboutPerson)).filter((p): p is string => p !== null))];
  if (schoolIds.length === 0 && people.length === 0) return;
  const earliest = Math.min(...batch.map((r) => r.receivedAt.getTime()));
  const since = new Date(earliest - duplicateWindowHours * 3_600_000);
  const stored = await tx
    .select({
      id: reports.id,
      incidentId: reports.incidentId,
      schoolId: reports.schoolId,
      aboutPerson: reports.aboutPerson,
      description: reports.description,
      receivedAt: reports.receivedAt,
    })
    .from(reports)
    .where(
      and(
        gt(reports.receivedAt, since),
        ne(reports.channel, neverLinked),
        notInArray(
          reports.id,
          batch.map((r) => r.id),
        ),
        or(
          schoolIds.length ? inArray(reports.schoolId, schoolIds) : undefined,
          people.length ? inArray(sql`lower(trim(${reports.aboutPerson}))`, people) : undefined,
        ),
      ),
    )
    .orderBy(desc(reports.receivedAt))
    .limit(200 * Math.max(1, schoolIds.length + people.length));
  // Candidates, newest first: this batch's reports go in front as they are placed.
  const candidates: (Comparable & { id: string; incidentId: string | null; stored: boolean })[] = stored.map((r) => ({ ...r, stored: true }));
  const inBatch = new Map(batch.map((r) => [r.id, r]));
  for (const report of [...batch].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime())) {
    const mine: Comparable = {
      schoolId: report.schoolId ?? null,
      aboutPerson: report.aboutPerson ?? null,
      description: report.description,
      receivedAt: report.receivedAt,
    };
    const who = person(mine.aboutPerson);
    const near = (other: Comparable) => (mine.schoolId !== null && other.schoolId === mine.schoolId) || (who !== null && person(other.aboutPerson) === who);
    const match = candidates.find((other) => near(other) && sameIncident(mine, other));
    if (match) {
      if (!match.incidentId) {
        match.incidentId = deps.ids.uuid();
        await tx.insert(incidents).values({ id: match.incidentId, districtId, schoolId: report.schoolId ?? null, createdAt: deps.clock.now() });
        if (match.stored) await tx.update(reports).set({ incidentId: match.incidentId }).where(eq(reports.id, match.id));
        else (inBatch.get(match.id) as NewReport).incidentId = match.incidentId;
      }
      report.incidentId = match.incidentId;
    }
    candidates.unshift({ ...mine, id: report.id, incidentId: report.incidentId ?? null, stored: false });
  }
}

/**
 * The reference put in the subject of the team's e-mails to a reporter, shaped like a follow-up
 * code. The team never knows the reporter's code (only its hash is kept), so without this a reply
 * to their message would start a new report. Keyed with the server key: it cannot be guessed
 * from the report's id, and a reply continues the report only when it also comes from the
 * report's own reply address (never the address alone, never the reference alone).
 */
export function conversationReference(deps: Pick<Deps, 'secrets'>, reportId: string): string {
  return formatFollowUpCode(Buffer.from(deps.secrets.derive(`conversation-reference:${reportId}`), 'hex'));
}

/** A keyed hash of a reply address, to find an open conversation without storing the number in clear. */
export function replyAddressHash(deps: Pick<Deps, 'secrets'>, address: string): string {
  return deps.secrets.derive(`reply-address:${address.trim().toLowerCase()}`);
}
