/**
 * The accounts feature's front door: what other features may use of it (docs/ARCHITECTURE.md).
 */
export { districtAdminEmails } from './accounts.repository.ts';
export { followRosterLeavers } from './roster-accounts.service.ts';
export { addUser } from './users.service.ts';
