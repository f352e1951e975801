import { and, asc, eq, gt, lt } from 'drizzle-orm';
import type { Actor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { crisisTeamMembers, crisisTeams, onCallOverrides, onCallShifts } from '../../data/crisis-teams.ts';
import { districts } from '../../data/districts.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { districtDay, instantAt } from '../../platform/time-zone.ts';
import { addDays, weekRota, weekStart } from './rota.rules.ts';

/**
 * One week of a team's on-call cover as a calendar, in the district's time zone: who is primary
 * and secondary when, overrides marked, and every gap with nobody on call counted, because a gap
 * is when an alert reaches no one on this team first. `week` is any day of the week wanted
 * (default: this week in the district). People who may see the team may see its rota; it holds no
 * student's data.
 */
export async function teamRota(deps: Deps, actor: Actor, teamId: string, week: string | undefined) {
  if (week !== undefined && !isCalendarDay(week))
    throw badRequest('Give the week as a date such as 2026-12-01.', { code: 'week_invalid', es: 'Indique la semana con una fecha como 2026-12-01.' });
  return withTenant(deps.db.app, actor, async (tx) => {
    const [team] = isUuid(teamId) ? await tx.select().from(crisisTeams).where(eq(crisisTeams.id, teamId)) : [];
    if (!team || !can(actor, 'crisisTeam.view', { schoolId: team.schoolId })) throw notFound('That crisis team');
    const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, team.districtId));
    const timeZone = district?.timeZone ?? 'UTC';
    const today = districtDay(deps.clock.now(), timeZone);
    const sunday = weekStart(week ?? today);
    const [from, to] = [sunday, addDays(sunday, 7)].map((day) => {
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      return instantAt(y, m, d, 0, timeZone);
    }) as [Date, Date];
    const members = await tx.select().from(crisisTeamMembers).where(eq(crisisTeamMembers.teamId, team.id)).orderBy(asc(crisisTeamMembers.name));
    const shifts = await tx.select().from(onCallShifts).where(eq(onCallShifts.teamId, team.id)).orderBy(asc(onCallShifts.weekday), asc(onCallShifts.startsAt));
    const overrides = await tx
      .select()
      .from(onCallOverrides)
      .where(and(eq(onCallOverrides.teamId, team.id), lt(onCallOverrides.startsAt, to), gt(onCallOverrides.endsAt, from)))
      .orderBy(asc(onCallOverrides.startsAt));
    const active = new Set(members.filter((m) => m.active).map((m) => m.id));
    const days = weekRota(shifts, overrides, sunday, timeZone, (id) => active.has(id));
    return {
      team: { id: team.id, name: team.name },
      timeZone,
      today,
      weekStart: sunday,
      previousWeek: addDays(sunday, -7),
      nextWeek: addDays(sunday, 7),
      members: members.map((m) => ({ id: m.id, name: m.name, active: m.active })),
      days,
      gaps: days.reduce((n, d) => n + d.segments.filter((s) => s.gap).length, 0),
    };
  });
}

/** A real day (not 2026-02-30) in the years a rota can mean. */
function isCalendarDay(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const year = Number(day.slice(0, 4));
  return year >= 2000 && year <= 2100 && addDays(day, 0) === day;
}
