import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { reports } from '../../data/reports.ts';
import { dispositions } from '../../data/reports.values.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let teams: Awaited<ReturnType<typeof createCrisisTeams>>;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  teams = await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });
const publicReport = (payload: Record<string, unknown>) =>
  haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { district: d.district.slug, ...payload } });

describe('staff entry', () => {
  it('Ms. Shah, a teacher, records a concern but cannot open the report list', async () => {
    const shah = await signIn(haven.app, d.people.shah.email);
    const created = await post(shah, '/api/v1/reports/staff', {
      channel: 'staff_concern',
      description: 'Jonah wrote a goodbye note in class',
      school: 'lincoln-ms',
      category: 'suicide_self_harm',
    });
    expect(created.statusCode).toBe(201);
    expect((await get(shah, '/api/v1/reports')).statusCode).toBe(404);
    const list = (await get(rivera, '/api/v1/reports')).json();
    expect(list.items.find((r: { id: string }) => r.id === created.json().id)).toMatchObject({ channel: 'staff_concern', urgency: 'urgent' });
    // The counselor sees who filed it: a staff concern is never anonymous.
    const page = (await get(rivera, `/api/v1/reports/${created.json().id}`)).json();
    expect(page.enteredBy).toEqual({ name: 'shah', email: d.people.shah.email });
  });

  it("a staff member's report stays in their own district, even with another district's school code", async () => {
    const { addSchool } = await import('../districts/districts.service.ts');
    const other = await createDistrict(haven.deps);
    await addSchool(haven.deps, other.district.id, { code: 'pine-hs', name: 'Pine High School', level: 'high' });
    const shah = await signIn(haven.app, d.people.shah.email);
    const elsewhere = await post(shah, '/api/v1/reports/staff', { channel: 'staff_concern', description: 'A worry', school: 'pine-hs', category: 'other' });
    expect(elsewhere.statusCode).toBe(400);
    expect(elsewhere.json().detail).toBe('We do not know that school. Choose it from the list, or leave it empty.');
    const { rows } = await haven.deps.db.system.$client.query('select count(*)::int as n from reports where district_id = $1', [other.district.id]);
    expect(rows[0].n).toBe(0);
    // Her own school, whose code the other district also uses, is hers.
    const home = await post(shah, '/api/v1/reports/staff', { channel: 'staff_concern', description: 'A worry', school: 'lincoln-ms', category: 'other' });
    expect(home.statusCode).toBe(201);
    const placed = await haven.deps.db.system.$client.query('select district_id from reports where id = $1', [home.json().id]);
    expect(placed.rows[0].district_id).toBe(d.district.id);
  });

  it('a state tip line report is recorded by its ID only', async () => {
    const copied = await post(rivera, '/api/v1/reports/staff', {
      channel: 'state_tip_line',
      stateTipLineId: 'S2T-2026-118842',
      description: 'pasted tip text',
      school: 'lincoln-ms',
    });
    expect(copied.statusCode).toBe(400);
    expect(copied.json().detail).toMatch(/may not be copied outside the state system/);
    const created = await post(rivera, '/api/v1/reports/staff', {
      channel: 'state_tip_line',
      stateTipLineId: 'S2T-2026-118842',
      school: 'lincoln-ms',
      category: 'harm_to_others',
    });
    expect(created.statusCode).toBe(201);
    const report = (await get(rivera, `/api/v1/reports/${created.json().id}`)).json();
    expect(report).toMatchObject({
      stateTipLineId: 'S2T-2026-118842',
      description: 'State tip line report S2T-2026-118842 (contents stay in the state system)',
    });
  });
});

