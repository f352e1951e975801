import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type CsvRecord, CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { readZip, rosterZipLimits, type ZipLimits } from '../../platform/zip.ts';
import { schools } from '../districts/districts.tables.ts';
import { guardians, studentGuardians, students } from '../students/students.tables.ts';
import { buildRoster, type Mode, type Rejected, RosterFileError, type Row, readManifest, readRows } from './oneroster.rules.ts';
import { rosterImports, rosterStaff } from './roster.tables.ts';

type Counts = { created: number; updated: number; unchanged: number; deactivated: number };
export type RosterSummary = {
  version: string;
  dryRun: boolean;
  schools: Counts;
  students: Counts;
  guardians: Counts;
  links: { created: number };
  staff: Counts;
  rejected: Rejected[];
};

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0 });

/** The CSV files OneRoster 1.0–1.2 defines; nothing else in an upload is unpacked. */
const oneRosterFiles = new Set(
  [
    'manifest',
    'academicSessions',
    'categories',
    'classes',
    'classResources',
    'courses',
    'courseResources',
    'demographics',
    'enrollments',
    'lineItems',
    'lineItemLearningObjectiveIds',
    'lineItemScoreScales',
    'orgs',
    'resources',
    'results',
    'resultLearningObjectiveIds',
    'resultScoreScales',
    'roles',
    'scoreScales',
    'userProfiles',
    'userResources',
    'users',
  ].map((n) => `${n.toLowerCase()}.csv`),
);

/**
 * Unpacks a OneRoster .zip within limits (entry count, size of each file and of all, once
 * unpacked): a file that inflates past them is refused quickly with the limit it broke.
 */
export function readExportZip(bytes: Uint8Array, limits: ZipLimits = rosterZipLimits): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, content] of readZip(bytes, (n) => oneRosterFiles.has(n.toLowerCase()), limits)) files.set(name, new TextDecoder().decode(content));
  return files;
}

/** Reads a OneRoster export from a folder or a .zip: file name -> text. */
export function readExport(source: string): Map<string, string> {
  const files = new Map<string, string>();
  if (source.toLowerCase().endsWith('.zip')) {
    return readExportZip(fs.readFileSync(source));
  } else {
    for (const name of fs.readdirSync(source)) if (name.toLowerCase().endsWith('.csv')) files.set(name, fs.readFileSync(path.join(source, name), 'utf8'));
  }
  return files;
}

async function records(file: string, text: string): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  try {
    for await (const record of readCsv([text])) out.push(record);
  } catch (error) {
    if (error instanceof CsvSyntaxError) throw new RosterFileError(file, error.line, error.message.replace(/^line \d+: /, ''));
    throw error;
  }
  return out;
}

class DryRun extends Error {
  constructor(public readonly summary: RosterSummary) {
    super('dry run');
  }
}

/**
 * Imports a OneRoster 1.1 or 1.2 export into a district, in one transaction: a malformed file
 * rejects the whole import (RosterFileError, with file and line) and nothing is written. Rows
 * are matched by sourcedId (or a student's number), so the same import twice changes nothing; a
 * bulk users file deactivates students missing from it, and `tobedeleted` deactivates; nothing is
 * ever deleted. Runs on the app connection acting for the district, like any request (decision 22).
 */
