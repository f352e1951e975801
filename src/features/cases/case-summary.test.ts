import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindDueTasks } from './reminders.service.ts';

/**
 * Issue 16, "crisis work (safety first)": the case page opens with the case at a glance (the
 * `overview` of GET /api/v1/cases/:id), the next step follows the case's real state, and closing
 * says how the case ended and cancels the open tasks, still behind the close gates.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let okafor: Session;
let bell: Session;
const mail: Mail[] = [];
const start = new Date('2026-11-28T15:00:00Z'); // Saturday, 8:00 in Denver
/** Moves the clock and signs the three in again (a session lapses after 30 idle minutes). */
async function at(moment: Date) {
  haven.clock.set(moment);
  rivera = await signIn(haven.app, d.people.rivera.email);
  okafor = await signIn(haven.app, d.people.okafor.email);
  bell = await signIn(haven.app, d.people.bell.email);
}
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
beforeEach(() => at(start));
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });
const view = async (caseId: string, session = rivera) => (await get(session, `/api/v1/cases/${caseId}`)).json();
const close = (caseId: string, body: Record<string, unknown>, session = rivera) =>
  post(session, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...body });
const closing = { outcome: 'referred_community_care', summary: 'Maya is safe at home and sees a counselor at Front Range Family Counseling weekly.' };

const highRisk = {
  riskFactors: ['prior_attempt', 'access_to_lethal_means'],
  protectiveFactors: ['connected_to_family'],
  inquiry: { ideation: 'active', plan: true, behaviour: 'none', intent: true },
  level: 'high',
  interventions: 'Kept in sight; pills removed; parent called',
};
const plan = {
  language: 'es',
  madeWithStudent: true,
  warningSigns: ['Me encierro en mi cuarto'],
  copingStrategies: ['Escuchar música'],
  peopleToAsk: ['Tía Carmen 303-555-0111'],
  environmentSafety: ['Medicinas bajo llave'],
};
const told = { notified: true, guardianName: 'Rosa Torres', method: 'phone', at: '2026-11-28T15:30:00Z', response: 'Coming now' };
const reentry = {
  returnDate: '2026-12-07',
  meetingAt: '2026-12-04T15:30:00-07:00',
  participants: ['Maya', 'Rosa Torres', 'Ms. Rivera'],
  safetyPlanReviewed: true,
  supports: 'Shortened schedule for two weeks',
  teacherSummary: 'Shortened schedule; excuse missed work for two weeks.',
};

async function mayasCase(type = 'suicide_risk') {
  const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
  const opened = await post(rivera, '/api/v1/cases', { type, summary: 'Said she wants to die tonight', studentIds: [student.id] });
  expect(opened.statusCode).toBe(201);
  return opened.json().id as string;
}