describe('working a report', () => {
  it('each step is timed, closing keeps the record, and the figures show time to acknowledge', async () => {
    const { id } = (
      await publicReport({
        description: 'A student is crying in the bathroom and says she wants to disappear',
        school: 'lincoln-ms',
        category: 'mental_health_worry',
        urgency: 'urgent',
      })
    ).json();
    haven.clock.advance(3 * 60_000);
    expect((await post(rivera, `/api/v1/reports/${id}/acknowledge`, {})).statusCode).toBe(200);
    haven.clock.advance(4 * 60_000);
    expect((await post(rivera, `/api/v1/reports/${id}/actions`, { action: 'student_contacted', note: 'Met her in the counseling office' })).statusCode).toBe(
      204,
    );
    expect((await post(rivera, `/api/v1/reports/${id}/actions`, { action: 'connected_to_help' })).statusCode).toBe(204);
    const bad = await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'deleted' });
    expect(bad.statusCode).toBe(400);
    expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'referred', note: 'Referred to school psychologist' })).statusCode).toBe(204);
    const report = (await get(rivera, `/api/v1/reports/${id}`)).json();
    expect(report.status).toBe('closed');
    expect(report.disposition).toBe('referred');
    expect(new Date(report.times.acknowledgedAt).getTime() - new Date(report.times.receivedAt).getTime()).toBe(3 * 60_000);
    expect(new Date(report.times.studentContactedAt).getTime() - new Date(report.times.receivedAt).getTime()).toBe(7 * 60_000);
    expect(report.messages.map((m: { body: string }) => m.body)).toEqual(['Met her in the counseling office', 'Referred to school psychologist']);
    const metrics = (await get(rivera, '/api/v1/reports/metrics?days=7')).json();
    const urgent = metrics.groups.find((g: { dimension: string; value: string }) => g.dimension === 'urgency' && g.value === 'urgent');
    expect(urgent.minutesToAcknowledge.median).toBe(3);
  });

  it('a hoax wave is linked into one incident, every report kept; a prank is marked, not deleted', async () => {
    const text = 'Someone posted that there will be a shooting at Lincoln Middle on Friday';
    const ids: string[] = [];
    for (const variant of [text, `${text}!!`, 'posted: shooting at Lincoln Middle on Friday, someone said']) {
      ids.push((await publicReport({ description: variant, school: 'lincoln-ms', category: 'harm_to_others', urgency: 'urgent' })).json().id);
    }
    const { rows } = await haven.deps.db.system.$client.query(
      'select count(distinct incident_id)::int as incidents, count(*)::int as reports from reports where id = any($1::uuid[])',
      [ids],
    );
    expect(rows[0]).toEqual({ incidents: 1, reports: 3 });
    const first = (await get(rivera, `/api/v1/reports/${ids[0]}`)).json();
    expect(first.incident.map((r: { id: string }) => r.id).sort()).toEqual(ids.slice(1).sort());
    await post(rivera, `/api/v1/reports/${ids[1]}/close`, { disposition: 'prank' });
    expect(
      (await get(rivera, '/api/v1/reports?status=closed'))
        .json()
        .items.some((r: { id: string; disposition: string }) => r.id === ids[1] && r.disposition === 'prank'),
    ).toBe(true);
  });

  it('a counselor at Aspen sees neither the Lincoln reports nor their details', async () => {
    const { id } = (await publicReport({ description: 'fight planned after school', school: 'lincoln-ms' })).json();
    const park = await signIn(haven.app, d.people.park.email);
    expect((await get(park, '/api/v1/reports?status=all')).json().items.some((r: { id: string }) => r.id === id)).toBe(false);
    expect((await get(park, `/api/v1/reports/${id}`)).statusCode).toBe(404);
    expect((await post(park, `/api/v1/reports/${id}/acknowledge`, {})).statusCode).toBe(404);
  });

  it('the overdue list shows reports that have moved past the first step without anyone acknowledging', async () => {
    const { id } = (await publicReport({ description: 'kid says he has a knife', school: 'lincoln-ms', category: 'weapon', urgency: 'life_safety' })).json();
    const { runDueEscalations } = await import('./alerts.service.ts');
    haven.clock.advance(6 * 60_000);
    await runDueEscalations(haven.deps, haven.clock.now());
    const fresh = await signIn(haven.app, d.people.rivera.email);
    const overdue = (await get(fresh, '/api/v1/reports?status=overdue')).json();
    expect(overdue.items.some((r: { id: string; overdue: boolean }) => r.id === id && r.overdue)).toBe(true);
  });
});

