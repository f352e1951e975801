import { crisisTeamMembers, crisisTeams, onCallShifts } from '../../src/data/crisis-teams.ts';
import type { Deps } from '../../src/platform/deps.ts';
import type { createDistrict } from './factories.ts';

type District = Awaited<ReturnType<typeof createDistrict>>;
const everyDay = [0, 1, 2, 3, 4, 5, 6];

/**
 * Lincoln Middle's crisis team: Ms. Rivera on call first all week, Mr. Okafor second, Mr. Bell
 * the administrator; the district team with Ms. Whitfield on district call.
 */
export async function createCrisisTeams(deps: Deps, d: District) {
  const school = deps.ids.uuid();
  const district = deps.ids.uuid();
  const member = (
    teamId: string,
    person: { id: string; email: string },
    name: string,
    teamRole: 'counselor' | 'administrator' | 'social_worker',
    phone: string | null = null,
  ) => ({
    id: deps.ids.uuid(),
    districtId: d.district.id,
    teamId,
    userId: person.id,
    name,
    teamRole,
    email: person.email,
    phone,
  });
  const rivera = member(school, d.people.rivera, 'Elena Rivera', 'counselor', '+13035550101');
  const okafor = member(school, d.people.okafor, 'Sam Okafor', 'social_worker');
  const bell = member(school, d.people.bell, 'Marcus Bell', 'administrator');
  const whitfield = member(district, d.people.whitfield, 'Dana Whitfield', 'administrator');
  const shift = (teamId: string, memberId: string, position: 'primary' | 'secondary') =>
    everyDay.map((weekday) => ({ id: deps.ids.uuid(), districtId: d.district.id, teamId, memberId, position, weekday, startsAt: '00:00', endsAt: '00:00' }));
  await deps.db.system.transaction(async (tx) => {
    await tx.insert(crisisTeams).values([
      { id: school, districtId: d.district.id, schoolId: d.schools.lincoln.id, name: 'Lincoln Middle crisis team' },
      { id: district, districtId: d.district.id, schoolId: null, name: 'District crisis team' },
    ]);
    await tx.insert(crisisTeamMembers).values([rivera, okafor, bell, whitfield]);
    await tx
      .insert(onCallShifts)
      .values([...shift(school, rivera.id, 'primary'), ...shift(school, okafor.id, 'secondary'), ...shift(district, whitfield.id, 'primary')]);
  });
  return { schoolTeamId: school, districtTeamId: district, members: { rivera, okafor, bell, whitfield } };
}
