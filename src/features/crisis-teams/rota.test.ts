import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

/**
 * Ms. Whitfield sets up Lincoln's rota: Ms. Rivera primary in school hours with Mr. Okafor as
 * secondary, Mr. Okafor primary every night, and the counselor from the mobile crisis line
 * covering Tuesday 1 December from noon to three. Nobody holds the weekend days. It is Saturday
 * 28 November 2026 in Denver.
 */
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let teamId: string;
const as = {} as Record<'whitfield' | 'rivera' | 'park' | 'shah', Session>;

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  for (const who of ['whitfield', 'rivera', 'park', 'shah'] as const) as[who] = await signIn(haven.app, d.people[who].email);
  const post = async (url: string, payload: unknown) => {
    const response = await haven.app.inject({ method: 'POST', url, headers: as.whitfield.headers, payload: payload as object });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  teamId = (await post('/api/v1/crisis-teams', { schoolId: d.schools.lincoln.id, name: 'Lincoln crisis team' })).id;
  const rivera = (await post(`/api/v1/crisis-teams/${teamId}/members`, { userId: d.people.rivera.id, name: 'Elena Rivera', teamRole: 'counselor' })).id;
  const okafor = (await post(`/api/v1/crisis-teams/${teamId}/members`, { userId: d.people.okafor.id, name: 'Sam Okafor', teamRole: 'social_worker' })).id;
  const mobile = (await post(`/api/v1/crisis-teams/${teamId}/members`, { name: 'Mobile crisis line', teamRole: 'community_partner', phone: '303-555-0150' }))
    .id;
  const schoolDays = [1, 2, 3, 4, 5];
  await post(`/api/v1/crisis-teams/${teamId}/shifts`, { memberId: rivera, position: 'primary', weekdays: schoolDays, startsAt: '07:00', endsAt: '17:00' });
  await post(`/api/v1/crisis-teams/${teamId}/shifts`, { memberId: okafor, position: 'secondary', weekdays: schoolDays, startsAt: '07:00', endsAt: '17:00' });
  await post(`/api/v1/crisis-teams/${teamId}/shifts`, {
    memberId: okafor,
    position: 'primary',
    weekdays: [0, 1, 2, 3, 4, 5, 6],
    startsAt: '17:00',
    endsAt: '07:00',
  });
  await post(`/api/v1/crisis-teams/${teamId}/overrides`, { memberId: mobile, position: 'primary', startsAt: '2026-12-01T12:00', endsAt: '2026-12-01T15:00' });
});
afterAll(() => haven.close());

const rota = (who: keyof typeof as, query = '') =>
  haven.app.inject({ method: 'GET', url: `/api/v1/crisis-teams/${teamId}/rota${query}`, headers: as[who].headers });

type Segment = { from: string; to: string; primary: { memberId: string; override: boolean } | null; secondary: unknown; gap: boolean };
type Rota = {
  weekStart: string;
  previousWeek: string;
  nextWeek: string;
  timeZone: string;
  gaps: number;
  members: { id: string; name: string }[];
  days: { date: string; segments: Segment[] }[];
};

describe("the crisis team's rota as a week", () => {
  it('shows the week of any day, Sunday to Saturday in Denver, with the weekend gaps counted and the override marked', async () => {
    const response = await rota('rivera', '?week=2026-12-01');
    expect(response.statusCode).toBe(200);
    const week: Rota = response.json();
    expect(week).toMatchObject({ weekStart: '2026-11-29', previousWeek: '2026-11-22', nextWeek: '2026-12-06', timeZone: 'America/Denver', gaps: 2 });
    const name = (id: string | undefined) => week.members.find((m) => m.id === id)?.name;
    const show = (s: Segment) => `${s.from}–${s.to} ${s.gap ? 'nobody' : name(s.primary?.memberId)}${s.primary?.override ? ' (override)' : ''}`;
    expect(week.days.map((day) => [day.date, day.segments.map(show)])).toEqual([
      ['2026-11-29', ['00:00–07:00 Sam Okafor', '07:00–17:00 nobody', '17:00–24:00 Sam Okafor']],
      ['2026-11-30', ['00:00–07:00 Sam Okafor', '07:00–17:00 Elena Rivera', '17:00–24:00 Sam Okafor']],
      [
        '2026-12-01',
        [
          '00:00–07:00 Sam Okafor',
          '07:00–12:00 Elena Rivera',
          '12:00–15:00 Mobile crisis line (override)',
          '15:00–17:00 Elena Rivera',
          '17:00–24:00 Sam Okafor',
        ],
      ],
      ['2026-12-02', ['00:00–07:00 Sam Okafor', '07:00–17:00 Elena Rivera', '17:00–24:00 Sam Okafor']],
      ['2026-12-03', ['00:00–07:00 Sam Okafor', '07:00–17:00 Elena Rivera', '17:00–24:00 Sam Okafor']],
      ['2026-12-04', ['00:00–07:00 Sam Okafor', '07:00–17:00 Elena Rivera', '17:00–24:00 Sam Okafor']],
      ['2026-12-05', ['00:00–07:00 Sam Okafor', '07:00–17:00 nobody', '17:00–24:00 Sam Okafor']],
    ]);
  });

  it("opens on this week in the district's time zone", async () => {
    expect((await rota('whitfield')).json()).toMatchObject({ weekStart: '2026-11-22', today: '2026-11-28', nextWeek: '2026-11-29' });
  });

  it('refuses a day that is not a date, clearly', async () => {
    for (const week of ['2026-02-30', 'next week', '1900-01-01']) {
      const response = await rota('rivera', `?week=${encodeURIComponent(week)}`);
      expect(response.statusCode, week).toBe(400);
      expect(response.json().detail).toBe('Give the week as a date such as 2026-12-01.');
    }
  });

  it("is for the people who may see the team: not Aspen's counselor, not a teacher", async () => {
    expect((await rota('park')).statusCode).toBe(404);
    expect((await rota('shah')).statusCode).toBe(404);
  });
});
