import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { schools } from '../../data/districts.ts';
import { classEnrollments, classes, rosterStaff } from '../../data/roster.ts';
import { guardians, studentGuardians, students } from '../../data/students.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import type { buildRoster, RosterModel } from './oneroster.rules.ts';
import type { Finding, Mode } from './oneroster-files.rules.ts';

/**
 * Writing a roster model into a district: the one apply code behind every way a roster arrives
 * (a CSV export uploaded, dropped in a folder or given to the command line, and the OneRoster REST
 * sync), so the same export changes the same rows whichever way it came. Rows are matched by
 * sourcedId (or a student's number); nothing is ever deleted, only made inactive.
 */

export type Counts = { created: number; updated: number; unchanged: number; deactivated: number };
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
  /** The export's file name, when it came as a file (drop folder, command line). */
  file?: string;
  /** Set only on a sync or drop-folder import that failed as a whole: why, and nothing was changed. */
  error?: string;
};

export const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0, deactivated: 0 });

/** An empty summary: what a failed sync records (nothing changed), and what an apply starts from. */
export function emptySummary(version: string, dryRun: boolean): RosterSummary {
  return {
    version,
    dryRun,
    schools: zero(),
    students: zero(),
    guardians: zero(),
    links: { created: 0 },
    staff: zero(),
    classes: zero(),
    enrollments: { ...zero(), unmatched: 0 },
    rejected: [],
    warnings: [],
  };
}

/** Applies the model in the caller's transaction, counting into `summary`; `modes` say which files are whole (bulk) and which are changes. */
export async function applyModel(deps: Deps, tx: Transaction, districtId: string, model: RosterModel, modes: Record<string, Mode>, summary: RosterSummary) {
  const schoolIds = await applySchools(deps, tx, districtId, model.schools, summary.schools);
  await applyStudents(deps, tx, districtId, model, schoolIds, modes['users.csv'] ?? 'absent', summary.students);
  await applyGuardians(deps, tx, districtId, model, summary);
  await applyStaff(deps, tx, districtId, model, schoolIds, modes['users.csv'] ?? 'absent', summary.staff);
  const classIds = await applyClasses(deps, tx, districtId, model, modes['classes.csv'] ?? 'absent', summary.classes);
  await applyEnrollments(deps, tx, districtId, model, classIds, modes['enrollments.csv'] ?? 'absent', summary.enrollments);
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
  usersMode: Mode,
  counts: Counts,
) {
  const existing = new Map((await tx.select().from(rosterStaff).where(eq(rosterStaff.districtId, districtId))).map((s) => [s.sourcedId, s]));
  // Like students: staff a bulk users file leaves out, or a delta marks `tobedeleted`, have left
  // (kept, inactive); their Haven accounts follow (accounts/roster-accounts.service.ts).
  const present = new Set(model.staff.map((p) => p.sourcedId));
  const left = [...existing.values()].filter((s) => s.active && (usersMode === 'bulk' ? !present.has(s.sourcedId) : model.deleted.includes(s.sourcedId)));
  if (left.length > 0)
    await tx
      .update(rosterStaff)
      .set({ active: false })
      .where(
        inArray(
          rosterStaff.id,
          left.map((s) => s.id),
        ),
      );
  counts.deactivated += left.length;
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
