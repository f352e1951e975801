import { eq, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { districts } from '../districts/districts.tables.ts';
import { disparity, federalCategory, riskRatio, suppress, waitQuantile } from './equity.rules.ts';
import { rollup } from './rollups.service.ts';
import { hiddenCounts } from './small-cells.rules.ts';

/** One student on the path over the last year: who they are (for grouping) and how far they got. */
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
  reported: boolean;
  screened: boolean;
  positive: boolean;
  hadCase: boolean;
  dueOn: string | null;
  positiveAt: Date | null;
  followedUpAt: Date | null;
  referredAt: Date | null;
  seenAt: Date | null;
  plan: boolean;
  improved: boolean | null;
};

export const steps = ['reported', 'screened', 'positive', 'followed_up_in_time', 'referred', 'first_appointment', 'plan_in_place', 'improved'] as const;
type Step = (typeof steps)[number];

/** Which students are eligible for a step, and which reached it (the denominator is the step before, not everyone). */
function stepOf(step: Step, r: PathRow, followedInTime: (r: PathRow) => boolean): { eligible: boolean; reached: boolean } {
  const needsCare = r.positive || r.hadCase;
  switch (step) {
    case 'reported':
      return { eligible: true, reached: r.reported };
    case 'screened':
      return { eligible: true, reached: r.screened };
    case 'positive':
      return { eligible: r.screened, reached: r.positive };
    case 'followed_up_in_time':
      return { eligible: r.dueOn !== null, reached: followedInTime(r) };
    case 'referred':
      return { eligible: needsCare, reached: r.referredAt !== null };
    case 'first_appointment':
      return { eligible: r.referredAt !== null, reached: r.seenAt !== null };
    case 'plan_in_place':
      return { eligible: needsCare, reached: r.plan };
    case 'improved':
      return { eligible: r.improved !== null, reached: r.improved === true };
  }
}

const gradeBand = (grade: string) => (['PK', 'K', '1', '2', '3', '4', '5'].includes(grade) ? 'K-5' : ['6', '7', '8'].includes(grade) ? '6-8' : '9-12');
const yes = (flag: boolean) => (flag ? ['yes'] : ['no']);

/** The groups a student belongs to, per dimension; a student is in several at once. */
const dimensions: Record<string, (r: PathRow) => string[]> = {
  race_ethnicity: (r) => [federalCategory(r.raceEthnicity)],
  home_language: (r) => [r.homeLanguage],
  english_learner: (r) => yes(r.englishLearner),
  iep: (r) => yes(r.iep),
  section_504: (r) => yes(r.section504),
  free_reduced_lunch: (r) => yes(r.freeReducedLunch),
  homeless: (r) => yes(r.homeless),
  foster_care: (r) => yes(r.fosterCare),
  gender: (r) => [r.gender],
  grade_band: (r) => [gradeBand(r.grade)],
};

const days = (from: Date, to: Date) => Math.max(0, (to.getTime() - from.getTime()) / 86_400_000);

