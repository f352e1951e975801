import { eq, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can, screeningResultSchools } from '../../access/policy.ts';
import { hiddenCounts, hiddenParts } from '../../access/small-cells.rules.ts';
import { districts } from '../../data/districts.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { schoolYearOf } from './consent.rules.ts';
import { consentPolicyOf, loadWindow } from './windows.service.ts';

type Count = Record<string, number>;

/**
 * A window's numbers per school: participation, positives by band, alerts acknowledged, and the
 * share of positive screens followed up by their due date. Counts only, computed in PostgreSQL
 * (bench/screening.ts measures it against 100 ms at p95 for 100,000 students). Analysts, who see every
 * school's counts without working with its students, get small cells hidden on the server.
 */
export async function windowDashboard(deps: Deps, actor: Actor, windowId: string) {
  if (!can(actor, 'screening.viewDashboard', null)) throw notFound('That screening window');
  const { w, policy, threshold } = await withTenant(deps.db.app, actor, async (tx) => ({
    w: await loadWindow(tx, actor, windowId),
    policy: await consentPolicyOf(tx, actor.districtId),
    threshold: (await tx.select({ n: districts.smallCellThreshold }).from(districts).where(eq(districts.id, actor.districtId)))[0]?.n ?? 10,
  }));
  const today = districtDay(deps.clock.now(), policy.timeZone);
  const schoolIds = sql`${`{${w.schoolIds.join(',')}}`}::uuid[]`;
  const grades = sql`${`{${w.grades.join(',')}}`}::text[]`;
  // Two connections at once: the roster side and the results side are independent reads, each
  // one pass over an index (index-only scans, hash aggregates).
  const [roster, outcome] = await Promise.all([
    withTenant(deps.db.app, actor, async (tx) => {
      await tx.execute(sql`set local work_mem = '32MB'`);
      const enrolled = await tx.execute<{ school_id: string; school: string; n: number }>(sql`
        select s.school_id, sc.name as school, count(*)::int as n from students s join schools sc on sc.id = s.school_id
        where s.active and s.school_id = any(${schoolIds}) and s.grade = any(${grades}) group by s.school_id, sc.name order by sc.name`);
      // Consent is per window (decision 20): this window's rows, and whole-year or standing opt-outs.
      // The guardian's latest word counts; a student's assent only where the guardian said nothing.
      const consents = await tx.execute<{ school_id: string; consented: number; opted_out: number }>(sql`
        with spoken as (select student_id, kind, recorded_at from screening_consents where instrument_id is null and (window_id = ${w.id}
            or (window_id is null and kind in ('opt_out', 'withdrawn') and (school_year is null or school_year = ${schoolYearOf(w.opensOn)})))),
          guardian as (select distinct on (student_id) student_id, kind from spoken where kind <> 'student_consent' order by student_id, recorded_at desc),
          assent as (select distinct student_id from spoken where kind = 'student_consent')
        select s.school_id, count(*) filter (where g.kind = 'consent' or (g.kind is null and a.student_id is not null))::int as consented,
          count(*) filter (where g.kind in ('opt_out', 'withdrawn'))::int as opted_out
        from guardian g full join assent a on a.student_id = g.student_id join students s on s.id = coalesce(g.student_id, a.student_id)
        where s.active and s.school_id = any(${schoolIds}) and s.grade = any(${grades}) group by s.school_id`);
      await deps.audit.append(tx, actor.districtId, auditActor(actor), {
        action: 'screening.dashboard_read',
        subjectType: 'screening_window',
        subjectId: w.id,
      });
      return { enrolled: enrolled.rows, consents: new Map(consents.rows.map((c) => [c.school_id, c])) };
    }),
    withTenant(deps.db.app, actor, async (tx) => {
      await tx.execute(sql`set local work_mem = '32MB'`);
      // (No DISTINCT aggregates: they would force a sort; alert ids are de-duplicated below.)
      // A sitting is one session; a re-issued code voids the one before, so each student counts once.
      // A student who chose "I'd rather not" is counted apart, never as absent.
      const sittings = await tx.execute<{ school_id: string; screened: number; absent: number; declined: number }>(sql`
        select school_id, count(*) filter (where status = 'completed')::int as screened, count(*) filter (where status = 'absent')::int as absent,
          count(*) filter (where status = 'declined')::int as declined
        from screening_sessions where window_id = ${w.id} and status in ('completed', 'absent', 'declined') group by school_id`);
      const results = await tx.execute<{
        school_id: string;
        instrument_id: string;
        band: string | null;
        n: number;
        positives: number;
        due: number;
        in_time: number;
        open_overdue: number;
        alert_ids: string[] | null;
      }>(sql`
        select school_id, instrument_id, band, count(*)::int as n,
          count(*) filter (where follow_up_due_on is not null)::int as positives,
          count(*) filter (where follow_up_due_on is not null and (followed_up_at is not null or follow_up_due_on < ${today}::date))::int as due,
          count(*) filter (where followed_up_at is not null and (followed_up_at at time zone ${policy.timeZone})::date <= follow_up_due_on)::int as in_time,
          count(*) filter (where followed_up_at is null and follow_up_due_on < ${today}::date)::int as open_overdue,
          array_agg(alert_report_id) filter (where alert_report_id is not null) as alert_ids
        from screening_results where window_id = ${w.id} group by school_id, instrument_id, band`);
      const alertIds = [...new Set(results.rows.flatMap((r) => r.alert_ids ?? []))];
      const acknowledged =
        alertIds.length === 0
          ? []
          : (await tx.execute<{ id: string }>(sql`select id from reports where id = any(${`{${alertIds.join(',')}}`}::uuid[]) and acknowledged_at is not null`))
              .rows;
      return { sittings: new Map(sittings.rows.map((r) => [r.school_id, r])), results: results.rows, acknowledged: new Set(acknowledged.map((r) => r.id)) };
    }),
  ]);

  const bySchool = new Map<string, { bands: Record<string, Count>; positives: number; due: number; inTime: number; overdue: number; alerts: Set<string> }>();
  for (const r of outcome.results) {
    const school = bySchool.get(r.school_id) ?? { bands: {}, positives: 0, due: 0, inTime: 0, overdue: 0, alerts: new Set<string>() };
    const instrument = school.bands[r.instrument_id] ?? {};
    instrument[r.band ?? 'not_scored'] = r.n;
    school.bands[r.instrument_id] = instrument;
    school.positives += r.positives;
    school.due += r.due;
    school.inTime += r.in_time;
    school.overdue += r.open_overdue;
    for (const id of r.alert_ids ?? []) school.alerts.add(id);
    bySchool.set(r.school_id, school);
  }
  const visible = (schoolId: string) => actor.grants.some((g) => g.schoolId === null || g.schoolId === schoolId);
  // Exact numbers for the school's own crisis roles; anyone else here (an analyst) gets small cells hidden.
  const exactFor = screeningResultSchools(actor);
  const exact = (schoolId: string) => exactFor === 'all' || exactFor.includes(schoolId);
  const schools = roster.enrolled
    .filter((e) => visible(e.school_id))
    .map((e) => {
      const f = bySchool.get(e.school_id);
      const sitting = outcome.sittings.get(e.school_id);
      const screened = sitting?.screened ?? 0;
      return {
        schoolId: e.school_id,
        school: e.school,
        enrolled: e.n,
        consented: roster.consents.get(e.school_id)?.consented ?? 0,
        optedOut: roster.consents.get(e.school_id)?.opted_out ?? 0,
        screened,
        absent: sitting?.absent ?? 0,
        declined: sitting?.declined ?? 0,
        participation: e.n > 0 ? screened / e.n : null,
        bands: f?.bands ?? {},
        positives: f?.positives ?? 0,
        // Of the follow-ups that were due (done, or past their day): one due next week is not late yet.
        followUpsDue: f?.due ?? 0,
        followedUpInTime: f?.inTime ?? 0,
        overdue: f?.overdue ?? 0,
        followUpRate: f && f.due > 0 ? f.inTime / f.due : null,
        alerts: f?.alerts.size ?? 0,
        alertsAcknowledged: [...(f?.alerts ?? [])].filter((id) => outcome.acknowledged.has(id)).length,
      };
    })
    .map((school) => (exact(school.schoolId) ? { ...school, suppressed: [] as string[] } : protectSchool(school, threshold)));
  return {
    window: { id: w.id, name: w.name, opensOn: w.opensOn, closesOn: w.closesOn, instrumentIds: w.instrumentIds },
    threshold,
    schools,
  };
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
