import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindOverdueReviews } from './support.service.ts';

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
const plan = {
  tier: 2,
  concern: 'Withdrawn in class, PHQ-9 severe',
  goals: [
    { description: 'Attends the counseling group weekly', measure: 'sessions attended per month', baseline: 0, target: 4 },
    { description: 'Lower depressive symptoms', measure: 'PHQ-9 total', baseline: 21, target: 9 },
  ],
  interventions: [
    { code: 'counseling_group', frequency: 'weekly' },
    { code: 'check_in_check_out', frequency: 'daily' },
  ],
  teacherAsks: 'Greet Ana at the door and check her daily card before she leaves.',
  startDate: '2026-11-30',
  reviewEveryDays: 28,
};

describe('no one left without support', () => {
  it('a student in an open crisis case leaves the queue once the case has a safety plan; another leaves once a crisis check-in is done', async () => {
    const inQueue = async (id: string) =>
      ((await get(rivera, '/api/v1/support/queue')).json().entries as { student: { id: string } }[]).some((e) => e.student.id === id);
    const openCase = async (firstName: string) => {
      const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName });
      const opened = await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'Said she wants to die', studentIds: [student.id] });
      expect(opened.statusCode).toBe(201);
      expect(await inQueue(student.id)).toBe(true);
      return { student, caseId: opened.json().id as string };
    };
    const planned = await openCase('Lucia');
    const safetyPlan = {
      language: 'en',
      madeWithStudent: true,
      warningSigns: ['Stays in her room'],
      copingStrategies: ['Music'],
      peopleToAsk: ['Aunt Carmen 303-555-0111'],
      environmentSafety: ['Medicines locked away'],
    };
    expect((await post(rivera, `/api/v1/cases/${planned.caseId}/safety-plans`, safetyPlan)).statusCode).toBe(201);
    expect(await inQueue(planned.student.id)).toBe(false);

    const checked = await openCase('Sofia');
    const reentry = {
      returnDate: '2026-12-07',
      meetingAt: '2026-12-04T15:30:00-07:00',
      participants: ['Sofia', 'Ms. Rivera'],
      safetyPlanReviewed: true,
      supports: 'Shortened schedule for two weeks',
      teacherSummary: 'Shortened schedule; excuse missed work for two weeks.',
      pointPersonUserId: d.people.rivera.id,
    };
    expect((await post(rivera, `/api/v1/cases/${checked.caseId}/reentry-plans`, reentry)).statusCode).toBe(201);
    expect(await inQueue(checked.student.id)).toBe(true); // check-ins planned, none done yet
    const tasks = (await get(rivera, `/api/v1/cases/${checked.caseId}`)).json().tasks as { id: string; kind: string }[];
    const checkIn = tasks.find((t) => t.kind === 'check_in');
    expect((await post(rivera, `/api/v1/cases/${checked.caseId}/tasks/${checkIn?.id}/done`)).statusCode).toBeLessThan(300);
    expect(await inQueue(checked.student.id)).toBe(false);
  });

  it('a severe screen puts the student on the queue; a tier 2 plan takes them off; progress and a review are kept', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    const severe = { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3, q7: 2, q8: 1, q9: 0 };
    expect((await post(rivera, `/api/v1/students/${student.id}/screenings`, { instrumentId: 'phq-9', answers: severe })).statusCode).toBe(201);
    const queue = (await get(rivera, '/api/v1/support/queue')).json();
    const entry = queue.entries.find((e: { student: { id: string } }) => e.student.id === student.id);
    expect(entry).toMatchObject({ reasons: [{ reason: 'high_risk_screen', since: '2026-11-28' }], waitedDays: 0 });
    expect(queue.bySchool).toEqual([expect.objectContaining({ school: 'Lincoln Middle School', waiting: expect.any(Number) })]);

    const created = await post(rivera, `/api/v1/students/${student.id}/plans`, plan);
    expect(created.statusCode).toBe(201);
    const after = (await get(rivera, '/api/v1/support/queue')).json();
    expect(after.entries.find((e: { student: { id: string } }) => e.student.id === student.id)).toBeUndefined();

    const planId = created.json().id;
    // Progress is what was measured: a day still to come is refused (it was once stored and charted).
    const early = await post(rivera, `/api/v1/plans/${planId}/progress`, { goalId: 'g1', measuredOn: '2026-12-07', value: 1 });
    expect(early.statusCode).toBe(400);
    expect(early.json().detail).toBe('A measure is recorded on the day it was taken: 2026-12-07 is after today (2026-11-28). Choose today or an earlier day.');
    haven.clock.advance(31 * 86_400_000); // 2026-12-29, a month into the plan
    rivera = await signIn(haven.app, d.people.rivera.email);
    await post(rivera, `/api/v1/plans/${planId}/progress`, { goalId: 'g1', measuredOn: '2026-12-07', value: 1 });
    await post(rivera, `/api/v1/plans/${planId}/progress`, { goalId: 'g1', measuredOn: '2026-12-14', value: 2 });
    expect((await post(rivera, `/api/v1/plans/${planId}/progress`, { goalId: 'g9', measuredOn: '2026-12-14', value: 2 })).json().detail).toBe(
      'The plan has no goal "g9".',
    );
    const review = await post(rivera, `/api/v1/plans/${planId}/reviews`, {
      heldOn: '2026-12-28',
      decision: 'intensify',
      notes: 'Still withdrawn; adding individual counseling',
    });
    expect(review.json()).toEqual({ tier: 3, status: 'active' });
    const plans = (await get(rivera, `/api/v1/students/${student.id}/plans`)).json();
    expect(plans.plans[0]).toMatchObject({ tier: 3, nextReviewOn: '2027-01-25', progress: [{ value: 1 }, { value: 2 }] });
    expect(plans.plans[0].history.map((h: { kind: string }) => h.kind)).toEqual(['created', 'progress', 'progress', 'review']);
    // Each event reads back as words, so the history shows in the reader's language with its dates localized.
    expect(plans.plans[0].history.filter((h: { words: unknown }) => h.words === null)).toEqual([]);
    expect(plans.plans[0].history.at(-1).words).toMatchObject({ code: 'review', values: { decision: 'intensify', to: 3 } });
    expect(plans.rescreens).toEqual([{ instrumentId: 'phq-9', score: 21, on: '2026-11-28' }]);
    haven.clock.advance(-31 * 86_400_000);
    rivera = await signIn(haven.app, d.people.rivera.email);
  });

  it('refuses an intervention outside the library, and a plan without a measurable goal', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    expect((await post(rivera, `/api/v1/students/${student.id}/plans`, { ...plan, interventions: [{ code: 'astrology' }] })).json().detail).toMatch(
      /"astrology" is not in the district's intervention library/,
    );
    const noGoal = await post(rivera, `/api/v1/students/${student.id}/plans`, { ...plan, goals: [] });
    expect(noGoal.statusCode).toBe(400);
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    expect((await post(whitfield, '/api/v1/interventions', { name: 'Mentoring program' })).json()).toEqual({
      code: 'mentoring_program',
      name: 'Mentoring program',
    });
    expect((await post(rivera, `/api/v1/students/${student.id}/plans`, { ...plan, interventions: [{ code: 'mentoring_program' }] })).statusCode).toBe(201);
  });

  it('teachers see only what a plan asks of them; analysts and other schools see no student rows', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    await post(rivera, `/api/v1/students/${student.id}/plans`, plan);
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await get(shah, `/api/v1/students/${student.id}/plans`)).statusCode).toBe(404);
    expect((await get(shah, '/api/v1/support/queue')).statusCode).toBe(404);
    const notes = (await get(shah, `/api/v1/students/${student.id}/teacher-notes`)).json();
    expect(notes).toEqual([expect.objectContaining({ kind: 'support_plan', teacherSummary: plan.teacherAsks })]);
    expect(JSON.stringify(notes)).not.toMatch(/PHQ|withdrawn|tier/i);
    const lee = await signIn(haven.app, d.people.lee.email);
    for (const url of [`/api/v1/students/${student.id}/plans`, '/api/v1/support/queue', '/api/v1/caseload', `/api/v1/students/${student.id}/teacher-notes`]) {
      expect((await get(lee, url)).statusCode, url).toBe(404);
    }
    const park = await signIn(haven.app, d.people.park.email);
    expect((await get(park, `/api/v1/students/${student.id}/plans`)).statusCode).toBe(404);
  });

  it("the counselor's caseload lists plans by review date with groups; an overdue review alerts her", async () => {
    const load = (await get(rivera, '/api/v1/caseload')).json();
    expect(load.plans.length).toBeGreaterThanOrEqual(2);
    expect(load.groups.find((g: { code: string }) => g.code === 'counseling_group').members.length).toBeGreaterThanOrEqual(2);
    expect(load.followUps).toEqual(expect.arrayContaining([expect.objectContaining({ instrumentId: 'phq-9', band: 'severe' })]));
    await sendOutbox(haven.deps);
    mail.length = 0;
    haven.clock.advance(40 * 86_400_000);
    expect(await remindOverdueReviews(haven.deps)).toBeGreaterThanOrEqual(1);
    await sendOutbox(haven.deps);
    expect(mail.length).toBeGreaterThanOrEqual(1);
    expect(mail.every((m) => m.to === d.people.rivera.email && m.subject === 'Haven: a support plan review is overdue')).toBe(true);
    const again = await remindOverdueReviews(haven.deps);
    expect(again).toBe(0);
    haven.clock.advance(-40 * 86_400_000);
    rivera = await signIn(haven.app, d.people.rivera.email);
  });
});

