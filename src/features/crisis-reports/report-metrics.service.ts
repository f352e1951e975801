import { and, eq, gte } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { reportsVisibleTo } from '../../access/scope.ts';
import { schools } from '../../data/districts.ts';
import { reports } from '../../data/reports.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { percentile } from '../crisis-teams/index.ts';
import type { figureDimensions } from './crisis-reports.schema.ts';
import { type ReadableReport as Report, reportColumns } from './report-columns.ts';

/** The figures' name for reports with no school (the web app translates it). */
export const districtLevel = 'district_level';

/** Time to acknowledge and to first action (minutes), median and 90th percentile, per school, channel and urgency. */
export async function reportMetrics(deps: Deps, actor: Actor, days: number) {
  if (!can(actor, 'report.list', null)) throw notFound('Report figures');
  const since = new Date(deps.clock.now().getTime() - days * 86_400_000);
  return withTenant(deps.db.app, actor, async (tx) => {
    const rows = await tx
      .select({ report: reportColumns, schoolName: schools.name })
      .from(reports)
      .leftJoin(schools, eq(schools.id, reports.schoolId))
      .where(and(reportsVisibleTo(actor), gte(reports.receivedAt, since)));
    type Dimension = (typeof figureDimensions)[number];
    const groups = new Map<string, { dimension: Dimension; value: string; tta: number[]; ttfa: number[]; count: number; waiting: number }>();
    const add = (dimension: Dimension, value: string, r: Report) => {
      const key = `${dimension}:${value}`;
      const g = groups.get(key) ?? { dimension, value, tta: [], ttfa: [], count: 0, waiting: 0 };
      g.count += 1;
      if (r.acknowledgedAt) g.tta.push((r.acknowledgedAt.getTime() - r.receivedAt.getTime()) / 60_000);
      else if (r.status === 'received') g.waiting += 1;
      if (r.firstActionAt) g.ttfa.push((r.firstActionAt.getTime() - r.receivedAt.getTime()) / 60_000);
      groups.set(key, g);
    };
    for (const { report, schoolName } of rows) {
      // A stable key, not words: the web app says "district level" in the reader's language.
      add('school', schoolName ?? districtLevel, report);
      add('channel', report.channel, report);
      add('urgency', report.urgency, report);
    }
    const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
    return {
      days,
      groups: [...groups.values()].map((g) => ({
        dimension: g.dimension,
        value: g.value,
        reports: g.count,
        waiting: g.waiting,
        minutesToAcknowledge: { median: round(percentile(g.tta, 0.5)), p90: round(percentile(g.tta, 0.9)) },
        minutesToFirstAction: { median: round(percentile(g.ttfa, 0.5)), p90: round(percentile(g.ttfa, 0.9)) },
      })),
    };
  });
}
