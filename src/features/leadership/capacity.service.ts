import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { closeLines, hiddenCounts, tooSmall } from '../../access/small-cells.rules.ts';
import { districts, schools } from '../../data/districts.ts';
import { staffPositions } from '../../data/leadership.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { projectedWait, type ServiceCapacity } from '../partners/index.ts';
import type { positionInput } from './leadership.schema.ts';
import { rollup } from './rollups.service.ts';

/** A staff position (district administrators): who the schools have to meet the need. */
export async function addPosition(deps: Deps, actor: Actor, input: z.infer<typeof positionInput>) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Staffing');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [school] = await tx.select({ id: schools.id }).from(schools).where(eq(schools.id, input.schoolId));
    if (!school) throw badRequest('That school is not in this district.', { code: 'school_not_in_district', es: 'Esa escuela no pertenece a este distrito.' });
    const id = deps.ids.uuid();
    await tx.insert(staffPositions).values({ id, districtId: actor.districtId, ...input, title: input.title ?? null, createdAt: deps.clock.now() });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'leadership.position_added',
      subjectType: 'staff_position',
      subjectId: id,
      detail: input,
    });
    return { id };
  });
}

export async function removePosition(deps: Deps, actor: Actor, id: string) {
  if (!can(actor, 'leadership.manage', null)) throw notFound('Staffing');
  return withTenant(deps.db.app, actor, async (tx) => {
    const removed = isUuid(id) ? await tx.delete(staffPositions).where(eq(staffPositions.id, id)).returning({ id: staffPositions.id }) : [];
    if (removed.length === 0) throw notFound('That position');
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.position_removed', subjectType: 'staff_position', subjectId: id });
    return { removed: true };
  });
}

/** Need per school, one grouped pass per table (exported for the benchmark's baseline). */
export const needQuery = () => sql`
      with enrolled as (select school_id, count(*)::int as n from students where active group by school_id),
      plans as (select school_id, count(distinct student_id) filter (where tier = 2)::int as t2, count(distinct student_id) filter (where tier = 3)::int as t3
        from support_plans where status = 'active' group by school_id),
      waiting as (select school_id, count(*)::int as n from (select distinct school_id, student_id from screening_results
        where follow_up_due_on is not null and followed_up_at is null) w group by school_id),
      open_cases as (select c.school_id, count(*)::int as n, count(distinct c.id) filter (where exists (
          select 1 from case_records cr where cr.case_id = c.id and cr.kind = 'reentry_plan'))::int as reentry
        from cases c where c.status <> 'closed' group by c.school_id),
      referred as (select school_id, count(*)::int as n from referrals where status in ('requested', 'accepted', 'scheduled') and first_seen_at is null group by school_id)
      select sc.id, coalesce(e.n, 0) as enrollment, coalesce(p.t2, 0) as tier2, coalesce(p.t3, 0) as tier3,
        coalesce(w.n, 0) as "openPositives", coalesce(oc.n, 0) as "openCases", coalesce(oc.reentry, 0) as "reentryPlans", coalesce(r.n, 0) as "waitingReferrals"
      from schools sc
      left join enrolled e on e.school_id = sc.id left join plans p on p.school_id = sc.id left join waiting w on w.school_id = sc.id
      left join open_cases oc on oc.school_id = sc.id left join referred r on r.school_id = sc.id`;

/** The need counts for the rollup (the worker's, and the first view's). */
export const computeNeed = (deps: Deps, scope: { districtId: string; userId: string | null }) =>
  withTenant(
    deps.db.app,
    scope,
    async (tx) => (await tx.execute(needQuery())).rows as Omit<SchoolFigures, 'name' | 'counselorFte' | 'staffFte' | 'caseloadCapacity'>[],
  );

type SchoolFigures = {
  id: string;
  name: string;
  enrollment: number;
  tier2: number;
  tier3: number;
  openPositives: number;
  openCases: number;
  reentryPlans: number;
  waitingReferrals: number;
  counselorFte: number;
  staffFte: number;
  caseloadCapacity: number;
};

/**
 * Need against capacity per school: students on tier 2 and 3 plans, positive screens not yet
 * followed up, open crisis cases, re-entry plans and referrals still waiting for a first visit,
 * against internal staff (FTE × caseload) and the recommended counselor ratio; then partner
 * capacity by service type with a projected wait ("no wait" only with places left after the
 * referrals already waiting; never for a type with no open places or only a waitlist). Counts under the district's threshold are
 * suppressed for analysts, who see aggregates only.
 */
