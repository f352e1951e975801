import type { Role } from '../data/accounts.values.ts';

/** Haven's roles are listed with the tables that store them (src/data/accounts.values.ts). */
export { type Role, roles } from '../data/accounts.values.ts';

/** Roles whose holders can read sensitive student records; a district may require MFA for them. */
export const sensitiveRoles: ReadonlySet<Role> = new Set(['district_admin', 'school_admin', 'counselor', 'crisis_team']);
