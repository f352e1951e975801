import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { allowingGrant, screeningResultSchools } from '../../access/policy.ts';
import { districts, schools } from '../../data/districts.ts';
import { screeningResults } from '../../data/screening.ts';
import { alertFlags, type resultSources } from '../../data/screening.values.ts';
import { students } from '../../data/students.ts';
import { recordStudentsShown } from '../../platform/audit/students-shown.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { sha256 } from '../../platform/secrets.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { storeReports } from '../crisis-reports/index.ts';
import { districtTimeZone } from '../districts/index.ts';
import { addSchoolDays } from './eligibility.rules.ts';
import { toQuestionnaireResponse } from './fhir.rules.ts';
import { instrumentVersion } from './instruments.service.ts';
import type { Instrument } from './library.ts';
import { riskUnknown, type ScoreResult } from './scoring.rules.ts';

export type StudentRef = { id: string; schoolId: string; firstName: string; lastName: string; localId: string };
export type AlertUrgency = 'urgent' | 'life_safety';

/** The urgency a set of flags calls for: imminent risk is life-safety, any other suicide risk urgent. */
export function alertUrgencyOf(flags: readonly string[]): AlertUrgency | null {
  if (flags.includes('imminent_risk')) return 'life_safety';
  if (flags.some((f) => (alertFlags as readonly string[]).includes(f))) return 'urgent';
  return null;
}

export type ScreeningAlert = {
  districtId: string;
  student: StudentRef;
  instrumentName: string;
  urgency: AlertUrgency;
  flags: readonly string[];
  by?: { userId: string; label: string };
};

/**
 * Raises a suicide-risk alert as a crisis report, so it travels the same on-call chain with the
 * same acknowledgement and timing as a life-safety report from any other channel. The alert
 * messages name urgency, category and school only; the student is named inside Haven.
 */
export async function raiseScreeningAlert(deps: Deps, input: ScreeningAlert): Promise<string> {
  const [id] = await raiseScreeningAlerts(deps, [input]);
  return id as string;
}

/**
 * Raises several alerts at once (an import's risk rows): stored and routed in one transaction per
 * district instead of one each, so 500 alerts go out in well under a second, not in nine.
 * Returns the report ids in the order of `inputs`.
 */
export async function raiseScreeningAlerts(deps: Deps, inputs: readonly ScreeningAlert[]): Promise<string[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map(() => deps.ids.uuid());
  await storeReports(
    deps,
    inputs.map((input, n) => {
      const imminent = input.urgency === 'life_safety';
      return {
        id: ids[n] as string,
        followUpCodeHash: sha256(randomBytes(16).toString('hex')),
        receivedAt: deps.clock.now().toISOString(),
        channel: 'screening' as const,
        studentId: input.student.id,
        enteredByUserId: input.by?.userId,
        enteredByLabel: input.by?.label ?? 'screening',
        input: {
          // Worded so that triage keeps the urgency the instrument decided (it only ever raises).
          description: imminent
            ? `Screening (${input.instrumentName}): imminent risk. Keep the student in sight and never alone; a STAT safety evaluation is needed now.`
            : `Screening (${input.instrumentName}): an answer about thoughts of death or of self-harm. A trained person must check in with the student before the end of the school day, as the student was told.`,
          about: `${input.student.firstName} ${input.student.lastName} (${input.student.localId})`,
          school: input.student.schoolId,
          category: 'suicide_self_harm' as const,
          urgency: input.urgency,
          language: 'en' as const,
        },
      };
    }),
    { strict: true },
  );
  return ids;
}

export type NewResult = {
  districtId: string;
  student: StudentRef;
  instrument: Instrument;
  answers: Record<string, unknown>;
  context: Record<string, unknown>;
  source: (typeof resultSources)[number];
  windowId?: string | null;
  sessionId?: string | null;
  recordedBy?: { userId: string; label: string } | null;
  emergency?: boolean;
  administeredAt: Date;
  /** An alert already raised for these answers (during the screen), so none is raised twice. */
  alertReportId?: string | null;
  /** A student's own screen is stored even when too many questions were skipped to score it. */
  storeIncomplete?: boolean;
  /** The screen ended part-way: questions never reached are unknown, not unanswered. */
  abandoned?: boolean;
};

/**
 * Scores and stores one result. Invalid answers store nothing and answer 400 with every error.
 * A suicide-risk flag raises its alert first (committed before the result, so an alert is never
 * missing for a stored result); other positives get a follow-up due date in school days.
 */
