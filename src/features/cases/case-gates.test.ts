import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindDueTasks } from './reminders.service.ts';

/**
 * Issue 13, "case gates that mean something": the safety-plan gate reads the latest SAFE-T and the
 * plan's content, a substantive threat has its own gate, the guardian notice of a high risk is due
 * the same school day, and the mandatory report's 24 hours run from when the report arrived.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
const mail: Mail[] = [];
const start = new Date('2026-11-28T15:00:00Z');
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
afterEach(() => haven.clock.set(start));
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });
/** Closing says how the case ended (case-summary.test.ts covers what happens without it). */
const closing = { outcome: 'resolved', summary: 'Safe at home with a plan; seeing a community counselor weekly.' };
const closeReasons = async (session: Session, caseId: string): Promise<string[]> =>
  (await post(session, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json().reasons ?? [];
const mailFor = (caseId: string) => mail.filter((m) => m.text.includes(`/cases/${caseId}`));

const highRisk = {
  riskFactors: ['prior_attempt', 'access_to_lethal_means'],
  protectiveFactors: [],
  inquiry: { ideation: 'active', plan: true, behaviour: 'none', intent: true },
  level: 'high',
  interventions: 'Kept in sight; pills removed',
};
const threat = {
  concern: 'Told a classmate he would bring his father’s gun on Friday',
  informationGathered: 'Interviewed the student, the classmate and two witnesses',
  level: 'high',
  safetyMeasures: 'Student kept home pending the assessment',
  informed: 'Principal',
};

async function openCase(session: Session, type: string) {
  const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
  const opened = await post(session, '/api/v1/cases', { type, summary: 'A crisis', schoolId: d.schools.lincoln.id, studentIds: [student.id] });
  expect(opened.statusCode).toBe(201);
  return opened.json().id as string;
}

describe('the safety-plan gate', () => {
  it('reads the latest SAFE-T only; a threat assessment neither satisfies nor triggers it; an empty plan does not count', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const caseId = await openCase(rivera, 'suicide_risk');
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, {
      notified: true,
      guardianName: 'Rosa Torres',
      method: 'phone',
      at: '2026-11-28T15:10:00Z',
    });
    expect((await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk)).statusCode).toBe(201);
    const planMissing = 'The risk is high: make a safety plan with the student first.';
    expect(await closeReasons(rivera, caseId)).toEqual([planMissing]);

    // A later, low-level threat assessment used to become "the latest assessment" and open the gate.
    const transient = { ...threat, classification: 'transient', level: 'low' };
    expect((await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, transient)).statusCode).toBe(201);
    expect(await closeReasons(rivera, caseId)).toEqual([planMissing]);

    const empty = { language: 'en', madeWithStudent: true };
    expect((await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, empty)).statusCode).toBe(201);
    expect(await closeReasons(rivera, caseId)).toEqual([
      'The risk is high and the safety plan is not complete: with the student, fill in warning signs, coping strategies, people to ask for help and making the environment safe.',
    ]);
    const page = (await get(rivera, `/api/v1/cases/${caseId}`)).json();
    expect(page.actions.find((a: { action: string }) => a.action === 'close').gates).toEqual([
      { code: 'high_risk_plan_incomplete', items: ['warningSigns', 'copingStrategies', 'peopleToAsk', 'environmentSafety'] },
    ]);
    expect(page.events.at(-1).summary).toBe(
      'Safety plan saved with the student (new version); still empty: warning signs, coping strategies, people to ask for help, making the environment safe.',
    );

    const plan = {
      language: 'es',
      madeWithStudent: true,
      warningSigns: ['Me encierro en mi cuarto'],
      copingStrategies: ['Escuchar música'],
      peopleToAsk: ['Tía Carmen 303-555-0111'],
      environmentSafety: ['Medicinas bajo llave'],
      reasonForLiving: 'Mi hermanita Lucía',
    };
    expect((await post(rivera, `/api/v1/cases/${caseId}/safety-plans`, plan)).json()).toMatchObject({ version: 2 });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json()).toMatchObject({ status: 'closed' });

    const printed = (await get(rivera, `/api/v1/cases/${caseId}/safety-plans/2/print`)).body;
    expect(printed).toContain('Lo más importante para mí y por lo que vale la pena vivir es:');
    expect(printed).toContain('Mi hermanita Lucía');
    expect((await get(rivera, `/api/v1/cases/${caseId}/safety-plans/2/print?lang=en`)).body).toContain(
      'The one thing that is most important to me and worth living for is:',
    );
  });

  it('a high-level threat assessment alone does not ask for a Stanley-Brown plan', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const caseId = await openCase(rivera, 'threat_to_others');
    await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' });
    expect((await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, { ...threat, classification: 'transient' })).statusCode).toBe(201);
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'start_monitoring' })).json()).toEqual({ status: 'monitoring' });
  });
});

