import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.ts';
import { type Action, can } from './policy.ts';
import { type Role, roles } from './roles.ts';

const lincoln = 'school-lincoln';
const aspen = 'school-aspen';

function actorWith(role: Role, schoolId: string | null): Actor {
  return {
    userId: 'u1',
    districtId: 'd1',
    displayName: 'Test',
    email: 't@haven.test',
    grants: [{ role, schoolId, partnerOrganizationId: role === 'partner' ? 'p1' : null }],
    mfaVerified: true,
    via: 'session',
  };
}

type Row = { action: Action; subject: Record<string, unknown> | null; allowed: Role[] };

const lincolnCase = { schoolId: 'school-lincoln', assignedUserIds: [], breakGlass: false };

/**
 * Every role against every action, for a grant at Lincoln Middle, asked about a Lincoln student.
 * District-wide roles (district_admin, analyst, partner) are granted with schoolId null.
 */
const matrix: Row[] = [
  { action: 'student.search', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'] },
  { action: 'student.read', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'] },
  { action: 'student.readProtected', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'student.readAccessLog', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin'] },
  { action: 'student.exportAccessLog', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor'] },
  {
    action: 'student.readReentryNotes',
    subject: { schoolId: lincoln, teachesStudent: false, namedOnPlan: false },
    allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'],
  },
  { action: 'district.configure', subject: null, allowed: ['district_admin'] },
  { action: 'report.submitAsStaff', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'] },
  { action: 'report.list', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'report.read', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'report.act', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'crisisTeam.view', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'crisisTeam.manage', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin'] },
  { action: 'screening.manage', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor'] },
  { action: 'screening.proctor', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'] },
  {
    action: 'screening.proctorStudent',
    subject: { schoolId: lincoln, proctorsStudentsClass: false },
    allowed: ['district_admin', 'school_admin', 'counselor'],
  },
  { action: 'screening.readResults', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'screening.viewDashboard', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'analyst'] },
  { action: 'case.open', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'case.list', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'case.read', subject: lincolnCase, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'case.act', subject: lincolnCase, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'case.readMandatoryReport', subject: { ...lincolnCase, reporterUserIds: [] }, allowed: ['district_admin', 'school_admin'] },
  { action: 'case.breakGlass', subject: lincolnCase, allowed: [] },
  { action: 'case.confirmWaiver', subject: lincolnCase, allowed: ['district_admin', 'school_admin'] },
  { action: 'plan.read', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'plan.write', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'support.queue', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'library.manage', subject: null, allowed: ['district_admin'] },
  { action: 'partner.view', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'partner'] },
  { action: 'partner.manage', subject: null, allowed: ['district_admin'] },
  { action: 'partner.updateCapacity', subject: { organizationId: 'p1' }, allowed: ['district_admin', 'partner'] },
  { action: 'referral.match', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'referral.create', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'referral.actForSchool', subject: { schoolId: lincoln }, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team'] },
  { action: 'referral.actForPartner', subject: { organizationId: 'p1' }, allowed: ['partner'] },
  { action: 'referral.actForPartner', subject: { organizationId: 'p2' }, allowed: [] },
  { action: 'leadership.view', subject: null, allowed: ['district_admin', 'analyst'] },
  { action: 'leadership.manage', subject: null, allowed: ['district_admin'] },
  { action: 'policy.acknowledge', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff'] },
  { action: 'referral.measures', subject: null, allowed: ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'analyst'] },
];

const districtWide: ReadonlySet<Role> = new Set(['district_admin', 'analyst', 'partner']);

describe('access policy: every role against every action', () => {
  for (const row of matrix) {
    for (const role of roles) {
      const expected = row.allowed.includes(role);
      it(`${role} ${expected ? 'may' : 'may not'} ${row.action}`, () => {
        const actor = actorWith(role, districtWide.has(role) ? null : lincoln);
        expect(can(actor, row.action, row.subject as never)).toBe(expected);
      });
    }
  }
});

describe('crisis cases', () => {
  const aspenCase = { schoolId: aspen, assignedUserIds: [] as string[], breakGlass: false };
  it('a Lincoln counselor reads an Aspen case only after breaking the glass; a teacher, partner or analyst never', () => {
    const counselor = actorWith('counselor', lincoln);
    expect(can(counselor, 'case.read', aspenCase)).toBe(false);
    expect(can(counselor, 'case.breakGlass', aspenCase)).toBe(true);
    expect(can(counselor, 'case.read', { ...aspenCase, breakGlass: true })).toBe(true);
    for (const role of ['staff', 'partner', 'analyst'] as const) {
      const actor = actorWith(role, role === 'staff' ? lincoln : null);
      expect(can(actor, 'case.breakGlass', aspenCase)).toBe(false);
      expect(can(actor, 'case.read', { ...aspenCase, breakGlass: true, assignedUserIds: ['u1'] })).toBe(false);
    }
  });

  it('the mandatory report is for the reporter, administrators and the assigned counselor, not the whole team', () => {
    const report = { schoolId: lincoln, assignedUserIds: [] as string[], breakGlass: false, reporterUserIds: [] as string[] };
    expect(can(actorWith('crisis_team', lincoln), 'case.readMandatoryReport', report)).toBe(false);
    expect(can(actorWith('crisis_team', lincoln), 'case.readMandatoryReport', { ...report, reporterUserIds: ['u1'] })).toBe(true);
    expect(can(actorWith('counselor', lincoln), 'case.readMandatoryReport', report)).toBe(false);
    expect(can(actorWith('counselor', lincoln), 'case.readMandatoryReport', { ...report, assignedUserIds: ['u1'] })).toBe(true);
  });
});

describe('re-entry notes are need-to-know', () => {
  const notes = { schoolId: lincoln, teachesStudent: false, namedOnPlan: false };
  it.each([
    ['teaches the student', { teachesStudent: true }, true],
    ['is named on the plan', { namedOnPlan: true }, true],
    ['neither teaches the student nor is named', {}, false],
    ['teaches a student at another school', { schoolId: aspen, teachesStudent: true }, false],
  ])('a Lincoln teacher who %s: %s', (_, facts, allowed) => {
    expect(can(actorWith('staff', lincoln), 'student.readReentryNotes', { ...notes, ...facts })).toBe(allowed);
  });

  it('partners and analysts never see them, even when named', () => {
    for (const role of ['partner', 'analyst'] as const)
      expect(can(actorWith(role, null), 'student.readReentryNotes', { ...notes, teachesStudent: true, namedOnPlan: true })).toBe(false);
  });
});

describe('a proctor sees the classes assigned to them, not the school', () => {
  const student = { schoolId: lincoln, proctorsStudentsClass: false };
  it.each([
    ['a student of a class assigned to her', { proctorsStudentsClass: true }, true],
    ['a student of another class at her school', {}, false],
    ['a student of her class at another school', { schoolId: aspen, proctorsStudentsClass: true }, false],
  ])('a Lincoln teacher and %s: %s', (_, facts, allowed) => {
    expect(can(actorWith('staff', lincoln), 'screening.proctorStudent', { ...student, ...facts })).toBe(allowed);
  });

  it('partners and analysts never proctor, even when a class is assigned to them', () => {
    for (const role of ['partner', 'analyst'] as const)
      expect(can(actorWith(role, null), 'screening.proctorStudent', { ...student, proctorsStudentsClass: true })).toBe(false);
  });
});

describe('school-scoped grants stop at the school', () => {
  it.each(['school_admin', 'counselor', 'crisis_team', 'staff'] as const)('%s at Lincoln cannot read an Aspen student', (role) => {
    const actor = actorWith(role, lincoln);
    expect(can(actor, 'student.read', { schoolId: aspen })).toBe(false);
    expect(can(actor, 'student.readProtected', { schoolId: aspen })).toBe(false);
  });

  it('a district-wide counselor reads students at every school', () => {
    const actor = actorWith('counselor', null);
    expect(can(actor, 'student.readProtected', { schoolId: aspen })).toBe(true);
  });

  it('an analyst never reads a single student, even district-wide', () => {
    const actor = actorWith('analyst', null);
    expect(can(actor, 'student.read', { schoolId: lincoln })).toBe(false);
  });

  it('a report whose school is unknown goes to district-wide roles only', () => {
    expect(can(actorWith('crisis_team', lincoln), 'report.read', { schoolId: null })).toBe(false);
    expect(can(actorWith('crisis_team', null), 'report.read', { schoolId: null })).toBe(true);
  });

  it('a person with no grants may do nothing', () => {
    const actor = { ...actorWith('staff', lincoln), grants: [] };
    expect(can(actor, 'student.search', null)).toBe(false);
    expect(can(actor, 'student.read', { schoolId: lincoln })).toBe(false);
  });
});
