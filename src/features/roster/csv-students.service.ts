import { eq } from 'drizzle-orm';
import { schools } from '../../data/districts.ts';
import { rosterImports } from '../../data/roster.ts';
import { students } from '../../data/students.ts';
import { CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { mapStudents, type StudentField } from './csv-students.rules.ts';

export type CsvSummary = { dryRun: boolean; created: number; updated: number; unchanged: number; rejected: { line: number; reason: string }[] };

class DryRun extends Error {
  constructor(public readonly summary: CsvSummary) {
    super('dry run');
  }
}

/**
 * Imports students from a plain CSV through a confirmed column mapping, matching on the student
 * number: new students are created, changed fields updated, nothing deleted or deactivated (a
 * plain file does not say it is the whole roster). One transaction; rejected rows are reported.
 */
export async function importStudentCsv(
  deps: Deps,
  districtId: string,
  text: string,
  mapping: Partial<Record<StudentField, string | null>>,
  options: { dryRun: boolean; by: string },
): Promise<CsvSummary> {
  const records: { line: number; cells: string[] }[] = [];
  try {
    for await (const r of readCsv([text])) records.push(r);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw badRequest(`The file is not valid CSV: ${error.message}. Nothing was imported.`, { line: error.line });
    throw error;
  }
  const [header, ...rows] = records;
  if (!header) throw badRequest('The file is empty.');
  const names = header.cells.map((c) => c.trim());
  const districtSchools = await withTenant(deps.db.app, { districtId }, (tx) =>
    tx.select({ id: schools.id, code: schools.code, name: schools.name }).from(schools).where(eq(schools.districtId, districtId)),
  );
  const mapped = mapStudents(names, rows, mapping, districtSchools);
  if (mapped.missing.length > 0) throw badRequest(`Choose the column for: ${mapped.missing.join(', ')}.`, { missing: mapped.missing });
  const summary: CsvSummary = { dryRun: options.dryRun, created: 0, updated: 0, unchanged: 0, rejected: mapped.rejected };
  try {
    await withTenant(deps.db.app, { districtId }, async (tx) => {
      const existing = new Map((await tx.select().from(students).where(eq(students.districtId, districtId))).map((s) => [s.localId, s]));
      const inserts: (typeof students.$inferInsert)[] = [];
      for (const s of mapped.students) {
        const { grade, ...rest } = s;
        const values = { ...rest, grade: grade as (typeof students.$inferInsert)['grade'] };
        const found = existing.get(s.localId);
        if (!found) {
          inserts.push({ id: deps.ids.uuid(), districtId, ...values });
          continue;
        }
        const changed = (Object.keys(values) as (keyof typeof values)[]).some((k) => found[k] !== values[k]);
        if (changed) {
          await tx
            .update(students)
            .set({ ...values, updatedAt: deps.clock.now() })
            .where(eq(students.id, found.id));
          summary.updated += 1;
        } else summary.unchanged += 1;
      }
      for (let i = 0; i < inserts.length; i += 1000) await tx.insert(students).values(inserts.slice(i, i + 1000));
      summary.created = inserts.length;
      if (options.dryRun) throw new DryRun(summary);
      await tx
        .insert(rosterImports)
        .values({ id: deps.ids.uuid(), districtId, at: deps.clock.now(), source: 'student CSV', format: 'csv', dryRun: false, summary, byLabel: options.by });
      await deps.audit.append(
        tx,
        districtId,
        { userId: null, label: options.by },
        {
          action: 'roster.csv_imported',
          subjectType: 'district',
          subjectId: districtId,
          detail: { created: summary.created, updated: summary.updated, rejected: summary.rejected.length },
        },
      );
    });
  } catch (error) {
    if (error instanceof DryRun) return error.summary;
    throw error;
  }
  return summary;
}
