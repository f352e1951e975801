import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { testSecretKeyHex } from '../../../test/support/secrets.ts';
import { districts } from '../../data/districts.ts';
import { reports } from '../../data/reports.ts';
import { screeningConsents, screeningNotices, screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';

// These tests start the `haven` command, which compiles its TypeScript as it starts: a few seconds
// on a quiet machine, far more on a busy CI runner. A slow start is not a failure.
vi.setConfig({ testTimeout: 180_000 });

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async () => undefined } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

/** The clock starts on Saturday 2026-11-28: the fall window is open, the spring one is not yet. */
async function openWindow(name: string, opensOn: string, closesOn: string, instrumentIds = ['phq-a']) {
  const created = await post(rivera, '/api/v1/screening/windows', { name, schoolIds: [d.schools.lincoln.id], grades: ['7'], instrumentIds, opensOn, closesOn });
  expect(created.statusCode).toBe(201);
  return created.json().id as string;
}
const fallWindow = () => openWindow('Fall wellness check', '2026-11-01', '2026-12-18', ['phq-a', 'asq']);
const springWindow = () => openWindow('Spring check-in', '2027-02-01', '2027-03-12', ['phq-a', 'asq']);

async function rosterRow(windowId: string, studentId: string) {
  const roster = (await get(rivera, `/api/v1/screening/windows/${windowId}/roster`)).json();
  return roster.students.find((s: { id: string }) => s.id === studentId);
}

