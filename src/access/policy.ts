import type { Actor, Grant } from './actor.ts';
import type { Role } from './roles.ts';

/**
 * Who may do what. Pure: it sees the actor and the subject's facts, never the database, so it
 * is tested as a table (policy.test.ts) and its answers travel to the web app as `abilities`.
 * Row-level security already confines every query to the actor's district; these rules decide
 * within it.
 */
export type StudentSubject = { schoolId: string };
/** A report or crisis team belongs to a school, or to the district when schoolId is null. */
export type SchoolOrDistrict = { schoolId: string | null };
/** A crisis case: its school, its assigned staff, and whether the actor holds a break-the-glass grant. */
export type CaseSubject = { schoolId: string | null; assignedUserIds: readonly string[]; breakGlass: boolean };
/** A mandatory report on a case: visible to fewer people than the case. */
export type MandatoryReportSubject = CaseSubject & { reporterUserIds: readonly string[] };
/**
 * What an open re-entry plan asks of a student's teachers: whether the actor teaches the student
 * (a class enrollment from the roster) and whether the plan names them (its point person, or the
 * staff the team named on it).
 */
export type ReentryNotesSubject = StudentSubject & { teachesStudent: boolean; namedOnPlan: boolean };
/**
 * One student in a screening window, as a proctor meets them: whether the actor is a proctor the
 * window names and an administrator assigned a class the student is in (screening_proctor_classes).
 */
export type ProctorStudentSubject = StudentSubject & { proctorsStudentsClass: boolean };

type Subjects = {
  'student.search': null;
  'student.read': StudentSubject;
  'student.readProtected': StudentSubject;
  'student.readAccessLog': StudentSubject;
  'student.exportAccessLog': StudentSubject;
  'student.readReentryNotes': ReentryNotesSubject;
  'district.configure': null;
  'report.submitAsStaff': null;
  'report.list': null;
  'report.read': SchoolOrDistrict;
  'report.act': SchoolOrDistrict;
  'crisisTeam.view': SchoolOrDistrict;
  'crisisTeam.manage': SchoolOrDistrict;
  'screening.manage': SchoolOrDistrict;
  'screening.proctor': SchoolOrDistrict;
  'screening.proctorStudent': ProctorStudentSubject;
  'screening.readResults': StudentSubject;
  'screening.viewDashboard': null;
  'case.open': SchoolOrDistrict;
  'case.list': null;
  'case.read': CaseSubject;
  'case.act': CaseSubject;
  'case.readMandatoryReport': MandatoryReportSubject;
  'case.breakGlass': CaseSubject;
  'case.confirmWaiver': CaseSubject;
  'plan.read': StudentSubject;
  'plan.write': StudentSubject;
  'support.queue': null;
  'library.manage': null;
  'partner.view': null;
  'partner.manage': null;
  'partner.updateCapacity': { organizationId: string };
  'referral.match': null;
  'referral.create': StudentSubject;
  'referral.actForSchool': StudentSubject;
  'referral.actForPartner': { organizationId: string };
  'referral.measures': null;
  'leadership.view': null;
  'leadership.manage': null;
  'policy.acknowledge': null;
};

export type Action = keyof Subjects;
export type SubjectOf<A extends Action> = Subjects[A];

/** Roles that may look students up: everyone who works with students at a school. */
const rosterRoles: readonly Role[] = ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'];
/** Roles that see protected attributes (disability, lunch status, guardians): need-to-know staff. */
const protectedRoles: readonly Role[] = ['district_admin', 'school_admin', 'counselor', 'crisis_team'];
/** Roles that may read a student's access log (FERPA requests from parents go through them). */
const accessLogRoles: readonly Role[] = ['district_admin', 'school_admin'];
/** Roles that may prepare the family's copy of the access log: administrators, and the counselors parents ask. */
const accessLogExportRoles: readonly Role[] = ['district_admin', 'school_admin', 'counselor'];