describe('a report about a known student is in that student’s access log', () => {
  it('reading, acknowledging, each step and closing carry the student’s id; a report about nobody known carries none', async () => {
    const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    // Two unrelated reports (different words, so not linked as one incident).
    const about = async (studentId: string | null, description: string) => {
      const { id } = (await publicReport({ description, school: 'lincoln-ms', category: 'suicide_self_harm' })).json();
      // As a screening alert is stored: Haven itself knows the student it is about.
      await haven.deps.db.system.update(reports).set({ studentId }).where(eq(reports.id, id));
      return id as string;
    };
    const known = await about(maya.id, 'Screening alert: a positive PHQ-A');
    const unknown = await about(null, 'My friend wrote goodbye notes to everyone in class');
    for (const id of [known, unknown]) {
      expect((await get(rivera, `/api/v1/reports/${id}`)).statusCode).toBe(200);
      expect((await post(rivera, `/api/v1/reports/${id}/acknowledge`, {})).statusCode).toBe(200);
      expect((await post(rivera, `/api/v1/reports/${id}/actions`, { action: 'student_contacted' })).statusCode).toBe(204);
      expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'resolved' })).statusCode).toBe(204);
    }
    const trail = async (id: string) =>
      (await haven.deps.db.system.select().from(auditEvents).where(eq(auditEvents.subjectId, id)).orderBy(auditEvents.sequence)).filter(
        (e) => e.action !== 'report.received',
      );
    const actions = ['report.read', 'report.acknowledged', 'report.student_contacted', 'report.closed'];
    expect((await trail(known)).map((e) => [e.action, e.studentId])).toEqual(actions.map((a) => [a, maya.id]));
    expect((await trail(known)).find((e) => e.action === 'report.read')?.reason).toBe('crisis report handling');
    expect((await trail(unknown)).map((e) => [e.action, e.studentId])).toEqual(actions.map((a) => [a, null]));
    // The student's log says each step in words, never a code or "worked on the record".
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const log = (await get(whitfield, `/api/v1/students/${maya.id}/access-log?format=json&lang=es`)).json();
    expect(log.entries.filter((e: { action: string }) => e.action.startsWith('report.')).map((e: { what: string }) => e.what)).toEqual([
      'Cerró un reporte de crisis sobre el estudiante',
      'Habló con el estudiante sobre un reporte de crisis',
      'Se hizo cargo de un reporte de crisis sobre el estudiante',
      'Leyó un reporte de crisis sobre el estudiante',
    ]);
  });
});