export async function capacityView(deps: Deps, actor: Actor) {
  if (!can(actor, 'leadership.view', null)) throw notFound('The capacity dashboard');
  const analyst = !can(actor, 'leadership.manage', null);
  return withTenant(deps.db.app, actor, async (tx) => {
    const [district] = await tx
      .select({ threshold: districts.smallCellThreshold, perCounselor: districts.studentsPerCounselor })
      .from(districts)
      .where(eq(districts.id, actor.districtId));
    const threshold = district?.threshold ?? 10;
    const perCounselor = district?.perCounselor ?? 250;
    // Staffing is live (a new position shows at once); the need counts come from the rollup.
    const staff = (
      await tx.execute(sql`
      select sc.id, sc.name, coalesce(sum(sp.fte) filter (where sp.role = 'counselor'), 0)::float as "counselorFte", coalesce(sum(sp.fte), 0)::float as "staffFte",
        coalesce(sum(sp.fte * sp.caseload_per_fte), 0)::float as "caseloadCapacity"
      from schools sc left join staff_positions sp on sp.school_id = sc.id group by sc.id, sc.name order by sc.name`)
    ).rows as Pick<SchoolFigures, 'id' | 'name' | 'counselorFte' | 'staffFte' | 'caseloadCapacity'>[];
    const { computedAt, payload: need } = await rollup(deps, actor, 'capacity', () => computeNeed(deps, actor));
    const none = { enrollment: 0, tier2: 0, tier3: 0, openPositives: 0, openCases: 0, reentryPlans: 0, waitingReferrals: 0 };
    const figures: SchoolFigures[] = staff.map((s) => ({ ...none, ...need.find((n) => n.id === s.id), ...s }));
    const shown = (n: number) => (analyst && tooSmall(n, threshold) ? null : n);
    const schoolsView = figures.map((f) => {
      const caseload = f.tier2 + f.tier3 + f.openCases;
      const need = caseload + f.openPositives + f.waitingReferrals;
      const counts: Record<string, number> = {
        tier2: f.tier2,
        tier3: f.tier3,
        openPositives: f.openPositives,
        openCases: f.openCases,
        reentryPlans: f.reentryPlans,
        waitingReferrals: f.waitingReferrals,
        total: need,
      };
      // The total is the sum of five of the counts: one hidden count could be worked out from it, so
      // a second goes with it (small-cells.rules.ts); the gap is the total less the capacity shown.
      const hidden = analyst
        ? closeLines(
            hiddenCounts(counts, [], threshold),
            [['tier2', 'tier3', 'openCases', 'openPositives', 'waitingReferrals', 'total']],
            (k) => counts[k] ?? 0,
          )
        : new Set<string>();
      const count = (key: 'tier2' | 'tier3' | 'openPositives' | 'openCases' | 'reentryPlans' | 'waitingReferrals' | 'total') =>
        hidden.has(key) ? null : (counts[key] ?? 0);
      return {
        school: f.name,
        enrollment: f.enrollment,
        need: {
          tier2: count('tier2'),
          tier3: count('tier3'),
          openPositives: count('openPositives'),
          openCases: count('openCases'),
          reentryPlans: count('reentryPlans'),
          waitingReferrals: count('waitingReferrals'),
          total: count('total'),
        },
        capacity: { counselorFte: f.counselorFte, staffFte: f.staffFte, caseloadCapacity: Math.round(f.caseloadCapacity) },
        /** Students needing support beyond what the school's staff can carry (negative: room left). */
        gap: count('total') === null ? null : Math.round(need - f.caseloadCapacity),
        studentsPerCounselor: f.counselorFte > 0 ? Math.round(f.enrollment / f.counselorFte) : null,
        recommendedPerCounselor: perCounselor,
        counselorsShort: Math.max(0, Math.round((f.enrollment / perCounselor - f.counselorFte) * 10) / 10),
      };
    });
    const services = (
      await tx.execute(sql`
      select unnest(service_types) as type, capacity_available as "capacityAvailable", waitlist_weeks as "waitlistWeeks"
      from partner_services where status = 'active'`)
    ).rows as ({ type: string } & ServiceCapacity)[];
    const waitingByType = new Map(
      (
        (await tx.execute(sql`select service_type as type, count(*)::int as n from referrals where status in ('requested', 'accepted') group by service_type`))
          .rows as { type: string; n: number }[]
      ).map((r) => [r.type, r.n]),
    );
    const partnerView = [...new Set(services.map((s) => s.type))].sort().map((type) => {
      const ofType = services.filter((s) => s.type === type);
      const waiting = waitingByType.get(type) ?? 0;
      const weeks = ofType.flatMap((s) => (s.waitlistWeeks === null ? [] : [s.waitlistWeeks]));
      // The referrals already waiting take today's open places first (capacity.rules.ts).
      const wait = projectedWait(ofType, waiting);
      return {
        type,
        openPlaces: ofType.reduce((n, s) => n + (s.capacityAvailable ?? 0), 0),
        shortestWaitlistWeeks: weeks.length ? Math.min(...weeks) : null,
        waiting: shown(waiting),
        // Not the places left: places − left would give a hidden count of waiting referrals back.
        wait: wait.kind === 'no_wait' ? { kind: wait.kind } : wait,
        projectedWaitWeeks: wait.kind === 'no_wait' ? 0 : wait.kind === 'waitlist' ? wait.weeks : null,
      };
    });
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'leadership.capacity_viewed', subjectType: 'dashboard' });
    const positions = analyst
      ? []
      : await tx
          .select({
            id: staffPositions.id,
            school: schools.name,
            role: staffPositions.role,
            fte: staffPositions.fte,
            caseloadPerFte: staffPositions.caseloadPerFte,
            title: staffPositions.title,
          })
          .from(staffPositions)
          .innerJoin(schools, eq(schools.id, staffPositions.schoolId))
          .orderBy(schools.name, staffPositions.role);
    return { threshold, computedAt: computedAt.toISOString(), schools: schoolsView, partners: partnerView, positions };
  });
}
