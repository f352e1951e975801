import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindDueTasks } from './reminders.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });
/** Closing says how the case ended (case-summary.test.ts covers what happens without it). */
const closing = { outcome: 'resolved', summary: 'Safe at home with a plan; seeing a community counselor weekly.' };
const highRisk = {
  riskFactors: ['prior_attempt', 'access_to_lethal_means'],
  protectiveFactors: ['connected_to_family'],
  inquiry: { ideation: 'active', plan: true, behaviour: 'none', intent: true },
  level: 'high',
  interventions: 'Kept in sight; parent called; safety plan started',
};
const plan = {
  language: 'es',
  madeWithStudent: true,
  warningSigns: ['Me encierro en mi cuarto'],
  copingStrategies: ['Escuchar música'],
  distractions: ['La biblioteca'],
  peopleToAsk: ['Tía Carmen 303-555-0111'],
  professionals: ['Ms. Rivera, school counselor'],
  environmentSafety: ['Medicines locked away by mom'],
};

async function lifeSafetyCase(session = rivera) {
  const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
  const report = await haven.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    payload: { description: 'My friend says she wants to die tonight', school: 'lincoln-ms', category: 'suicide_self_harm', urgency: 'life_safety' },
  });
  const opened = await post(session, '/api/v1/cases', { type: 'suicide_risk', summary: 'Friend reports suicidal statements', reportIds: [report.json().id] });
  expect(opened.statusCode).toBe(201);
  const caseId = opened.json().id as string;
  expect((await post(session, `/api/v1/cases/${caseId}/students`, { studentId: student.id })).statusCode).toBe(200);
  return { caseId, student };
}

describe('a suicide-risk case from report to closing', () => {
  it('follows the rules at every step, and says why when it refuses', async () => {
    const { caseId } = await lifeSafetyCase();
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_safety_planning' })).json().detail).toBe(
      'A case that is open cannot move to safety planning.',
    );
    await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_safety_planning' })).json().reasons).toEqual([
      'Record a risk assessment first.',
    ]);

    const disagree = await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, { ...highRisk, level: 'low' });
    expect(disagree.statusCode).toBe(400);
    expect(disagree.json().detail).toMatch(
      /^Haven suggests high \(states intent to act; active ideation with a plan and access to lethal means\)\. Say why you chose low\.$/,
    );
    const assessed = await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    expect(assessed.json()).toMatchObject({ version: 1, suggestion: { level: 'high' } });

    await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_safety_planning' });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_monitoring' })).json().reasons).toEqual([
      'The risk is high: make a safety plan with the student first.',
    ]);
    expect((await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, { ...plan, madeWithStudent: false })).statusCode).toBe(400);
    expect((await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, plan)).json()).toMatchObject({ version: 1 });
    const print = await get(rivera, `/api/v1/cases/${caseId}/safety-plans/1/print`);
    expect(print.body).toContain('Mi plan de seguridad');
    expect(print.body).toContain('Paso 5. Profesionales y servicios');
    expect(print.body).toContain('Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255');
    expect(print.body).toContain('llame o envíe un texto al 988');
    expect((await get(rivera, `/api/v1/cases/${caseId}/safety-plans/1/print?lang=en`)).body).toContain('Step 6. Making my surroundings safe');
    expect((await post(rivera, `/api/v1/cases/${caseId}/safety-plans/1/share`, { guardianName: 'Rosa Torres', method: 'in_person' })).statusCode).toBe(200);

    await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_monitoring' });
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-report-duty`);
    const blocked = await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing });
    expect(blocked.json().reasons).toEqual([
      'A mandatory report is outstanding: file it (C.R.S. 19-3-304) before closing.',
      'Record the guardian notification, or a confirmed reason not to notify, before closing.',
    ]);
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, {
      notified: true,
      guardianName: 'Rosa Torres',
      method: 'phone',
      at: '2026-11-28T15:30:00Z',
      response: 'Coming to school now',
    });
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-reports`, {
      agency: 'state_hotline',
      reportedAt: '2026-11-28T16:00:00Z',
      referenceNumber: 'CO-55120',
      summary: 'Bruises reported by the student',
    });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json()).toMatchObject({ status: 'closed' });
    expect((await post(rivera, `/api/v1/cases/${caseId}/tasks`, { title: 'x', due: '2026-12-01T09:00' })).json().detail).toMatch(/closed. Reopen it/);
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'reopen' })).json().detail).toBe('Say why the case is reopened.');
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'reopen', reason: 'New disclosure from the student' })).json()).toEqual({
      status: 'open',
    });

    const theCase = (await get(rivera, `/api/v1/cases/${caseId}`)).json();
    expect(theCase.students.map((s: { firstName: string }) => s.firstName)).toEqual(['Maya']);
    expect(theCase.events.map((e: { kind: string }) => e.kind)).toEqual([
      'opened',
      'student_identified',
      'start_assessing',
      'suicide_assessment',
      'guardian_notice_due',
      'start_safety_planning',
      'safety_plan',
      'safety_plan_shared',
      'start_monitoring',
      'mandatory_report_due',
      'guardian_notice',
      'mandatory_report',
      'close',
      'reopen',
    ]);
    // Every sentence Haven wrote reads back as words, so the timeline shows in the reader's language.
    expect(theCase.events.filter((e: { words: unknown }) => e.words === null)).toEqual([]);
    expect(theCase.events.find((e: { kind: string }) => e.kind === 'guardian_notice_due').words).toMatchObject({
      code: 'guardian_notice_due',
      values: { deadline: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) },
    });
    expect(theCase.records.find((r: { kind: string }) => r.kind === 'suicide_assessment').content).toMatchObject({
      level: 'high',
      suggestedLevel: 'high',
      differs: false,
    });
  });
});

