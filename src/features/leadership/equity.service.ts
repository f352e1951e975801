import { eq, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { districts } from '../../data/districts.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { federalCategory } from './equity.rules.ts';
import { eligibleFor, type LevelCounts, levelsOf, noCounts, type Step } from './equity-path.rules.ts';
import { type EquityCounts, equityView, type Hist } from './equity-view.rules.ts';
import { rollup } from './rollups.service.ts';

/** One student over the last year: who they are (for grouping) and what happened. */
type PathRow = {
  grade: string;
  homeLanguage: string;
  englishLearner: boolean;
  iep: boolean;
  section504: boolean;
  freeReducedLunch: boolean;
  homeless: boolean;
  fosterCare: boolean;
  raceEthnicity: string[];
  gender: string;
  inWindow: boolean;
  reported: boolean;
  screened: boolean;
  positive: boolean;
  dueOn: string | null;
  positiveAt: Date | null;
  followedUpAt: Date | null;
  referredAt: Date | null;
  seenAt: Date | null;
  plan: boolean;
  improved: boolean | null;
};

const gradeBand = (grade: string) => (['PK', 'K', '1', '2', '3', '4', '5'].includes(grade) ? 'K-5' : ['6', '7', '8'].includes(grade) ? '6-8' : '9-12');
const yes = (flag: boolean) => (flag ? 'yes' : 'no');

/** The group a student belongs to in each dimension; a student is in one group per dimension, several in all. */
const dimensions: Record<string, (r: PathRow) => string> = {
  race_ethnicity: (r) => federalCategory(r.raceEthnicity),
  home_language: (r) => r.homeLanguage,
  english_learner: (r) => yes(r.englishLearner),
  iep: (r) => yes(r.iep),
  section_504: (r) => yes(r.section504),
  free_reduced_lunch: (r) => yes(r.freeReducedLunch),
  homeless: (r) => yes(r.homeless),
  foster_care: (r) => yes(r.fosterCare),
  gender: (r) => r.gender,
  grade_band: (r) => gradeBand(r.grade),
};

const days = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 86_400_000);

/**
 * One row per active student with what happened since `since` (exported for the benchmark's
 * baseline). "In a window": the student's school and grade were in a screening window open at
 * some time in the period, so screening was offered to them.
 */
export const pathQuery = (since: Date, until: Date = new Date()) => sql`
      with pos as (
        select distinct on (student_id) student_id, administered_at, follow_up_due_on, followed_up_at, instrument_id, score
        from screening_results
        where valid and administered_at >= ${since} and (follow_up_due_on is not null or alert_report_id is not null)
        order by student_id, administered_at
      ),
      cased as (
        select distinct cs.student_id from case_students cs join cases c on c.id = cs.case_id where c.opened_at >= ${since}
      )
      select s.grade, s.home_language as "homeLanguage", s.english_learner as "englishLearner", s.iep, s.section_504 as "section504",
        s.free_reduced_lunch as "freeReducedLunch", s.homeless, s.foster_care as "fosterCare", s.race_ethnicity as "raceEthnicity", s.gender,
        exists (select 1 from screening_windows w where s.school_id = any(w.school_ids) and s.grade = any(w.grades)
          and w.closes_on >= ${since}::date and w.opens_on <= ${until}::date) as "inWindow",
        (cased.student_id is not null or exists (select 1 from reports r where r.student_id = s.id and r.received_at >= ${since})) as reported,
        exists (select 1 from screening_results sr where sr.student_id = s.id and sr.administered_at >= ${since}) as screened,
        pos.student_id is not null as positive,
        pos.follow_up_due_on::text as "dueOn", pos.administered_at as "positiveAt", pos.followed_up_at as "followedUpAt",
        (select min(rf.requested_at) from referrals rf where rf.student_id = s.id and rf.requested_at >= ${since}) as "referredAt",
        (select min(rf.first_seen_at) from referrals rf where rf.student_id = s.id and rf.requested_at >= ${since}) as "seenAt",
        exists (select 1 from support_plans p where p.student_id = s.id and p.created_at >= ${since}) as plan,
        (select sr.score < pos.score from screening_results sr
          where sr.student_id = s.id and sr.instrument_id = pos.instrument_id and sr.valid and sr.administered_at > pos.administered_at
          order by sr.administered_at desc limit 1) as improved
      from students s
      left join pos on pos.student_id = s.id
      left join cased on cased.student_id = s.id
      where s.active`;

async function pathRows(deps: Deps, scope: { districtId: string; userId: string | null }, since: Date): Promise<PathRow[]> {
  return withTenant(deps.db.app, scope, async (tx) => {
    const result = await tx.execute(pathQuery(since, deps.clock.now()));
    const date = (v: unknown) => (v ? new Date(v as string) : null);
    return (result.rows as Record<string, unknown>[]).map((r) => ({
      ...(r as PathRow),
      positiveAt: date(r.positiveAt),
      followedUpAt: date(r.followedUpAt),
      referredAt: date(r.referredAt),
      seenAt: date(r.seenAt),
    }));
  });
}

/** Waits counted in the rollup, for the students eligible for each of these steps (still waiting: censored at now). */
const waitSteps: { step: Step; wait: (r: PathRow, now: Date) => { days: number; served: boolean } }[] = [
  {
    step: 'followed_up_in_time',
    wait: (r, now) => ({ days: days(r.positiveAt ?? now, r.followedUpAt ?? now), served: r.followedUpAt !== null }),
  },
  { step: 'first_appointment', wait: (r, now) => ({ days: days(r.referredAt ?? now, r.seenAt ?? now), served: r.seenAt !== null }) },
];

const histogram = (map: Map<string, number>): Hist =>
  [...map.entries()].map(([key, count]) => {
    const [d, served] = key.split('|');
    return [Number(d), served === '1' ? 1 : 0, count];
  });

