import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { reports } from '../../data/reports.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { raisePendingImportAlerts } from './import.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let whitfield: Session;
const localIds: string[] = [];
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
  for (let i = 0; i < 3; i++) {
    const { id } = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const [row] = await haven.deps.db.system.select({ localId: students.localId }).from(students).where(eq(students.id, id));
    localIds.push(row?.localId as string);
  }
});
afterAll(() => haven.close());

const upload = (session: Session, csv: string, query = '') =>
  haven.app.inject({ method: 'POST', url: `/api/v1/screening/imports${query}`, headers: { ...session.headers, 'content-type': 'text/csv' }, payload: csv });
const resultsOf = (importId: string) => haven.deps.db.system.select().from(screeningResults).where(eq(screeningResults.importId, importId));
const phqaHeader = 'student_id,administered_at,instrument,q1,q2,q3,q4,q5,q6,q7,q8,q9,ext_source,past_month_thoughts';

describe('importing results from another survey tool', () => {
  it('imports PHQ-A and GAD-7 rows from one file, scored by the same engine', async () => {
    const csv = [
      phqaHeader,
      `${localIds[0]},2026-10-14,phq-a,1,1,1,1,1,1,1,1,0,survey-x,no`,
      `${localIds[1]},2026-10-14T09:30:00-06:00,gad-7,3,3,3,3,0,0,0,,,survey-x,`,
    ].join('\n');
    const response = await upload(whitfield, csv);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ rows: 2, imported: 2, rejected: 0, alerts: 0, committed: true });
    const stored = await resultsOf(response.json().importId);
    expect(stored.map((r) => [r.instrumentId, r.score, r.band]).sort()).toEqual([
      ['gad-7', 12, 'moderate'],
      ['phq-a', 8, 'mild'],
    ]);
    expect(stored.find((r) => r.instrumentId === 'gad-7')?.followUpDueOn).toBe('2026-10-21');
  });

  it('is all or nothing: one bad row stores nothing and every problem is reported by line', async () => {
    const csv = [
      phqaHeader,
      `${localIds[0]},2026-10-14,phq-a,1,1,1,1,1,1,1,1,0,,no`,
      `${localIds[1]},2026-10-14,phq-a,4,1,1,1,1,1,1,1,0,,no`,
      `S-unknown,2026-10-14,phq-a,0,0,0,0,0,0,0,0,0,,no`,
      `${localIds[2]},yesterday,gad-7,0,0,0,0,0,0,0,1,,,`,
    ].join('\n');
    const response = await upload(whitfield, csv);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ committed: false, imported: 0, rejected: 3 });
    expect(response.json().errors).toEqual([
      { line: 3, message: 'q1: 4 is out of range (0–3)' },
      { line: 4, message: 'no student with the number "S-unknown" in this district' },
      {
        line: 5,
        message:
          'administered_at "yesterday" is not a date (use 2026-10-14 or 2026-10-14T09:30:00-06:00); "q8" is not a question of gad-7; leave it empty on gad-7 rows',
      },
    ]);
    expect(await resultsOf(response.json().importId)).toEqual([]);
  });

  it('with skipInvalid, imports the good rows and reports the rest', async () => {
    const csv = ['student_id,administered_at,q1,q2,q3,q4,q5,q6,q7', `${localIds[0]},2026-10-15,0,0,0,0,0,0,0`, `${localIds[1]},2026-10-15,9,0,0,0,0,0,0`].join(
      '\n',
    );
    const response = await upload(whitfield, csv, '?instrument=gad-7&skipInvalid=true');
    expect(response.json()).toMatchObject({
      rows: 2,
      imported: 1,
      rejected: 1,
      committed: true,
      errors: [{ line: 3, message: 'q1: 9 is out of range (0–3)' }],
    });
  });

  it('raises an alert for every risk flag, linked to its result', async () => {
    const csv = [phqaHeader, `${localIds[2]},2026-10-16,phq-a,0,0,0,0,0,0,0,0,2,,no`].join('\n');
    const response = await upload(whitfield, csv);
    expect(response.json()).toMatchObject({ imported: 1, alerts: 1 });
    const [result] = await resultsOf(response.json().importId);
    expect(result?.alertReportId).toEqual(expect.any(String));
    const [report] = await haven.deps.db.system
      .select()
      .from(reports)
      .where(eq(reports.id, result?.alertReportId as string));
    expect(report).toMatchObject({ channel: 'screening', urgency: 'urgent', studentId: result?.studentId });
  });

  it("the worker's sweep raises an alert an import left behind", async () => {
    const csv = [phqaHeader, `${localIds[1]},2026-10-17,phq-a,0,0,0,0,0,0,0,0,1,,no`].join('\n');
    const { importId } = (await upload(whitfield, csv)).json();
    const [result] = await resultsOf(importId);
    await haven.deps.db.system
      .update(screeningResults)
      .set({ alertReportId: null })
      .where(eq(screeningResults.id, result?.id as string));
    expect(await raisePendingImportAlerts(haven.deps)).toBe(1);
    const [after] = await resultsOf(importId);
    expect(after?.alertReportId).toEqual(expect.any(String));
    expect(await raisePendingImportAlerts(haven.deps)).toBe(0);
  });

  it('refuses a malformed file whole, naming the line', async () => {
    const unclosed = await upload(whitfield, [phqaHeader, `${localIds[0]},2026-10-14,phq-a,"1,1,1,1,1,1,1,1,0,,no`].join('\n'));
    expect(unclosed.json().errors).toEqual([{ line: 2, message: 'a quoted cell is never closed' }]);
    const typo = await upload(whitfield, 'student_id,administered_at,instrument,Q1,q2,question3\n');
    expect(typo.json().errors).toEqual([{ line: 1, message: 'unknown column "question3" (item ids look like q1; extra columns may start with ext_)' }]);
  });

  it('is for district-wide screening leads only', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    expect((await upload(rivera, phqaHeader)).statusCode).toBe(404);
  });

  it('never drops a row that shows risk: invalid, or in a refused file, it is stored and alerted, and only once', async () => {
    const csv = [
      phqaHeader,
      // Item 1 out of range, but item 9 says "more than half the days".
      `${localIds[0]},2026-10-20,phq-a,4,0,0,0,0,0,0,0,2,,no`,
      // A clean row that shows risk.
      `${localIds[1]},2026-10-20,phq-a,0,0,0,0,0,0,0,0,1,,no`,
      // A bad row that refuses the file.
      `S-unknown,2026-10-20,phq-a,0,0,0,0,0,0,0,0,0,,no`,
      `${localIds[2]},2026-10-20,phq-a,0,0,0,0,0,0,0,0,0,,no`,
    ].join('\n');
    const refused = await upload(whitfield, csv);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ committed: false, imported: 0, rejected: 1, keptForSafety: 2, alerts: 2 });
    expect(refused.json().errors[0]).toEqual({
      line: 2,
      message: 'stored as an invalid result because it shows suicide risk (alert raised): q1: 4 is out of range (0–3)',
    });
    const kept = await resultsOf(refused.json().importId);
    expect(kept.map((r) => [r.valid, r.score, r.flags.includes('suicide_risk'), typeof r.alertReportId]).sort()).toEqual([
      [false, null, true, 'string'],
      [true, 1, true, 'string'],
    ]);

    // The district fixes the bad row and imports again: the risk rows are not stored (or alerted) twice.
    const fixed = await upload(whitfield, csv.replace('S-unknown', localIds[2] as string).replace(`${localIds[2]},2026-10-20,phq-a,0,0,0,0,0,0,0,0,0,,no`, ''));
    expect(fixed.json()).toMatchObject({ committed: true, imported: 1, alreadyStored: 2, alerts: 0 });
  });

  it('with skipInvalid, a row that shows risk is kept as an invalid, flagged result', async () => {
    const csv = [phqaHeader, `${localIds[2]},2026-10-21,phq-a,0,0,0,0,9,0,0,0,3,,no`].join('\n');
    const response = await upload(whitfield, csv, '?skipInvalid=true');
    expect(response.json()).toMatchObject({ committed: true, imported: 1, rejected: 0, keptForSafety: 1, alerts: 1 });
    const [result] = await resultsOf(response.json().importId);
    expect(result).toMatchObject({ valid: false, score: null, flags: ['suicide_risk'] });
    expect(result?.alertReportId).toEqual(expect.any(String));
  });

  it('stays all or nothing past the first batch: a bad last row of a long file leaves none of its rows stored', async () => {
    // More rows than one batch moved into screening_results (25,000) before the bad row is read.
    const rows = Array.from({ length: 25_100 }, (_, n) => `${localIds[n % 3]},2026-11-02,gad-7,1,0,1,0,1,0,1,,,,`);
    const csv = [phqaHeader, ...rows, 'S-unknown,2026-11-02,gad-7,0,0,0,0,0,0,0,,,,'].join('\n');
    const response = await upload(whitfield, csv);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ rows: 25_101, committed: false, imported: 0, rejected: 1 });
    expect(response.json().errors).toEqual([{ line: 25_102, message: 'no student with the number "S-unknown" in this district' }]);
    expect(await resultsOf(response.json().importId)).toEqual([]);
  });
});