describe('who sees a case', () => {
  it('the school team and district leads do; a teacher, a partner and an analyst get 404; an Aspen counselor may break the glass, which is audited and told to the team', async () => {
    const { caseId } = await lifeSafetyCase();
    for (const person of ['okafor', 'bell', 'whitfield'] as const) {
      const session = await signIn(haven.app, d.people[person].email);
      expect((await get(session, `/api/v1/cases/${caseId}`)).statusCode, person).toBe(200);
      expect((await post(session, `/api/v1/cases/${caseId}/tasks`, { title: 'Check in', due: '2026-12-01T09:00' })).statusCode, person).toBe(201);
    }
    for (const person of ['shah', 'cho', 'lee'] as const) {
      const session = await signIn(haven.app, d.people[person].email);
      const read = await get(session, `/api/v1/cases/${caseId}`);
      expect(read.statusCode, person).toBe(404);
      expect(read.json().code, person).toBe('case_not_found');
      expect((await post(session, `/api/v1/cases/${caseId}/tasks`, { title: 'x', due: '2026-12-01T09:00' })).statusCode, person).toBe(404);
      expect((await post(session, `/api/v1/cases/${caseId}/break-glass`, { reason: 'I want to know what happened' })).statusCode, person).toBe(404);
      expect((await post(session, '/api/v1/cases', { type: 'other_crisis', summary: 'x', schoolId: d.schools.lincoln.id })).statusCode, person).toBe(404);
    }
    const park = await signIn(haven.app, d.people.park.email);
    const refused = await get(park, `/api/v1/cases/${caseId}`);
    expect(refused.json()).toMatchObject({ status: 404, code: 'break_glass_available' });
    expect((await post(park, `/api/v1/cases/${caseId}/break-glass`, { reason: 'short' })).statusCode).toBe(400);
    mail.length = 0;
    expect((await post(park, `/api/v1/cases/${caseId}/break-glass`, { reason: 'Maya transferred to Aspen today; I am her new counselor' })).statusCode).toBe(
      200,
    );
    expect((await get(park, `/api/v1/cases/${caseId}`)).statusCode).toBe(200);
    const audited = await haven.deps.db.system.select().from(auditEvents).where(eq(auditEvents.subjectId, caseId));
    // The person's words are kept in the detail; the reason the family's copy shows is the fixed one.
    expect(audited.find((e) => e.action === 'case.break_glass')).toMatchObject({
      reason: 'break the glass',
      detail: { reason: 'Maya transferred to Aspen today; I am her new counselor' },
    });
    expect(audited.filter((e) => e.action === 'case.read' && e.reason === 'break the glass')).toHaveLength(1);
    expect(audited.filter((e) => e.action === 'case.read.denied').length).toBeGreaterThanOrEqual(4);
    await sendOutbox(haven.deps);
    expect(mail.map((m) => m.to)).toEqual([d.people.rivera.email]);
  });

  it('opening a case authorizes every student on it: Ms. Rivera cannot add an Aspen student she does not serve', async () => {
    const aspen = await createStudent(haven.deps, d.district.id, d.schools.aspen.id, { firstName: 'Iris' });
    const lincoln = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Theo' });
    const before = await haven.deps.db.system.$client.query('select count(*)::int as n from cases where district_id = $1', [d.district.id]);
    const refused = await post(rivera, '/api/v1/cases', {
      type: 'other_crisis',
      summary: 'A fight',
      schoolId: d.schools.lincoln.id,
      studentIds: [lincoln.id, aspen.id],
    });
    expect(refused.statusCode).toBe(404);
    const after = await haven.deps.db.system.$client.query('select count(*)::int as n from cases where district_id = $1', [d.district.id]);
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(
      (await post(rivera, '/api/v1/cases', { type: 'other_crisis', summary: 'A fight', schoolId: d.schools.lincoln.id, studentIds: [lincoln.id] })).statusCode,
    ).toBe(201);
  });

  it('the mandatory report is seen by its reporter and administrators, not the whole team', async () => {
    const { caseId } = await lifeSafetyCase();
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-report-duty`);
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-reports`, {
      agency: 'county_human_services',
      reportedAt: '2026-11-28T16:00:00Z',
      summary: 'Disclosure of neglect',
    });
    const okafor = await signIn(haven.app, d.people.okafor.email);
    const bell = await signIn(haven.app, d.people.bell.email);
    const forOkafor = (await get(okafor, `/api/v1/cases/${caseId}`)).json().records.find((r: { kind: string }) => r.kind === 'mandatory_report');
    expect(forOkafor).toMatchObject({ restricted: true, content: {} });
    const forBell = (await get(bell, `/api/v1/cases/${caseId}`)).json().records.find((r: { kind: string }) => r.kind === 'mandatory_report');
    expect(forBell.content).toMatchObject({ agency: 'county_human_services', summary: 'Disclosure of neglect' });
  });
});

