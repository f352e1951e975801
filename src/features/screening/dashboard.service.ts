import { eq, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can, grantedSchools, screeningResultSchools } from '../../access/policy.ts';
import { hiddenCounts, hiddenParts } from '../../access/small-cells.rules.ts';
import { districts } from '../../data/districts.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { schoolYearOf } from './consent.rules.ts';
import { loadWindow, type Window } from './windows.service.ts';

type Count = Record<string, number>;

/**
 * A window's numbers per school: participation, positives by band, alerts acknowledged, and the
 * share of positive screens followed up by their due date. Counts only, computed in PostgreSQL
 * (bench/screening.ts measures it against 100 ms at p95 for 100,000 students, 500 ms for
 * 1,000,000). Analysts, who see every school's counts without working with its students, get
 * small cells hidden on the server.
 *
 * The window and the district are read first, and the window decides whether the actor may look
 * at all. Then two statements run at once on two connections, each one pass over what it counts:
 * attendance (enrolment, sittings; its transaction also appends the audit event) and answers
 * (consents, results, alerts). Neither transaction waits for the other while it holds its
 * connection, so many dashboards at once cannot exhaust the pool waiting on themselves.
 */
export async function windowDashboard(deps: Deps, actor: Actor, windowId: string) {
  if (!can(actor, 'screening.viewDashboard', null)) throw notFound('That screening window');
  const { w, district } = await withTenant(deps.db.app, actor, async (tx) => {
    const window = await loadWindow(tx, actor, windowId);
    const [row] = await tx
      .select({ timeZone: districts.timeZone, threshold: districts.smallCellThreshold })
      .from(districts)
      .where(eq(districts.id, actor.districtId));
    if (!row) throw notFound('District');
    return { w: window, district: row };
  });
  // A school the actor has no grant for would be dropped from the answer: it is not counted either.
  const granted = grantedSchools(actor);
  const schoolIds = granted === 'all' ? w.schoolIds : w.schoolIds.filter((schoolId) => granted.includes(schoolId));
  const today = districtDay(deps.clock.now(), district.timeZone);
  const [attendance, answers] = await Promise.all([
    withTenant(deps.db.app, actor, async (tx) => {
      const rows = await countAttendance(tx, w, schoolIds);
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'screening.dashboard_read',
        subjectType: 'screening_window',
        subjectId: w.id,
      });
      return rows;
    }),
    withTenant(deps.db.app, actor, (tx) => countAnswers(tx, w, schoolIds, today, district.timeZone)),
  ]);

  const answersOf = new Map(answers.map((a) => [a.school_id, a]));
  // Exact numbers for the school's own crisis roles; anyone else here (an analyst) gets small cells hidden.
  const exactFor = screeningResultSchools(actor);
  const exact = (schoolId: string) => exactFor === 'all' || exactFor.includes(schoolId);
  const schools = attendance.map((e) => {
    const o = answersOf.get(e.school_id);
    const due = o?.due ?? 0;
    const inTime = o?.in_time ?? 0;
    const school = {
      schoolId: e.school_id,
      school: e.school,
      enrolled: e.enrolled,
      consented: o?.consented ?? 0,
      optedOut: o?.opted_out ?? 0,
      screened: e.screened,
      absent: e.absent,
      declined: e.declined,
      participation: e.enrolled > 0 ? e.screened / e.enrolled : null,
      bands: o?.bands ?? {},
      positives: o?.positives ?? 0,
      // Of the follow-ups that were due (done, or past their day): one due next week is not late yet.
      followUpsDue: due,
      followedUpInTime: inTime,
      overdue: o?.overdue ?? 0,
      followUpRate: due > 0 ? inTime / due : null,
      alerts: o?.alerts ?? 0,
      alertsAcknowledged: o?.acknowledged ?? 0,
    };
    return exact(school.schoolId) ? { ...school, suppressed: [] as string[] } : protectSchool(school, district.threshold);
  });
  return {
    window: { id: w.id, name: w.name, opensOn: w.opensOn, closesOn: w.closesOn, instrumentIds: w.instrumentIds },
    threshold: district.threshold,
    schools,
  };
}

type AttendanceRow = { school_id: string; school: string; enrolled: number; screened: number; absent: number; declined: number };