/** One row per active student with how far they got on the path since `since` (exported for the benchmark's baseline). */
export const pathQuery = (since: Date) => sql`
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
        (cased.student_id is not null or exists (select 1 from reports r where r.student_id = s.id and r.received_at >= ${since})) as reported,
        exists (select 1 from screening_results sr where sr.student_id = s.id and sr.administered_at >= ${since}) as screened,
        pos.student_id is not null as positive,
        cased.student_id is not null as "hadCase",
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
    const result = await tx.execute(pathQuery(since));
    return (result.rows as Record<string, unknown>[]).map((r) => ({
      ...(r as PathRow),
      positiveAt: r.positiveAt ? new Date(r.positiveAt as string) : null,
      followedUpAt: r.followedUpAt ? new Date(r.followedUpAt as string) : null,
      referredAt: r.referredAt ? new Date(r.referredAt as string) : null,
      seenAt: r.seenAt ? new Date(r.seenAt as string) : null,
    }));
  });
}

type Hist = [days: number, served: 0 | 1, count: number][];
type Counts = { group: string; reached: number; eligible: number }[];

/** What the rollup stores: counts and wait histograms only, never a row per student. */
export type EquityCounts = {
  since: string;
  steps: {
    step: Step;
    reached: number;
    eligible: number;
    dimensions: { dimension: string; cells: Counts }[];
    waits: { overall: Hist; dimensions: { dimension: string; groups: { group: string; hist: Hist }[] }[] } | null;
  }[];
  languageAccess: Counts;
};

const histogram = (map: Map<string, number>): Hist =>
  [...map.entries()].map(([key, count]) => {
    const [d, served] = key.split('|');
    return [Number(d), served === '1' ? 1 : 0, count];
  });

/**
 * Counts every step of the path over the last 365 days, per group, with the waits to follow-up
 * and to first appointment as histograms (tenths of a day; students still waiting censored at
 * now). One pass over the students; the worker stores the result (dashboard_rollups).
 */
export async function computeEquity(deps: Deps, scope: { districtId: string; userId: string | null }, timeZone: string): Promise<EquityCounts> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - 365 * 86_400_000);
  const rows = await pathRows(deps, scope, since);
  const followedInTime = (r: PathRow) => r.dueOn !== null && r.followedUpAt !== null && districtDay(r.followedUpAt, timeZone) <= r.dueOn;
  const dims = Object.entries(dimensions);
  const memberships = rows.map((r) => dims.map(([, groupsOf]) => groupsOf(r)));
  const stepCounts = steps.map((step) => {
    const wait =
      step === 'followed_up_in_time'
        ? (r: PathRow) => (r.dueOn !== null && r.positiveAt ? { days: days(r.positiveAt, r.followedUpAt ?? now), served: r.followedUpAt !== null } : null)
        : step === 'first_appointment'
          ? (r: PathRow) => (r.referredAt ? { days: days(r.referredAt, r.seenAt ?? now), served: r.seenAt !== null } : null)
          : null;
    const cells = dims.map(() => new Map<string, { reached: number; eligible: number }>());
    const waits = dims.map(() => new Map<string, Map<string, number>>());
    const overall = new Map<string, number>();
    let reached = 0;
    let eligible = 0;
    rows.forEach((r, i) => {
      const mark = stepOf(step, r, followedInTime);
      const w = wait?.(r);
      const key = w ? `${Math.round(w.days * 10) / 10}|${w.served ? 1 : 0}` : null;
      if (key) overall.set(key, (overall.get(key) ?? 0) + 1);
      if (mark.eligible) {
        eligible += 1;
        if (mark.reached) reached += 1;
      }
      (memberships[i] as string[][]).forEach((groups, d) => {
        for (const g of groups) {
          if (mark.eligible) {
            const c = (cells[d] as Map<string, { reached: number; eligible: number }>).get(g) ?? { reached: 0, eligible: 0 };
            c.eligible += 1;
            if (mark.reached) c.reached += 1;
            (cells[d] as Map<string, { reached: number; eligible: number }>).set(g, c);
          }
          if (key) {
            const h = (waits[d] as Map<string, Map<string, number>>).get(g) ?? new Map<string, number>();
            h.set(key, (h.get(key) ?? 0) + 1);
            (waits[d] as Map<string, Map<string, number>>).set(g, h);
          }
        }
      });
    });
    return {
      step,
      reached,
      eligible,
      dimensions: dims.map(([dimension], d) => ({
        dimension,
        cells: [...(cells[d] as Map<string, { reached: number; eligible: number }>).entries()]
          .map(([group, c]) => ({ group, ...c }))
          .sort((a, b) => b.eligible - a.eligible),
      })),
      waits: wait
        ? {
            overall: histogram(overall),
            dimensions: dims.map(([dimension], d) => ({
              dimension,
              groups: [...(waits[d] as Map<string, Map<string, number>>).entries()].map(([group, h]) => ({ group, hist: histogram(h) })),
            })),
          }
        : null,
    };
  });
  return { since: since.toISOString(), steps: stepCounts, languageAccess: await languageAccessCounts(deps, scope, since) };
}

/**
 * The path, each step's rate overall and per group against everyone else in the district (risk
 * ratio, 95% interval, a flag only when clear), the waits (Kaplan–Meier, still-waiting students
 * kept), and the language-access view. Read from the background rollup; every cell under the
 * district's threshold is suppressed here, before it leaves the server.
 */
export async function equityPath(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('The equity dashboard');
  const [district] = await withTenant(deps.db.app, actor, (tx) =>
    tx.select({ threshold: districts.smallCellThreshold, timeZone: districts.timeZone }).from(districts).where(eq(districts.id, actor.districtId)),
  );
  const threshold = district?.threshold ?? 10;
  const { computedAt, payload } = await rollup(deps, actor, 'equity', () => computeEquity(deps, actor, district?.timeZone ?? 'America/Denver'));
  const highlights: ({ step: Step; dimension: string; group: string } & (
    | { flag: 'less' | 'more'; rr: number }
    | { flag: 'waits_longer'; days: number; overallDays: number }
  ))[] = [];
  // Analysts see a step's district total only when it protects every student in it (decision 23);
  // the groups below are suppressed for everyone, with their complement. A group's risk ratio and
  // interval against "everyone else" would give the hidden total back, so they go with it.
  const analyst = !can(actor, 'leadership.manage', null);
  const totalHidden = (s: { reached: number; eligible: number }) =>
    analyst && hiddenCounts({ reached: s.reached, eligible: s.eligible }, [['reached', 'eligible']], threshold).size > 0;
  const stepViews = payload.steps.map((s) => ({
    step: s.step,
    ...(totalHidden(s)
      ? { reached: null, eligible: null, rate: null, suppressed: true as const }
      : { reached: s.reached, eligible: s.eligible, rate: s.eligible ? s.reached / s.eligible : null, suppressed: false as const }),
    dimensions: s.dimensions.map(({ dimension, cells }) => ({
      dimension,
      groups: suppress(cells, threshold).map((cell) => {
        if (cell.suppressed) return cell;
        if (totalHidden(s)) return { ...cell, rr: null, low: null, high: null, corrected: false, flag: null };
        const rr = riskRatio(cell.reached, cell.eligible, s.reached - cell.reached, s.eligible - cell.eligible);
        const flag = disparity(rr);
        if (flag && rr) highlights.push({ step: s.step, dimension, group: cell.group, flag, rr: rr.rr });
        return { ...cell, rr: rr?.rr ?? null, low: rr?.low ?? null, high: rr?.high ?? null, corrected: rr?.corrected ?? false, flag };
      }),
    })),
    waits: s.waits
      ? {
          overall: waitSummary(s.waits.overall, threshold),
          dimensions: s.waits.dimensions.map(({ dimension, groups }) => ({
            dimension,
            groups: groups.map(({ group, hist }) => ({ group, ...waitSummary(hist, threshold) })),
          })),
        }
      : null,
  }));
  // A group waits longer when its median wait is over 1.25 times everyone's, and at least a day more.
  for (const s of stepViews) {
    const overall = s.waits?.overall;
    if (!overall || overall.suppressed || !overall.median || !('days' in overall.median)) continue;
    const base = overall.median.days;
    for (const d of s.waits?.dimensions ?? [])
      for (const g of d.groups) {
        if (g.suppressed || !g.median) continue;
        const days = 'days' in g.median ? g.median.days : g.median.moreThan;
        if (days > base * 1.25 && days - base >= 1)
          highlights.push({ step: s.step, dimension: d.dimension, group: g.group, flag: 'waits_longer', days, overallDays: base });
      }
  }
  await withTenant(deps.db.app, actor, (tx) =>
    deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.equity_viewed', subjectType: 'dashboard', detail: { threshold } }),
  );
  return {
    since: payload.since,
    computedAt: computedAt.toISOString(),
    threshold,
    steps: stepViews,
    highlights,
    languageAccess: suppress(payload.languageAccess, threshold),
  };
}

function waitSummary(hist: Hist, threshold: number) {
  const ws = hist.map(([d, served, count]) => ({ days: d, served: served === 1, count }));
  const students = ws.reduce((n, w) => n + w.count, 0);
  if (students < threshold) return { suppressed: true as const, reason: 'small' as const };
  return { suppressed: false as const, students, median: waitQuantile(ws, 0.5), p90: waitQuantile(ws, 0.9) };
}

/** For families whose home language is not English: referrals sent to a service in their language. */
async function languageAccessCounts(deps: Deps, scope: { districtId: string; userId: string | null }, since: Date): Promise<Counts> {
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
