import { and, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can, supportSchools } from '../../access/policy.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { districts, schools } from '../districts/districts.tables.ts';
import { partnerOrganizations } from '../partners/partners.tables.ts';
import { students } from '../students/students.tables.ts';
import { referrals } from './referrals.tables.ts';

/**
 * Is the loop closing? Per partner or per school, and within each by the student's home language:
 * referrals sent, accepted, days from sending to the first attended appointment (median and 90th
 * percentile) and the share of loops closed (the student was seen). Counted in SQL; no student is named.
 */
export async function referralMeasures(deps: Deps, actor: Actor, by: 'partner' | 'school' | 'language') {
  if (!can(actor, 'referral.measures', null)) throw notFound('Referral measures');
  const analystOnly = actor.grants.every((g) => g.role === 'analyst');
  const scope = analystOnly ? 'all' : supportSchools(actor);
  return withTenant(deps.db.app, actor, async (tx) => {
    // Analysts see counts only: any group with fewer sent referrals than the district's threshold is suppressed.
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
    return {
      by,
      groups: groups.map((g) => ({
        name: String(g.group),
        ...(analystOnly && g.sent < smallGroup ? { suppressed: true as const } : measure(g)),
        byLanguage:
          by === 'language'
            ? []
            : rows
                .filter((r) => r.language !== null && r.group === g.group)
                .map((r) =>
                  analystOnly && r.sent < smallGroup ? { language: r.language, suppressed: true as const } : { language: r.language, ...measure(r) },
                ),
      })),
    };
  });
}
