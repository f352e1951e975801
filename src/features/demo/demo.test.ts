import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { addUser } from '../accounts/users.service.ts';
import { followThroughReferrals } from '../referrals/follow-through.service.ts';
import { seedDemoDistrict } from './demo.seed.ts';

let haven: TestHaven;
let districtId: string;
const password = 'demo password for tests';
beforeAll(async () => {
  haven = await startTestHaven();
  districtId = (await seedDemoDistrict(haven.deps, password)).district.id;
}, 60_000);
afterAll(() => haven.close());

const call = async (email: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>, on = haven) => {
  const session = await signIn(on.app, email, password);
  return on.app.inject({ method, url, headers: session.headers, ...(payload ? { payload } : {}) });
};
const get = async (email: string, url: string, on = haven) => (await call(email, 'GET', url, undefined, on)).json();

type RosterRow = { id: string; name: string; status: string };
/** The demo window as the teacher meets it: her classes and their students, in the roster's order. */
async function teachersWindow(on = haven) {
  const [window] = await get('teacher@demo.haven.test', '/api/v1/screening/windows', on);
  const roster = await get('teacher@demo.haven.test', `/api/v1/screening/windows/${window.id}/roster`, on);
  return { window, classes: roster.classes as { id: string; title: string }[], students: roster.students as RosterRow[], body: JSON.stringify(roster) };
}

