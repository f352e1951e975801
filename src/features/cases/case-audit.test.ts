import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { cases } from '../../data/cases.ts';

/**
 * Every look at a crisis case, and everything done on it, is in the access log of each student it
 * is about (decision 23): the case list as one `student.listed` row per student shown, a read, the
 * opening, the broken glass, safety plans printed or shared, records (a hand-off as a disclosure to
 * the crisis service), moves and the closing. Each request writes its audit events in one call
 * (one lock, one INSERT). The mandatory report is in the staff's log and never in the family's copy.
 */
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
const sessions = {} as Record<'rivera' | 'park' | 'whitfield', Session>;

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  for (const persona of ['rivera', 'park', 'whitfield'] as const) sessions[persona] = await signIn(haven.app, d.people[persona].email);
});
afterAll(() => haven.close());
afterEach(() => vi.restoreAllMocks());

type Persona = keyof typeof sessions;
const call = (persona: Persona, method: 'GET' | 'POST', url: string, payload?: unknown) =>
  haven.app.inject({ method, url, headers: sessions[persona].headers, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

type Row = { action: string; student_id: string | null; reason: string | null; detail: Record<string, unknown> };
async function lastSequence(): Promise<number> {
  const { rows } = await haven.deps.db.system.$client.query('select coalesce(max(sequence), 0)::int as n from audit_events where district_id = $1', [
    d.district.id,
  ]);
  return rows[0].n;
}
async function eventsSince(after: number, action: string): Promise<Row[]> {
  const { rows } = await haven.deps.db.system.$client.query(
    'select action, student_id, reason, detail from audit_events where district_id = $1 and sequence > $2 and action = $3 order by sequence',
    [d.district.id, after, action],
  );
  return rows;
}

/** Runs one request and returns how many times it wrote to the audit trail, with its events. */
async function audited(persona: Persona, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const many = vi.spyOn(haven.deps.audit, 'appendMany');
  const one = vi.spyOn(haven.deps.audit, 'append');
  const before = await lastSequence();
  const response = await call(persona, method, url, payload);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  const writes = many.mock.calls.length + one.mock.calls.length;
  many.mockRestore();
  one.mockRestore();
  return { response, writes, events: (action: string) => eventsSince(before, action) };
}

/** A Lincoln case about two students (siblings), opened by Ms. Rivera. */
async function twoStudentCase(type = 'suicide_risk') {
  const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
  const leo = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo' });
  const opened = await audited('rivera', 'POST', '/api/v1/cases', { type, summary: 'Siblings in crisis at home', studentIds: [maya.id, leo.id] });
  const caseId = opened.response.json().id as string;
  return { caseId, students: [maya.id, leo.id].sort(), opened };
}
const studentsOf = (rows: Row[]) => rows.map((r) => r.student_id).sort();

describe('the case list: one access-log row per student shown, with the grant that allowed it', () => {
  it('a counselor at the school: each student on a listed case, in one write', async () => {
    const { caseId, students } = await twoStudentCase();
    const { writes, events, response } = await audited('rivera', 'GET', '/api/v1/cases?filter=school');
    expect(response.json().find((c: { id: string }) => c.id === caseId).students).toHaveLength(2);
    expect(writes).toBe(1);
    const listed = (await events('student.listed')).filter((e) => students.includes(e.student_id as string));
    expect(studentsOf(listed)).toEqual(students);
    for (const e of listed) {
      expect(e.reason).toBe('counselor at Lincoln Middle School');
      expect(e.detail).toMatchObject({ where: 'case_list', role: 'counselor', school: 'Lincoln Middle School', records: [caseId] });
    }
    expect(await events('case.listed')).toEqual([expect.objectContaining({ student_id: null })]);
  });

  it('someone on the case only because they were assigned: "assigned to the crisis case"; a case the filter hides is not recorded', async () => {
    const { caseId, students } = await twoStudentCase();
    const hidden = await twoStudentCase();
    await haven.deps.db.system
      .update(cases)
      .set({ assignedUserIds: [d.people.rivera.id, d.people.park.id] })
      .where(eq(cases.id, caseId));
    const { events } = await audited('park', 'GET', '/api/v1/cases?filter=mine');
    const listed = await events('student.listed');
    expect(studentsOf(listed)).toEqual(students);
    expect(listed.map((e) => e.reason)).toEqual(['assigned to the crisis case', 'assigned to the crisis case']);
    expect(listed[0]?.detail).toEqual({ where: 'case_list', named: 'case_assigned', records: [caseId] });
    const mine = await audited('rivera', 'GET', '/api/v1/cases?filter=overdue');
    expect((await mine.events('student.listed')).filter((e) => hidden.students.includes(e.student_id as string))).toEqual([]);
  });
});

describe('a case about several students is in the log of each', () => {
  it('opening it and reading it write one event per student, in one write each', async () => {
    const { caseId, students, opened } = await twoStudentCase();
    expect(opened.writes).toBe(1);
    expect(studentsOf(await opened.events('case.opened'))).toEqual(students);
    const read = await audited('rivera', 'GET', `/api/v1/cases/${caseId}`);
    expect(read.writes).toBe(1);
    const reads = await read.events('case.read');
    expect(studentsOf(reads)).toEqual(students);
    expect(reads.map((e) => e.reason)).toEqual(['counselor at Lincoln Middle School', 'counselor at Lincoln Middle School']);
  });

  it('breaking the glass names every student; the free-text reason stays in the detail, out of the family’s copy', async () => {
    const { caseId, students } = await twoStudentCase();
    const reason = 'Maya transferred to Aspen today; I am her new counselor';
    const glass = await audited('park', 'POST', `/api/v1/cases/${caseId}/break-glass`, { reason });
    expect(glass.writes).toBe(1);
    const broken = await glass.events('case.break_glass');
    expect(studentsOf(broken)).toEqual(students);
    expect(broken[0]).toMatchObject({ reason: 'break the glass', detail: { hours: 12, reason } });
    const read = await audited('park', 'GET', `/api/v1/cases/${caseId}`);
    expect((await read.events('case.read')).map((e) => e.reason)).toEqual(['break the glass', 'break the glass']);
  });

  it('a safety plan printed or shared is in each student’s log; sharing names the guardian and how', async () => {
    const { caseId, students } = await twoStudentCase();
    const plan = {
      language: 'en',
      madeWithStudent: true,
      warningSigns: ['Shuts herself in her room'],
      copingStrategies: ['Music'],
      peopleToAsk: ['Aunt Carmen 303-555-0111'],
      environmentSafety: ['Medicines locked away'],
    };
    expect((await call('rivera', 'POST', `/api/v1/cases/${caseId}/safety-plans`, plan)).statusCode).toBe(201);
    const printed = await audited('rivera', 'GET', `/api/v1/cases/${caseId}/safety-plans/1/print`);
    expect(printed.response.body).toContain('Maya Torres');
    expect(printed.response.body).toContain('Leo Torres');
    expect(printed.writes).toBe(1);
    const prints = await printed.events('case.safety_plan_printed');
    expect(studentsOf(prints)).toEqual(students);
    expect(prints[0]?.detail).toEqual({ version: 1 });
    const shared = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/safety-plans/1/share`, { guardianName: 'Rosa Torres', method: 'in_person' });
    const shares = await shared.events('case.safety_plan_shared');
    expect(studentsOf(shares)).toEqual(students);
    expect(shares[0]?.detail).toEqual({ version: 1, recipient: { name: 'Rosa Torres', method: 'in_person' } });
  });

  it('moves, records and the closing carry each student; a hand-off is a disclosure to the crisis service on the emergency exception', async () => {
    const { caseId, students } = await twoStudentCase('threat_to_others');
    const moved = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/transitions`, { action: 'start_assessing' });
    expect(studentsOf(await moved.events('case.start_assessing'))).toEqual(students);
    const handoff = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/handoffs`, { target: '988', at: '2026-11-28T15:00:00Z', outcome: 'connected' });
    expect(handoff.writes).toBe(1);
    const handed = await handoff.events('case.handoff_recorded');
    expect(studentsOf(handed)).toEqual(students);
    expect(handed[0]).toMatchObject({
      reason: 'disclosed to the 988 Suicide & Crisis Lifeline on emergency 99 36',
      detail: { version: 1, target: '988', outcome: 'connected' },
    });
    const assessed = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/threat-assessments`, {
      concern: 'x',
      informationGathered: 'y',
      classification: 'transient',
      level: 'low',
      safetyMeasures: 'z',
      informed: 'principal',
    });
    expect(studentsOf(await assessed.events('case.threat_assessment_recorded'))).toEqual(students);
    const closed = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/transitions`, {
      action: 'close',
      outcome: 'resolved',
      summary: 'Both safe at home with a plan.',
    });
    expect(studentsOf(await closed.events('case.close'))).toEqual(students);
    const reopened = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/transitions`, { action: 'reopen', reason: 'New disclosure' });
    expect(studentsOf(await reopened.events('case.reopen'))).toEqual(students);

    const log = (await call('whitfield', 'GET', `/api/v1/students/${students[0]}/access-log?format=json`)).json();
    expect(log.entries.find((e: { action: string }) => e.action === 'case.handoff_recorded')).toMatchObject({
      kind: 'disclosure',
      whom: 'the 988 Suicide & Crisis Lifeline',
      what: 'Handed the student over to the 988 Suicide & Crisis Lifeline',
      why: 'On a health-or-safety emergency (34 CFR 99.36)',
      withheldFromFamily: false,
    });
  });

  it('the mandatory report is in each student’s log for staff, marked, and never in the family’s copy', async () => {
    const { caseId, students } = await twoStudentCase('abuse_neglect');
    const made = await audited('rivera', 'POST', `/api/v1/cases/${caseId}/mandatory-reports`, {
      agency: 'state_hotline',
      reportedAt: '2026-11-28T16:00:00Z',
      referenceNumber: 'CO-55120',
      summary: 'Bruises reported by the student',
    });
    const recorded = await made.events('case.mandatory_report_recorded');
    expect(studentsOf(recorded)).toEqual(students);
    for (const studentId of students) {
      const log = (await call('whitfield', 'GET', `/api/v1/students/${studentId}/access-log?format=json`)).json();
      expect(log.entries.filter((e: { action: string }) => e.action.startsWith('case.mandatory_report'))).toEqual([
        expect.objectContaining({ withheldFromFamily: true }),
      ]);
      const copy = await call('whitfield', 'GET', `/api/v1/students/${studentId}/access-log/export?format=csv&lang=en`);
      expect(copy.statusCode).toBe(200);
      // Nothing about an abuse case reaches the family's copy: not the report, not even that the case exists.
      expect(copy.body).not.toContain('Opened a crisis case');
      expect(copy.body).not.toMatch(/mandatory report/i);
    }
  });
});
