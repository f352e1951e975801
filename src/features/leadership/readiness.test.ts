import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
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
    await sendOutbox(haven.deps);
    expect(mail.at(-1)).toMatchObject({
      to: d.people.rivera.email.toUpperCase().toLowerCase(),
      subject: 'Haven: your Reporting tool training training needs a refresher',
    });
    expect(await remindLapsedTraining(haven.deps)).toBe(0);
  });
});

describe('the self-assessment and the Training tab', () => {
  it('give the same two training figures: the district totals of the Training tab', async () => {
    // A district of its own: Lincoln's crisis team is Ms. Rivera, Mr. Okafor and Mr. Bell, all with
    // current crisis-team training; the district team is Ms. Whitfield, untrained. Reporting-tool
    // training is current for Ms. Shah, Ms. Rivera and Mr. Bell; Mr. Okafor's lapsed. Ms. Park
    // (Aspen's counselor) has none.
    const e = await createDistrict(haven.deps);
    const admin = await signIn(haven.app, e.people.whitfield.email);
    const team = async (schoolId: string | null, name: string, people: { id: string; name: string }[]) => {
      const created = (await call(admin, 'POST', '/api/v1/crisis-teams', { schoolId, name })).json();
      for (const p of people)
        expect(
          (await call(admin, 'POST', `/api/v1/crisis-teams/${created.id}/members`, { userId: p.id, name: p.name, teamRole: 'counselor' })).statusCode,
        ).toBe(201);
    };
    const { rivera, okafor, bell, shah, whitfield: dana } = e.people;
    await team(e.schools.lincoln.id, 'Lincoln crisis team', [
      { id: rivera.id, name: 'Rivera' },
      { id: okafor.id, name: 'Okafor' },
      { id: bell.id, name: 'Bell' },
    ]);
    await team(null, 'District crisis team', [{ id: dana.id, name: 'Whitfield' }]);
    await call(admin, 'POST', '/api/v1/leadership/trainings', {
      name: 'Reporting tools',
      kind: 'reporting_tool_staff',
      audience: 'staff',
      refresherMonths: 12,
    });
    await call(admin, 'POST', '/api/v1/leadership/trainings', { name: 'Crisis team', kind: 'crisis_team', audience: 'staff', refresherMonths: 24 });
    const sheet = [
      'email,name,training,held_on,school',
      ...[shah, rivera, bell].map((p) => `${p.email},,Reporting tools,2026-09-01,lincoln-ms`),
      `${okafor.email},,Reporting tools,2025-06-01,lincoln-ms`,
      ...[rivera, okafor, bell].map((p) => `${p.email},,Crisis team,2026-08-01,lincoln-ms`),
    ].join('\n');
    expect((await call(admin, 'POST', '/api/v1/leadership/training-attendance', sheet, 'text/csv')).statusCode).toBe(200);

    const training = (await call(admin, 'GET', '/api/v1/leadership/training')).json();
    // Staff: Lincoln 3 of 4 (Okafor lapsed), Aspen 0 of 1 (Park): 3 of 5. Crisis team: Lincoln's 3 of 3.
    expect(training.district).toMatchObject({ staff: 5, staffTrainedShare: 0.6, crisisTeam: 3, crisisTeamTrainedShare: 1 });
    const assessment = (await call(admin, 'GET', '/api/v1/leadership/self-assessment')).json();
    const measured = (id: string) => assessment.indicators.find((i: { id: string }) => i.id === id).measured;
    expect(measured('teaming.trained')).toBe(training.district.crisisTeamTrainedShare);
    expect(measured('promotion.reporting')).toBe(training.district.staffTrainedShare);
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
    await sendOutbox(haven.deps);
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

  it("links a version to its document, keeps a text-only policy's text, and refuses a link that is not a web page", async () => {
    const shah = await signIn(haven.app, d.people.shah.email);
    const base = { kind: 'reentry', ownerUserId: d.people.whitfield.id, reviewBy: '2027-06-30', version: '1' };
    const bad = await call(whitfield, 'POST', '/api/v1/policies', {
      ...base,
      title: 'Re-entry',
      summary: 'A meeting within two school days.',
      documentUrl: 'javascript:alert(1)',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/give the document as a web link starting with https:\/\//);
    const linked = (
      await call(whitfield, 'POST', '/api/v1/policies', {
        ...base,
        title: 'Re-entry after a crisis',
        summary: 'A re-entry meeting within two school days of return.',
        documentUrl: 'https://board.example.org/policies/JLDBB.pdf',
      })
    ).json();
    await call(whitfield, 'POST', '/api/v1/policies', {
      ...base,
      title: 'Bullying prevention',
      summary: 'Report bullying the same day.\nThe counselor follows up within a week.',
    });
    const list = (await call(shah, 'GET', '/api/v1/policies')).json();
    expect(list.find((p: { id: string }) => p.id === linked.id)).toMatchObject({
      documentUrl: 'https://board.example.org/policies/JLDBB.pdf',
      summary: 'A re-entry meeting within two school days of return.',
    });
    expect(list.find((p: { title: string }) => p.title === 'Bullying prevention')).toMatchObject({
      documentUrl: null,
      summary: 'Report bullying the same day.\nThe counselor follows up within a week.',
    });
    // A new version, a minute later, brings its own document.
    haven.clock.advance(60_000);
    await call(whitfield, 'POST', `/api/v1/policies/${linked.id}/versions`, {
      version: '2',
      summary: 'Now with check-ins for four weeks.',
      reviewBy: '2028-06-30',
      documentUrl: 'https://board.example.org/policies/JLDBB-2.pdf',
    });
    const after = (await call(shah, 'GET', '/api/v1/policies')).json().find((p: { id: string }) => p.id === linked.id);
    expect(after).toMatchObject({ version: '2', documentUrl: 'https://board.example.org/policies/JLDBB-2.pdf', summary: 'Now with check-ins for four weeks.' });
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
