import type { Role } from '../../access/roles.ts';

/**
 * OneRoster 1.0, 1.1 and 1.2, read as real exports are: optional fields may be blank (a student with
 * no grade is kept, grade unknown), the 1.1 and 1.2 ways of naming a user's role and school, a
 * demographics file keyed by `userSourcedId`, and vendor `ext_*` columns mapped per district. Pure:
 * rows in, a roster model out, with every row-level problem and warning kept by file, line and
 * field. The `password` column is never read.
 */

export { type Finding, type Mode, RosterFileError, type Row } from './oneroster-files.rules.ts';

import { type Finding, isTrue, type Row } from './oneroster-files.rules.ts';

/** Kept for callers that name rejections by their old type. */
export type Rejected = Finding;

const gradeMap: Record<string, string> = { PK: 'PK', PR: 'PK', TK: 'K', KG: 'K', K: 'K' };
export function normalizeGrade(raw: string): string | null {
  const first = raw.split(',')[0]?.trim().toUpperCase() ?? '';
  if (gradeMap[first]) return gradeMap[first] as string;
  const n = Number(first);
  return first !== '' && Number.isInteger(n) && n >= 1 && n <= 12 ? String(n) : null;
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
  /** From the district's `ext_*` mapping, when the export carries it. */
  homeLanguage?: string;
  section504?: boolean;
  iep?: boolean;
  freeReducedLunch?: boolean;
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
  rejected: Finding[];
  warnings: Finding[];
};

/** Which vendor column carries each extra student field (e.g. `{ section504: 'ext_504' }`). */
export type ExtMapping = Partial<Record<'homeLanguage' | 'section504' | 'iep' | 'freeReducedLunch', string>>;

const levelOf = (name: string): SchoolIn['level'] =>
  /elementary|primary/i.test(name) ? 'elementary' : /middle|junior/i.test(name) ? 'middle' : /high/i.test(name) ? 'high' : 'other';
const codeOf = (org: Row) =>
  (org.get('identifier') || org.get('sourcedId'))
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, 40);

