import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { crisisTeamMembers, onCallShifts } from '../../data/crisis-teams.ts';
import { reports } from '../../data/reports.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { raiseScreeningAlert } from '../screening/results.service.ts';
import { runDueEscalations } from './alerts.service.ts';

let haven: TestHaven;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
});
afterAll(() => haven.close());

const schoolDays = [1, 2, 3, 4, 5];

/**
 * Lincoln Middle's team is on call in school hours only (Monday to Friday, 07:00–17:00), as most
 * school teams are; Ms. Park takes the district's after-hours calls.
 */
async function districtWithSchoolHoursRota() {
  const d = await createDistrict(haven.deps);
  const teams = await createCrisisTeams(haven.deps, d);
  const park = {
    id: haven.deps.ids.uuid(),
    districtId: d.district.id,
    teamId: teams.districtTeamId,
    userId: d.people.park.id,
    name: 'Paula Park',
    teamRole: 'counselor' as const,
    email: d.people.park.email,
    phone: '+13035550199',
  };
  await haven.deps.db.system.transaction(async (tx) => {
    await tx.delete(onCallShifts).where(eq(onCallShifts.districtId, d.district.id));
    await tx.insert(crisisTeamMembers).values(park);
    const shift = (teamId: string, memberId: string, position: 'primary' | 'secondary') =>
      schoolDays.map((weekday) => ({
        id: haven.deps.ids.uuid(),
        districtId: d.district.id,
        teamId,
        memberId,
        position,
        weekday,
        startsAt: '07:00',
        endsAt: '17:00',
      }));
    await tx
      .insert(onCallShifts)
      .values([
        ...shift(teams.schoolTeamId, teams.members.rivera.id, 'primary'),
        ...shift(teams.schoolTeamId, teams.members.okafor.id, 'secondary'),
        ...shift(teams.districtTeamId, teams.members.whitfield.id, 'primary'),
      ]);
  });
  const whitfield = await signIn(haven.app, d.people.whitfield.email);
  return { d, teams, park, whitfield };
}

const settings = (afterHoursMemberIds: string[]) => ({
  waitMinutes: { life_safety: [5, 5, 5, 10], urgent: [15, 15, 30, 60], routine: [60, 120, 240, 480] },
  hoursStart: '07:00',
  hoursEnd: '17:00',
  weekdays: schoolDays,
  afterHoursMemberIds,
});
const putSettings = (session: Session, body: unknown) =>
  haven.app.inject({ method: 'PUT', url: '/api/v1/escalation-settings', headers: session.headers, payload: body as Record<string, unknown> });

async function alertedUsers(reportId: string) {
  const { rows } = await haven.deps.db.system.$client.query(
    `select a.step, u.email from report_alerts a join users u on u.id = a.user_id where a.report_id = $1 and a.channel = 'in_app' and a.outcome = 'sent' order by a.at, a.step, u.email`,
    [reportId],
  );
  return rows.map((r: { step: number; email: string }) => `${r.step}:${r.email.split('.')[0]}`);
}

describe('alerts never wait for office hours', () => {
  it('the after-hours on-call is required, and must be a reachable crisis-team member', async () => {
    const { park, whitfield } = await districtWithSchoolHoursRota();
    const missing = await putSettings(whitfield, settings([]));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/name at least one after-hours on-call person/);
    const stranger = await putSettings(whitfield, settings([haven.deps.ids.uuid()]));
    expect(stranger.json().detail).toBe('Each after-hours on-call person must be an active member of a crisis team in this district.');
    expect((await putSettings(whitfield, settings([park.id]))).statusCode).toBe(204);
    const teams = (await haven.app.inject({ method: 'GET', url: '/api/v1/crisis-teams', headers: whitfield.headers })).json();
    expect(teams.afterHoursOnCall).toEqual([{ id: park.id, name: 'Paula Park' }]);
  });

  it('a screening alert at 16:50 on a Friday reaches the after-hours on-call that evening and keeps escalating through the weekend', async () => {
    const { d, park, whitfield } = await districtWithSchoolHoursRota();
    expect((await putSettings(whitfield, settings([park.id]))).statusCode).toBe(204);
    // Friday 4 December 2026, 16:50 in Denver.
    const friday = new Date('2026-12-04T23:50:00Z');
    haven.clock.set(friday);
    const { id } = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Avery' });
    const student = { id, schoolId: d.schools.lincoln.id, firstName: 'Avery', lastName: 'Moss', localId: 'S-1' };
    const alertId = await raiseScreeningAlert(haven.deps, {
      districtId: d.district.id,
      student,
      instrumentName: 'PHQ-A',
      urgency: 'urgent',
      flags: ['suicide_risk'],
    });
    // A routine report with no safety flag, at the same minute, for comparison.
    const routine = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'The bathroom door lock on the second floor is broken', school: d.schools.lincoln.id, category: 'other', urgency: 'routine' },
    });
    const routineId = routine.json().id as string;

    // In school hours the chain starts with the school's primary, as always.
    expect(await alertedUsers(alertId)).toEqual(['0:rivera']);
    const [stored] = await haven.deps.db.system.select().from(reports).where(eq(reports.id, alertId));
    expect(stored).toMatchObject({ safetyFlag: true, nextEscalationAt: new Date('2026-12-05T00:05:00Z') });
    const [waiting] = await haven.deps.db.system.select().from(reports).where(eq(reports.id, routineId));
    // 10 minutes of Friday count, the other 50 are Monday's.
    expect(waiting).toMatchObject({ safetyFlag: false, nextEscalationAt: new Date('2026-12-07T14:50:00Z') });

    // 17:05: the secondary's shift is over, but Ms. Park (after hours) is alerted, with the guidance.
    mail.length = 0;
    haven.clock.set(new Date('2026-12-05T00:05:00Z'));
    await runDueEscalations(haven.deps, haven.clock.now());
    expect(await alertedUsers(alertId)).toEqual(['0:rivera', '1:park']);
    const toPark = mail.find((m) => m.to === d.people.park.email);
    expect(toPark?.text).toContain('Colorado Crisis Services (1-844-493-8255, or text TALK to 38255)');
    expect(toPark?.text).toContain('call 911');
    expect(toPark?.text).not.toContain('Avery');

    // Nobody acknowledges: the chain keeps going all weekend, never waiting for Monday.
    for (const at of ['2026-12-05T00:20:00Z', '2026-12-05T00:50:00Z', '2026-12-05T01:50:00Z', '2026-12-06T10:00:00Z']) {
      haven.clock.set(new Date(at));
      await runDueEscalations(haven.deps, haven.clock.now());
    }
    const steps = await alertedUsers(alertId);
    expect(steps.slice(0, 4)).toEqual(['0:rivera', '1:park', '2:bell', '2:park']);
    expect(steps).toContain('3:park');
    expect(steps.filter((s) => s.endsWith(':park')).length).toBeGreaterThanOrEqual(4);
    const [later] = await haven.deps.db.system.select().from(reports).where(eq(reports.id, alertId));
    expect(later?.nextEscalationAt?.getTime()).toBeLessThan(new Date('2026-12-06T11:01:00Z').getTime());

    // The routine report stays where it was until Monday.
    expect(await alertedUsers(routineId)).toEqual(['0:rivera']);
  });
});
