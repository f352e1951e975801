import { eq } from 'drizzle-orm';
import { roleGrants, users } from '../../data/accounts.ts';
import { crisisTeamMembers, crisisTeams, escalationSettings, onCallOverrides, onCallShifts } from '../../data/crisis-teams.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { districtDay } from '../../platform/time-zone.ts';
import { defaultEscalationSettings } from '../crisis-teams/index.ts';
import { demoTimeZone, localAt, plusDays, sundayOf } from './demo.days.ts';

const weekdays = [1, 2, 3, 4, 5];
const everyDay = [0, 1, 2, 3, 4, 5, 6];
const sundayToFriday = [0, 1, 2, 3, 4, 5];

/**
 * The demo district's crisis teams: Lincoln Middle's team (the counselor on call in school hours,
 * the crisis-team member evenings and weekends, the principal as administrator) and the district
 * team (the district admin and a partner's mobile crisis line, around the clock).
 *
 * Lincoln's rota has one deliberate gap, Saturday 23:00 to Sunday 07:00, and this week's Wednesday
 * morning the principal stands in for the counselor (an override), so the rota calendar shows both
 * as a team would meet them. In the gap an alert still reaches the district team and the
 * after-hours on-call (the escalation chain); the calendar names the gap so the team can fill it.
 */
export async function seedDemoCrisisTeams(deps: Deps, tx: Transaction, districtId: string, lincolnId: string) {
  const wednesday = plusDays(sundayOf(districtDay(deps.clock.now(), demoTimeZone)), 3);
  const byEmail = async (email: string) => {
    const [row] = await tx
      .select({ id: users.id, name: users.displayName })
      .from(users)
      .innerJoin(roleGrants, eq(roleGrants.userId, users.id))
      .where(eq(users.email, email));
    if (!row) throw new Error(`demo account ${email} is missing`);
    return { ...row, email };
  };
  const counselor = await byEmail('counselor@demo.haven.test');
  const crisis = await byEmail('crisis@demo.haven.test');
  const principal = await byEmail('schooladmin@demo.haven.test');
  const admin = await byEmail('admin@demo.haven.test');
  const lincolnTeam = deps.ids.uuid();
  const districtTeam = deps.ids.uuid();
  const member = (
    teamId: string,
    person: { id: string | null; name: string; email: string | null },
    teamRole: (typeof crisisTeamMembers.$inferInsert)['teamRole'],
    phone: string | null = null,
  ) => ({
    id: deps.ids.uuid(),
    districtId,
    teamId,
    userId: person.id,
    name: person.name,
    teamRole,
    email: person.email,
    phone,
  });
  const rivera = member(lincolnTeam, counselor, 'counselor', '303-555-0101');
  const okafor = member(lincolnTeam, crisis, 'social_worker', '303-555-0102');
  const bell = member(lincolnTeam, principal, 'administrator');
  const whitfield = member(districtTeam, admin, 'administrator');
  const mobile = member(
    districtTeam,
    { id: null, name: 'Front Range mobile crisis line', email: 'oncall@frontrange.example.org' },
    'community_partner',
    '303-555-0150',
  );
  const shifts = (teamId: string, memberId: string, position: 'primary' | 'secondary', days: number[], startsAt: string, endsAt: string) =>
    days.map((weekday) => ({ id: deps.ids.uuid(), districtId, teamId, memberId, position, weekday, startsAt, endsAt }));
  await tx.insert(crisisTeams).values([
    { id: lincolnTeam, districtId, schoolId: lincolnId, name: 'Lincoln Middle School crisis team' },
    { id: districtTeam, districtId, schoolId: null, name: 'District crisis team' },
  ]);
  await tx.insert(crisisTeamMembers).values([rivera, okafor, bell, whitfield, mobile]);
  await tx
    .insert(onCallShifts)
    .values([
      ...shifts(lincolnTeam, rivera.id, 'primary', weekdays, '07:00', '17:00'),
      ...shifts(lincolnTeam, okafor.id, 'secondary', weekdays, '07:00', '17:00'),
      ...shifts(lincolnTeam, okafor.id, 'primary', sundayToFriday, '17:00', '07:00'),
      ...shifts(lincolnTeam, okafor.id, 'primary', [6], '17:00', '23:00'),
      ...shifts(lincolnTeam, okafor.id, 'primary', [0, 6], '07:00', '17:00'),
      ...shifts(districtTeam, whitfield.id, 'primary', everyDay, '00:00', '00:00'),
      ...shifts(districtTeam, mobile.id, 'secondary', everyDay, '00:00', '00:00'),
    ]);
  // Ms. Rivera is at a training on Wednesday morning; Mr. Bell takes her calls.
  await tx.insert(onCallOverrides).values({
    id: deps.ids.uuid(),
    districtId,
    teamId: lincolnTeam,
    memberId: bell.id,
    position: 'primary',
    startsAt: localAt(wednesday, '07:00'),
    endsAt: localAt(wednesday, '12:00'),
  });
  // After school hours, suicide and threat alerts also go to the crisis-team member on call
  // evenings and weekends and to the partner's mobile crisis line.
  await tx
    .insert(escalationSettings)
    .values({ districtId, ...defaultEscalationSettings, afterHoursMemberIds: [okafor.id, mobile.id] })
    .onConflictDoUpdate({ target: escalationSettings.districtId, set: { afterHoursMemberIds: [okafor.id, mobile.id] } });
}