describe('the case at a glance', () => {
  it('after Ms. Rivera records a high SAFE-T: high risk, by her, at that time; the guardian is due today; the next step is the safety plan', async () => {
    const caseId = await mayasCase();
    const before = (await view(caseId)).overview;
    expect(before).toMatchObject({
      risk: null,
      threat: null,
      safetyPlan: { status: 'none' },
      guardian: { status: 'required' },
      mandatoryReport: { status: 'not_required' },
      nextCheckIn: null,
      closure: null,
    });
    expect(before.nextSteps.map((s: { code: string }) => s.code)).toEqual(['assess', 'notify_guardian']);

    await at(new Date('2026-11-30T16:05:00Z')); // Monday 9:05 in Denver
    expect((await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk)).statusCode).toBe(201);
    // Mr. Okafor, on the crisis team, picks up the case on his phone and reads the same summary.
    const after = (await view(caseId, okafor)).overview;
    expect(after.risk).toEqual({
      version: 1,
      by: 'rivera (counselor)',
      at: '2026-11-30T16:05:00.000Z',
      level: 'high',
      suggestedLevel: 'high',
      differs: false,
      rationale: null,
      riskFactors: ['prior_attempt', 'access_to_lethal_means'],
      protectiveFactors: ['connected_to_family'],
    });
    expect(after.guardian).toEqual({ status: 'due', deadline: '2026-12-01T00:00:00.000Z' }); // 17:00 Monday in Denver
    expect(after.nextSteps[0]).toEqual({ code: 'safety_plan', section: 'plan', overdue: false, items: [] });
    expect(after.nextSteps.map((s: { code: string }) => s.code)).toEqual(['safety_plan', 'notify_guardian']);
  });

  it('a level that differs from Haven’s suggestion shows both, with the reason', async () => {
    const caseId = await mayasCase();
    const lower = { ...highRisk, level: 'moderate', rationale: 'She withdrew the intent once her mother arrived; lethal means removed' };
    expect((await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, lower)).statusCode).toBe(201);
    expect((await view(caseId)).overview.risk).toMatchObject({ level: 'moderate', suggestedLevel: 'high', differs: true, rationale: lower.rationale });
  });

  it('the safety plan, the guardian waived by Mr. Bell, and a restricted mandatory report, as each reader may see them', async () => {
    const caseId = await mayasCase();
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, { ...plan, peopleToAsk: [] });
    expect((await view(caseId)).overview.safetyPlan).toMatchObject({ status: 'incomplete', gaps: ['peopleToAsk'], version: 1, madeWithStudent: true });
    await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, plan);
    expect((await view(caseId)).overview.safetyPlan).toMatchObject({ status: 'complete', gaps: [], version: 2 });

    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, { notified: false, reason: 'The student says her stepfather hurts her' });
    expect((await view(caseId)).overview.guardian).toMatchObject({ status: 'awaiting_confirmation', deadline: '2026-12-01T00:00:00.000Z' });
    expect((await view(caseId)).overview.nextSteps.map((s: { code: string }) => s.code)).toEqual(['confirm_waiver']);
    expect((await post(bell, `/api/v1/cases/${caseId}/guardian-notices/confirm`)).statusCode).toBe(200);
    expect((await view(caseId)).overview.guardian).toMatchObject({ status: 'waived', confirmedBy: 'bell', by: 'bell (school_admin)' });

    await post(rivera, `/api/v1/cases/${caseId}/mandatory-report-duty`);
    expect((await view(caseId)).overview.mandatoryReport).toEqual({ status: 'due', deadline: '2026-11-29T15:00:00.000Z' });
    await at(new Date('2026-11-29T15:00:01Z'));
    expect((await view(caseId)).overview.mandatoryReport.status).toBe('overdue');
    expect((await view(caseId)).overview.nextSteps[0]).toMatchObject({ code: 'mandatory_report', overdue: true });
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-reports`, { agency: 'state_hotline', reportedAt: '2026-11-29T15:10:00Z', summary: 'Bruises' });
    expect((await view(caseId)).overview.mandatoryReport).toMatchObject({ status: 'recorded', agency: 'state_hotline', by: 'rivera (counselor)' });
    expect((await view(caseId, okafor)).overview.mandatoryReport).toMatchObject({ status: 'recorded', agency: null });
    expect((await view(caseId)).overview.nextSteps.map((s: { code: string }) => s.code)).toEqual(['monitor']);
  });

  it('a student taken to the emergency department needs a re-entry plan; then the next check-in is shown with its day after the return', async () => {
    const caseId = await mayasCase();
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, { ...highRisk, level: 'high' });
    await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, plan);
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, told);
    await post(rivera, `/api/v1/cases/${caseId}/handoffs`, { target: 'emergency_department', at: '2026-11-28T15:40:00Z', outcome: 'connected' });
    expect((await view(caseId)).overview.nextSteps.map((s: { code: string }) => s.code)).toEqual(['reentry_plan']);
    expect((await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, { ...reentry, pointPersonUserId: d.people.rivera.id })).statusCode).toBe(201);
    const o = (await view(caseId)).overview;
    expect(o.nextCheckIn).toEqual({ dueAt: '2026-12-07T16:00:00.000Z', date: '2026-12-07', day: 0, overdue: false, remaining: 10 });
    expect(o.nextSteps.map((s: { code: string }) => s.code)).toEqual(['check_in']);
  });
});

describe('closing a case', () => {
  it('needs an outcome and a summary: 400 with a clear message, never 5xx', async () => {
    const caseId = await mayasCase('other_crisis');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /closing a case needs its outcome.*closing a case needs a summary/],
      [{ outcome: 'resolved' }, /^closing a case needs a summary/],
      [{ outcome: 'resolved', summary: '   ' }, /^closing a case needs a summary/],
      [{ summary: 'Resolved with the family' }, /^closing a case needs its outcome: choose one of resolved, referred_community_care/],
      [{ outcome: 'fixed', summary: 'x' }, /^choose the outcome/],
      [{ outcome: 'resolved', summary: 'x'.repeat(4001) }, /summary/],
      [{ outcome: ['resolved'], summary: { text: 'x' } }, /outcome/],
    ];
    for (const [body, message] of cases) {
      const refused = await close(caseId, body);
      expect(refused.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(refused.json().detail).toMatch(message);
    }
    expect((await view(caseId)).status).toBe('open');
    // Reopening needs no outcome, and other steps ignore one.
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' })).json()).toEqual({ status: 'assessing' });
  });

  it('still refuses with every gate at once when the outcome and summary are given', async () => {
    const caseId = await mayasCase();
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-report-duty`);
    const refused = await close(caseId, closing);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().reasons).toEqual([
      'The risk is high: make a safety plan with the student first.',
      'A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.',
      'Record the guardian notification, or a confirmed reason not to notify, before closing.',
    ]);
    expect(refused.json().gates.map((g: { code: string }) => g.code)).toEqual(['high_risk_no_plan', 'mandatory_report', 'guardian_notice']);
  });

  it('with open check-ins: cancels them (and the team’s own tasks), keeps the outcome and summary, and reminds nobody afterwards', async () => {
    const caseId = await mayasCase();
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, plan);
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, told);
    await post(rivera, `/api/v1/cases/${caseId}/reentry-plans`, { ...reentry, pointPersonUserId: d.people.rivera.id });
    await post(rivera, `/api/v1/cases/${caseId}/tasks`, { title: 'Call the outpatient clinic', due: '2026-12-02T10:00' });
    const open = (await view(caseId)).tasks.filter((t: { doneAt: string | null }) => !t.doneAt);
    expect(open.map((t: { kind: string }) => t.kind).sort()).toEqual([...Array(10).fill('check_in'), 'general', 'reentry_meeting'].sort());

    const closed = await close(caseId, closing, okafor);
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ status: 'closed', outcome: 'referred_community_care' });
    expect(
      closed
        .json()
        .cancelledTasks.map((t: { id: string }) => t.id)
        .sort(),
    ).toEqual(open.map((t: { id: string }) => t.id).sort());

    const after = await view(caseId);
    expect(after.status).toBe('closed');
    const states = after.tasks.map((t: { kind: string; state: string; overdue: boolean }) => `${t.kind}: ${t.state}${t.overdue ? ' (overdue)' : ''}`);
    expect(new Set(states)).toEqual(new Set(['guardian_notice: done', 'check_in: cancelled', 'reentry_meeting: cancelled', 'general: cancelled']));
    expect(after.overview).toMatchObject({
      nextCheckIn: null,
      nextSteps: [],
      closure: { outcome: 'referred_community_care', summary: closing.summary, cancelledTasks: 12, by: 'okafor (crisis_team)', version: 1 },
    });
    expect(after.events.at(-1)).toMatchObject({ kind: 'close', who: 'okafor (crisis_team)' });
    expect(after.events.at(-1).summary).toMatch(
      /^Status: open → closed\. Outcome: referred community care\. Maya is safe at home .* weekly\. 12 open task\(s\) cancelled: Check in with the student on their first day back; /,
    );
    // In words for the reader's language: the closing, and every re-entry task's title.
    expect(after.events.at(-1).words).toEqual({
      code: 'closed',
      values: { from: 'open', outcome: 'referred_community_care', summary: expect.stringMatching(/^Maya is safe at home .* weekly\.$/), cancelled: 12 },
    });
    expect(after.events.filter((e: { words: unknown }) => e.words === null)).toEqual([]);
    const reentryTasks = after.tasks.filter((t: { kind: string }) => t.kind === 'check_in' || t.kind === 'reentry_meeting');
    expect(reentryTasks.filter((t: { words: unknown }) => t.words === null)).toEqual([]);
    expect(after.tasks.find((t: { kind: string }) => t.kind === 'general').words).toBeNull();
    const [audited] = await haven.deps.db.system.select().from(auditEvents).where(eq(auditEvents.action, 'case.close'));
    expect(audited?.detail).toEqual({ from: 'open', to: 'closed', outcome: 'referred_community_care', cancelledTasks: 12 });

    mail.length = 0;
    haven.clock.set(new Date('2026-12-08T18:00:00Z'));
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.text.includes(`/cases/${caseId}`))).toEqual([]);

    // Reopening does not bring them back; a second closing is a second version.
    await at(start);
    await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'reopen', reason: 'New disclosure from the student' });
    const reopened = await view(caseId);
    expect(reopened.overview.closure).toBeNull();
    expect(reopened.tasks.filter((t: { state: string }) => t.state === 'cancelled')).toHaveLength(12);
    expect(reopened.tasks.filter((t: { doneAt: string | null }) => !t.doneAt)).toEqual([]);
    expect((await close(caseId, { outcome: 'resolved', summary: 'Disclosure followed up with the family.' })).json()).toEqual({
      status: 'closed',
      outcome: 'resolved',
      cancelledTasks: [],
    });
    expect((await view(caseId)).overview.closure).toMatchObject({ outcome: 'resolved', version: 2, cancelledTasks: 0 });
  });

  it('is documented: the API description lists the outcomes', async () => {
    const spec = (await haven.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const body = spec.paths['/api/v1/cases/{id}/transitions'].post.requestBody.content['application/json'].schema;
    expect(body.properties.outcome.enum).toEqual(['resolved', 'referred_community_care', 'hospitalised', 'moved_away', 'other']);
  });

  it('is refused to people who may not act on the case, as a 404', async () => {
    const caseId = await mayasCase('other_crisis');
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await close(caseId, closing, shah)).statusCode).toBe(404);
    expect((await close('not-a-uuid', closing)).statusCode).toBe(404);
  });
});