/** Roles that receive, read and act on crisis reports: the people a crisis team is made of. */
const crisisRoles: readonly Role[] = ['district_admin', 'school_admin', 'counselor', 'crisis_team'];

/** Roles that run screening: windows, consent, notices, imports. */
const screeningRoles: readonly Role[] = ['district_admin', 'school_admin', 'counselor'];

/**
 * A grant covers a school when it is district-wide or names that school; district-level things
 * (schoolId null, e.g. a report whose school is unknown) are covered only by district-wide grants.
 */
function covers(grant: Grant, schoolId: string | null): boolean {
  return grant.schoolId === null || grant.schoolId === schoolId;
}

function grantFor(actor: Actor, allowed: readonly Role[], schoolId: string | null): Grant | undefined {
  return actor.grants.find((grant) => allowed.includes(grant.role) && covers(grant, schoolId));
}

const rules: { [A in Action]: (actor: Actor, subject: SubjectOf<A>) => Grant | undefined } = {
  'student.search': (actor) => actor.grants.find((grant) => rosterRoles.includes(grant.role)),
  'student.read': (actor, student) => grantFor(actor, rosterRoles, student.schoolId),
  'student.readProtected': (actor, student) => grantFor(actor, protectedRoles, student.schoolId),
  'student.readAccessLog': (actor, student) => grantFor(actor, accessLogRoles, student.schoolId),
  // A parent's FERPA request (34 CFR 99.10) is often made to the student's counselor, who may answer it.
  'student.exportAccessLog': (actor, student) => grantFor(actor, accessLogExportRoles, student.schoolId),
  // Need to know (FERPA 34 CFR 99.31(a)(1)): the school's clinical and crisis roles; other staff only when they teach the student or the plan names them.
  'student.readReentryNotes': (actor, s) =>
    grantFor(actor, protectedRoles, s.schoolId) ?? (s.teachesStudent || s.namedOnPlan ? grantFor(actor, rosterRoles, s.schoolId) : undefined),
  'district.configure': (actor) => actor.grants.find((grant) => grant.role === 'district_admin' && grant.schoolId === null),
  'report.submitAsStaff': (actor) => actor.grants.find((grant) => rosterRoles.includes(grant.role)),
  'report.list': (actor) => actor.grants.find((grant) => crisisRoles.includes(grant.role)),
  'report.read': (actor, report) => grantFor(actor, crisisRoles, report.schoolId),
  'report.act': (actor, report) => grantFor(actor, crisisRoles, report.schoolId),
  'crisisTeam.view': (actor, team) => grantFor(actor, crisisRoles, team.schoolId),
  'crisisTeam.manage': (actor, team) => grantFor(actor, ['district_admin', 'school_admin'], team.schoolId),
  // Windows, consent and imports: a district-level window needs a district-wide grant.
  'screening.manage': (actor, place) => grantFor(actor, screeningRoles, place.schoolId),
  // Staff proctor only the windows that name them; the service checks the list.
  'screening.proctor': (actor, place) => grantFor(actor, rosterRoles, place.schoolId),
  // A student's status in a window (consent, absence, code): those who run screening at the school,
  // or a proctor for the classes assigned to them in that window only, never the rest of the school.
  'screening.proctorStudent': (actor, s) =>
    grantFor(actor, screeningRoles, s.schoolId) ?? (s.proctorsStudentsClass ? grantFor(actor, rosterRoles, s.schoolId) : undefined),
  'screening.readResults': (actor, student) => grantFor(actor, crisisRoles, student.schoolId),
  // Counts only (participation, positives by band, follow-up rates): analysts may see them.
  'screening.viewDashboard': (actor) => actor.grants.find((grant) => [...crisisRoles, 'analyst'].includes(grant.role)),
  'case.open': (actor, place) => grantFor(actor, crisisRoles, place.schoolId),
  'case.list': (actor) => actor.grants.find((grant) => crisisRoles.includes(grant.role)),
  'case.read': (actor, c) => caseAccess(actor, c),
  'case.act': (actor, c) => caseAccess(actor, c),
  // The reporter, administrators and the assigned counselor; not the whole team.
  'case.readMandatoryReport': (actor, r) =>
    grantFor(actor, ['district_admin', 'school_admin'], r.schoolId) ??
    (r.reporterUserIds.includes(actor.userId) ? actor.grants.find((g) => protectedRoles.includes(g.role)) : undefined) ??
    (r.assignedUserIds.includes(actor.userId) ? actor.grants.find((g) => g.role === 'counselor') : undefined),
  // Only people who could hold clinical records elsewhere; teachers, partners and analysts never.
  'case.breakGlass': (actor, c) => (caseAccess(actor, { ...c, breakGlass: false }) ? undefined : actor.grants.find((g) => protectedRoles.includes(g.role))),
  'case.confirmWaiver': (actor, c) => grantFor(actor, ['district_admin', 'school_admin'], c.schoolId),
  // Support plans hold clinical detail: the student's clinical staff only; teachers see what a plan asks of them.
  'plan.read': (actor, student) => grantFor(actor, protectedRoles, student.schoolId),
  'plan.write': (actor, student) => grantFor(actor, protectedRoles, student.schoolId),
  'support.queue': (actor) => actor.grants.find((grant) => protectedRoles.includes(grant.role)),
  'library.manage': (actor) => actor.grants.find((grant) => grant.role === 'district_admin' && grant.schoolId === null),
  // The directory is for the people who refer, and for partners (their own organization only).
  'partner.view': (actor) => actor.grants.find((grant) => protectedRoles.includes(grant.role) || grant.role === 'partner'),
  'partner.manage': (actor) => actor.grants.find((grant) => grant.role === 'district_admin' && grant.schoolId === null),
  'partner.updateCapacity': (actor, org) =>
    actor.grants.find(
      (grant) =>
        (grant.role === 'district_admin' && grant.schoolId === null) || (grant.role === 'partner' && grant.partnerOrganizationId === org.organizationId),
    ),
  'referral.match': (actor) => actor.grants.find((grant) => protectedRoles.includes(grant.role)),
  // The student's clinical staff refer and follow through; the partner it was sent to acts on it and sees the minimum.
  'referral.create': (actor, student) => grantFor(actor, protectedRoles, student.schoolId),
  'referral.actForSchool': (actor, student) => grantFor(actor, protectedRoles, student.schoolId),
  'referral.actForPartner': (actor, r) => partnerGrant(actor, r.organizationId),
  // Counts by partner, school and home language: no student is named.
  'referral.measures': (actor) => actor.grants.find((grant) => [...protectedRoles, 'analyst'].includes(grant.role)),
  // District-wide aggregates with small groups suppressed: leaders and analysts, never student rows.
  'leadership.view': (actor) => actor.grants.find((grant) => (grant.role === 'district_admin' && grant.schoolId === null) || grant.role === 'analyst'),
  'leadership.manage': (actor) => actor.grants.find((grant) => grant.role === 'district_admin' && grant.schoolId === null),
  // Everyone who works with students acknowledges the district's crisis policies.
  'policy.acknowledge': (actor) => actor.grants.find((grant) => rosterRoles.includes(grant.role)),
};

