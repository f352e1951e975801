import { and, eq, gt, inArray, isNull, or } from 'drizzle-orm';
import type { Transaction } from '../../platform/db/client.ts';
import { defaultEscalationSettings, type EscalationSettings } from '../crisis-reports/escalation.rules.ts';
import { districts } from '../districts/districts.tables.ts';
import { crisisTeamMembers, crisisTeams, escalationSettings, onCallOverrides, onCallShifts } from './crisis-teams.tables.ts';
import type { RoutingContext, TeamRoster } from './routing.rules.ts';

/** Everything routing needs for one report: the school's team, the district's team, rota, settings. */
export async function loadRoutingContext(
  tx: Transaction,
  districtId: string,
  schoolId: string | null,
  now: Date,
): Promise<RoutingContext & { settings: EscalationSettings }> {
  const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, districtId));
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
  return {
    timeZone: district?.timeZone ?? 'UTC',
    schoolTeam: roster(teams.find((t) => schoolId && t.schoolId === schoolId)?.id),
    districtTeam: roster(teams.find((t) => t.schoolId === null)?.id),
    settings: stored
      ? { waitMinutes: stored.waitMinutes, hoursStart: stored.hoursStart, hoursEnd: stored.hoursEnd, weekdays: stored.weekdays }
      : defaultEscalationSettings,
  };
}
