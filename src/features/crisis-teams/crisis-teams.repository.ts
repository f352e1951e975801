import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import { crisisTeamMembers, crisisTeams, escalationSettings, onCallOverrides, onCallShifts } from '../../data/crisis-teams.ts';
import { districts, schools } from '../../data/districts.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { slot } from '../../platform/process-state.ts';
import { defaultEscalationSettings, type EscalationSettings } from './escalation.rules.ts';
import type { RoutingContext, TeamRoster } from './routing.rules.ts';

type Context = RoutingContext & { settings: EscalationSettings };

/**
 * Routing contexts are read for every report; a burst (a hoax wave) would read the same rows
 * hundreds of times a second. They are kept for a few seconds per process; changes made here are
 * seen at once, changes made on another server within `cacheMs`.
 */
const cacheMs = 5000;
const routingCache = slot('routing contexts', () => new Map<string, { at: number; context: Context }>());

export function forgetRoutingContexts(deps: Pick<Deps, 'state'>, districtId: string): void {
  const cache = deps.state.of(routingCache);
  for (const key of cache.keys()) if (key.startsWith(`${districtId}:`)) cache.delete(key);
}

/** Everything routing needs for one report: the school's team, the district's team, rota, settings. */
export async function loadRoutingContext(deps: Pick<Deps, 'state'>, tx: Transaction, districtId: string, schoolId: string | null, now: Date): Promise<Context> {
  const cache = deps.state.of(routingCache);
  const key = `${districtId}:${schoolId ?? ''}`;
  const hit = cache.get(key);
  if (hit && performance.now() - hit.at < cacheMs) return hit.context;
  const context = await readRoutingContext(tx, districtId, schoolId, now);
  cache.set(key, { at: performance.now(), context });
  return context;
}

async function readRoutingContext(
  tx: Transaction,
  districtId: string,
  schoolId: string | null,
  now: Date,
): Promise<RoutingContext & { settings: EscalationSettings }> {
  const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
  const [school] = schoolId ? await tx.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId)) : [];
  const teams = await tx
    .select()
    .from(crisisTeams)
    .where(
      and(
        eq(crisisTeams.districtId, districtId),
        schoolId ? or(eq(crisisTeams.schoolId, schoolId), isNull(crisisTeams.schoolId)) : isNull(crisisTeams.schoolId),
      ),
    );
  const teamIds = teams.map((t) => t.id);
  // One transaction is one connection: these queries run one after another, not in parallel.
  const members = teamIds.length ? await tx.select().from(crisisTeamMembers).where(inArray(crisisTeamMembers.teamId, teamIds)) : [];
  const shifts = teamIds.length ? await tx.select().from(onCallShifts).where(inArray(onCallShifts.teamId, teamIds)) : [];
  const overrides = teamIds.length
    ? await tx
        .select()
        .from(onCallOverrides)
        .where(and(inArray(onCallOverrides.teamId, teamIds), gt(onCallOverrides.endsAt, now)))
    : [];
  const settingsRows = await tx.select().from(escalationSettings).where(eq(escalationSettings.districtId, districtId));
  const roster = (teamId: string | undefined): TeamRoster | null =>
    teamId
      ? {
          members: members.filter((m) => m.teamId === teamId),
          shifts: shifts.filter((s) => s.teamId === teamId).map((s) => ({ ...s })),
          overrides: overrides.filter((o) => o.teamId === teamId),
        }
      : null;
  const stored = settingsRows[0];
  const afterHoursIds = stored?.afterHoursMemberIds ?? [];
  const afterHoursRows = afterHoursIds.length ? await tx.select().from(crisisTeamMembers).where(inArray(crisisTeamMembers.id, afterHoursIds)) : [];
  return {
    afterHours: afterHoursIds
      .map((id) => afterHoursRows.find((m) => m.id === id && m.active))
      .filter((m): m is (typeof afterHoursRows)[number] => m !== undefined),
    timeZone: district?.timeZone ?? 'UTC',
    schoolName: school?.name ?? null,
    schoolTeam: roster(teams.find((t) => schoolId && t.schoolId === schoolId)?.id),
    districtTeam: roster(teams.find((t) => t.schoolId === null)?.id),
    settings: stored
      ? { waitMinutes: stored.waitMinutes, hoursStart: stored.hoursStart, hoursEnd: stored.hoursEnd, weekdays: stored.weekdays }
      : defaultEscalationSettings,
  };
}
