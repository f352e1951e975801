import type { Role } from '../../access/roles.ts';
import type { CsvRecord } from '../../platform/csv-reader.ts';

/**
 * OneRoster 1.1 and 1.2 CSV, read as real exports are: columns by header name (reordered, with
 * vendor `ext_*` columns), blank `status` and `dateLastModified` accepted in bulk files. Pure: files
 * in, a roster model out, with every row-level problem kept by file and line. The `password`
 * column is never read.
 */

export class RosterFileError extends Error {
  constructor(
    public readonly file: string,
    public readonly line: number,
    message: string,
  ) {
    super(`${file}, line ${line}: ${message}`);
  }
}

export type Mode = 'bulk' | 'delta' | 'absent';
export type Row = { line: number; get(column: string): string };
export type Rejected = { file: string; line: number; reason: string };

const required: Record<string, string[]> = {
  'orgs.csv': ['sourcedId', 'name', 'type'],
  'users.csv': ['sourcedId', 'givenName', 'familyName'],
  'roles.csv': ['sourcedId', 'userSourcedId', 'role', 'orgSourcedId'],
  'enrollments.csv': ['sourcedId', 'userSourcedId', 'schoolSourcedId', 'role'],
  'classes.csv': ['sourcedId', 'title', 'schoolSourcedId'],
  'demographics.csv': ['sourcedId'],
};

export function readManifest(records: CsvRecord[]): { version: '1.1' | '1.2'; modes: Record<string, Mode> } {
  const values = new Map(records.slice(1).map((r) => [r.cells[0]?.trim() ?? '', r.cells[1]?.trim() ?? '']));
  const version = values.get('oneroster.version');
  if (version !== '1.1' && version !== '1.2') throw new RosterFileError('manifest.csv', 1, `oneroster.version is "${version ?? ''}"; Haven reads 1.1 and 1.2`);
  const modes: Record<string, Mode> = {};
  for (const [key, value] of values) {
    if (!key.startsWith('file.')) continue;
    if (value !== 'bulk' && value !== 'delta' && value !== 'absent') {
      const line = records.findIndex((r) => r.cells[0]?.trim() === key);
      throw new RosterFileError('manifest.csv', records[line]?.line ?? 1, `${key} is "${value}"; use bulk, delta or absent`);
    }
    modes[`${key.slice(5)}.csv`] = value;
  }
  return { version, modes };
}

/** Rows of one file, addressed by header name; a missing required column or a ragged row rejects the file. */
export function readRows(file: string, records: CsvRecord[]): Row[] {
  const header = records[0];
  if (!header) return [];
  const names = header.cells.map((c) => c.trim());
  for (const column of required[file] ?? ['sourcedId']) {
    if (!names.includes(column)) throw new RosterFileError(file, header.line, `the header has no "${column}" column`);
  }
  const index = new Map(names.map((n, i) => [n, i]));
  return records.slice(1).map((record) => {
    if (record.cells.length !== names.length) {
      throw new RosterFileError(file, record.line, `${record.cells.length} values for ${names.length} columns; a value with a comma must be in quotes`);
    }
    return { line: record.line, get: (column: string) => (record.cells[index.get(column) ?? -1] ?? '').trim() };
  });
}

const gradeMap: Record<string, string> = { PK: 'PK', PR: 'PK', TK: 'K', KG: 'K', K: 'K' };
export function normalizeGrade(raw: string): string | null {
  const first = raw.split(',')[0]?.trim().toUpperCase() ?? '';
  if (gradeMap[first]) return gradeMap[first] as string;
  const n = Number(first);
  return Number.isInteger(n) && n >= 1 && n <= 12 ? String(n) : null;
}

const guardianRoles: Record<string, 'parent' | 'guardian' | 'relative'> = { parent: 'parent', guardian: 'guardian', relative: 'relative' };
/** What a roster role is usually given in Haven; offered to an administrator, never granted. */
const offered: Record<string, Role | null> = {
  counselor: 'counselor',
  teacher: 'staff',
  aide: 'staff',
  proctor: 'staff',
  principal: 'school_admin',
  siteAdministrator: 'school_admin',
  administrator: 'school_admin',
  districtAdministrator: 'district_admin',
  systemAdministrator: null,
};

export type SchoolIn = { sourcedId: string; name: string; code: string; level: 'elementary' | 'middle' | 'high' | 'k12' | 'other' };
export type StudentIn = {
  sourcedId: string;
  localId: string;
  firstName: string;
  lastName: string;
  preferredName: string | null;
  grade: string;
  schoolSourcedId: string;
  dateOfBirth?: string | null;
  gender?: 'female' | 'male' | 'nonbinary' | 'unspecified';
  raceEthnicity?: string[];
};
export type GuardianIn = { sourcedId: string; firstName: string; lastName: string; email: string | null; phone: string | null };
export type StaffIn = {
  sourcedId: string;
  givenName: string;
  familyName: string;
  email: string | null;
  rosterRole: string;
  schoolSourcedId: string | null;
  offeredRole: Role | null;
};