/**
 * Per school with at least one active student in the window's grades, by school name: how many
 * are enrolled (from the roster index alone) and how their sittings ended. A sitting is one
 * session; a re-issued code voids the one before, so each student counts once. A student who
 * chose "I'd rather not" is counted apart, never as absent.
 */
async function countAttendance(tx: Transaction, w: Window, schoolIds: readonly string[]): Promise<AttendanceRow[]> {
  const schools = sql`${sql.param(schoolIds)}::uuid[]`;
  const result = await tx.execute<AttendanceRow>(sql`
    with enrolled as (
      select school_id, count(*)::int as n from students
      where active and school_id = any(${schools}) and grade = any(${sql.param(w.grades)}::text[]) group by school_id),
    sittings as (
      select school_id, count(*) filter (where status = 'completed')::int as screened, count(*) filter (where status = 'absent')::int as absent,
        count(*) filter (where status = 'declined')::int as declined
      from screening_sessions where window_id = ${w.id} and school_id = any(${schools}) and status in ('completed', 'absent', 'declined')
      group by school_id)
    select e.school_id, sc.name as school, e.n as enrolled, coalesce(si.screened, 0) as screened, coalesce(si.absent, 0) as absent,
      coalesce(si.declined, 0) as declined
    from enrolled e join schools sc on sc.id = e.school_id left join sittings si on si.school_id = e.school_id
    order by sc.name, e.school_id`);
  return result.rows;
}

type AnswerRow = {
  school_id: string;
  consented: number;
  opted_out: number;
  bands: Record<string, Count> | null;
  positives: number;
  due: number;
  in_time: number;
  overdue: number;
  alerts: number;
  acknowledged: number;
};

/**
 * Per school, what families and students said: consent and opt-outs, results by instrument and
 * band, follow-ups due, done in time and overdue, and alerts with how many were acknowledged (an
 * alert raised for two results of a school counts once there).
 *
 * Consent is per window (decision 20): this window's rows, and whole-year or standing opt-outs.
 * The guardian's latest word counts; a student's assent only where the guardian said nothing. A
 * consent counts at the student's school when the student is in the window. Where few students
 * have a word on record (opt-outs) they are looked up by id; where most do (active consent) the
 * roster is read once: PostgreSQL chooses, given page costs for data in memory (below).
 */
async function countAnswers(tx: Transaction, w: Window, schoolIds: readonly string[], today: string, timeZone: string): Promise<AnswerRow[]> {
  const schools = sql`${sql.param(schoolIds)}::uuid[]`;
  // work_mem: room for the per-student consent aggregate when everyone has consent on record.
  // random_page_cost: the default (4) prices a look-up by id as a disk seek, which makes
  // PostgreSQL read a million students to place ten thousand opt-outs. Both end with the transaction.
  await tx.execute(sql`select set_config('work_mem', '32MB', true), set_config('random_page_cost', '1.1', true)`);
  const result = await tx.execute<AnswerRow>(sql`
    with stance as (
      select student_id, (array_agg(kind order by recorded_at desc) filter (where kind <> 'student_consent'))[1] as guardian,
        bool_or(kind = 'student_consent') as assent
      from screening_consents
      where instrument_id is null and (window_id = ${w.id}
        or (window_id is null and kind in ('opt_out', 'withdrawn') and (school_year is null or school_year = ${schoolYearOf(w.opensOn)})))
      group by student_id),
    consents as (
      select s.school_id, count(*) filter (where c.guardian = 'consent' or (c.guardian is null and c.assent))::int as consented,
        count(*) filter (where c.guardian in ('opt_out', 'withdrawn'))::int as opted_out
      from stance c join students s on s.id = c.student_id
      where s.active and s.school_id = any(${schools}) and s.grade = any(${sql.param(w.grades)}::text[])
      group by s.school_id),
    results as (
      select school_id, instrument_id, coalesce(band, 'not_scored') as band, count(*)::int as n,
        count(*) filter (where follow_up_due_on is not null)::int as positives,
        count(*) filter (where follow_up_due_on is not null and (followed_up_at is not null or follow_up_due_on < ${today}::date))::int as due,
        count(*) filter (where followed_up_at is not null and (followed_up_at at time zone ${timeZone})::date <= follow_up_due_on)::int as in_time,
        count(*) filter (where followed_up_at is null and follow_up_due_on < ${today}::date)::int as overdue,
        array_agg(alert_report_id) filter (where alert_report_id is not null) as alert_ids
      from screening_results where window_id = ${w.id} and school_id = any(${schools})
      group by school_id, instrument_id, band),
    instruments as (
      select school_id, instrument_id, json_object_agg(band, n) as bands, sum(positives) as positives, sum(due) as due, sum(in_time) as in_time,
        sum(overdue) as overdue
      from results group by school_id, instrument_id),
    findings as (
      select school_id, json_object_agg(instrument_id, bands) as bands, sum(positives)::int as positives, sum(due)::int as due,
        sum(in_time)::int as in_time, sum(overdue)::int as overdue
      from instruments group by school_id),
    alerts as (
      select a.school_id, count(*)::int as alerts, count(r.acknowledged_at)::int as acknowledged
      from (select distinct school_id, unnest(alert_ids) as report_id from results) a left join reports r on r.id = a.report_id
      group by a.school_id)
    select school_id, coalesce(c.consented, 0) as consented, coalesce(c.opted_out, 0) as opted_out, f.bands, coalesce(f.positives, 0) as positives,
      coalesce(f.due, 0) as due, coalesce(f.in_time, 0) as in_time, coalesce(f.overdue, 0) as overdue, coalesce(a.alerts, 0) as alerts,
      coalesce(a.acknowledged, 0) as acknowledged
    from consents c full join findings f using (school_id) full join alerts a using (school_id)`);
  return result.rows;
}

