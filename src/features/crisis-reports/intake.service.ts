import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { and, asc, desc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { isDatabaseUnavailable, type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { sha256 } from '../../platform/secrets.ts';
import { alertCurrentStep, deliver } from './alerts.service.ts';
import type { ReportInput } from './crisis-reports.schema.ts';
import { incidents, type reportChannels, reportIntake, reports } from './crisis-reports.tables.ts';
import { resolvePlace } from './places.ts';
import { type Comparable, duplicateWindowHours, formatFollowUpCode, sameIncident } from './reports.rules.ts';
import { triage } from './triage.rules.ts';

type Channel = (typeof reportChannels)[number];

/** Everything needed to store a report, decided before the database is touched (so it can be spooled). */
export type PendingReport = {
  id: string;
  followUpCodeHash: string;
  receivedAt: string;
  channel: Channel;
  input: ReportInput;
  replyAddress?: string | undefined;
  enteredByUserId?: string | undefined;
  enteredByLabel?: string | undefined;
  stateTipLineId?: string | undefined;
  /** Set when Haven itself knows the student (a screening alert). */
  studentId?: string | undefined;
};

export type Received = { id: string; followUpCode: string; spooled: boolean };

/**
 * Takes a report from any channel. The sender hears back only after the report is durably
 * stored: committed in PostgreSQL, or, when the database cannot be reached, fsynced to the spool
 * (replayed when it returns). Either way they get a follow-up code. Bad input is refused with a
 * 400 before anything is stored; nothing is ever half-stored.
 */
export async function receiveReport(
  deps: Deps,
  channel: Channel,
  input: ReportInput,
  extras: Pick<PendingReport, 'replyAddress' | 'enteredByUserId' | 'enteredByLabel' | 'stateTipLineId'> = {},
): Promise<Received> {
  const followUpCode = formatFollowUpCode(randomBytes(8));
  const pending: PendingReport = {
    id: deps.ids.uuid(),
    followUpCodeHash: sha256(followUpCode),
    receivedAt: deps.clock.now().toISOString(),
    channel,
    input,
    ...extras,
  };
  // Under a burst, a report is written to the intake queue (one row) and routed by the worker,
  // life-safety first; otherwise it is routed at once, so alerts leave before the answer does.
  const queue = inflight >= maxInline;
  try {
    if (queue) {
      await resolvePlace(deps, input, true); // refuse what a person can still fix
      await withDeadline(enqueue(deps, pending), storeDeadlineMs);
      intakeEvents.emit('queued');
    } else {
      inflight += 1;
      const storing = storeReport(deps, pending, { strict: true }).finally(() => {
        inflight -= 1;
      });
      await withDeadline(storing, storeDeadlineMs);
    }
    return { id: pending.id, followUpCode, spooled: false };
  } catch (error) {
    if (!isDatabaseUnavailable(error) && !(error instanceof DeadlineExceeded)) throw error;
    // A store that is only slow may still commit; the replay then finds the same id and adds nothing.
    await deps.reportSpool.append(pending);
    return { id: pending.id, followUpCode, spooled: true };
  }
}

/** Reports being routed right now in this process; above `maxInline`, new ones are queued. */
let inflight = 0;
const maxInline = 8;

/** Tells this process's worker that the intake queue has rows. */
export const intakeEvents = new EventEmitter();

const priority = { life_safety: 0, urgent: 1, routine: 2 } as const;

async function enqueue(deps: Deps, pending: PendingReport): Promise<void> {
  const { urgency } = triage({
    category: pending.input.category,
    urgencyReported: pending.input.urgency,
    text: `${pending.input.description} ${pending.input.about ?? ''}`,
  });
  await deps.db.system.insert(reportIntake).values({ id: pending.id, receivedAt: new Date(pending.receivedAt), priority: priority[urgency], payload: pending });
}

/**
 * Routes queued reports, life-safety first. Each is stored idempotently (by id) before its queue
 * row is deleted, so a crash in between routes it again without a duplicate. Several servers
 * share the queue (SKIP LOCKED). Returns how many were routed.
 */
export async function drainIntake(deps: Deps, batch = 25): Promise<number> {
  return deps.db.system.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(reportIntake)
      .orderBy(asc(reportIntake.priority), asc(reportIntake.receivedAt))
      .limit(batch)
      .for('update', { skipLocked: true });
    for (const row of rows) await storeReport(deps, row.payload as PendingReport, { strict: false });
    if (rows.length > 0)
      await tx.delete(reportIntake).where(
        inArray(
          reportIntake.id,
          rows.map((r) => r.id),
        ),
      );
    return rows.length;
  });
}