/** A class; `active` is false for a `tobedeleted` row. */
export type ClassIn = { sourcedId: string; title: string; schoolSourcedId: string | null; active: boolean };
/** A student's or teacher's place in a class; other enrollment roles (aide, proctor…) are not kept. */
export type EnrollmentIn = {
  sourcedId: string;
  line: number;
  classSourcedId: string;
  userSourcedId: string;
  role: 'student' | 'teacher';
  schoolSourcedId: string | null;
  active: boolean;
};

export type RosterModel = {
  schools: SchoolIn[];
  students: StudentIn[];
  guardians: GuardianIn[];
  links: { studentSourcedId: string; guardianSourcedId: string; relationship: 'parent' | 'guardian' | 'relative' }[];
  staff: StaffIn[];
  classes: ClassIn[];
  enrollments: EnrollmentIn[];
  /** Users marked `tobedeleted` (deltas): deactivated, never deleted. */
  deleted: string[];
  rejected: Rejected[];
};

const levelOf = (name: string): SchoolIn['level'] =>
  /elementary|primary/i.test(name) ? 'elementary' : /middle|junior/i.test(name) ? 'middle' : /high/i.test(name) ? 'high' : 'other';
const codeOf = (org: Row) =>
  (org.get('identifier') || org.get('sourcedId'))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);