export async function recordResult(
  deps: Deps,
  input: NewResult,
): Promise<{ id: string; result: ScoreResult; alertReportId: string | null; followUpDueOn: string | null }> {
  const result = input.instrument.score(input.answers, input.context, input.abandoned ? { abandoned: true } : undefined);
  if (!result.valid && !input.storeIncomplete)
    throw badRequest(`These answers cannot be scored: ${result.errors.join('; ')}.`, {
      errors: result.errors,
      es: `Estas respuestas no se pueden calificar: ${result.errorsEs.join('; ')}.`,
    });
  const urgency = alertUrgencyOf(result.flags);
  let alertReportId = input.alertReportId ?? null;
  if (urgency && !alertReportId) {
    alertReportId = await raiseScreeningAlert(deps, {
      districtId: input.districtId,
      student: input.student,
      instrumentName: input.instrument.definition.name,
      urgency,
      flags: result.flags,
      ...(input.recordedBy ? { by: input.recordedBy } : {}),
    });
  }
  const id = deps.ids.uuid();
  const followUpDueOn = await withTenant(deps.db.app, { districtId: input.districtId, userId: input.recordedBy?.userId ?? null }, async (tx) => {
    const due = await followUpDue(tx, input.districtId, input.administeredAt, result.flags, urgency !== null);
    await tx.insert(screeningResults).values({
      id,
      districtId: input.districtId,
      studentId: input.student.id,
      schoolId: input.student.schoolId,
      windowId: input.windowId ?? null,
      sessionId: input.sessionId ?? null,
      instrumentId: result.instrument,
      instrumentVersion: result.version,
      source: input.source,
      answers: input.answers,
      context: input.context,
      score: result.score,
      band: result.band,
      subscales: result.subscales,
      flags: result.flags,
      actions: result.actions,
      prorated: result.prorated,
      valid: result.valid,
      emergency: input.emergency ?? false,
      administeredAt: input.administeredAt,
      recordedBy: input.recordedBy?.userId ?? null,
      alertReportId,
      followUpDueOn: due,
    });
    await deps.audit.append(tx, input.districtId, input.recordedBy ?? { userId: null, label: `student screen (${input.source})` }, {
      action: 'screening.result_recorded',
      subjectType: 'screening_result',
      subjectId: id,
      studentId: input.student.id,
      detail: { instrument: result.instrument, band: result.band, flags: result.flags, alert: alertReportId !== null },
    });
    return due;
  });
  return { id, result, alertReportId, followUpDueOn };
}

/**
 * Positives are followed up within the district's school days; alerts, and screens left before a
 * suicide question was reached (`risk_unknown`), the same day.
 */
async function followUpDue(tx: Transaction, districtId: string, at: Date, flags: readonly string[], alerted: boolean): Promise<string | null> {
  const sameDay = alerted || flags.includes(riskUnknown);
  if (!sameDay && !flags.includes('positive')) return null;
  const [district] = await tx.select({ days: districts.screeningFollowUpDays }).from(districts).where(eq(districts.id, districtId));
  const today = districtDay(at, await districtTimeZone(tx, districtId));
  return sameDay ? today : addSchoolDays(today, district?.days ?? 5);
}

/**
 * Positive screens waiting for a follow-up, oldest due first, in the schools the actor serves.
 * Reading the queue is audited, and each student it names gets a row in their access log.
 */
export async function followUpQueue(deps: Deps, actor: Actor, options: { includeDone: boolean }) {
  const scope = screeningResultSchools(actor);
  if (scope !== 'all' && scope.length === 0) throw notFound('The follow-up queue');
  return withTenant(deps.db.app, actor, async (tx) => {
    const rows = await tx
      .select({
        id: screeningResults.id,
        instrumentId: screeningResults.instrumentId,
        band: screeningResults.band,
        score: screeningResults.score,
        flags: screeningResults.flags,
        administeredAt: screeningResults.administeredAt,
        followUpDueOn: screeningResults.followUpDueOn,
        followedUpAt: screeningResults.followedUpAt,
        alertReportId: screeningResults.alertReportId,
        studentId: students.id,
        firstName: students.firstName,
        lastName: students.lastName,
        localId: students.localId,
        grade: students.grade,
        schoolId: screeningResults.schoolId,
        school: schools.name,
      })
      .from(screeningResults)
      .innerJoin(students, eq(students.id, screeningResults.studentId))
      .innerJoin(schools, eq(schools.id, screeningResults.schoolId))
      .where(
        and(
          isNotNull(screeningResults.followUpDueOn),
          options.includeDone ? undefined : isNull(screeningResults.followedUpAt),
          scope === 'all' ? undefined : inArray(screeningResults.schoolId, scope),
        ),
      )
      .orderBy(asc(screeningResults.followUpDueOn), asc(screeningResults.administeredAt))
      .limit(500);
    // Each student named is one row in their access log (a student with two positives, one row).
    const shown = rows.flatMap((r) => {
      const grant = allowingGrant(actor, 'screening.readResults', { schoolId: r.schoolId });
      return grant ? [{ studentId: r.studentId, basis: { grant, school: r.school } }] : [];
    });
    await recordStudentsShown(deps.audit, tx, actor.districtId, auditActor(actor), 'follow_up_queue', shown, {
      action: 'screening.follow_up_queue_read',
      subjectType: 'screening_queue',
      detail: { rows: rows.length },
    });
    const today = districtDay(deps.clock.now(), await districtTimeZone(tx, actor.districtId));
    return rows.map(({ schoolId: _schoolId, ...r }) => ({
      ...r,
      administeredAt: r.administeredAt.toISOString(),
      followedUpAt: r.followedUpAt?.toISOString() ?? null,
      overdue: r.followedUpAt === null && r.followUpDueOn !== null && r.followUpDueOn < today,
    }));
  });
}

