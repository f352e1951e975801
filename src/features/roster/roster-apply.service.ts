import { and, eq, isNotNull } from 'drizzle-orm';
import { schools } from '../../data/districts.ts';
import type { Transaction } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { applyClasses, applyEnrollments, applyStaff } from './import-classes.ts';
import { clientOf } from './import-staging.ts';
import { applyGuardians, applyStudents } from './import-students.ts';
import type { buildRoster, RosterModel } from './oneroster.rules.ts';
import type { Finding, Mode } from './oneroster-files.rules.ts';

/**
 * Writing a roster model into a district: the one apply code behind every way a roster arrives
 * (a CSV export uploaded, dropped in a folder or given to the command line, and the OneRoster REST
 * sync), so the same export changes the same rows whichever way it came. Rows are matched by
 * sourcedId (or a student's number); nothing is ever deleted, only made inactive. Schools are few and
 * written one by one; everything else is staged and moved set-based (import-staging.ts), so an
 * unchanged export reads its rows once and writes nothing.
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
  const client = clientOf(tx);
  const usersMode = modes['users.csv'] ?? 'absent';
  const schoolIds = await applySchools(deps, tx, districtId, model.schools, summary.schools);
  await applyStudents(deps, client, districtId, model, schoolIds, usersMode, summary.students);
  await applyGuardians(deps, client, districtId, model, summary);
  await applyStaff(deps, client, districtId, model, schoolIds, usersMode, summary.staff);
  // Classes name any school of the district, not only those this export's students are in.
  const allSchools = new Map(
    (
      await tx
        .select({ id: schools.id, sourcedId: schools.sourcedId })
        .from(schools)
        .where(and(eq(schools.districtId, districtId), isNotNull(schools.sourcedId)))
    ).map((s) => [s.sourcedId as string, s.id]),
  );
  await applyClasses(deps, client, districtId, model, allSchools, modes['classes.csv'] ?? 'absent', summary.classes);
  await applyEnrollments(deps, client, districtId, model, modes['enrollments.csv'] ?? 'absent', summary.enrollments);
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
