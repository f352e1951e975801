import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { rosterSettings } from '../../data/roster.ts';
import { students } from '../../data/students.ts';
import { type CsvRecord, CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { withTenant } from '../../platform/db/client.ts';
import { buildRoster } from './oneroster.rules.ts';
import { RosterFileError, readRows } from './oneroster-files.rules.ts';
import { describe as describeSummary } from './roster.cli.ts';
import { importOneRoster, readExport } from './roster.service.ts';

/**
 * Exports as other systems write them (issue 18): each case is a small variant of the 1.2 sample,
 * reproducing what a real SIS or vendor export did that Haven used to refuse.
 */
let haven: TestHaven;
beforeAll(async () => {
  haven = await startTestHaven();
});
afterAll(() => haven.close());

const sample = () => readExport('test/fixtures/oneroster-1.2');
const run = (districtId: string, files: Map<string, string>) => importOneRoster(haven.deps, districtId, files, { dryRun: false, source: 'test', by: 'test' });
const studentsOf = async (districtId: string) =>
  (await haven.deps.db.system.select().from(students).where(eq(students.districtId, districtId))).sort((a, b) => a.localId.localeCompare(b.localId));
const edit = (files: Map<string, string>, name: string, change: (text: string) => string) => files.set(name, change(files.get(name) as string));

describe('OneRoster exports as real systems write them', () => {
  it('keeps a student with no grade (grade unknown) and one with a grade Haven cannot read, each with a warning naming file, line and field', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = sample();
    edit(files, 'users.csv', (t) => t.replace(',07,hunter2', ',,hunter2').replace(',KG,hunter2', ',UG,hunter2'));
    const summary = await run(district.id, files);
    expect(summary.rejected).toEqual([]);
    expect(summary.students.created).toBe(2);
    expect(summary.warnings).toEqual([
      { file: 'users.csv', line: 2, field: 'grades', reason: 'student usr-s-1001 has no grade; kept with grade unknown' },
      {
        file: 'users.csv',
        line: 3,
        field: 'grades',
        reason: 'student usr-s-1002 has grade "UG", which Haven does not read (KG, 01–12, PK); kept with grade unknown',
      },
    ]);
    expect((await studentsOf(district.id)).map((s) => s.grade)).toEqual(['unknown', 'unknown']);
  });

  it('reads a manifest with blank values, unknown properties and capitalized modes, and file names in any case', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = new Map<string, string>();
    for (const [name, text] of sample()) files.set(name === 'users.csv' ? 'Users.csv' : name === 'orgs.csv' ? 'ORGS.csv' : name, text);
    edit(files, 'manifest.csv', (t) =>
      t
        .replace('file.academicSessions,absent', 'file.academicSessions,\nsource.systemName,Infinite Campus\nfile.courses,')
        .replace('file.users,bulk', 'file.users,Bulk'),
    );
    const summary = await run(district.id, files);
    expect(summary).toMatchObject({ version: '1.2', students: { created: 2 }, guardians: { created: 3 }, rejected: [] });
  });

  it('reads a 1.1 vendor export whose demographics are keyed by userSourcedId, with an empty and an unknown column', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = new Map<string, string>([
      ['manifest.csv', 'propertyName,value\noneroster.version,1.1\nfile.orgs,bulk\nfile.users,bulk\nfile.demographics,bulk\n'],
      [
        'orgs.csv',
        'sourcedId,status,dateLastModified,name,type,identifier,metadata.classification,parentSourcedId\nsch-1,active,2026-01-01,Lincoln High School,school,lhs,public,\n',
      ],
      [
        'users.csv',
        'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userId,givenName,familyName,identifier,email,sms,phone,agentSourcedIds,grades,password,\n' +
          'stu-1,active,2026-01-01,true,sch-1,Student,maria.g,,María,García,55001,,,,,10,,\n',
      ],
      [
        'demographics.csv',
        'sourcedId,userSourcedId,status,dateLastModified,birthDate,sex,hispanicOrLatinoEthnicity,white\ndem-9,stu-1,active,2026-01-01,2010-02-03,female,TRUE,1\n',
      ],
    ]);
    const summary = await run(district.id, files);
    expect(summary.rejected).toEqual([]);
    expect(summary.warnings).toEqual([
      { file: 'users.csv', line: 1, field: 'userId', reason: '"userId" is not a OneRoster column; it was ignored' },
      { file: 'users.csv', line: 1, reason: 'column 18 has no name; it was ignored' },
    ]);
    const [maria] = await studentsOf(district.id);
    expect(maria).toMatchObject({ firstName: 'María', grade: '10', dateOfBirth: '2010-02-03', gender: 'female', raceEthnicity: ['white', 'hispanic_latino'] });
  });

  it('reads a 1.2 export without roles.csv by the role and primaryOrgSourcedId on each user', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = sample();
    files.delete('roles.csv');
    edit(files, 'manifest.csv', (t) => t.replace('file.roles,bulk', 'file.roles,absent'));
    edit(files, 'users.csv', (t) => {
      const [header, ...rows] = t.trimEnd().split('\n');
      const roles = ['student', 'student', 'parent', 'guardian', 'parent', 'counselor', 'teacher'];
      return `${header},role\n${rows.map((row, i) => `${row},${roles[i]}`).join('\n')}\n`;
    });
    const summary = await run(district.id, files);
    expect(summary).toMatchObject({ students: { created: 2 }, guardians: { created: 3 }, staff: { created: 2 }, rejected: [] });
  });

  it("keeps ext_ columns by the district's mapping, and by conventional names otherwise; TRUE, true and 1 are all true", async () => {
    const { district } = await createDistrict(haven.deps);
    await withTenant(haven.deps.db.app, { districtId: district.id }, (tx) =>
      tx.insert(rosterSettings).values({ districtId: district.id, extMapping: { section504: 'ext_sec504' }, updatedAt: new Date() }),
    );
    const files = sample();
    edit(files, 'users.csv', (t) => {
      const [header, ...rows] = t.trimEnd().split('\n');
      const extra = ['Spanish,TRUE,1', 'vi,false,0', ',,', ',,', ',,', ',,', ',,'];
      return `${header},ext_home_language,ext_sec504,ext_frl\n${rows.map((row, i) => `${row},${extra[i]}`).join('\n')}\n`;
    });
    const summary = await run(district.id, files);
    expect(summary.warnings).toEqual([]);
    const [sofia, bao] = await studentsOf(district.id);
    expect(sofia).toMatchObject({ firstName: 'Sofía', homeLanguage: 'es', section504: true, freeReducedLunch: true });
    expect(bao).toMatchObject({ firstName: 'Bao', homeLanguage: 'vi', section504: false, freeReducedLunch: false });
  });

  it('an export with no manifest is read as changes: nothing is deactivated, and the summary says so', async () => {
    const { district } = await createDistrict(haven.deps);
    await run(district.id, sample());
    const files = sample();
    files.delete('manifest.csv');
    edit(files, 'users.csv', (t) => t.replace(/\nNguyen,Bao,[^\n]*/, ''));
    const summary = await run(district.id, files);
    expect(summary.students.deactivated).toBe(0);
    expect(summary.warnings[0]?.reason).toMatch(/no manifest\.csv.*no student was deactivated/);
    expect((await studentsOf(district.id)).every((s) => s.active)).toBe(true);
  });

  it('the summary keeps one line per kind and counts warnings and rejections per file', async () => {
    const { district } = await createDistrict(haven.deps);
    const files = sample();
    edit(files, 'users.csv', (t) => t.replace(',KG,hunter2', ',,hunter2'));
    edit(files, 'demographics.csv', (t) => t.replace('Aurora', 'Aurora, CO'));
    const lines = describeSummary(await run(district.id, files));
    expect(lines).toContain('students   2 created, 0 updated, 0 unchanged');
    expect(lines).toContain('rejected   1 (demographics.csv 1)');
    expect(lines).toContain('warnings   1 (users.csv 1)');
    expect(lines).toContain('  users.csv, line 3, grades: student usr-s-1002 has no grade; kept with grade unknown');
  });
});