describe('the threat gate (CSTAG)', () => {
  it('a very serious substantive threat closes only when protective action, both notices, law enforcement and a safety plan are recorded', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const caseId = await openCase(rivera, 'threat_to_others');
    const noSeverity = await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, { ...threat, classification: 'substantive' });
    expect(noSeverity.statusCode).toBe(400);
    expect(noSeverity.json().detail).toMatch(/a substantive threat is serious or very serious: choose one/);

    const assessed = { ...threat, classification: 'substantive', severity: 'very_serious' };
    expect((await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, assessed)).statusCode).toBe(201);
    expect(await closeReasons(rivera, caseId)).toEqual([
      "The threat is substantive (very serious): record the protective actions taken, that the intended victims were notified, that the student's guardians were notified, that law enforcement was consulted and a safety plan for the threat before closing.",
    ]);

    const actions = {
      protectiveActions: 'Classmate’s schedule changed; hallway supervision',
      victimsNotified: 'Classmate and her mother told in person, 28 Nov 10:00',
      guardiansNotified: '   ',
    };
    await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, { ...assessed, actions });
    expect(await closeReasons(rivera, caseId)).toEqual([
      "The threat is substantive (very serious): record that the student's guardians were notified, that law enforcement was consulted and a safety plan for the threat before closing.",
    ]);

    await post(rivera, `/api/v1/cases/${caseId}/threat-assessments`, {
      ...assessed,
      actions: {
        ...actions,
        guardiansNotified: 'Father called 28 Nov 11:00; gun now locked at the sheriff’s office',
        lawEnforcement: 'School resource officer Diaz, 28 Nov 10:30',
        safetyPlan: 'Daily check-in with Ms. Rivera; bag check for 4 weeks; no contact with the classmate',
      },
    });
    expect((await post(rivera, `/api/v1/cases/${caseId}/transitions`, { action: 'close', ...closing })).json()).toMatchObject({ status: 'closed' });
  });
});