describe('consent belongs to a window', () => {
  it("Ms. Rivera records Rosa's written consent for the fall window: Maya is screened in fall, and the spring window asks again", async () => {
    const fall = await fallWindow();
    const spring = await springWindow();
    const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });

    const noWindow = await post(rivera, `/api/v1/students/${maya.id}/screening-consents`, { kind: 'consent', source: 'paper' });
    expect(noWindow.statusCode).toBe(400);
    expect(noWindow.json().detail).toMatch(/^Choose the screening window this is for/);
    const wholeYear = await post(rivera, `/api/v1/students/${maya.id}/screening-consents`, { kind: 'consent', source: 'paper', scope: 'school_year' });
    expect(wholeYear.json().detail).toMatch(/^Consent is given for one screening window at a time/);

    const given = await post(rivera, `/api/v1/students/${maya.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId: fall });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toMatchObject({ windowId: fall, schoolYear: '2026-27', instrumentId: null });
    expect(await rosterRow(fall, maya.id)).toMatchObject({ status: 'not_started', eligible: true, instruments: ['phq-a', 'asq'] });
    expect(await rosterRow(spring, maya.id)).toMatchObject({
      status: 'needs_consent',
      eligible: false,
      reason: "Written consent from a guardian for this window is needed (or the student's own from age 12).",
    });
    expect((await post(rivera, `/api/v1/screening/windows/${fall}/codes`, { studentId: maya.id })).statusCode).toBe(201);

    // February: the spring window is open, and Rosa has not been asked about it yet.
    haven.clock.set(new Date('2027-02-16T16:00:00Z'));
    try {
      rivera = await signIn(haven.app, d.people.rivera.email);
      const refused = await post(rivera, `/api/v1/screening/windows/${spring}/codes`, { studentId: maya.id });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().detail).toMatch(/cannot be screened yet: Written consent from a guardian for this window is needed/);
      await post(rivera, `/api/v1/students/${maya.id}/screening-consents`, { kind: 'consent', source: 'email', windowId: spring });
      expect((await post(rivera, `/api/v1/screening/windows/${spring}/codes`, { studentId: maya.id })).statusCode).toBe(201);
    } finally {
      haven.clock.set(new Date('2026-11-28T15:00:00Z'));
      rivera = await signIn(haven.app, d.people.rivera.email);
    }
  });

  it("a guardian's opt-out wins over the student's later assent; an opt-out for the school year covers every window of it", async () => {
    const fall = await fallWindow();
    const spring = await springWindow();
    const leo = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo', dateOfBirth: '2012-09-01' });
    await post(rivera, `/api/v1/students/${leo.id}/screening-consents`, { kind: 'opt_out', source: 'phone', windowId: fall });
    expect(
      (await post(rivera, `/api/v1/students/${leo.id}/screening-consents`, { kind: 'student_consent', source: 'student', windowId: fall })).statusCode,
    ).toBe(201);
    expect(await rosterRow(fall, leo.id)).toMatchObject({ status: 'opted_out', eligible: false, reason: 'The family opted out of this window.' });
    const refused = await post(rivera, `/api/v1/screening/windows/${fall}/codes`, { studentId: leo.id });
    expect(refused.json().detail).toBe('This student cannot be screened yet: The family opted out of this window.');
    // The fall opt-out says nothing about spring.
    expect((await rosterRow(spring, leo.id)).status).toBe('needs_consent');

    const ana = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    const year = await post(rivera, `/api/v1/students/${ana.id}/screening-consents`, { kind: 'opt_out', source: 'phone', scope: 'school_year' });
    expect(year.json()).toMatchObject({ windowId: null, schoolYear: '2026-27' });
    for (const windowId of [fall, spring]) {
      expect(await rosterRow(windowId, ana.id)).toMatchObject({
        status: 'opted_out',
        reason: 'The family opted out for all screening in the 2026-27 school year.',
      });
    }
    const dashboard = (await get(rivera, `/api/v1/screening/windows/${fall}/dashboard`)).json();
    expect(dashboard.schools[0].optedOut).toBeGreaterThanOrEqual(2);
  });

  it('a family may opt out of one instrument: the ASQ is left out and the roster says why', async () => {
    const fall = await fallWindow();
    const noor = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Noor' });
    await post(rivera, `/api/v1/students/${noor.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId: fall });
    const asqOnly = await post(rivera, `/api/v1/students/${noor.id}/screening-consents`, {
      kind: 'opt_out',
      source: 'phone',
      windowId: fall,
      instrumentId: 'asq',
    });
    expect(asqOnly.statusCode).toBe(201);
    expect(await rosterRow(fall, noor.id)).toMatchObject({
      eligible: true,
      instruments: ['phq-a'],
      reason: 'Not the ASQ: The family opted out of the ASQ of this window.',
    });
    const issued = await post(rivera, `/api/v1/screening/windows/${fall}/codes`, { studentId: noor.id });
    expect(issued.json().instruments).toEqual(['phq-a']);
    const unknown = await post(rivera, `/api/v1/students/${noor.id}/screening-consents`, {
      kind: 'opt_out',
      source: 'phone',
      windowId: fall,
      instrumentId: 'gad-7',
    });
    expect(unknown.json().detail).toBe('"gad-7" is not given in "Fall wellness check" (phq-a, asq).');
  });

  it('rows recorded before consent was per window keep working: a consent stays with the window it answered, an opt-out stands', async () => {
    const fall = await fallWindow();
    const spring = await springWindow();
    const kai = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Kai' });
    const sam = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Sam' });
    const db = haven.deps.db.system;
    await db.insert(screeningNotices).values({
      id: haven.deps.ids.uuid(),
      districtId: d.district.id,
      windowId: fall,
      studentId: kai.id,
      channel: 'print',
      language: 'es',
      sentAt: new Date('2026-11-02T15:00:00Z'),
    });
    for (const [studentId, kind] of [
      [kai.id, 'consent'],
      [sam.id, 'opt_out'],
    ] as const) {
      await db.insert(screeningConsents).values({
        id: haven.deps.ids.uuid(),
        districtId: d.district.id,
        studentId,
        kind,
        source: 'paper',
        recordedAt: new Date('2026-11-10T15:00:00Z'),
      });
    }
    // The data part of migration 0018, as it ran on existing rows.
    const migration = readFileSync('migrations/0018_screening_consent_per_window.sql', 'utf8');
    for (const statement of migration.split('--> statement-breakpoint').filter((s) => /^\s*(--.*\n\s*)*UPDATE/.test(s))) {
      await db.$client.query(statement);
    }
    expect((await rosterRow(fall, kai.id)).status).toBe('not_started');
    expect((await rosterRow(spring, kai.id)).status).toBe('needs_consent');
    expect(await rosterRow(fall, sam.id)).toMatchObject({ status: 'opted_out', reason: expect.stringMatching(/stands until they consent to a window/) });
    expect((await rosterRow(spring, sam.id)).status).toBe('opted_out');
  });
});

describe('a new district starts on active (written) consent', () => {
  it('whether created by a test factory or by `haven district add`; a district may still choose passive consent', async () => {
    const fresh = await createDistrict(haven.deps);
    const whitfield = await signIn(haven.app, fresh.people.whitfield.email);
    expect((await get(whitfield, '/api/v1/district/settings')).json().screeningConsent).toBe('active');
    const changed = await haven.app.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      headers: whitfield.headers,
      payload: { screeningConsent: 'passive' },
    });
    expect(changed.json().screeningConsent).toBe('passive');

    const slug = `cli-${Math.random().toString(36).slice(2, 8)}`;
    await promisify(execFile)('node', ['bin/haven.js', 'district', 'add', slug, '--name', 'Adams 12 Five Star Schools'], {
      env: { ...process.env, DATABASE_URL: haven.ownerUrl, HAVEN_SECRET_KEY: testSecretKeyHex, NODE_ENV: 'test' },
    });
    const [added] = await haven.deps.db.system.select({ consent: districts.screeningConsent }).from(districts).where(eq(districts.slug, slug));
    expect(added?.consent).toBe('active');
  });
});