/** How long a sender waits for the database before their report goes to the spool instead. */
const storeDeadlineMs = 4000;

class DeadlineExceeded extends Error {}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(`no answer from the database within ${ms} ms`)), ms);
  });
  work.catch(() => undefined); // a late failure after the deadline is handled by the spool replay
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Stores a pending report, links it to an incident, alerts the first step. Idempotent by id. */
export async function storeReport(deps: Deps, pending: PendingReport, options: { strict: boolean }): Promise<void> {
  const { districtId, schoolId } = await resolvePlace(deps, pending.input, options.strict);
  const input = pending.input;
  const assessed = triage({ category: input.category, urgencyReported: input.urgency, text: `${input.description} ${input.about ?? ''}` });
  const receivedAt = new Date(pending.receivedAt);
  const outbound = await withTenant(deps.db.app, { districtId, userId: pending.enteredByUserId ?? null }, async (tx) => {
    const incidentId = await findIncident(deps, tx, {
      id: pending.id,
      districtId,
      schoolId,
      aboutPerson: input.about || null,
      description: input.description,
      receivedAt,
    });
    const inserted = await tx
      .insert(reports)
      .values({
        id: pending.id,
        districtId,
        schoolId,
        incidentId,
        channel: pending.channel,
        category: input.category,
        urgencyReported: input.urgency,
        urgency: assessed.urgency,
        triageReasons: assessed.reasons,
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
        receivedAt,
      })
      .onConflictDoNothing({ target: reports.id })
      .returning();
    const report = inserted[0];
    if (!report) return []; // already stored (a spool replay after a crash)
    const outbound = await alertCurrentStep(deps, tx, report, deps.clock.now());
    // Last, so the district's audit lock is held only for the append and the commit.
    await deps.audit.append(
      tx,
      districtId,
      { userId: pending.enteredByUserId ?? null, label: pending.enteredByLabel ?? `reporter via ${pending.channel}` },
      {
        action: 'report.received',
        subjectType: 'report',
        subjectId: report.id,
        detail: { channel: report.channel, category: report.category, urgency: report.urgency },
      },
    );
    return outbound;
  });
  await deliver(deps, outbound);
}

/**
 * Links the report to an earlier one about the same person, or the same school in similar words.
 * Only reports that could match are read: same school, or naming the same person.
 */
async function findIncident(deps: Deps, tx: Transaction, report: Comparable & { id: string; districtId: string }): Promise<string | null> {
  const person = report.aboutPerson?.trim().toLowerCase() || null;
  if (!report.schoolId && !person) return null;
  const since = new Date(report.receivedAt.getTime() - duplicateWindowHours * 3_600_000);
  const sameSchoolOrPerson = or(
    report.schoolId ? eq(reports.schoolId, report.schoolId) : undefined,
    person ? sql`lower(trim(${reports.aboutPerson})) = ${person}` : undefined,
  );
  const recent = await tx
    .select({
      id: reports.id,
      incidentId: reports.incidentId,
      schoolId: reports.schoolId,
      aboutPerson: reports.aboutPerson,
      description: reports.description,
      receivedAt: reports.receivedAt,
    })
    .from(reports)
    .where(and(gt(reports.receivedAt, since), sql`${reports.id} <> ${report.id}`, sameSchoolOrPerson))
    .orderBy(desc(reports.receivedAt))
    .limit(200);
  const match = recent.find((other) => sameIncident(report, other));
  if (!match) return null;
  if (match.incidentId) return match.incidentId;
  const incidentId = deps.ids.uuid();
  await tx.insert(incidents).values({ id: incidentId, districtId: report.districtId, schoolId: report.schoolId, createdAt: deps.clock.now() });
  await tx.update(reports).set({ incidentId }).where(eq(reports.id, match.id));
  return incidentId;
}

/** A keyed hash of a reply address, to find an open conversation without storing the number in clear. */
export function replyAddressHash(deps: Pick<Deps, 'secrets'>, address: string): string {
  return deps.secrets.derive(`reply-address:${address.trim().toLowerCase()}`);
}

/** Replays spooled reports once the database answers again. */
export async function replaySpooledReports(deps: Deps): Promise<number> {
  return deps.reportSpool.drain((record) => storeReport(deps, record as PendingReport, { strict: false }));
}