/** Builds the roster from the files' rows (1.1: role and orgs on users; 1.2: roles.csv). */
export function buildRoster(version: '1.1' | '1.2', files: Record<string, Row[]>, ext: ExtMapping = {}): RosterModel {
  const rejected: Finding[] = [];
  const warnings: Finding[] = [];
  const deleted = (row: Row) => row.get('status').toLowerCase() === 'tobedeleted';
  const roleOf = (row: Row) => canonicalRole(row.get('role'));
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
    if (deleted(r)) continue;
    const list = roleRows.get(r.get('userSourcedId')) ?? [];
    const entry = { role: roleOf(r), org: r.get('orgSourcedId') };
    if (r.get('roleType').toLowerCase() === 'primary') list.unshift(entry);
    else list.push(entry);
    roleRows.set(r.get('userSourcedId'), list);
  }
  const enrolledAt = new Map<string, string>();
  for (const e of files['enrollments.csv'] ?? []) if (!deleted(e) && roleOf(e) === 'student') enrolledAt.set(e.get('userSourcedId'), e.get('schoolSourcedId'));
  // The standard keys demographics by the user's sourcedId; some vendors give the row its own
  // sourcedId and name the user in `userSourcedId`.
  const demographics = new Map<string, Row>();
  for (const d of files['demographics.csv'] ?? []) {
    const user = d.get('userSourcedId') || d.get('sourcedId');
    if (user) demographics.set(user, d);
    else rejected.push({ file: 'demographics.csv', line: d.line, field: 'sourcedId', reason: 'the row names no user (sourcedId or userSourcedId)' });
  }

  const schoolIds = new Set<string>();
  const model: RosterModel = { schools: [], students: [], guardians: [], links: [], staff: [], classes: [], enrollments: [], deleted: [], rejected, warnings };
  const agents = new Map<string, string[]>();
  const kinds = new Map<string, 'student' | 'guardian'>();
  const guardianRole = new Map<string, 'parent' | 'guardian' | 'relative'>();
  for (const user of files['users.csv'] ?? []) {
    const id = user.get('sourcedId');
    if (!id) {
      rejected.push({ file: 'users.csv', line: user.line, field: 'sourcedId', reason: 'sourcedId is empty' });
      continue;
    }
    if (deleted(user)) {
      model.deleted.push(id);
      continue;
    }
    // 1.2 puts roles in roles.csv; 1.1 (and some 1.2 exports) on the user, with orgSourcedIds
    // or 1.2's primaryOrgSourcedId.
    const userOrgs = [user.get('primaryOrgSourcedId'), ...user.get('orgSourcedIds').split(',')].map((o) => o.trim()).filter(Boolean);
    const roles = roleRows.get(id) ?? (roleOf(user) ? [{ role: roleOf(user), org: userOrgs[0] ?? '' }] : []);
    const primary = roles[0];
    if (!primary?.role) {
      rejected.push({
        file: version === '1.2' && files['roles.csv'] ? 'roles.csv' : 'users.csv',
        line: user.line,
        field: 'role',
        reason: `user ${id} has no role`,
      });
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
    const orgIds = [...roles.map((r) => r.org), ...userOrgs];
    if (primary.role === 'student') {
      const school = [...orgIds, enrolledAt.get(id) ?? ''].map((o) => (o ? schoolOf(o) : null)).find((s) => s !== null) ?? null;
      const grade = normalizeGrade(user.get('grades'));
      if (!school) {
        rejected.push({ file: 'users.csv', line: user.line, field: 'orgSourcedIds', reason: `student ${id} belongs to no school in orgs.csv` });
        continue;
      }
      if (!grade)
        warnings.push({
          file: 'users.csv',
          line: user.line,
          field: 'grades',
          reason: user.get('grades')
            ? `student ${id} has grade "${user.get('grades')}", which Haven does not read (KG, 01–12, PK); kept with grade unknown`
            : `student ${id} has no grade; kept with grade unknown`,
        });
      schoolIds.add(school);
      const demo = demographics.get(id);
      model.students.push({
        sourcedId: id,
        localId: user.get('identifier') || id,
        firstName: user.get('givenName'),
        lastName: user.get('familyName'),
        preferredName: user.get('preferredFirstName') || user.get('preferredGivenName') || null,
        grade: grade ?? 'unknown',
        schoolSourcedId: school,
        ...(demo ? demographicsOf(demo) : {}),
        ...extFields(ext, [user, demo], (field, reason) => warnings.push({ file: 'users.csv', line: user.line, field, reason })),
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
      rejected.push({ file: 'classes.csv', line: c.line, field: 'sourcedId', reason: 'sourcedId is empty' });
      continue;
    }
    const school = c.get('schoolSourcedId') ? (schoolOf(c.get('schoolSourcedId')) ?? c.get('schoolSourcedId')) : null;
    model.classes.push({
      sourcedId: c.get('sourcedId'),
      title: c.get('title') || c.get('sourcedId'),
      schoolSourcedId: school,
      active: !deleted(c),
    });
  }
  for (const e of files['enrollments.csv'] ?? []) {
    const role = roleOf(e);
    if (role !== 'student' && role !== 'teacher') continue;
    const missing = ['sourcedId', 'classSourcedId', 'userSourcedId'].find((column) => !e.get(column));
    if (missing) {
      rejected.push({
        file: 'enrollments.csv',
        line: e.line,
        field: missing,
        reason: `${missing} is empty; sourcedId, classSourcedId and userSourcedId are required`,
      });
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
      active: !deleted(e),
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
  const yes = isTrue;
  const sex = d.get('sex').toLowerCase();
  return {
    dateOfBirth: /^\d{4}-\d{2}-\d{2}$/.test(d.get('birthDate')) ? d.get('birthDate') : null,
    gender: sex === 'female' ? 'female' : sex === 'male' ? 'male' : sex === 'other' ? 'nonbinary' : 'unspecified',
    raceEthnicity: races.filter(([column]) => yes(d.get(column))).map(([, code]) => code),
  };
}

const roleNames = ['student', 'teacher', 'parent', 'guardian', 'relative', ...Object.keys(offered), 'aide', 'proctor'];
const roleByLower = new Map(roleNames.map((r) => [r.toLowerCase(), r]));
/** A role as OneRoster spells it, whatever the letter case the export used. */
const canonicalRole = (raw: string) => roleByLower.get(raw.trim().toLowerCase()) ?? raw.trim();

/** Conventional vendor names, used for a field the district has not mapped. */
const conventional: Required<Record<keyof ExtMapping, string[]>> = {
  homeLanguage: ['ext_home_language', 'ext_homeLanguage', 'ext_language'],
  section504: ['ext_504', 'ext_section504', 'ext_section_504'],
  iep: ['ext_iep'],
  freeReducedLunch: ['ext_frl', 'ext_free_reduced_lunch', 'ext_freeReducedLunch'],
};

const languageNames: Record<string, string> = {
  english: 'en',
  spanish: 'es',
  español: 'es',
  vietnamese: 'vi',
  arabic: 'ar',
  somali: 'so',
  chinese: 'zh',
  mandarin: 'zh',
  cantonese: 'zh',
  russian: 'ru',
  french: 'fr',
  amharic: 'am',
  nepali: 'ne',
  korean: 'ko',
  portuguese: 'pt',
  ukrainian: 'uk',
  dari: 'prs',
  pashto: 'ps',
};

/** The student fields a district's `ext_*` columns carry, from the users or demographics row. */
function extFields(ext: ExtMapping, rows: (Row | undefined)[], warn: (field: string, reason: string) => void): Partial<StudentIn> {
  const out: Partial<StudentIn> = {};
  for (const field of Object.keys(conventional) as (keyof ExtMapping)[]) {
    const candidates = ext[field] ? [ext[field] as string] : conventional[field];
    const found = rows.flatMap((row) => (row ? candidates.filter((c) => row.has(c)).map((c) => ({ column: c, value: row.get(c) })) : []))[0];
    if (!found || found.value === '') continue;
    if (field === 'homeLanguage') {
      const value = found.value.toLowerCase();
      const code = /^[a-z]{2,3}$/.test(value) ? value : languageNames[value];
      if (code) out.homeLanguage = code;
      else warn(found.column, `"${found.value}" is not a language code Haven reads (e.g. es, vi); home language left as it was`);
    } else out[field] = isTrue(found.value);
  }
  return out;
}
