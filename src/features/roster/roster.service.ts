import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { type CsvRecord, CsvSyntaxError, readCsv } from '../../platform/csv-reader.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { readZip, rosterZipLimits, type ZipLimits } from '../../platform/zip.ts';
import { schools } from '../districts/districts.tables.ts';
import { guardians, studentGuardians, students } from '../students/students.tables.ts';
import { buildRoster } from './oneroster.rules.ts';
import {
  type Finding,
  type Manifest,
  type Mode,
  manifestFromFiles,
  RosterFileError,
  type Row,
  readFiles,
  readManifest,
  readRows,
} from './oneroster-files.rules.ts';
import { classEnrollments, classes, rosterImports, rosterSettings, rosterStaff } from './roster.tables.ts';

type Counts = { created: number; updated: number; unchanged: number; deactivated: number };
export type RosterSummary = {
  version: string;
  dryRun: boolean;
  schools: Counts;
  students: Counts;
  guardians: Counts;
  links: { created: number };
  staff: Counts;
  classes: Counts;
  /** Student and teacher enrollments; `unmatched`: rows whose user is no student or staff member Haven knows. */
  enrollments: Counts & { unmatched: number };
  /** Rows left out, each with file, line and field. */
  rejected: Finding[];
  /** What was read but is odd: a blank optional field, an unknown column, a short row. */
  warnings: Finding[];
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
  // File names are matched in any letter case (`Users.csv`, `userProfiles.csv`).
  const byName = new Map([...files].map(([name, text]) => [path.basename(name).toLowerCase(), text]));
  const manifestText = byName.get('manifest.csv');
  const manifest: Manifest = manifestText ? readManifest(await records('manifest.csv', manifestText)) : manifestFromFiles(byName.keys());
  const { version, modes } = manifest;
  if (!modes['users.csv'] && !modes['orgs.csv']) throw new RosterFileError('manifest.csv', 1, 'the export has neither users.csv nor orgs.csv to read');
  const rows: Record<string, Row[]> = {};
  const warnings: Finding[] = [...manifest.warnings];
  const rejected: Finding[] = [];
  for (const [name, mode] of Object.entries(modes)) {
    if (mode === 'absent' || !readFiles.includes(name)) continue;
    const text = byName.get(name);
    if (text === undefined) {
      if (['orgs.csv', 'users.csv', 'roles.csv', 'enrollments.csv', 'demographics.csv'].includes(name))
        throw new RosterFileError('manifest.csv', 1, `the manifest lists ${name} as ${mode}, but the export has no such file`);
      continue;
    }
    const read = readRows(name, await records(name, text));
    rows[name] = read.rows;
    warnings.push(...read.warnings);
    rejected.push(...read.rejected);
  }
  const [settings] = await withTenant(deps.db.app, { districtId }, (tx) =>
    tx.select({ extMapping: rosterSettings.extMapping }).from(rosterSettings).where(eq(rosterSettings.districtId, districtId)),
  );
  const model = buildRoster(version, rows, settings?.extMapping ?? {});
  const usersMode: Mode = modes['users.csv'] ?? 'absent';
  const summary: RosterSummary = {
    version,
    dryRun: options.dryRun,
    schools: zero(),
    students: zero(),
    guardians: zero(),
    links: { created: 0 },
    staff: zero(),
    classes: zero(),
    enrollments: { ...zero(), unmatched: 0 },
    rejected: [...rejected, ...model.rejected],
    warnings: [...warnings, ...model.warnings],
  };
  try {
    await withTenant(deps.db.app, { districtId }, async (tx) => {
      const schoolIds = await applySchools(deps, tx, districtId, model.schools, summary.schools);
      await applyStudents(deps, tx, districtId, model, schoolIds, usersMode, summary.students);
      await applyGuardians(deps, tx, districtId, model, summary);
      await applyStaff(deps, tx, districtId, model, schoolIds, summary.staff);
      const classIds = await applyClasses(deps, tx, districtId, model, modes['classes.csv'] ?? 'absent', summary.classes);
      await applyEnrollments(deps, tx, districtId, model, classIds, modes['enrollments.csv'] ?? 'absent', summary.enrollments);
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
          detail: {
            students: summary.students,
            guardians: summary.guardians,
            classes: summary.classes,
            enrollments: summary.enrollments,
            rejected: summary.rejected.length,
            warnings: summary.warnings.length,
          },
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
      ...(s.homeLanguage ? { homeLanguage: s.homeLanguage } : {}),
      ...(s.section504 !== undefined ? { section504: s.section504 } : {}),
      ...(s.iep !== undefined ? { iep: s.iep } : {}),
      ...(s.freeReducedLunch !== undefined ? { freeReducedLunch: s.freeReducedLunch } : {}),
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

/**
 * Classes from `classes.csv`, and a class known only by its sourcedId for every enrollment that
 * names a class the export does not describe (no `classes.csv`, or a delta). Returns sourcedId -> id.
 */
async function applyClasses(deps: Deps, tx: Transaction, districtId: string, model: ReturnType<typeof buildRoster>, mode: Mode, counts: Counts) {
  const schoolIds = new Map(
    (
      await tx
        .select({ id: schools.id, sourcedId: schools.sourcedId })
        .from(schools)
        .where(and(eq(schools.districtId, districtId), isNotNull(schools.sourcedId)))
    ).map((s) => [s.sourcedId as string, s.id]),
  );
  const existing = await tx.select().from(classes).where(eq(classes.districtId, districtId));
  const bySourced = new Map(existing.map((c) => [c.sourcedId, c]));
  const ids = new Map(existing.map((c) => [c.sourcedId, c.id]));
  const inserts: (typeof classes.$inferInsert)[] = [];
  const add = (sourcedId: string, values: { title: string; schoolId: string | null; active: boolean }) => {
    const id = deps.ids.uuid();
    ids.set(sourcedId, id);
    inserts.push({ id, districtId, sourcedId, ...values });
  };
  const seen = new Set<string>();
  for (const c of model.classes) {
    seen.add(c.sourcedId);
    const values = { title: c.title, schoolId: c.schoolSourcedId ? (schoolIds.get(c.schoolSourcedId) ?? null) : null, active: c.active };
    const found = bySourced.get(c.sourcedId);
    if (!found) {
      if (!ids.has(c.sourcedId)) add(c.sourcedId, values);
    } else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => found[k] !== values[k])) {
      await tx.update(classes).set(values).where(eq(classes.id, found.id));
      if (found.active && !values.active) counts.deactivated += 1;
      else counts.updated += 1;
    } else counts.unchanged += 1;
  }
  for (const e of model.enrollments) {
    if (ids.has(e.classSourcedId) || !e.active) continue;
    add(e.classSourcedId, { title: e.classSourcedId, schoolId: e.schoolSourcedId ? (schoolIds.get(e.schoolSourcedId) ?? null) : null, active: true });
  }
  for (let i = 0; i < inserts.length; i += 1000) await tx.insert(classes).values(inserts.slice(i, i + 1000));
  counts.created += inserts.length;
  // A bulk classes.csv is every class: the ones it leaves out have ended (kept, inactive).
  if (mode === 'bulk') {
    const gone = existing.filter((c) => c.active && !seen.has(c.sourcedId)).map((c) => c.id);
    for (let i = 0; i < gone.length; i += 1000)
      await tx
        .update(classes)
        .set({ active: false })
        .where(inArray(classes.id, gone.slice(i, i + 1000)));
    counts.deactivated += gone.length;
  }
  return ids;
}

/**
 * Student and teacher enrollments, matched by sourcedId: a student by the student's sourcedId, a
 * teacher by the roster staff row (a Haven user through its e-mail, `teachesStudent`). A bulk
 * enrollments.csv deactivates the enrollments it leaves out; `tobedeleted` deactivates; nothing is deleted.
 */
async function applyEnrollments(
  deps: Deps,
  tx: Transaction,
  districtId: string,
  model: ReturnType<typeof buildRoster>,
  classIds: Map<string, string>,
  mode: Mode,
  counts: Counts & { unmatched: number },
) {
  if (mode === 'absent') return;
  const studentIds = new Map(
    (
      await tx
        .select({ id: students.id, sourcedId: students.sourcedId })
        .from(students)
        .where(and(eq(students.districtId, districtId), isNotNull(students.sourcedId)))
    ).map((s) => [s.sourcedId as string, s.id]),
  );
  const staffIds = new Map(
    (await tx.select({ id: rosterStaff.id, sourcedId: rosterStaff.sourcedId }).from(rosterStaff).where(eq(rosterStaff.districtId, districtId))).map((s) => [
      s.sourcedId,
      s.id,
    ]),
  );
  const existing = await tx.select().from(classEnrollments).where(eq(classEnrollments.districtId, districtId));
  const bySourced = new Map(existing.map((e) => [e.sourcedId, e]));
  const inserts: (typeof classEnrollments.$inferInsert)[] = [];
  const seen = new Set<string>();
  for (const e of model.enrollments) {
    seen.add(e.sourcedId);
    const found = bySourced.get(e.sourcedId);
    const classId = classIds.get(e.classSourcedId);
    const studentId = e.role === 'student' ? (studentIds.get(e.userSourcedId) ?? null) : null;
    const rosterStaffId = e.role === 'teacher' ? (staffIds.get(e.userSourcedId) ?? null) : null;
    if (!e.active) {
      if (found?.active) {
        await tx.update(classEnrollments).set({ active: false }).where(eq(classEnrollments.id, found.id));
        counts.deactivated += 1;
      }
      continue;
    }
    if (!classId || (!studentId && !rosterStaffId)) {
      counts.unmatched += 1;
      continue;
    }
    const values = { classId, role: e.role, studentId, rosterStaffId, active: true };
    if (!found) inserts.push({ id: deps.ids.uuid(), districtId, sourcedId: e.sourcedId, ...values });
    else if ((Object.keys(values) as (keyof typeof values)[]).some((k) => found[k] !== values[k])) {
      await tx.update(classEnrollments).set(values).where(eq(classEnrollments.id, found.id));
      counts.updated += 1;
    } else counts.unchanged += 1;
  }
  for (let i = 0; i < inserts.length; i += 1000) await tx.insert(classEnrollments).values(inserts.slice(i, i + 1000));
  counts.created += inserts.length;
  if (mode === 'bulk') {
    const gone = existing.filter((e) => e.active && !seen.has(e.sourcedId)).map((e) => e.id);
    for (let i = 0; i < gone.length; i += 1000)
      await tx
        .update(classEnrollments)
        .set({ active: false })
        .where(inArray(classEnrollments.id, gone.slice(i, i + 1000)));
    counts.deactivated += gone.length;
  }
}