describe('a high risk: the guardian notice is due the same school day', () => {
  it('is due at once, reminded, escalated to administrators after school ends, and done only by recording the notice', async () => {
    haven.clock.set(new Date('2026-12-01T17:00:00Z')); // Tuesday 10:00 in Denver
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const caseId = await openCase(rivera, 'suicide_risk');
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    const duty = () => get(rivera, `/api/v1/cases/${caseId}`).then((r) => r.json().tasks.find((t: { kind: string }) => t.kind === 'guardian_notice'));
    expect(await duty()).toMatchObject({ hardDeadlineAt: '2026-12-02T00:00:00.000Z', state: 'due', overdue: false, doneBy: null });
    expect((await post(rivera, `/api/v1/cases/${caseId}/tasks/${(await duty()).id}/done`)).json().detail).toMatch(/^Record the guardian notice itself/);

    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mailFor(caseId).map((m) => [m.to, m.subject])).toEqual([
      [d.people.rivera.email, "Haven: a student's guardian must be told by the end of the school day (high suicide risk)"],
    ]);

    haven.clock.set(new Date('2026-12-02T00:01:00Z')); // 17:01, school is over
    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(
      mailFor(caseId)
        .filter((m) => m.subject === 'Haven: a guardian notice is late (high suicide risk)')
        .map((m) => m.to)
        .sort(),
    ).toEqual([d.people.rivera.email, d.people.bell.email, d.people.whitfield.email].sort());
    const late = await signIn(haven.app, d.people.rivera.email);
    const page = (await get(late, `/api/v1/cases/${caseId}`)).json();
    expect(page.tasks.find((t: { kind: string }) => t.kind === 'guardian_notice')).toMatchObject({ state: 'overdue', overdue: true });
    expect(page.events.map((e: { kind: string }) => e.kind)).toContain('guardian_notice_overdue');

    await post(late, `/api/v1/cases/${caseId}/guardian-notices`, { notified: true, guardianName: 'Rosa Torres', method: 'phone', at: '2026-12-02T00:05:00Z' });
    const done = (await get(late, `/api/v1/cases/${caseId}`)).json().tasks.find((t: { kind: string }) => t.kind === 'guardian_notice');
    // Done reads as done on the page: by whom, by name.
    expect(done).toMatchObject({ state: 'done', note: 'Guardian notified: Rosa Torres', doneBy: 'rivera' });
  });

  it('recorded after school, it is due by the end of the next school day; a confirmed reason not to notify also meets it', async () => {
    haven.clock.set(new Date('2026-12-05T01:00:00Z')); // Friday 18:00 in Denver
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const caseId = await openCase(rivera, 'self_harm');
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    const task = async (session: Session) =>
      (await get(session, `/api/v1/cases/${caseId}`)).json().tasks.find((t: { kind: string }) => t.kind === 'guardian_notice');
    expect(await task(rivera)).toMatchObject({ hardDeadlineAt: '2026-12-08T00:00:00.000Z', state: 'due' }); // Monday 17:00
    await post(rivera, `/api/v1/cases/${caseId}/guardian-notices`, { notified: false, reason: 'The student says her stepfather hurts her' });
    expect((await task(rivera)).state).toBe('due');
    const bell = await signIn(haven.app, d.people.bell.email);
    expect((await post(bell, `/api/v1/cases/${caseId}/guardian-notices/confirm`)).statusCode).toBe(200);
    expect(await task(rivera)).toMatchObject({ state: 'done', note: 'Reason not to notify confirmed by bell', doneBy: 'bell' });
  });
});

describe('the mandatory-report clock starts when the report reached Haven', () => {
  it('a case opened 20 hours after its report leaves 4 hours, and escalates when those 4 hours pass', async () => {
    const report = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { district: d.district.slug, description: 'Jonah has belt marks and says his uncle did it', school: 'lincoln-ms', category: 'abuse_neglect' },
    });
    expect(report.statusCode).toBe(201);
    haven.clock.advance(20 * 3_600_000);
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const opened = await post(rivera, '/api/v1/cases', { type: 'abuse_neglect', summary: 'Belt marks', reportIds: [report.json().id] });
    const caseId = opened.json().id as string;
    const duty = async (session: Session) =>
      (await get(session, `/api/v1/cases/${caseId}`)).json().tasks.find((t: { kind: string }) => t.kind === 'mandatory_report');
    const now = haven.clock.now().getTime();
    expect(await duty(rivera)).toMatchObject({ hardDeadlineAt: new Date(now + 4 * 3_600_000).toISOString(), state: 'due' });
    const inOverdueList = async (session: Session) => (await get(session, '/api/v1/cases?filter=overdue')).json().some((c: { id: string }) => c.id === caseId);
    expect(await inOverdueList(rivera)).toBe(false);

    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mailFor(caseId).map((m) => m.subject)).toEqual(['Haven: a mandatory report is due now']);
    haven.clock.advance(3 * 3_600_000);
    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(mailFor(caseId).map((m) => m.subject)).toEqual(['Haven: a mandatory report is due now']);

    haven.clock.advance(3_600_000 + 60_000);
    mail.length = 0;
    await remindDueTasks(haven.deps);
    await sendOutbox(haven.deps);
    expect(
      mailFor(caseId)
        .filter((m) => m.subject === 'Haven: a mandatory report is past its 24-hour deadline')
        .map((m) => m.to)
        .sort(),
    ).toEqual([d.people.rivera.email, d.people.bell.email, d.people.whitfield.email].sort());
    const late = await signIn(haven.app, d.people.rivera.email);
    expect((await duty(late)).state).toBe('overdue');
    expect(await inOverdueList(late)).toBe(true);
  });
});