type SchoolFigures = {
  enrolled: number;
  consented: number;
  optedOut: number;
  screened: number;
  absent: number;
  declined: number;
  participation: number | null;
  bands: Record<string, Count>;
  positives: number;
  followUpsDue: number;
  followedUpInTime: number;
  overdue: number;
  followUpRate: number | null;
  alerts: number;
  alertsAcknowledged: number;
};
const counted = [
  'enrolled',
  'consented',
  'optedOut',
  'screened',
  'absent',
  'declined',
  'positives',
  'followUpsDue',
  'followedUpInTime',
  'overdue',
  'alerts',
  'alertsAcknowledged',
] as const;
/** Each part against the whole it is a share of: a small remainder names students too. */
const shares = [
  ['consented', 'enrolled'],
  ['optedOut', 'enrolled'],
  ['screened', 'enrolled'],
  ['absent', 'enrolled'],
  ['declined', 'enrolled'],
  ['followUpsDue', 'positives'],
  ['followedUpInTime', 'followUpsDue'],
  ['overdue', 'followUpsDue'],
  ['alertsAcknowledged', 'alerts'],
] as const;

/**
 * A school's figures as an analyst may see them (small-cells.rules.ts): a count under the
 * district's threshold, or one whose remainder is, is null; a rate built on a hidden count is
 * null; within an instrument, small bands and their complement are null. `suppressed` names what
 * was hidden, so a null is never mistaken for "none".
 */
function protectSchool<S extends SchoolFigures>(school: S, threshold: number) {
  const counts = Object.fromEntries(counted.map((key) => [key, school[key]]));
  const hidden = hiddenCounts(counts, shares, threshold);
  const show = (key: (typeof counted)[number]) => (hidden.has(key) ? null : school[key]);
  const bands: Record<string, Record<string, number | null>> = {};
  const hiddenBands: string[] = [];
  for (const [instrument, byBand] of Object.entries(school.bands)) {
    const small = hiddenParts(byBand, threshold);
    bands[instrument] = Object.fromEntries(Object.entries(byBand).map(([band, n]) => [band, small.has(band) ? null : n]));
    hiddenBands.push(...[...small].map((band) => `bands.${instrument}.${band}`));
  }
  return {
    ...school,
    ...Object.fromEntries(counted.map((key) => [key, show(key)])),
    participation: hidden.has('screened') || hidden.has('enrolled') ? null : school.participation,
    followUpRate: hidden.has('followedUpInTime') || hidden.has('followUpsDue') ? null : school.followUpRate,
    bands,
    suppressed: [...counted.filter((key) => hidden.has(key)), ...hiddenBands],
  };
}
