import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { remindPolicyReviews } from './policies.service.ts';
import { remindLapsedTraining } from './training.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let whitfield: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
});
afterAll(() => haven.close());

const call = (session: Session, method: 'GET' | 'POST', url: string, payload?: unknown, contentType?: string) =>
  haven.app.inject({
    method,
    url,
    headers: { ...session.headers, ...(contentType ? { 'content-type': contentType } : {}) },
    ...(payload === undefined ? {} : { payload: payload as string }),
  });

describe('training and readiness', () => {
  it('imports sign-in sheets all or nothing, shows coverage per school, and reminds once when training lapses', async () => {
    await call(whitfield, 'POST', '/api/v1/leadership/trainings', {
      name: 'Reporting tool training',
      kind: 'reporting_tool_staff',
      audience: 'staff',
      refresherMonths: 12,
    });
    const awareness = (
      await call(whitfield, 'POST', '/api/v1/leadership/trainings', { name: 'Student awareness', kind: 'student_awareness', audience: 'students' })
    ).json();
    const bad = await call(
      whitfield,
      'POST',
      '/api/v1/leadership/training-attendance',
      `email,name,training,held_on,school\n${d.people.shah.email},Ms Shah,Reporting tool training,2026-09-10,lincoln-ms\nnot-an-email,X,Reporting tool training,2026-09-10,lincoln-ms\n`,
      'text/csv',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toBe('Nothing was imported. line 3: "not-an-email" is not an e-mail address.');
    const sheet = `email,name,training,held_on,school\n${d.people.shah.email},Ms Shah,Reporting tool training,2026-09-10,lincoln-ms\n${d.people.rivera.email.toUpperCase()},Ms Rivera,reporting tool training,2025-10-01,lincoln-ms\n`;
    expect((await call(whitfield, 'POST', '/api/v1/leadership/training-attendance', sheet, 'text/csv')).json()).toEqual({ rows: 2, added: 2, sessions: 2 });
    expect((await call(whitfield, 'POST', '/api/v1/leadership/training-attendance', sheet, 'text/csv')).json()).toEqual({ rows: 2, added: 0, sessions: 2 });
    await call(whitfield, 'POST', '/api/v1/leadership/training-sessions', {
      trainingId: awareness.id,
      schoolId: d.schools.lincoln.id,
      heldOn: '2026-10-05',
      studentsReached: 120,
    });
    for (let i = 0; i < 3; i++) await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const coverage = (await call(whitfield, 'GET', '/api/v1/leadership/training')).json();
    const lincoln = coverage.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School');
    // Lincoln's staff: Bell, Rivera, Okafor, Shah; Shah is current, Rivera's training lapsed on 2026-10-01.
    expect(lincoln).toMatchObject({ staff: 4, staffTrainedShare: 0.25, studentsReached: 120, studentsReachedShare: 1 });
    expect(await remindLapsedTraining(haven.deps)).toBe(1);
    expect(mail.at(-1)).toMatchObject({
      to: d.people.rivera.email.toUpperCase().toLowerCase(),
      subject: 'Haven: your Reporting tool training training needs a refresher',
    });
    expect(await remindLapsedTraining(haven.deps)).toBe(0);
  });
});

describe('policies', () => {
  it('keeps versions, counts acknowledgements of the current one, and reminds the owner before review', async () => {
    const shah = await signIn(haven.app, d.people.shah.email);
    const policy = (
      await call(whitfield, 'POST', '/api/v1/policies', {
        kind: 'mandatory_reporting',
        title: 'Mandatory reporting of child abuse',
        ownerUserId: d.people.whitfield.id,
        reviewBy: '2026-12-15',
        version: '2025.1',
        summary: 'Report suspected abuse to the county within 24 hours (C.R.S. 19-3-304).',
      })
    ).json();
    expect((await call(shah, 'POST', `/api/v1/policies/${policy.id}/acknowledge`)).json()).toEqual({ acknowledged: '2025.1' });
    let list = (await call(shah, 'GET', '/api/v1/policies')).json();
    expect(list[0]).toMatchObject({ version: '2025.1', acknowledged: 1, acknowledgedByMe: true, owner: 'whitfield', reviewOverdue: false });
    expect(await remindPolicyReviews(haven.deps)).toBe(1);
    expect(mail.at(-1)?.subject).toBe('Haven: "Mandatory reporting of child abuse" is due for review by 2026-12-15');
    const dup = await call(whitfield, 'POST', `/api/v1/policies/${policy.id}/versions`, { version: '2025.1', summary: 'x', reviewBy: '2027-12-01' });
    expect(dup.statusCode).toBe(409);
    haven.clock.advance(60_000);
    await call(whitfield, 'POST', `/api/v1/policies/${policy.id}/versions`, {
      version: '2026.1',
      summary: 'Now also names the online reporting form.',
      reviewBy: '2027-12-01',
    });
    list = (await call(shah, 'GET', '/api/v1/policies')).json();
    expect(list[0]).toMatchObject({ version: '2026.1', acknowledged: 0, acknowledgedByMe: false, reviewBy: '2027-12-01' });
    const cho = await signIn(haven.app, d.people.cho.email);
    expect((await call(cho, 'POST', `/api/v1/policies/${policy.id}/acknowledge`)).statusCode).toBe(404);
  });
});

describe('the quality self-assessment', () => {
  it('pre-fills what Haven measures, records the team’s scores over time, and keeps an action plan', async () => {
    const view = (await call(whitfield, 'GET', '/api/v1/leadership/self-assessment')).json();
    const staffing = view.indicators.find((i: { id: string }) => i.id === 'needs.mapping');
    expect(staffing).toMatchObject({ measured: 0, suggested: 1 });
    expect(view.indicators.find((i: { id: string }) => i.id === 'teaming.family')).toMatchObject({ measured: null, suggested: null });
    await call(whitfield, 'POST', '/api/v1/leadership/positions', { schoolId: d.schools.lincoln.id, role: 'counselor', fte: 1, caseloadPerFte: 50 });
    // The measures are a rollup: unchanged until the worker recomputes them, or a leader refreshes.
    expect(
      (await call(whitfield, 'GET', '/api/v1/leadership/self-assessment')).json().indicators.find((i: { id: string }) => i.id === 'needs.mapping').measured,
    ).toBe(0);
    expect((await call(whitfield, 'POST', '/api/v1/leadership/refresh')).json()).toEqual({ refreshed: true });
    const after = (await call(whitfield, 'GET', '/api/v1/leadership/self-assessment')).json();
    expect(after.indicators.find((i: { id: string }) => i.id === 'needs.mapping')).toMatchObject({ measured: 0.5, suggested: 4 });
    const bad = await call(whitfield, 'POST', '/api/v1/leadership/self-assessments', { heldOn: '2026-11-20', scores: [{ indicatorId: 'nope', score: 3 }] });
    expect(bad.json().detail).toBe('Unknown indicator: nope.');
    await call(whitfield, 'POST', '/api/v1/leadership/self-assessments', {
      heldOn: '2026-11-20',
      scores: [
        { indicatorId: 'needs.mapping', score: 4 },
        { indicatorId: 'needs.voice', score: 2 },
      ],
    });
    const action = (
      await call(whitfield, 'POST', '/api/v1/leadership/actions', {
        indicatorId: 'needs.voice',
        action: 'Hold two family listening sessions',
        owner: 'Dana Whitfield',
        dueOn: '2027-02-01',
      })
    ).json();
    await call(whitfield, 'POST', `/api/v1/leadership/actions/${action.id}/done`);
    const final = (await call(whitfield, 'GET', '/api/v1/leadership/self-assessment')).json();
    expect(final.history[0].domains.find((x: { domain: string }) => x.domain === 'needs_assessment')).toEqual({ domain: 'needs_assessment', average: 3 });
    expect(final.actions).toEqual([expect.objectContaining({ action: 'Hold two family listening sessions', done: true })]);
    const lee = await signIn(haven.app, d.people.lee.email);
    expect((await call(lee, 'GET', '/api/v1/leadership/self-assessment')).statusCode).toBe(200);
    expect(
      (await call(lee, 'POST', '/api/v1/leadership/self-assessments', { heldOn: '2026-11-20', scores: [{ indicatorId: 'needs.voice', score: 3 }] })).statusCode,
    ).toBe(404);
  });
});