describe('the demo district', () => {
  it('shows leaders capacity against need with staff in every school, and the equity path', async () => {
    const capacity = await get('admin@demo.haven.test', '/api/v1/leadership/capacity');
    expect(capacity.schools.map((s: { school: string; capacity: { counselorFte: number } }) => [s.school, s.capacity.counselorFte])).toEqual([
      ['Aspen Elementary', 1],
      ['Lincoln Middle School', 1.5],
      ['Sierra Vista High School', 2],
    ]);
    expect(capacity.partners.find((p: { type: string }) => p.type === 'counseling')).toMatchObject({ openPlaces: 10 });
    const funding = await get('admin@demo.haven.test', '/api/v1/leadership/funding');
    expect(funding.sources.find((s: { kind: string }) => s.kind === 'state_grant').alerts).toEqual([
      '$45,000 is not yet obligated and the obligation deadline is in 40 days',
    ]);
    expect(funding.losingFunding[0]).toMatchObject({ funds: 'Bilingual family counseling (Front Range)', losingShare: 0.75 });
    const training = await get('admin@demo.haven.test', '/api/v1/leadership/training');
    expect(training.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School')).toMatchObject({ studentsReached: 180 });
    const assessment = await get('admin@demo.haven.test', '/api/v1/leadership/self-assessment');
    expect(assessment.history).toHaveLength(1);
    expect(assessment.indicators.find((i: { id: string }) => i.id === 'funding.streams').measured).toBe(0.75);
    const policyList = await get('teacher@demo.haven.test', '/api/v1/policies');
    expect(policyList.map((p: { title: string }) => p.title)).toEqual(['Crisis response plan', 'Re-entry after a mental-health crisis']);
    const equity = await get('analyst@demo.haven.test', '/api/v1/leadership/equity');
    expect(equity.steps.find((s: { step: string }) => s.step === 'screened').reached).toBeGreaterThan(50);
  });

  it('receives texts and e-mail at its own demo number and address', async () => {
    const channels = await get('admin@demo.haven.test', '/api/v1/district/channels');
    expect(channels.map((c: { kind: string; address: string }) => [c.kind, c.address])).toEqual([
      ['email', 'help@demo.haven.test'],
      ['sms', '+17205550123'],
    ]);
  });

  it('has a partner directory with capacity and agreements, one ending soon and one partner without any', async () => {
    const partners = await get('counselor@demo.haven.test', '/api/v1/partners');
    expect(partners.flatMap((p: { services: unknown[] }) => p.services)).toHaveLength(6);
    const agreements = partners.map((p: { name: string; agreement: { endsOn: string } | null }) => [p.name, p.agreement !== null]);
    expect(agreements).toContainEqual(['Saigon Family Center', false]);
    expect(agreements).toContainEqual(['Front Range Family Counseling', true]);
  });

  it('has referrals in every state, loop measures, and a partner who sees only their own', async () => {
    const all = await get('counselor@demo.haven.test', '/api/v1/referrals?open=true');
    const closed = await get('counselor@demo.haven.test', '/api/v1/referrals?open=false');
    const statuses = new Set([...all, ...closed].map((r: { status: string }) => r.status));
    expect([...statuses].sort()).toEqual(['accepted', 'cancelled', 'completed', 'draft', 'in-progress', 'on-hold', 'rejected', 'requested', 'scheduled']);
    const measures = await get('counselor@demo.haven.test', '/api/v1/referrals/measures?by=partner');
    const frfc = measures.groups.find((g: { name: string }) => g.name === 'Front Range Family Counseling');
    expect(frfc.sent).toBeGreaterThan(15);
    expect(frfc.medianDaysToFirstAppointment).toBeGreaterThan(3);
    expect(frfc.loopsClosedShare).toBeGreaterThan(0.4);
    const partnerView = await get('partner@demo.haven.test', '/api/v1/referrals?open=true');
    expect(partnerView.length).toBeGreaterThan(0);
    expect(partnerView.every((r: { organization: string; status: string }) => r.organization === 'Front Range Family Counseling' && r.status !== 'draft')).toBe(
      true,
    );
    // The follow-through sweep finds the waiting referrals and gives the counselor work, once.
    const first = await followThroughReferrals(haven.deps);
    expect(first.partnersReminded + first.followUps).toBeGreaterThan(0);
    expect(await followThroughReferrals(haven.deps)).toEqual({ partnersReminded: 0, followUps: 0 });
  });
});

describe("each role's day in the demo", () => {
  it("Ms. Shah proctors her homeroom: exactly 7A's students, codes for those with consent, consent forms to mark, no result", async () => {
    const { window, classes, students, body } = await teachersWindow();
    expect(window.name).toBe('Fall wellness check');
    expect(classes.map((c) => c.title)).toEqual(['Homeroom 7A']);
    const { rows } = await haven.deps.db.system.execute<{ id: string }>(sql`
      select e.student_id as id from class_enrollments e join classes c on c.id = e.class_id
      where c.district_id = ${districtId} and c.title = 'Homeroom 7A' and e.role = 'student'`);
    expect(students).toHaveLength(25);
    expect(new Set(students.map((s) => s.id))).toEqual(new Set(rows.map((r) => r.id)));
    expect(body).not.toMatch(/"(score|band|flags|answers)"/);
    const waiting = students.filter((s) => s.status === 'not_started');
    const forms = students.filter((s) => s.status === 'needs_consent');
    expect(waiting.length).toBeGreaterThan(0);
    expect(forms.length).toBeGreaterThan(0);
    expect(students.filter((s) => s.status === 'screened').length).toBeGreaterThan(10);

    const printed = await call('teacher@demo.haven.test', 'POST', `/api/v1/screening/windows/${window.id}/classes/${classes[0]?.id}/codes`);
    expect(printed.statusCode).toBe(201);
    const sheet = printed.json().students as { id: string; code: string | null }[];
    expect(sheet.map((s) => s.id).sort()).toEqual(students.map((s) => s.id).sort());
    expect(sheet.filter((s) => s.code).map((s) => s.id)).toEqual(waiting.map((s) => s.id));
    const marked = await call('teacher@demo.haven.test', 'POST', `/api/v1/screening/windows/${window.id}/marks`, {
      studentIds: forms.map((s) => s.id),
      mark: 'consent_received',
    });
    expect(marked.json()).toMatchObject({ marked: forms.map((s) => s.id), skipped: [] });
  });

  it("Ms. Shah reads a 7A student's re-entry summary as their teacher; a Lincoln teacher of no class of theirs gets a 404", async () => {
    const [returning, supported] = (await teachersWindow()).students as [RosterRow, RosterRow];
    const notes = await get('teacher@demo.haven.test', `/api/v1/students/${returning.id}/teacher-notes`);
    expect(notes).toEqual([expect.objectContaining({ kind: 'reentry', teacherSummary: expect.stringContaining('back after an absence for health reasons') })]);
    expect(notes[0].teacherSummary).not.toMatch(/suicid|hospital|die/i);
    const [read] = await haven.deps.db.system
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.studentId, returning.id), eq(auditEvents.action, 'student.teacher_notes_read')));
    expect(read?.reason).toBe('teaches the student (a class on the roster)');
    expect(await get('teacher@demo.haven.test', `/api/v1/students/${supported.id}/teacher-notes`)).toEqual([
      expect.objectContaining({ kind: 'support_plan', teacherSummary: expect.stringContaining('break pass during tests') }),
    ]);

    await addUser(haven.deps, { districtId, email: 'novak@demo.haven.test', role: 'staff', schoolCode: 'lincoln-ms', displayName: 'Daniel Novak', password });
    expect((await call('novak@demo.haven.test', 'GET', `/api/v1/students/${returning.id}/teacher-notes`)).statusCode).toBe(404);
  });

  it('the crisis team finds a case in monitoring after a re-entry; the counselor finds her caseload, and the student is not on her queue (a safety plan is in place)', async () => {
    const [returning] = (await teachersWindow()).students as [RosterRow];
    const cases = await get('crisis@demo.haven.test', '/api/v1/cases?filter=school');
    expect(cases).toHaveLength(1);
    const name = returning.name.split(', ').reverse().join(' ');
    expect(cases[0]).toMatchObject({ type: 'suicide_risk', status: 'monitoring', mine: true, overdue: false, students: [name] });
    const opened = await get('crisis@demo.haven.test', `/api/v1/cases/${cases[0].id}`);
    expect(opened.events.map((e: { kind: string }) => e.kind)).toEqual(
      expect.arrayContaining(['suicide_assessment', 'guardian_notice', 'handoff', 'safety_plan', 'reentry_plan', 'task_done']),
    );

    const caseload = await get('counselor@demo.haven.test', '/api/v1/caseload');
    expect(caseload.plans.map((p: { tier: number; reviewOverdue: boolean }) => [p.tier, p.reviewOverdue]).sort()).toEqual([
      [2, false],
      [2, true],
    ]);
    expect(caseload.tasks[0].title).toMatch(/^Re-entry check-in, day \d+/);
    expect(caseload.tasks.some((t: { overdue: boolean }) => t.overdue)).toBe(false);
    // Her case has a safety plan and done check-ins: support is in place, so she is not on "Needs support now".
    const queue = await get('counselor@demo.haven.test', '/api/v1/support/queue');
    expect(queue.entries.some((e: { student: { id: string } }) => e.student.id === returning.id)).toBe(false);
    expect(queue.entries.length).toBeGreaterThan(0);
  });

  it("the crisis team finds this week's reports: one closed, two open and acknowledged (none escalating), the Spanish one after hours", async () => {
    const { items } = await get('crisis@demo.haven.test', '/api/v1/reports?status=all');
    type Item = { id: string; status: string; category: string; urgency: string; channel: string; acknowledgedAt: string | null };
    expect(items.map((r: Item) => [r.category, r.urgency, r.channel, r.status]).sort()).toEqual([
      ['bullying_harassment', 'routine', 'web', 'closed'],
      ['mental_health_worry', 'routine', 'staff_concern', 'acknowledged'],
      ['mental_health_worry', 'urgent', 'web', 'acknowledged'],
    ]);
    expect(items.every((r: Item) => r.acknowledgedAt !== null)).toBe(true);
    expect(await get('crisis@demo.haven.test', '/api/v1/reports?status=unacknowledged')).toEqual({ items: [] });
    const spanish = items.find((r: Item) => r.urgency === 'urgent') as Item;
    const opened = await get('crisis@demo.haven.test', `/api/v1/reports/${spanish.id}`);
    expect(opened).toMatchObject({ language: 'es', nextEscalationAt: null, times: { acknowledgedBy: 'Sam Okafor', firstActionAt: expect.any(String) } });
    // Acknowledged six minutes after it arrived.
    expect(new Date(opened.times.acknowledgedAt).getTime() - new Date(opened.times.receivedAt).getTime()).toBe(6 * 60_000);
  });

  it("Lincoln's rota this week: the principal stands in on Wednesday morning, and nobody is on call Saturday 23:00 to Sunday 07:00", async () => {
    const { teams } = await get('crisis@demo.haven.test', '/api/v1/crisis-teams');
    const lincoln = teams.find((t: { name: string }) => t.name === 'Lincoln Middle School crisis team');
    const rota = await get('crisis@demo.haven.test', `/api/v1/crisis-teams/${lincoln.id}/rota`);
    expect(rota.weekStart).toBe('2026-11-22'); // the test clock is Saturday 28 November 2026
    type Segment = { from: string; to: string; gap: boolean; primary: { memberId: string; override: boolean } | null };
    const days = rota.days as { date: string; segments: Segment[] }[];
    expect(days.flatMap((d) => d.segments.filter((s) => s.gap).map((s) => [d.date, s.from, s.to]))).toEqual([
      ['2026-11-22', '00:00', '07:00'],
      ['2026-11-28', '23:00', '24:00'],
    ]);
    expect(rota.gaps).toBe(2);
    const names = new Map(rota.members.map((m: { id: string; name: string }) => [m.id, m.name]));
    const overrides = days.flatMap((d) => d.segments.filter((s) => s.primary?.override).map((s) => [d.date, s.from, s.to, names.get(s.primary?.memberId)]));
    expect(overrides).toEqual([['2026-11-25', '07:00', '12:00', 'Marcus Bell']]);
  });

  it('is the same district on every run: the same ids and names wherever a person meets them', async () => {
    const again = await startTestHaven();
    try {
      await seedDemoDistrict(again.deps, password);
      const snapshot = async (on: TestHaven) => {
        const { window, classes, students } = await teachersWindow(on);
        const { teams } = await get('crisis@demo.haven.test', '/api/v1/crisis-teams', on);
        const caseload = await get('counselor@demo.haven.test', '/api/v1/caseload', on);
        return {
          window: window.id,
          classes,
          students: students.map((s) => [s.id, s.name]),
          studentPage: (await get('admin@demo.haven.test', '/api/v1/students?page=2&pageSize=25', on)).items.map((s: { id: string; firstName: string }) => [
            s.id,
            s.firstName,
          ]),
          cases: (await get('crisis@demo.haven.test', '/api/v1/cases?filter=school', on)).map((c: { id: string; students: string[] }) => [c.id, c.students]),
          plans: caseload.plans.map((p: { id: string; student: string }) => [p.id, p.student]),
          teams: teams.map((t: { id: string; name: string }) => [t.id, t.name]),
          teacher: await get('teacher@demo.haven.test', '/api/v1/me', on).then((me) => [me.user.id, me.district.id, me.district.name]),
        };
      };
      const first = await snapshot(haven);
      expect(first.students).toHaveLength(25);
      expect(first.studentPage).toHaveLength(25);
      expect(await snapshot(again)).toEqual(first);
    } finally {
      await again.close();
    }
  }, 60_000);
});
