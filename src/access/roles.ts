/**
 * Haven's roles. A grant gives one role in one district, optionally narrowed to one school.
 * - district_admin: runs the district's Haven, sees every school.
 * - school_admin: principal or assistant principal; runs one school.
 * - counselor: any school mental-health professional (counselor, psychologist, social worker, nurse).
 * - crisis_team: member of a school or district crisis team.
 * - staff: teachers and other staff; may look a student up to raise a concern, sees no clinical data.
 * - partner: community partner staff, bound to one partner organization.
 * - analyst: aggregate, de-identified data only.
 */
export const roles = ['district_admin', 'school_admin', 'counselor', 'crisis_team', 'staff', 'partner', 'analyst'] as const;

export type Role = (typeof roles)[number];

/** Roles whose holders can read sensitive student records; a district may require MFA for them. */
export const sensitiveRoles: ReadonlySet<Role> = new Set(['district_admin', 'school_admin', 'counselor', 'crisis_team']);