function partnerGrant(actor: Actor, organizationId: string): Grant | undefined {
  return actor.grants.find((grant) => grant.role === 'partner' && grant.partnerOrganizationId === organizationId);
}

/**
 * A case is seen by its school's crisis roles, district-wide crisis leads, staff assigned to it
 * (when they hold a clinical role) and whoever broke the glass for it.
 */
function caseAccess(actor: Actor, c: CaseSubject): Grant | undefined {
  return (
    grantFor(actor, crisisRoles, c.schoolId) ??
    (c.assignedUserIds.includes(actor.userId) || c.breakGlass ? actor.grants.find((g) => protectedRoles.includes(g.role)) : undefined)
  );
}

export function can<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>): boolean {
  return rules[action](actor, subject) !== undefined;
}

/**
 * The grant that allows the action, recorded as the legitimate interest of a read
 * (FERPA 34 CFR 99.32 asks for it), or undefined when the action is not allowed.
 */
export function allowingGrant<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>): Grant | undefined {
  return rules[action](actor, subject);
}

/** What the actor may do with one student, sent with the student so the web app need not guess. */
export function studentAbilities(actor: Actor, student: StudentSubject) {
  return {
    readProtected: can(actor, 'student.readProtected', student),
    readAccessLog: can(actor, 'student.readAccessLog', student),
    exportAccessLog: can(actor, 'student.exportAccessLog', student),
  };
}