async function recordsOf(text: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsv([text])) out.push(record);
  return out;
}

describe('arbitrary bytes in a roster file', () => {
  it('always end in a model with per-row findings, or a message naming the file and line; never a crash', async () => {
    const header = 'sourcedId,role,givenName,familyName,orgSourcedIds,grades\n';
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('student', 'KG', '07', 'sch-1', '"', ',', '\r\n', '', 'tobedeleted'));
    const body = fc.oneof(
      fc.array(fc.array(cell, { minLength: 0, maxLength: 8 }), { maxLength: 6 }).map((rows) => rows.map((r) => r.join(',')).join('\n')),
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => new TextDecoder().decode(bytes)),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.boolean(), async (text, withHeader) => {
        let records: CsvRecord[];
        try {
          records = await recordsOf(withHeader ? header + text : text);
        } catch (error) {
          expect(error).toBeInstanceOf(CsvSyntaxError);
          return;
        }
        try {
          const read = readRows('users.csv', records);
          const model = buildRoster('1.1', { 'orgs.csv': [], 'users.csv': read.rows });
          for (const finding of [...read.rejected, ...read.warnings, ...model.rejected, ...model.warnings]) {
            expect(finding.file).toMatch(/\.csv$/);
            expect(finding.line).toBeGreaterThanOrEqual(1);
            expect(finding.reason.length).toBeGreaterThan(0);
          }
        } catch (error) {
          expect(error).toBeInstanceOf(RosterFileError);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('an unreadable users.csv imports nothing at all, even with good files beside it', async () => {
    const { district } = await createDistrict(haven.deps);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('"', 'sourcedId\n"x', 'givenName,familyName\nA,B\n'), async (broken) => {
        const files = sample();
        files.set('users.csv', broken);
        await expect(run(district.id, files)).rejects.toBeInstanceOf(RosterFileError);
        expect(await studentsOf(district.id)).toEqual([]);
      }),
      { numRuns: 3 },
    );
  });
});