export async function importOneRoster(
  deps: Deps,
  districtId: string,
  files: Map<string, string>,
  options: { dryRun: boolean; source: string; by: string },
): Promise<RosterSummary> {
  const manifestText = files.get('manifest.csv');
  if (!manifestText) throw new RosterFileError('manifest.csv', 1, 'the export has no manifest.csv');
  const { version, modes } = readManifest(await records('manifest.csv', manifestText));
  const rows: Record<string, Row[]> = {};
  for (const [name, mode] of Object.entries(modes)) {
    if (mode === 'absent') continue;
    const text = files.get(name);
    if (text === undefined) {
      if (['orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv', 'demographics.csv'].includes(name))
        throw new RosterFileError('manifest.csv', 1, `the manifest lists ${name} as ${mode}, but the export has no such file`);
      continue;
    }
    rows[name] = readRows(name, await records(name, text));
  }
  const model = buildRoster(version, rows);
  const usersMode: Mode = modes['users.csv'] ?? 'absent';
  const summary: RosterSummary = {
    version,
    dryRun: options.dryRun,
    schools: zero(),
    students: zero(),
    guardians: zero(),
    links: { created: 0 },
    staff: zero(),
    rejected: model.rejected,
  };
  try {
    await withTenant(deps.db.app, { districtId }, async (tx) => {
      const schoolIds = await applySchools(deps, tx, districtId, model.schools, summary.schools);
      await applyStudents(deps, tx, districtId, model, schoolIds, usersMode, summary.students);
      await applyGuardians(deps, tx, districtId, model, summary);
      await applyStaff(deps, tx, districtId, model, schoolIds, summary.staff);
      if (options.dryRun) throw new DryRun(summary);
      await tx.insert(rosterImports).values({
        id: deps.ids.uuid(),
        districtId,
        at: deps.clock.now(),
        source: options.source,
        format: `oneroster ${version}`,
        dryRun: false,
        summary,
        byLabel: options.by,
      });
      await deps.audit.append(
        tx,
        districtId,
        { userId: null, label: options.by },
        {
          action: 'roster.imported',
          subjectType: 'district',
          subjectId: districtId,
          detail: { students: summary.students, guardians: summary.guardians, rejected: summary.rejected.length },
        },
      );
    });
  } catch (error) {
    if (error instanceof DryRun) return error.summary;
    throw error;
  }
  return summary;
}

async function applySchools(deps: Deps, tx: Transaction, districtId: string, incoming: ReturnType<typeof buildRoster>['schools'], counts: Counts) {
  const existing = await tx.select().from(schools).where(eq(schools.districtId, districtId));
  const bySourced = new Map(existing.filter((s) => s.sourcedId).map((s) => [s.sourcedId as string, s]));
  const codes = new Set(existing.map((s) => s.code));
  const ids = new Map<string, string>();
  for (const school of incoming) {
    const found = bySourced.get(school.sourcedId);
    if (found) {
      ids.set(school.sourcedId, found.id);
      if (found.name !== school.name) {
        await tx.update(schools).set({ name: school.name }).where(eq(schools.id, found.id));
        counts.updated += 1;
      } else counts.unchanged += 1;
      continue;
    }
    let code = school.code || 'school';
    for (let n = 2; codes.has(code); n++) code = `${school.code}-${n}`;
    codes.add(code);
    const id = deps.ids.uuid();
    await tx.insert(schools).values({ id, districtId, code, name: school.name, level: school.level, sourcedId: school.sourcedId });
    ids.set(school.sourcedId, id);
    counts.created += 1;
  }
  return ids;
}

async function applyStudents(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  model: ReturnType<typeof buildRoster>,
  schoolIds: Map<string, string>,
  usersMode: Mode,
  counts: Counts,
) {
  const existing = await tx.select().from(students).where(eq(students.districtId, districtId));
  const bySourced = new Map(existing.filter((s) => s.sourcedId).map((s) => [s.sourcedId as string, s]));
  const byLocal = new Map(existing.map((s) => [s.localId, s]));
  const inserts: (typeof students.$inferInsert)[] = [];
  const seen = new Set<string>();
  for (const s of model.students) {
    seen.add(s.sourcedId);
    const schoolId = schoolIds.get(s.schoolSourcedId) as string;
    const values = {
      sourcedId: s.sourcedId,
      localId: s.localId,
      firstName: s.firstName,
      lastName: s.lastName,
      preferredName: s.preferredName,
      grade: s.grade as (typeof students.$inferInsert)['grade'],
      schoolId,
      active: true,
      ...(s.dateOfBirth !== undefined ? { dateOfBirth: s.dateOfBirth } : {}),
      ...(s.gender ? { gender: s.gender } : {}),
      ...(s.raceEthnicity ? { raceEthnicity: s.raceEthnicity as (typeof students.$inferInsert)['raceEthnicity'] } : {}),
    };
    const found = bySourced.get(s.sourcedId) ?? byLocal.get(s.localId);
    if (!found) {
      inserts.push({ id: deps.ids.uuid(), districtId, ...values });
      continue;
    }
    const changed = (Object.keys(values) as (keyof typeof values)[]).some((k) => JSON.stringify(found[k]) !== JSON.stringify(values[k]));
    if (changed) {
      await tx
        .update(students)
        .set({ ...values, updatedAt: deps.clock.now() })
        .where(eq(students.id, found.id));
      counts.updated += 1;
    } else counts.unchanged += 1;
  }
  for (let i = 0; i < inserts.length; i += 1000) await tx.insert(students).values(inserts.slice(i, i + 1000));
  counts.created += inserts.length;
  // A bulk file is the whole roster: students it leaves out are no longer enrolled (kept, inactive).
  const gone = existing.filter((s) => s.active && s.sourcedId && (usersMode === 'bulk' ? !seen.has(s.sourcedId) : model.deleted.includes(s.sourcedId)));
  for (let i = 0; i < gone.length; i += 1000) {
    await tx
      .update(students)
      .set({ active: false, updatedAt: deps.clock.now() })
      .where(
        inArray(
          students.id,
          gone.slice(i, i + 1000).map((s) => s.id),
        ),
      );
  }
  counts.deactivated += gone.length;
}

