import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { type Actor, auditActor } from '../../access/actor.ts';
import { can } from '../../access/policy.ts';
import { users } from '../../data/accounts.ts';
import { crisisTeamMembers, crisisTeams, escalationSettings, onCallOverrides, onCallShifts } from '../../data/crisis-teams.ts';
import { districts, schools } from '../../data/districts.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { instantAt, minutesOfDay } from '../../platform/time-zone.ts';
import { forgetRoutingContexts } from './crisis-teams.repository.ts';
import { defaultEscalationSettings, type EscalationSettings } from './escalation.rules.ts';
import { onCallAt } from './on-call.rules.ts';

type Team = typeof crisisTeams.$inferSelect;
async function teamFor(tx: Transaction, actor: Actor, teamId: string, action: 'crisisTeam.view' | 'crisisTeam.manage'): Promise<Team> {
  const [team] = isUuid(teamId) ? await tx.select().from(crisisTeams).where(eq(crisisTeams.id, teamId)) : [];
  if (!team || !can(actor, action, { schoolId: team.schoolId })) throw notFound('That crisis team');
  return team;
}

/** The teams the actor may see, each with members, weekly rota, coming overrides and who is on call now. */
export async function listTeams(deps: Deps, actor: Actor) {
  const now = deps.clock.now();
  return withTenant(deps.db.app, actor, async (tx) => {
    const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, actor.districtId));
    const teams = (
      await tx
        .select({ team: crisisTeams, schoolName: schools.name })
        .from(crisisTeams)
        .leftJoin(schools, eq(schools.id, crisisTeams.schoolId))
        .orderBy(asc(crisisTeams.name))
    ).filter(({ team }) => can(actor, 'crisisTeam.view', { schoolId: team.schoolId }));
    const ids = teams.map(({ team }) => team.id);
    const phoneAlerts = { texts: deps.sms.configured, calls: deps.sms.calls };
    if (ids.length === 0) return { timeZone: district?.timeZone ?? 'UTC', afterHoursOnCall: [], phoneAlerts, teams: [] };
    const members = await tx.select().from(crisisTeamMembers).where(inArray(crisisTeamMembers.teamId, ids)).orderBy(asc(crisisTeamMembers.name));
    const shifts = await tx.select().from(onCallShifts).where(inArray(onCallShifts.teamId, ids)).orderBy(asc(onCallShifts.weekday), asc(onCallShifts.startsAt));
    const overrides = await tx
      .select()
      .from(onCallOverrides)
      .where(and(inArray(onCallOverrides.teamId, ids), gt(onCallOverrides.endsAt, now)))
      .orderBy(asc(onCallOverrides.startsAt));
    const timeZone = district?.timeZone ?? 'UTC';
    const [settings] = await tx.select({ afterHours: escalationSettings.afterHoursMemberIds }).from(escalationSettings);
    const afterHours = await afterHoursNames(tx, settings?.afterHours ?? []);
    return {
      timeZone,
      /** Who takes suicide and threat alerts outside school hours; empty is a setup gap the page shows. */
      afterHoursOnCall: afterHours,
      phoneAlerts,
      teams: teams.map(({ team, schoolName }) => {
        const own = { shifts: shifts.filter((s) => s.teamId === team.id), overrides: overrides.filter((o) => o.teamId === team.id) };
        const onCall = onCallAt(own.shifts, own.overrides, now, timeZone);
        const nameOf = (id: string | null) => members.find((m) => m.id === id)?.name ?? null;
        return {
          id: team.id,
          name: team.name,
          schoolId: team.schoolId,
          schoolName,
          canManage: can(actor, 'crisisTeam.manage', { schoolId: team.schoolId }),
          members: members.filter((m) => m.teamId === team.id),
          shifts: own.shifts,
          overrides: own.overrides,
          onCallNow: { primary: nameOf(onCall.primary), secondary: nameOf(onCall.secondary) },
        };
      }),
    };
  });
}

async function afterHoursNames(tx: Transaction, ids: string[]): Promise<{ id: string; name: string }[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: crisisTeamMembers.id, name: crisisTeamMembers.name, active: crisisTeamMembers.active })
    .from(crisisTeamMembers)
    .where(inArray(crisisTeamMembers.id, ids));
  return ids.flatMap((id) => rows.filter((r) => r.id === id && r.active).map(({ id, name }) => ({ id, name })));
}