/** What the actor may do in the district, sent with `/me` to shape navigation. */
export function districtAbilities(actor: Actor) {
  return {
    searchStudents: can(actor, 'student.search', null),
    configureDistrict: can(actor, 'district.configure', null),
    submitReports: can(actor, 'report.submitAsStaff', null),
    handleReports: can(actor, 'report.list', null),
    screening: can(actor, 'screening.viewDashboard', null) || actor.grants.some((g) => rosterRoles.includes(g.role)),
    manageScreening: actor.grants.some((g) => screeningRoles.includes(g.role)),
    screeningDashboard: can(actor, 'screening.viewDashboard', null),
    screeningFollowUps: screeningResultSchools(actor) === 'all' || screeningResultSchools(actor).length > 0,
    cases: can(actor, 'case.list', null) || actor.grants.some((g) => protectedRoles.includes(g.role)),
    support: can(actor, 'support.queue', null),
    partners: can(actor, 'partner.view', null),
    leadership: can(actor, 'leadership.view', null),
  };
}

/** The schools whose students the actor may look up: 'all', or a list of school ids. */
export function rosterSchools(actor: Actor): 'all' | string[] {
  return schoolsFor(actor, rosterRoles);
}

/**
 * Whom the actor may look up, in two parts: schools whose every student they see (the school's
 * clinical, crisis and administrative roles), and schools where, as a teacher or other staff
 * member, they see the students they teach, or every student when the district allows it
 * (`studentsVisibleTo` in scope.ts adds both conditions).
 */
export function studentReach(actor: Actor): { wholeSchools: 'all' | string[]; teachingSchools: 'all' | string[] } {
  return { wholeSchools: schoolsFor(actor, protectedRoles), teachingSchools: schoolsFor(actor, ['staff']) };
}

/** The schools whose screening results the actor reads: 'all', or a list. */
export function screeningResultSchools(actor: Actor): 'all' | string[] {
  return schoolsFor(actor, crisisRoles);
}

/** The schools whose students' support the actor follows: 'all', or a list. */
export function supportSchools(actor: Actor): 'all' | string[] {
  return schoolsFor(actor, protectedRoles);
}

/** The schools whose crisis reports the actor handles: 'all' (with district-level ones), or a list. */
export function reportSchools(actor: Actor): 'all' | string[] {
  return schoolsFor(actor, crisisRoles);
}

/** The schools where the actor holds any grant: 'all' (a district-wide grant), or a list. A window's dashboard counts only these. */
export function grantedSchools(actor: Actor): 'all' | string[] {
  return schoolsFor(actor, null);
}

/** The schools of the actor's grants in the `allowed` roles (`null`: in any role). */
function schoolsFor(actor: Actor, allowed: readonly Role[] | null): 'all' | string[] {
  const grants = allowed ? actor.grants.filter((grant) => allowed.includes(grant.role)) : actor.grants;
  if (grants.some((grant) => grant.schoolId === null)) return 'all';
  return [...new Set(grants.map((grant) => grant.schoolId as string))];
}