async function applyGuardians(deps: Deps, tx: Transaction, districtId: string, model: ReturnType<typeof buildRoster>, summary: RosterSummary) {
  const existing = await tx
    .select()
    .from(guardians)
    .where(and(eq(guardians.districtId, districtId), isNotNull(guardians.sourcedId)));
  const bySourced = new Map(existing.map((g) => [g.sourcedId as string, g]));
  const ids = new Map(existing.map((g) => [g.sourcedId as string, g.id]));
  const inserts: (typeof guardians.$inferInsert)[] = [];
  for (const g of model.guardians) {
    const found = bySourced.get(g.sourcedId);
    const values = { firstName: g.firstName, lastName: g.lastName, email: g.email, phone: g.phone };
    if (!found) {
      const id = deps.ids.uuid();
      ids.set(g.sourcedId, id);
      inserts.push({ id, districtId, sourcedId: g.sourcedId, ...values });
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => found[k] !== values[k])) {
      await tx.update(guardians).set(values).where(eq(guardians.id, found.id));
      summary.guardians.updated += 1;
    } else summary.guardians.unchanged += 1;
  }
  for (let i = 0; i < inserts.length; i += 1000) await tx.insert(guardians).values(inserts.slice(i, i + 1000));
  summary.guardians.created += inserts.length;
  const studentIds = new Map(
    (
      await tx
        .select({ id: students.id, sourcedId: students.sourcedId })
        .from(students)
        .where(and(eq(students.districtId, districtId), isNotNull(students.sourcedId)))
    ).map((s) => [s.sourcedId as string, s.id]),
  );
  const existingLinks = new Set(
    (await tx.select().from(studentGuardians).where(eq(studentGuardians.districtId, districtId))).map((l) => `${l.studentId}|${l.guardianId}`),
  );
  const newLinks: (typeof studentGuardians.$inferInsert)[] = [];
  for (const link of model.links) {
    const studentId = studentIds.get(link.studentSourcedId);
    const guardianId = ids.get(link.guardianSourcedId);
    if (!studentId || !guardianId || existingLinks.has(`${studentId}|${guardianId}`)) continue;
    existingLinks.add(`${studentId}|${guardianId}`);
    newLinks.push({ districtId, studentId, guardianId, relationship: link.relationship, primaryContact: false });
  }
  for (let i = 0; i < newLinks.length; i += 2000) await tx.insert(studentGuardians).values(newLinks.slice(i, i + 2000));
  summary.links.created += newLinks.length;
}

async function applyStaff(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  model: ReturnType<typeof buildRoster>,
  schoolIds: Map<string, string>,
  counts: Counts,
) {
  const existing = new Map((await tx.select().from(rosterStaff).where(eq(rosterStaff.districtId, districtId))).map((s) => [s.sourcedId, s]));
  for (const person of model.staff) {
    const values = {
      givenName: person.givenName,
      familyName: person.familyName,
      email: person.email,
      rosterRole: person.rosterRole,
      schoolId: person.schoolSourcedId ? (schoolIds.get(person.schoolSourcedId) ?? null) : null,
      offeredRole: person.offeredRole,
      active: true,
    };
    const found = existing.get(person.sourcedId);
    if (!found) {
      await tx.insert(rosterStaff).values({ id: deps.ids.uuid(), districtId, sourcedId: person.sourcedId, ...values });
      counts.created += 1;
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => found[k] !== values[k])) {
      await tx.update(rosterStaff).set(values).where(eq(rosterStaff.id, found.id));
      counts.updated += 1;
    } else counts.unchanged += 1;
  }
}