export async function createTeam(deps: Deps, actor: Actor, input: { schoolId: string | null; name: string }) {
  if (!can(actor, 'crisisTeam.manage', { schoolId: input.schoolId })) throw notFound('That school');
  return withTenant(deps.db.app, actor, async (tx) => {
    if (input.schoolId) {
      const [school] = await tx.select({ id: schools.id }).from(schools).where(eq(schools.id, input.schoolId));
      if (!school) throw notFound('That school');
    }
    const existing = await tx
      .select({ id: crisisTeams.id })
      .from(crisisTeams)
      .where(input.schoolId ? eq(crisisTeams.schoolId, input.schoolId) : isNull(crisisTeams.schoolId));
    if (existing.length > 0) throw badRequest(input.schoolId ? 'This school already has a crisis team.' : 'The district already has a district crisis team.');
    const id = deps.ids.uuid();
    await tx.insert(crisisTeams).values({ id, districtId: actor.districtId, schoolId: input.schoolId, name: input.name });
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), { action: 'crisis_team.created', subjectType: 'crisis_team', subjectId: id });
    return { id };
  });
}

export async function addMember(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: {
    userId?: string | undefined;
    name: string;
    teamRole: (typeof crisisTeamMembers.$inferInsert)['teamRole'];
    email?: string | undefined;
    phone?: string | undefined;
  },
) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const team = await teamFor(tx, actor, teamId, 'crisisTeam.manage');
    let email = input.email ?? null;
    if (input.userId) {
      const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, input.userId));
      if (!user) throw badRequest('That person has no role in this district.');
      email ??= user.email;
    }
    const id = deps.ids.uuid();
    await tx.insert(crisisTeamMembers).values({
      id,
      districtId: team.districtId,
      teamId: team.id,
      userId: input.userId ?? null,
      name: input.name,
      teamRole: input.teamRole,
      email,
      phone: input.phone ?? null,
    });
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'crisis_team.member_added',
      subjectType: 'crisis_team',
      subjectId: team.id,
      detail: { memberId: id, teamRole: input.teamRole },
    });
    return { id };
  });
}

async function memberOf(tx: Transaction, team: Team, memberId: string) {
  const [member] = await tx
    .select()
    .from(crisisTeamMembers)
    .where(and(eq(crisisTeamMembers.id, memberId), eq(crisisTeamMembers.teamId, team.id)));
  if (!member) throw badRequest('That person is not a member of this team.');
  return member;
}

export async function addShifts(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { memberId: string; position: 'primary' | 'secondary'; weekdays: number[]; startsAt: string; endsAt: string },
) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const team = await teamFor(tx, actor, teamId, 'crisisTeam.manage');
    await memberOf(tx, team, input.memberId);
    const rows = [...new Set(input.weekdays)].map((weekday) => ({
      id: deps.ids.uuid(),
      districtId: team.districtId,
      teamId: team.id,
      memberId: input.memberId,
      position: input.position,
      weekday,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
    }));
    await tx.insert(onCallShifts).values(rows);
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'crisis_team.rota_changed',
      subjectType: 'crisis_team',
      subjectId: team.id,
      detail: { added: rows.length },
    });
    return { ids: rows.map((r) => r.id) };
  });
}

export async function removeShift(deps: Deps, actor: Actor, teamId: string, shiftId: string) {
  await withTenant(deps.db.app, actor, async (tx) => {
    const team = await teamFor(tx, actor, teamId, 'crisisTeam.manage');
    const removed = isUuid(shiftId)
      ? await tx
          .delete(onCallShifts)
          .where(and(eq(onCallShifts.id, shiftId), eq(onCallShifts.teamId, team.id)))
          .returning()
      : [];
    if (removed.length === 0) throw notFound('That shift');
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'crisis_team.rota_changed',
      subjectType: 'crisis_team',
      subjectId: team.id,
      detail: { removed: shiftId },
    });
  });
}