/** Builds the roster from the files' rows (1.1: role and orgs on users; 1.2: roles.csv). */
export function buildRoster(version: '1.1' | '1.2', files: Record<string, Row[]>): RosterModel {
  const rejected: Rejected[] = [];
  const orgs = new Map((files['orgs.csv'] ?? []).map((o) => [o.get('sourcedId'), o]));
  /** Students belong to schools; a department or class org is walked up to its school. */
  const schoolOf = (orgId: string): string | null => {
    for (let id: string | undefined = orgId, depth = 0; id && depth < 10; depth++) {
      const org = orgs.get(id);
      if (!org) return null;
      if (org.get('type') === 'school') return id;
      const parent = org.get('parentSourcedId');
      if (!parent || !orgs.has(parent)) return org.get('type') === 'district' ? null : id; // the export leaves the school out: the org stands in for it
      id = parent;
    }
    return null;
  };
  const roleRows = new Map<string, { role: string; org: string }[]>();
  for (const r of files['roles.csv'] ?? []) {
    if (r.get('status') === 'tobedeleted') continue;
    const list = roleRows.get(r.get('userSourcedId')) ?? [];
    const entry = { role: r.get('role'), org: r.get('orgSourcedId') };
    if (r.get('roleType') === 'primary') list.unshift(entry);
    else list.push(entry);
    roleRows.set(r.get('userSourcedId'), list);
  }
  const enrolledAt = new Map<string, string>();
  for (const e of files['enrollments.csv'] ?? [])
    if (e.get('status') !== 'tobedeleted' && e.get('role') === 'student') enrolledAt.set(e.get('userSourcedId'), e.get('schoolSourcedId'));
  const demographics = new Map((files['demographics.csv'] ?? []).map((d) => [d.get('sourcedId'), d]));

  const schoolIds = new Set<string>();
  const model: RosterModel = { schools: [], students: [], guardians: [], links: [], staff: [], classes: [], enrollments: [], deleted: [], rejected };
  const agents = new Map<string, string[]>();
  const kinds = new Map<string, 'student' | 'guardian'>();
  const guardianRole = new Map<string, 'parent' | 'guardian' | 'relative'>();
  for (const user of files['users.csv'] ?? []) {
    const id = user.get('sourcedId');
    if (!id) {
      rejected.push({ file: 'users.csv', line: user.line, reason: 'sourcedId is empty' });
      continue;
    }
    if (user.get('status') === 'tobedeleted') {
      model.deleted.push(id);
      continue;
    }
    const roles = version === '1.2' ? (roleRows.get(id) ?? []) : [{ role: user.get('role'), org: user.get('orgSourcedIds').split(',')[0]?.trim() ?? '' }];
    const primary = roles[0];
    if (!primary?.role) {
      rejected.push({ file: version === '1.2' ? 'roles.csv' : 'users.csv', line: user.line, reason: `user ${id} has no role` });
      continue;
    }
    agents.set(
      id,
      user
        .get('agentSourcedIds')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    );
    const orgIds =
      version === '1.2'
        ? roles.map((r) => r.org)
        : user
            .get('orgSourcedIds')
            .split(',')
            .map((o) => o.trim());
    if (primary.role === 'student') {
      const school = [...orgIds, enrolledAt.get(id) ?? ''].map((o) => (o ? schoolOf(o) : null)).find((s) => s !== null) ?? null;
      const grade = normalizeGrade(user.get('grades'));
      if (!school) {
        rejected.push({ file: 'users.csv', line: user.line, reason: `student ${id} belongs to no school in orgs.csv` });
        continue;
      }
      if (!grade) {
        rejected.push({ file: 'users.csv', line: user.line, reason: `student ${id} has grade "${user.get('grades')}"; use KG, 01–12 or PK` });
        continue;
      }
      schoolIds.add(school);
      const demo = demographics.get(id);
      model.students.push({
        sourcedId: id,
        localId: user.get('identifier') || id,
        firstName: user.get('givenName'),
        lastName: user.get('familyName'),
        preferredName: user.get('preferredGivenName') || null,
        grade,
        schoolSourcedId: school,
        ...(demo ? demographicsOf(demo) : {}),
      });
      kinds.set(id, 'student');
    } else if (guardianRoles[primary.role]) {
      model.guardians.push({
        sourcedId: id,
        firstName: user.get('givenName'),
        lastName: user.get('familyName'),
        email: user.get('email') || null,
        phone: user.get('phone') || user.get('sms') || null,
      });
      kinds.set(id, 'guardian');
      guardianRole.set(id, guardianRoles[primary.role] as 'parent');
    } else if (primary.role in offered) {
      const school = orgIds.map((o) => (o ? schoolOf(o) : null)).find((s) => s !== null) ?? null;
      if (school) schoolIds.add(school);
      model.staff.push({
        sourcedId: id,
        givenName: user.get('givenName'),
        familyName: user.get('familyName'),
        email: user.get('email') || null,
        rosterRole: primary.role,
        schoolSourcedId: school,
        offeredRole: offered[primary.role] ?? null,
      });
    }
  }
  // A link may be written on either side: the student's agents, or the guardian's.
  const links = new Set<string>();
  for (const [id, list] of agents) {
    for (const other of list) {
      const [student, guardian] = kinds.get(id) === 'student' ? [id, other] : [other, id];
      if (kinds.get(student) === 'student' && kinds.get(guardian) === 'guardian') links.add(`${student}|${guardian}`);
    }
  }
  for (const key of links) {
    const [studentSourcedId, guardianSourcedId] = key.split('|') as [string, string];
    model.links.push({ studentSourcedId, guardianSourcedId, relationship: guardianRole.get(guardianSourcedId) ?? 'guardian' });
  }
  for (const c of files['classes.csv'] ?? []) {
    if (!c.get('sourcedId')) {
      rejected.push({ file: 'classes.csv', line: c.line, reason: 'sourcedId is empty' });
      continue;
    }
    const school = c.get('schoolSourcedId') ? (schoolOf(c.get('schoolSourcedId')) ?? c.get('schoolSourcedId')) : null;
    model.classes.push({
      sourcedId: c.get('sourcedId'),
      title: c.get('title') || c.get('sourcedId'),
      schoolSourcedId: school,
      active: c.get('status') !== 'tobedeleted',
    });
  }
  for (const e of files['enrollments.csv'] ?? []) {
    const role = e.get('role');
    if (role !== 'student' && role !== 'teacher') continue;
    if (!e.get('sourcedId') || !e.get('classSourcedId') || !e.get('userSourcedId')) {
      rejected.push({ file: 'enrollments.csv', line: e.line, reason: 'sourcedId, classSourcedId and userSourcedId are required' });
      continue;
    }
    const school = e.get('schoolSourcedId') ? (schoolOf(e.get('schoolSourcedId')) ?? e.get('schoolSourcedId')) : null;
    model.enrollments.push({
      sourcedId: e.get('sourcedId'),
      line: e.line,
      classSourcedId: e.get('classSourcedId'),
      userSourcedId: e.get('userSourcedId'),
      role,
      schoolSourcedId: school,
      active: e.get('status') !== 'tobedeleted',
    });
  }
  for (const id of schoolIds) {
    const org = orgs.get(id) as Row;
    model.schools.push({ sourcedId: id, name: org.get('name'), code: codeOf(org), level: levelOf(org.get('name')) });
  }
  return model;
}

const races: [string, string][] = [
  ['americanIndianOrAlaskaNative', 'american_indian_alaska_native'],
  ['asian', 'asian'],
  ['blackOrAfricanAmerican', 'black_african_american'],
  ['nativeHawaiianOrOtherPacificIslander', 'native_hawaiian_pacific_islander'],
  ['white', 'white'],
  ['hispanicOrLatinoEthnicity', 'hispanic_latino'],
  ['demographicRaceTwoOrMoreRaces', 'two_or_more_races'],
];

function demographicsOf(d: Row): Pick<StudentIn, 'dateOfBirth' | 'gender' | 'raceEthnicity'> {
  const yes = (v: string) => /^(true|1|yes)$/i.test(v);
  const sex = d.get('sex').toLowerCase();
  return {
    dateOfBirth: /^\d{4}-\d{2}-\d{2}$/.test(d.get('birthDate')) ? d.get('birthDate') : null,
    gender: sex === 'female' ? 'female' : sex === 'male' ? 'male' : sex === 'other' ? 'nonbinary' : 'unspecified',
    raceEthnicity: races.filter(([column]) => yes(d.get(column))).map(([, code]) => code),
  };
}