describe("a student's timeline", () => {
  it('merges screens, cases, plan events and contacts, leaving out a case the viewer cannot open', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Tim' });
    await post(rivera, `/api/v1/students/${student.id}/screenings`, { instrumentId: 'gad-7', answers: { q1: 3, q2: 3, q3: 3, q4: 1, q5: 0, q6: 0, q7: 0 } });
    const opened = await post(rivera, '/api/v1/cases', { type: 'self_harm', summary: 'Cuts on arm seen in PE', studentIds: [student.id] });
    await post(rivera, `/api/v1/students/${student.id}/plans`, plan);
    await post(rivera, `/api/v1/students/${student.id}/contacts`, { note: 'Checked in at lunch' });
    const timeline = (await get(rivera, `/api/v1/students/${student.id}/timeline`)).json();
    expect(timeline.map((i: { kind: string }) => i.kind).sort()).toEqual(['case', 'contact', 'plan', 'screening']);
    expect(timeline.find((i: { kind: string }) => i.kind === 'case').link).toBe(`/cases/${opened.json().id}`);
    expect(timeline.filter((i: { words: unknown }) => i.words === null)).toEqual([]);
    expect(timeline.find((i: { kind: string }) => i.kind === 'case').words).toEqual({ code: 'case', values: { type: 'self_harm', status: 'open' } });
    expect(timeline.find((i: { kind: string }) => i.kind === 'contact').words).toEqual({ code: 'contact_note', values: { note: 'Checked in at lunch' } });
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    expect((await get(whitfield, `/api/v1/students/${student.id}/timeline`)).json().some((i: { kind: string }) => i.kind === 'case')).toBe(true);
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await get(shah, `/api/v1/students/${student.id}/timeline`)).statusCode).toBe(404);
  });
});