export async function addOverride(
  deps: Deps,
  actor: Actor,
  teamId: string,
  input: { memberId: string; position: 'primary' | 'secondary'; startsAt: string; endsAt: string },
) {
  return withTenant(deps.db.app, actor, async (tx) => {
    const team = await teamFor(tx, actor, teamId, 'crisisTeam.manage');
    await memberOf(tx, team, input.memberId);
    const [district] = await tx.select({ timeZone: districts.timeZone }).from(districts).where(eq(districts.id, team.districtId));
    const startsAt = toInstant(input.startsAt, district?.timeZone ?? 'UTC');
    const endsAt = toInstant(input.endsAt, district?.timeZone ?? 'UTC');
    if (endsAt <= startsAt) throw badRequest('The override must end after it starts.');
    const id = deps.ids.uuid();
    await tx
      .insert(onCallOverrides)
      .values({ id, districtId: team.districtId, teamId: team.id, memberId: input.memberId, position: input.position, startsAt, endsAt });
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'crisis_team.override_added',
      subjectType: 'crisis_team',
      subjectId: team.id,
      detail: { overrideId: id },
    });
    return { id };
  });
}

/** A time with an offset is taken as given; a local time is read on the district's clock. */
function toInstant(moment: string, timeZone: string): Date {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(moment)) return new Date(moment);
  const [date = '', time = '00:00'] = moment.split('T');
  const [year, month, day] = date.split('-').map(Number);
  return instantAt(year as number, month as number, day as number, minutesOfDay(time), timeZone);
}

type SettingsWithAfterHours = EscalationSettings & { afterHoursMemberIds: string[] };

export async function getEscalationSettings(deps: Deps, actor: Actor): Promise<SettingsWithAfterHours> {
  if (!can(actor, 'report.list', null)) throw notFound('Escalation settings');
  return withTenant(deps.db.app, actor, async (tx) => {
    const [row] = await tx.select().from(escalationSettings).where(eq(escalationSettings.districtId, actor.districtId));
    return row
      ? {
          waitMinutes: row.waitMinutes,
          hoursStart: row.hoursStart.slice(0, 5),
          hoursEnd: row.hoursEnd.slice(0, 5),
          weekdays: row.weekdays,
          afterHoursMemberIds: row.afterHoursMemberIds,
        }
      : { ...defaultEscalationSettings, afterHoursMemberIds: [] };
  });
}

/**
 * The waits of the escalation chain per urgency, the school hours, and the after-hours on-call
 * (required: each must be an active crisis-team member with a phone or an e-mail); district
 * administrators only.
 */
export async function setEscalationSettings(deps: Deps, actor: Actor, settings: SettingsWithAfterHours) {
  if (!can(actor, 'district.configure', null)) throw notFound('Escalation settings');
  await withTenant(deps.db.app, actor, async (tx) => {
    const ids = [...new Set(settings.afterHoursMemberIds)];
    const found = await tx
      .select({
        id: crisisTeamMembers.id,
        name: crisisTeamMembers.name,
        active: crisisTeamMembers.active,
        email: crisisTeamMembers.email,
        phone: crisisTeamMembers.phone,
      })
      .from(crisisTeamMembers)
      .where(inArray(crisisTeamMembers.id, ids));
    if (found.length !== ids.length || found.some((m) => !m.active))
      throw badRequest('Each after-hours on-call person must be an active member of a crisis team in this district.', {
        es: 'Cada persona de guardia fuera del horario escolar debe ser miembro activo de un equipo de crisis de este distrito.',
      });
    const unreachable = found.filter((m) => !m.email && !m.phone);
    if (unreachable.length > 0)
      throw badRequest(`${unreachable.map((m) => m.name).join(', ')} has no phone or e-mail; an after-hours alert could not reach them.`);
    settings = { ...settings, afterHoursMemberIds: ids };
    await tx
      .insert(escalationSettings)
      .values({ districtId: actor.districtId, ...settings })
      .onConflictDoUpdate({ target: escalationSettings.districtId, set: settings });
    forgetRoutingContexts(deps, actor.districtId);
    await deps.audit.append(tx, actor.districtId, auditActor(actor), {
      action: 'escalation.settings_changed',
      subjectType: 'district',
      subjectId: actor.districtId,
      detail: settings,
    });
  });
}