describe('results entered by staff or imported check consent too', () => {
  it('a paper PHQ-A for a student whose family opted out is refused, and says why; the emergency ASQ after a disclosure still works', async () => {
    const fall = await fallWindow();
    const eli = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Eli' });
    await post(rivera, `/api/v1/students/${eli.id}/screening-consents`, { kind: 'opt_out', source: 'phone', windowId: fall });
    const answers = {
      q1: 1,
      q2: 1,
      q3: 0,
      q4: 0,
      q5: 0,
      q6: 0,
      q7: 0,
      q8: 0,
      q9: 0,
      past_year: 'no',
      difficulty: 0,
      past_month_thoughts: 'no',
      lifetime_attempt: 'no',
    };
    const refused = await post(rivera, `/api/v1/students/${eli.id}/screenings`, { instrumentId: 'phq-a', answers });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toBe(
      "Not recorded: Fall wellness check: The family opted out of this window. A screen is stored only with the family's consent for it. After a disclosure, use the emergency path (the ASQ), which needs no prior consent.",
    );
    const okafor = await signIn(haven.app, d.people.okafor.email);
    const emergency = await post(okafor, `/api/v1/students/${eli.id}/screenings`, {
      instrumentId: 'asq',
      emergency: true,
      answers: { q1: 'yes', q2: 'no', q3: 'no', q4: 'no', q5: 'no' },
    });
    expect(emergency.statusCode).toBe(201);
    const [alert] = await haven.deps.db.system.select().from(reports).where(eq(reports.id, emergency.json().alertReportId));
    expect(alert?.studentId).toBe(eli.id);
    const history = (await get(rivera, `/api/v1/students/${eli.id}/screenings`)).json();
    expect(history.results.map((r: { instrumentId: string }) => r.instrumentId)).toEqual(['asq']);
  });

  it("outside any window, a counselor's GAD-7 is refused only for a family that opted out of the whole school year", async () => {
    const ivy = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ivy' });
    const june = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'June' });
    await post(rivera, `/api/v1/students/${june.id}/screening-consents`, { kind: 'opt_out', source: 'in_person', scope: 'school_year' });
    const gad7 = { instrumentId: 'gad-7', answers: { q1: 1, q2: 1, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0 } };
    expect((await post(rivera, `/api/v1/students/${ivy.id}/screenings`, gad7)).statusCode).toBe(201);
    const refused = await post(rivera, `/api/v1/students/${june.id}/screenings`, gad7);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(/^Not recorded: The family opted out for all screening in the 2026-27 school year\./);
  });

  it('an imported row for an opted-out student is rejected by line, unless it shows suicide risk: then it is stored and alerted', async () => {
    const fall = await fallWindow();
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const consented = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Rae' });
    const optedOut = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Tom' });
    const atRisk = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Zia' });
    const localId = async (id: string) =>
      (await haven.deps.db.system.select({ localId: students.localId }).from(students).where(eq(students.id, id)))[0]?.localId;
    await post(rivera, `/api/v1/students/${consented.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId: fall });
    for (const s of [optedOut, atRisk]) await post(rivera, `/api/v1/students/${s.id}/screening-consents`, { kind: 'opt_out', source: 'phone', windowId: fall });
    const csv = [
      'student_id,administered_at,instrument,q1,q2,q3,q4,q5,q6,q7,q8,q9,past_month_thoughts',
      `${await localId(consented.id)},2026-11-20,phq-a,1,1,1,1,1,1,1,1,0,no`,
      `${await localId(optedOut.id)},2026-11-20,phq-a,1,1,1,1,1,1,1,1,0,no`,
      `${await localId(atRisk.id)},2026-11-20,phq-a,1,1,1,1,1,1,1,1,2,no`,
    ].join('\n');
    const upload = (query: string) =>
      haven.app.inject({
        method: 'POST',
        url: `/api/v1/screening/imports${query}`,
        headers: { ...whitfield.headers, 'content-type': 'text/csv' },
        payload: csv,
      });

    const refused = await upload('');
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ committed: false, imported: 0, rejected: 1, noConsent: 1, keptForSafety: 1, alerts: 1 });
    expect(refused.json().errors).toEqual([
      { line: 3, message: 'not imported, no consent for this student: Fall wellness check: The family opted out of this window.' },
      { line: 4, message: 'stored without consent because it shows suicide risk (alert raised): Fall wellness check: The family opted out of this window.' },
    ]);
    const kept = await haven.deps.db.system.select().from(screeningResults).where(eq(screeningResults.studentId, atRisk.id));
    expect(kept).toMatchObject([{ source: 'import', flags: expect.arrayContaining(['suicide_risk']), alertReportId: expect.any(String) }]);

    const rest = await upload('?skipInvalid=true');
    expect(rest.json()).toMatchObject({ committed: true, imported: 1, rejected: 1, noConsent: 1, alreadyStored: 1 });
    const stored = await haven.deps.db.system.select().from(screeningResults).where(eq(screeningResults.importId, rest.json().importId));
    expect(stored.map((r) => r.studentId)).toEqual([consented.id]);
  });
});
