/**
 * The words of accounts that the tables store, with no database import, so access rules, the
 * server and the web app share one list.
 */

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

/** What an API token may do: `read` only looks (GET, HEAD); `full` does whatever its owner's roles allow. */
export const apiTokenScopes = ['read', 'full'] as const;
export type ApiTokenScope = (typeof apiTokenScopes)[number];
