import { and, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can, supportSchools } from '../../access/policy.ts';
import { closeLines, hiddenCounts } from '../../access/small-cells.rules.ts';
import { districts, schools } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { referrals } from '../../data/referrals.ts';
import { students } from '../../data/students.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';

/**
 * Is the loop closing? Per partner or per school, and within each by the student's home language:
 * referrals sent, accepted, days from sending to the first attended appointment (median and 90th
 * percentile) and the share of loops closed (the student was seen). Counted in SQL; no student is named.
 * Analysts see only rows that protect every student in them, with complementary suppression, so
 * no hidden row can be worked out by subtracting the shown rows from a total.
 */
export async function referralMeasures(deps: Deps, actor: Actor, by: 'partner' | 'school' | 'language') {
  if (!can(actor, 'referral.measures', null)) throw notFound('Referral measures');
  const analystOnly = actor.grants.every((g) => g.role === 'analyst');
  const scope = analystOnly ? 'all' : supportSchools(actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    // Analysts see counts only, with small cells suppressed at the district's threshold (hiddenMeasures).
    const [district] = await tx.select({ threshold: districts.smallCellThreshold }).from(districts).where(eq(districts.id, actor.districtId));
    const smallGroup = district?.threshold ?? 10;
    const group = by === 'partner' ? partnerOrganizations.name : by === 'school' ? schools.name : students.homeLanguage;
    const where: SQL[] = [isNotNull(referrals.requestedAt)];
    if (scope !== 'all') where.push(inArray(referrals.schoolId, scope));
    const days = sql`extract(epoch from ${referrals.firstSeenAt} - ${referrals.requestedAt}) / 86400.0`;
    const rows = await tx
      .select({
        group,
        language: by === 'language' ? sql<string | null>`null` : students.homeLanguage,
        sent: sql<number>`count(*)::int`,
        accepted: sql<number>`count(${referrals.acceptedAt})::int`,
        seen: sql<number>`count(${referrals.firstSeenAt})::int`,
        median: sql<number | null>`percentile_cont(0.5) within group (order by ${days})`,
        p90: sql<number | null>`percentile_cont(0.9) within group (order by ${days})`,
      })
      .from(referrals)
      .innerJoin(students, eq(students.id, referrals.studentId))
      .innerJoin(schools, eq(schools.id, referrals.schoolId))
      .innerJoin(partnerOrganizations, eq(partnerOrganizations.id, referrals.organizationId))
      .where(and(...where))
      // Each group's total, and (unless grouping by language already) its rows per home language.
      .groupBy(by === 'language' ? sql`${group}` : sql`grouping sets ((${group}), (${group}, ${students.homeLanguage}))`)
      .orderBy(group, students.homeLanguage);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'referral.measures_viewed', subjectType: 'referral_measures', detail: { by } });
    const measure = (r: (typeof rows)[number]) => ({
      sent: r.sent,
      accepted: r.accepted,
      seen: r.seen,
      medianDaysToFirstAppointment: r.median === null ? null : Math.round(Number(r.median) * 10) / 10,
      p90DaysToFirstAppointment: r.p90 === null ? null : Math.round(Number(r.p90) * 10) / 10,
      // The loop closes when the student is seen (the first appointment attended), not when care ends.
      loopsClosedShare: r.sent ? Math.round((r.seen / r.sent) * 1000) / 1000 : null,
    });
    const groups = rows.filter((r) => r.language === null);
    const languageRows = (g: (typeof rows)[number]) => (by === 'language' ? [] : rows.filter((r) => r.language !== null && r.group === g.group));
    const hidden = analystOnly ? hiddenMeasures(rows, by, smallGroup) : new Set<string>();
    return {
      by,
      ...(analystOnly ? { threshold: smallGroup } : {}),
      groups: groups.map((g) => ({
        name: String(g.group),
        ...(hidden.has(cellKey(g)) ? { suppressed: true as const } : measure(g)),
        byLanguage: languageRows(g).map((r) =>
          hidden.has(cellKey(r)) ? { language: r.language, suppressed: true as const } : { language: r.language, ...measure(r) },
        ),
      })),
    };
  });
}

type MeasureRow = { group: unknown; language: string | null; sent: number; accepted: number; seen: number };
const cellKey = (r: Pick<MeasureRow, 'group' | 'language'>) => JSON.stringify([String(r.group), r.language]);

/**
 * The rows an analyst may not see (small-cells.rules.ts, with the district's threshold): a row
 * whose sent, accepted or seen count, or what is left of sent after either, is under the
 * threshold; then complementary cells, because these rows add up to totals a reader has: a
 * group's languages add up to the group, the groups add up to the district (the same total
 * every "by" shows), and one language across groups adds up to that language's district row.
 */
function hiddenMeasures(rows: readonly MeasureRow[], by: string, threshold: number): Set<string> {
  const primary = new Set<string>();
  for (const r of rows) {
    const shown = hiddenCounts(
      { sent: r.sent, accepted: r.accepted, seen: r.seen },
      [
        ['accepted', 'sent'],
        ['seen', 'sent'],
      ],
      threshold,
    );
    if (shown.size > 0) primary.add(cellKey(r));
  }
  const groups = rows.filter((r) => r.language === null);
  const lines: string[][] = [groups.map(cellKey)];
  if (by !== 'language') {
    for (const g of groups) lines.push([cellKey(g), ...rows.filter((r) => r.language !== null && r.group === g.group).map(cellKey)]);
    for (const language of new Set(rows.flatMap((r) => (r.language === null ? [] : [r.language]))))
      lines.push(rows.filter((r) => r.language === language).map(cellKey));
  }
  const sent = new Map(rows.map((r) => [cellKey(r), r.sent]));
  return closeLines(primary, lines, (cell) => sent.get(cell) ?? 0);
}
