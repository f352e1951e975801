import { sql } from 'drizzle-orm';
import { equityTallies } from '../../data/leadership.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { addTally, countsOf, emptyTally, type PathRow, type Tally, tally } from './equity-tally.rules.ts';
import type { EquityCounts } from './equity-view.rules.ts';

type Scope = { districtId: string; userId: string | null };

/** Students fall into this many slices by the last byte of their (random) id (`students.equity_slice`): ~4,000 each at a million. */
export const sliceCount = 256;
/** The stored tally's shape; a tally of another version is recounted. */
const tallyVersion = 1;
/** Slices recounted per statement, so a full recount is a few statements, not 256. */
const slicesPerStatement = 64;

/**
 * One row per active student of the given slices (all when null) with what happened since
 * `since` (exported for the benchmark's baseline). "In a window": the student's school and grade
 * were in a screening window open at some time in the period, so screening was offered to them.
 * Every lookup is by student, so a slice of 4,000 students reads only their rows.
 */
export const pathQuery = (since: Date, until: Date = new Date(), slices: readonly number[] | null = null) => sql`
      select s.equity_slice as slice, s.grade, s.home_language as "homeLanguage", s.english_learner as "englishLearner", s.iep,
        s.section_504 as "section504", s.free_reduced_lunch as "freeReducedLunch", s.homeless, s.foster_care as "fosterCare",
        s.race_ethnicity as "raceEthnicity", s.gender,
        exists (select 1 from screening_windows w where s.school_id = any(w.school_ids) and s.grade = any(w.grades)
          and w.closes_on >= ${since}::date and w.opens_on <= ${until}::date) as "inWindow",
        (exists (select 1 from case_students cs join cases c on c.id = cs.case_id where cs.student_id = s.id and c.opened_at >= ${since})
          or exists (select 1 from reports r where r.student_id = s.id and r.received_at >= ${since})) as reported,
        exists (select 1 from screening_results sr where sr.student_id = s.id and sr.administered_at >= ${since}) as screened,
        pos.administered_at is not null as positive,
        pos.follow_up_due_on::text as "dueOn", pos.administered_at as "positiveAt", pos.followed_up_at as "followedUpAt",
        (select min(rf.requested_at) from referrals rf where rf.student_id = s.id and rf.requested_at >= ${since}) as "referredAt",
        (select min(rf.first_seen_at) from referrals rf where rf.student_id = s.id and rf.requested_at >= ${since}) as "seenAt",
        exists (select 1 from support_plans p where p.student_id = s.id and p.created_at >= ${since}) as plan,
        lang.referrals, lang."inLanguage",
        (select sr.score < pos.score from screening_results sr
          where sr.student_id = s.id and sr.instrument_id = pos.instrument_id and sr.valid and sr.administered_at > pos.administered_at
          order by sr.administered_at desc limit 1) as improved
      from students s
      left join lateral (
        select administered_at, follow_up_due_on, followed_up_at, instrument_id, score from screening_results
        where student_id = s.id and valid and administered_at >= ${since} and (follow_up_due_on is not null or alert_report_id is not null)
        order by administered_at limit 1) pos on true
      left join lateral (
        select count(*)::int as referrals, count(*) filter (where s.home_language = any(ps.languages))::int as "inLanguage"
        from referrals rf join partner_services ps on ps.id = rf.service_id
        where rf.student_id = s.id and rf.requested_at >= ${since}) lang on true
      where s.active ${slices ? sql`and s.equity_slice = any(${sql.param(slices)}::smallint[])` : sql``}`;

const date = (v: unknown) => (v ? new Date(v as string) : null);
const yearBefore = (at: Date) => new Date(at.getTime() - 365 * 86_400_000);

/** Counts the given slices afresh, as of now: one tally per slice, empty for a slice with no students. */
async function countSlices(tx: Transaction, slices: readonly number[], since: Date, now: Date, timeZone: string): Promise<Map<number, Tally>> {
  const rows = new Map<number, PathRow[]>(slices.map((s) => [s, []]));
  for (let i = 0; i < slices.length; i += slicesPerStatement) {
    const part = slices.slice(i, i + slicesPerStatement);
    const students = await tx.execute(pathQuery(since, now, part));
    for (const r of students.rows as Record<string, unknown>[])
      rows.get(Number(r.slice))?.push({
        ...(r as PathRow),
        positiveAt: date(r.positiveAt),
        followedUpAt: date(r.followedUpAt),
        referredAt: date(r.referredAt),
        seenAt: date(r.seenAt),
      });
  }
  return new Map(slices.map((s) => [s, tally(rows.get(s) ?? [], now, timeZone)]));
}

/**
 * The district's equity counts over the last 365 days, recounting only what changed (issue 20,
 * decision 43): the slices whose students changed since their tally (marked by triggers in
 * equity_changes), slices never counted or counted in another shape, and slices counted on an
 * earlier day of the district (the year's window, due days and the waits of students still
 * waiting move with the calendar). The rest are read as stored; the sum is what a full count
 * would give. Taking the marks and storing the new tallies happen in one transaction, so a failed
 * recount leaves its marks for the next pass, and a change committed during a recount keeps its
 * own mark.
 */
export async function countEquity(deps: Deps, scope: Scope, timeZone: string): Promise<EquityCounts> {
  const now = deps.clock.now();
  const since = yearBefore(now);
  const today = districtDay(now, timeZone);
  return withTenant(deps.db.app, scope, async (tx) => {
    const marked = await tx.execute(sql`delete from equity_changes where district_id = ${scope.districtId} returning slice`);
    const stored = await tx.select().from(equityTallies);
    const due = new Set((marked.rows as { slice: number }[]).map((r) => Number(r.slice)));
    const kept = new Map<number, { counted: Tally; computedAt: Date }>();
    for (const row of stored) {
      const payload = row.payload as { version?: number; tally?: Tally };
      if (payload.version !== tallyVersion || !payload.tally || districtDay(row.computedAt, timeZone) !== today) due.add(row.slice);
      else kept.set(row.slice, { counted: payload.tally, computedAt: row.computedAt });
    }
    for (let s = 0; s < sliceCount; s++) if (!kept.has(s)) due.add(s);
    for (const s of due) kept.delete(s);
    const recounted = await countSlices(
      tx,
      [...due].sort((a, b) => a - b),
      since,
      now,
      timeZone,
    );
    if (recounted.size > 0)
      await tx
        .insert(equityTallies)
        .values([...recounted].map(([slice, t]) => ({ districtId: scope.districtId, slice, computedAt: now, payload: { version: tallyVersion, tally: t } })))
        .onConflictDoUpdate({
          target: [equityTallies.districtId, equityTallies.slice],
          set: { computedAt: sql`excluded.computed_at`, payload: sql`excluded.payload` },
        });
    const sum = emptyTally();
    let oldest = now;
    for (const { counted, computedAt } of kept.values()) {
      addTally(sum, counted);
      if (computedAt < oldest) oldest = computedAt;
    }
    for (const t of recounted.values()) addTally(sum, t);
    // The year counted is the one before the oldest tally's count.
    return countsOf(sum, yearBefore(oldest));
  });
}