/**
 * Counts every level of the funnel over the last 365 days, per group, with the waits to follow-up
 * and to first appointment as histograms (tenths of a day). One pass over the students; the
 * worker stores the result (dashboard_rollups), never a row per student.
 */
export async function computeEquity(deps: Deps, scope: { districtId: string; userId: string | null }, timeZone: string): Promise<EquityCounts> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const rows = await pathRows(deps, scope, since);
  const dims = Object.entries(dimensions);
  const totals = noCounts();
  const groups = dims.map(() => new Map<string, LevelCounts>());
  const waits = waitSteps.map(() => ({ overall: new Map<string, number>(), groups: dims.map(() => new Map<string, Map<string, number>>()) }));
  const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const histogramOf = (byGroup: Map<string, Map<string, number>>, group: string) => {
    const found = byGroup.get(group) ?? new Map<string, number>();
    byGroup.set(group, found);
    return found;
  };
  const today = districtDay(now, timeZone);
  for (const r of rows) {
    // A positive flagged by an alert alone has no due day: it was due the day it was given.
    const dueOn = r.dueOn ?? districtDay(r.positiveAt ?? now, timeZone);
    const reached = levelsOf({
      inWindow: r.inWindow,
      screened: r.screened,
      positive: r.positive,
      followUpDue: r.followedUpAt !== null || dueOn < today,
      followedUpInTime: r.followedUpAt !== null && districtDay(r.followedUpAt, timeZone) <= dueOn,
      referred: r.referredAt !== null,
      seen: r.seenAt !== null,
      reported: r.reported,
      plan: r.plan,
      improved: r.improved === true,
    });
    const memberOf = dims.map(([, groupOf]) => groupOf(r));
    for (const level of reached) totals[level] += 1;
    memberOf.forEach((group, d) => {
      const counts = groups[d]?.get(group) ?? noCounts();
      for (const level of reached) counts[level] += 1;
      groups[d]?.set(group, counts);
    });
    waitSteps.forEach(({ step, wait }, i) => {
      if (!reached.has(eligibleFor[step])) return;
      const w = wait(r, now);
      const key = `${Math.round(w.days * 10) / 10}|${w.served ? 1 : 0}`;
      const into = waits[i] as (typeof waits)[number];
      add(into.overall, key);
      memberOf.forEach((group, d) => {
        const byGroup = into.groups[d] as Map<string, Map<string, number>>;
        add(histogramOf(byGroup, group), key);
      });
    });
  }
  return {
    version: 3,
    since: since.toISOString(),
    totals,
    dimensions: dims.map(([dimension], d) => ({
      dimension,
      groups: [...(groups[d] as Map<string, LevelCounts>).entries()]
        .map(([group, counts]) => ({ group, counts }))
        .sort((a, b) => b.counts.enrolled - a.counts.enrolled || a.group.localeCompare(b.group)),
    })),
    waits: waitSteps.map(({ step }, i) => ({
      step,
      overall: histogram((waits[i] as (typeof waits)[number]).overall),
      dimensions: dims.map(([dimension], d) => ({
        dimension,
        groups: [...((waits[i] as (typeof waits)[number]).groups[d] as Map<string, Map<string, number>>).entries()]
          .map(([group, h]) => ({ group, hist: histogram(h) }))
          .sort((a, b) => a.group.localeCompare(b.group)),
      })),
    })),
    languageAccess: await languageAccessCounts(deps, scope, since),
  };
}

/**
 * The funnel, each step's rate overall and per group against everyone else who was eligible for
 * it (risk ratio, 95% interval, a flag only when clear), the waits (Kaplan–Meier, still-waiting
 * students kept), and the language-access view. Read from the background rollup; every count a
 * reader could use to identify students is suppressed here, before it leaves the server, with
 * its complements (equity-view.rules.ts). Analysts also lose district figures under the
 * threshold (decision 23).
 */
export async function equityPath(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('The equity dashboard');
  const [district] = await withTenant(deps.db.app, actor, (tx) =>
    tx.select({ threshold: districts.smallCellThreshold, timeZone: districts.timeZone }).from(districts).where(eq(districts.id, actor.districtId)),
  );
  if (!district) throw new Error("the actor's district is not visible; its equity settings cannot be read");
  const { threshold, timeZone } = district;
  const { computedAt, payload } = await rollup(
    deps,
    actor,
    'equity',
    () => computeEquity(deps, actor, timeZone),
    (stored) => (stored as Partial<EquityCounts>).version === 3,
  );
  const view = equityView(payload, threshold, { analyst: !can(actor, 'leadership.manage', null) });
  await withTenant(deps.db.app, actor, (tx) =>
    deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.equity_viewed', subjectType: 'dashboard', detail: { threshold } }),
  );
  return { ...view, computedAt: computedAt.toISOString() };
}

/** For families whose home language is not English: referrals sent to a service in their language. */
async function languageAccessCounts(deps: Deps, scope: { districtId: string; userId: string | null }, since: Date): Promise<EquityCounts['languageAccess']> {
  return withTenant(deps.db.app, scope, async (tx) => {
    const result = await tx.execute(sql`
      select s.home_language as language, count(*)::int as referrals,
        count(*) filter (where s.home_language = any(ps.languages))::int as "inLanguage"
      from referrals rf
      join students s on s.id = rf.student_id
      join partner_services ps on ps.id = rf.service_id
      where rf.requested_at >= ${since} and s.home_language <> 'en'
      group by s.home_language order by count(*) desc`);
    return (result.rows as { language: string; referrals: number; inLanguage: number }[]).map((r) => ({
      group: r.language,
      reached: r.inLanguage,
      eligible: r.referrals,
    }));
  });
}