describe('guardian notice and reminders (re-entry: reentry.test.ts)', () => {
  it('a reason not to notify blocks closing until an administrator confirms it', async () => {
    const { caseId } = await lifeSafetyCase();
    await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, {
      concern: 'x',
      informationGathered: 'y',
      classification: 'transient',
      level: 'low',
      safetyMeasures: 'z',
      informed: 'principal',
    });
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, { notified: false, reason: 'The student says her stepfather hurts her' });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json().reasons).toEqual([
      'Record the guardian notification, or a confirmed reason not to notify, before closing.',
    ]);
    expect((await post(rivera, `/api/v1/cases/${caseId}/guardian-notices/confirm`)).statusCode).toBe(404);
    const bell = await signIn(haven.app, d.people.bell.email);
    expect((await post(bell, `/api/v1/cases/${caseId}/guardian-notices/confirm`)).statusCode).toBe(200);
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json()).toMatchObject({ status: 'closed' });
  });

  it('a mandatory report is reminded at once and escalates to administrators after 24 hours', async () => {
    const { caseId } = await lifeSafetyCase();
    await post(rivera, `/api/v1/cases/${caseId}/mandatory-report-duty`);
    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mail.map((m) => [m.to, m.subject])).toContainEqual([d.people.rivera.email, 'Haven: a mandatory report is due now']);
    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mail).toEqual([]);
    haven.clock.advance(25 * 3_600_000);
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(
      mail
        .filter((m) => m.subject === 'Haven: a mandatory report is past its 24-hour deadline')
        .map((m) => m.to)
        .sort(),
    ).toEqual([d.people.rivera.email, d.people.bell.email, d.people.whitfield.email].sort());
    haven.clock.advance(-25 * 3_600_000);
    rivera = await signIn(haven.app, d.people.rivera.email);
    const events = (await get(rivera, `/api/v1/cases/${caseId}`)).json().events.map((e: { kind: string }) => e.kind);
    expect(events).toContain('mandatory_report_overdue');
  });
});

describe('the ASQ inside a case', () => {
  it('is scored by the screening engine, alerts through the crisis chain, and e-mails no guardian', async () => {
    const { caseId, student } = await lifeSafetyCase();
    mail.length = 0;
    const given = await post(rivera, `/api/v1/cases/${caseId}/screenings`, {
      instrumentId: 'asq',
      answers: { q1: 'yes', q2: 'no', q3: 'no', q4: 'no', q5: 'no' },
    });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({ band: 'non_acute_positive', alertReportId: expect.any(String) });
    expect(mail.filter((m) => /family|hablamos/.test(m.subject))).toEqual([]);
    const theCase = (await get(rivera, `/api/v1/cases/${caseId}`)).json();
    expect(theCase.events.at(-1)).toMatchObject({ kind: 'screening', summary: 'ASQ given in the case: non acute positive.' });
    const history = (await get(rivera, `/api/v1/students/${student.id}/screenings`)).json();
    expect(history.results[0]).toMatchObject({ instrumentId: 'asq', emergency: true });
  });
});