/** Records that a person followed up a positive screen (what was done, briefly). */
export async function recordFollowUp(deps: Deps, actor: Actor, resultId: string, note: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [row] = isUuid(resultId) ? await tx.select().from(screeningResults).where(eq(screeningResults.id, resultId)) : [];
    if (!row || !allowingGrant(actor, 'screening.readResults', { schoolId: row.schoolId })) throw notFound('That screening result');
    if (row.followedUpAt) throw badRequest('This screen was already followed up.', { es: 'Esta evaluación ya tuvo seguimiento.' });
    const now = deps.clock.now();
    await tx.update(screeningResults).set({ followedUpAt: now, followedUpBy: actor.userId, followUpNote: note }).where(eq(screeningResults.id, row.id));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.followed_up',
      subjectType: 'screening_result',
      subjectId: row.id,
      studentId: row.studentId,
    });
    return { id: row.id, followedUpAt: now.toISOString() };
  });
}

/** A student's screening history, newest first, for the chart on their profile. Audited as a read. */
export async function studentScreeningHistory(deps: Deps, actor: Actor, studentId: string) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const [student] = isUuid(studentId) ? await tx.select().from(students).where(eq(students.id, studentId)) : [];
    const grant = student ? allowingGrant(actor, 'screening.readResults', { schoolId: student.schoolId }) : undefined;
    if (!student || !grant) {
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'screening.history_read.denied',
        subjectType: 'student',
        subjectId: studentId.slice(0, 64),
      });
      return null;
    }
    const rows = await tx.select().from(screeningResults).where(eq(screeningResults.studentId, student.id)).orderBy(desc(screeningResults.administeredAt));
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'screening.history_read',
      subjectType: 'student',
      subjectId: student.id,
      studentId: student.id,
      reason: `${grant.role.replace('_', ' ')} (screening results)`,
    });
    return {
      student: { id: student.id, firstName: student.firstName, lastName: student.lastName, localId: student.localId, grade: student.grade },
      results: rows.map((r) => ({
        id: r.id,
        instrumentId: r.instrumentId,
        instrumentVersion: r.instrumentVersion,
        administeredAt: r.administeredAt.toISOString(),
        score: r.score,
        band: r.band,
        subscales: r.subscales,
        flags: r.flags,
        actions: r.actions,
        prorated: r.prorated,
        valid: r.valid,
        emergency: r.emergency,
        source: r.source,
        followUpDueOn: r.followUpDueOn,
        followedUpAt: r.followedUpAt?.toISOString() ?? null,
        followUpNote: r.followUpNote,
        alertReportId: r.alertReportId,
      })),
    };
  });
}

/** A student's results as a FHIR Bundle of QuestionnaireResponses (each in the version that scored it). Audited. */
export async function studentResultsAsFhir(deps: Deps, actor: Actor, studentId: string) {
  const history = await studentScreeningHistory(deps, actor, studentId);
  if (!history) throw notFound('That student');
  const entries = [];
  for (const r of history.results) {
    const instrument = await instrumentVersion(deps, actor.districtId, r.instrumentId, r.instrumentVersion);
    if (!instrument) continue;
    const [row] = await withTenant(deps.db.app, actor, (tx) =>
      tx.select({ answers: screeningResults.answers }).from(screeningResults).where(eq(screeningResults.id, r.id)),
    );
    entries.push({
      resource: toQuestionnaireResponse(
        instrument.definition,
        { id: r.id, answers: row?.answers ?? {}, score: r.score, administeredAt: r.administeredAt },
        { localId: history.student.localId, name: `${history.student.firstName} ${history.student.lastName}` },
        deps.settings.publicUrl,
      ),
    });
  }
  return { resourceType: 'Bundle', type: 'collection', total: entries.length, entry: entries };
}