describe('a report of suspected abuse closes only once the duty to report is met (C.R.S. 19-3-304)', () => {
  const abuseReport = async () =>
    (await publicReport({ description: 'Jonah says his uncle hits him with a belt', school: 'lincoln-ms', category: 'abuse_neglect' })).json().id as string;

  it('no disposition closes it without a finding; a look-alike note does not count; the principal records the finding, audited, and then it closes', async () => {
    const id = await abuseReport();
    for (const disposition of dispositions) {
      const refused = await post(rivera, `/api/v1/reports/${id}/close`, { disposition });
      expect(refused.statusCode, disposition).toBe(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({
        code: 'mandatory_report_required',
        detail: expect.stringMatching(/^This report is about suspected abuse or neglect\. Before it closes, record the mandatory report/),
      });
    }
    const lookAlike = 'Finding: no reasonable cause to suspect abuse or neglect.\nReasoning: I think it is fine';
    await post(rivera, `/api/v1/reports/${id}/messages`, { body: lookAlike, direction: 'internal_note' });
    expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'unfounded' })).statusCode).toBe(409);

    const reasoning = 'Spoke with Jonah and his mother: the marks are from a documented soccer injury (team trainer confirmed).';
    const byCounselor = await post(rivera, `/api/v1/reports/${id}/no-cause-finding`, { reasoning });
    expect(byCounselor.statusCode).toBe(403);
    expect(byCounselor.json().detail).toBe('Only a school or district administrator may record a finding of no reasonable cause to suspect abuse.');
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await post(shah, `/api/v1/reports/${id}/no-cause-finding`, { reasoning })).statusCode).toBe(404);
    expect((await get(rivera, `/api/v1/reports/${id}`)).json().abuseDuty).toEqual({ mandatoryReportRecorded: false, finding: null, canRecordFinding: false });

    const bell = await signIn(haven.app, d.people.bell.email);
    expect((await post(bell, `/api/v1/reports/${id}/no-cause-finding`, { reasoning: 'Seems fine' })).statusCode).toBe(400);
    expect((await post(bell, `/api/v1/reports/${id}/no-cause-finding`, { reasoning })).statusCode).toBe(201);
    expect((await post(bell, `/api/v1/reports/${id}/no-cause-finding`, { reasoning })).statusCode).toBe(409);
    const seen = (await get(rivera, `/api/v1/reports/${id}`)).json();
    expect(seen.abuseDuty).toMatchObject({
      mandatoryReportRecorded: false,
      finding: { by: 'bell', reasoning, at: expect.any(String) },
      canRecordFinding: false,
    });
    expect(seen.messages.at(-1)).toMatchObject({
      direction: 'internal_note',
      author: 'bell',
      body: expect.stringContaining('Recorded by bell (school admin).'),
    });
    const audited = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'report.no_cause_finding')));
    expect(audited).toMatchObject([{ actorUserId: d.people.bell.id, detail: { role: 'school_admin' } }]);

    expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'unfounded' })).statusCode).toBe(204);
  });

  it('a mandatory report recorded on a case opened from the report lets it close', async () => {
    const id = await abuseReport();
    const opened = await post(rivera, '/api/v1/cases', { type: 'abuse_neglect', summary: 'Belt marks', reportIds: [id] });
    const caseId = opened.json().id;
    expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'referred' })).statusCode).toBe(409);
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-reports`, {
      agency: 'state_hotline',
      reportedAt: '2026-11-28T15:30:00Z',
      referenceNumber: 'CO-77812',
      summary: 'Belt marks reported by the student',
    });
    expect((await get(rivera, `/api/v1/reports/${id}`)).json().abuseDuty).toMatchObject({ mandatoryReportRecorded: true, finding: null });
    const bell = await signIn(haven.app, d.people.bell.email);
    expect((await post(bell, `/api/v1/reports/${id}/no-cause-finding`, { reasoning: 'Nothing to see here, according to the family.' })).statusCode).toBe(409);
    expect((await post(rivera, `/api/v1/reports/${id}/close`, { disposition: 'referred' })).statusCode).toBe(204);
  });
});

describe('crisis teams and on-call', () => {
  it('Mr. Bell builds a team, adds a partner without an account and a rota; the on-call view names them', async () => {
    const other = await createDistrict(haven.deps);
    const bell = await signIn(haven.app, other.people.bell.email);
    const team = await post(bell, '/api/v1/crisis-teams', { schoolId: other.schools.lincoln.id, name: 'Lincoln crisis team' });
    expect(team.statusCode).toBe(201);
    const teamId = team.json().id;
    expect((await post(bell, '/api/v1/crisis-teams', { schoolId: other.schools.aspen.id, name: 'Not my school' })).statusCode).toBe(404);
    const noContact = await post(bell, `/api/v1/crisis-teams/${teamId}/members`, { name: 'Dr. Cho', teamRole: 'community_partner' });
    expect(noContact.statusCode).toBe(400);
    expect(noContact.json().detail).toMatch(/needs an e-mail address or a phone number/);
    const cho = await post(bell, `/api/v1/crisis-teams/${teamId}/members`, { name: 'Dr. Cho', teamRole: 'community_partner', phone: '+1 303 555 0142' });
    expect(cho.statusCode).toBe(201);
    const shifts = await post(bell, `/api/v1/crisis-teams/${teamId}/shifts`, {
      memberId: cho.json().id,
      position: 'primary',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
      startsAt: '00:00',
      endsAt: '00:00',
    });
    expect(shifts.statusCode).toBe(201);
    const badTime = await post(bell, `/api/v1/crisis-teams/${teamId}/shifts`, {
      memberId: cho.json().id,
      position: 'primary',
      weekdays: [1],
      startsAt: '25:00',
      endsAt: '07:00',
    });
    expect(badTime.statusCode).toBe(400);
    const cover = await post(bell, `/api/v1/crisis-teams/${teamId}/overrides`, {
      memberId: cho.json().id,
      position: 'secondary',
      startsAt: '2026-12-24T17:00',
      endsAt: '2026-12-26T08:00',
    });
    expect(cover.statusCode).toBe(201);
    const backwards = await post(bell, `/api/v1/crisis-teams/${teamId}/overrides`, {
      memberId: cho.json().id,
      position: 'secondary',
      startsAt: '2026-12-26T08:00',
      endsAt: '2026-12-24T17:00',
    });
    expect(backwards.statusCode).toBe(400);
    const teams = (await get(bell, '/api/v1/crisis-teams')).json();
    // 17:00 on Christmas Eve in Denver is midnight UTC.
    expect(teams.teams[0].overrides[0].startsAt).toBe('2026-12-25T00:00:00.000Z');
    expect(teams.teams[0]).toMatchObject({ name: 'Lincoln crisis team', canManage: true, onCallNow: { primary: 'Dr. Cho', secondary: null } });
  });

  it('Ms. Whitfield sets the waits and the after-hours on-call; a principal cannot', async () => {
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const settings = {
      waitMinutes: { life_safety: [2, 2, 3, 5], urgent: [10, 10, 20, 30], routine: [60, 60, 120, 240] },
      hoursStart: '07:30',
      hoursEnd: '16:30',
      weekdays: [1, 2, 3, 4, 5],
      afterHoursMemberIds: [teams.members.whitfield.id],
    };
    expect((await haven.app.inject({ method: 'PUT', url: '/api/v1/escalation-settings', headers: whitfield.headers, payload: settings })).statusCode).toBe(204);
    expect((await get(whitfield, '/api/v1/escalation-settings')).json()).toEqual(settings);
    const bell = await signIn(haven.app, d.people.bell.email);
    expect((await haven.app.inject({ method: 'PUT', url: '/api/v1/escalation-settings', headers: bell.headers, payload: settings })).statusCode).toBe(404);
  });
});
