import { eq } from 'drizzle-orm';
import { type Actor, actorLabel, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay, instantAt } from '../../platform/time-zone.ts';
import type { ExportFacts, ExportRow } from './access-log.print.ts';
import { describeEvent, type LogEvent, type LogLanguage, personOf, withheldFromFamily } from './access-log.rules.ts';
import { abuseMattersOf, accessLogBetween, accessLogOf, confidentialReferralsOf, findStudent, organizationNames } from './students.repository.ts';

/** Says each event in words, with the partner organizations it names looked up once. */
async function described<E extends LogEvent>(tx: Transaction, events: readonly E[], lang: LogLanguage) {
  const orgs = await organizationNames(
    tx,
    events.map((e) => e.detail.organizationId).filter((id): id is string => typeof id === 'string'),
  );
  return events.map((e) => ({ event: e, words: describeEvent(e, lang, (id) => orgs.get(id)) }));
}

/**
 * A student's access log, for administrators answering a parent's FERPA request; reading it is
 * audited too. Each entry keeps its stored code and reason and adds them in words (kind, who, to
 * whom, what, why), and says whether the family's copy leaves it out (access-log.rules.ts).
 */
export async function studentAccessLog(deps: Deps, actor: Actor, studentId: string, lang: LogLanguage = 'en') {
  const outcome = await withTenant(deps.db.app, actor, async (tx) => {
    const row = isUuid(studentId) ? await findStudent(tx, studentId) : undefined;
    if (!row || !can(actor, 'student.readAccessLog', { schoolId: row.student.schoolId })) return null;
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.access_log.read',
      subjectType: 'student',
      subjectId: studentId,
      studentId,
      reason: 'access log review',
    });
    const events = await accessLogOf(tx, studentId);
    const confidential = new Set([...(await confidentialReferralsOf(tx, studentId)), ...(await abuseMattersOf(tx, studentId))]);
    const entries = (await described(tx, events, lang)).map(({ event: e, words }) => ({
      id: e.id,
      at: e.at,
      actor: e.actor,
      action: e.action,
      reason: e.reason,
      ...words,
      withheldFromFamily: withheldFromFamily(e, confidential),
    }));
    return { student: { id: row.student.id, firstName: row.student.firstName, lastName: row.student.lastName, localId: row.student.localId }, entries };
  });
  if (!outcome) throw notFound('That student');
  return outcome;
}

export type ExportQuery = { from?: string | undefined; to?: string | undefined; format: 'csv' | 'html'; lang: LogLanguage };

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const startOf = (day: string, timeZone: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return instantAt(y, m, d, 0, timeZone);
};

/**
 * The family's copy of the access log for a period (FERPA 34 CFR 99.10 and 99.32): every look
 * and disclosure, oldest first, in their language, with the district's days and times. School
 * and district administrators and the student's counselors prepare it; anyone else gets 404, as
 * for any record they cannot see. Preparing it is itself an event in the log (and in the copy).
 */
export async function exportAccessLog(deps: Deps, actor: Actor, studentId: string, query: ExportQuery) {
  const outcome = await withTenant(deps.db.app, actor, async (tx) => {
    const row = isUuid(studentId) ? await findStudent(tx, studentId) : undefined;
    if (!row || !can(actor, 'student.exportAccessLog', { schoolId: row.student.schoolId })) return null;
    const [district] = await tx.select({ name: districts.name, timeZone: districts.timeZone }).from(districts).where(eq(districts.id, actor.districtId));
    if (!district) throw new Error(`district ${actor.districtId} is not visible here; the access log cannot be dated`);
    const timeZone = district.timeZone;
    const now = deps.clock.now();
    const to = query.to ?? districtDay(now, timeZone);
    const from = query.from ?? null;
    if (from && from > to)
      throw badRequest('The period starts after it ends; check the dates.', {
        code: 'period_reversed',
        es: 'El período empieza después de terminar; revise las fechas.',
      });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'student.access_log.exported',
      subjectType: 'student',
      subjectId: row.student.id,
      studentId: row.student.id,
      reason: "answering a parent's request to inspect the record (FERPA 34 CFR 99.10)",
      detail: { from, to, format: query.format, lang: query.lang },
    });
    const events = await accessLogBetween(tx, row.student.id, from ? startOf(from, timeZone) : null, startOf(nextDay(to), timeZone));
    const confidential = new Set([...(await confidentialReferralsOf(tx, row.student.id)), ...(await abuseMattersOf(tx, row.student.id))]);
    const shown = events.filter((e) => !withheldFromFamily(e, confidential));
    const rows: ExportRow[] = (await described(tx, shown, query.lang)).map(({ event, words }) => ({ ...words, at: event.at }));
    const facts: ExportFacts = {
      // The name on the school record, never a preferred name the family may not know (it could out a student).
      student: { firstName: row.student.firstName, lastName: row.student.lastName, localId: row.student.localId },
      school: row.school.name,
      district: district.name,
      timeZone,
      from,
      to,
      preparedAt: now,
      preparedBy: personOf(actorLabel(actor), query.lang),
    };
    return { rows, facts };
  });
  if (!outcome) throw notFound('That student');
  return outcome;
}
