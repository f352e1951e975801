/** Every table, for Drizzle's typed queries and for drizzle-kit's migration generator. */
export * from '../../features/accounts/accounts.tables.ts';
export * from '../../features/cases/cases.tables.ts';
export * from '../../features/crisis-reports/crisis-reports.tables.ts';
export * from '../../features/crisis-teams/crisis-teams.tables.ts';
export * from '../../features/districts/districts.tables.ts';
export * from '../../features/family-contact/family-contact.tables.ts';
export * from '../../features/leadership/leadership.tables.ts';
export * from '../../features/partners/directory.tables.ts';
export * from '../../features/partners/partners.tables.ts';
export * from '../../features/plans/plans.tables.ts';
export * from '../../features/referrals/referrals.tables.ts';
export * from '../../features/roster/roster.tables.ts';
export * from '../../features/screening/screening.tables.ts';
export * from '../../features/students/students.tables.ts';
export * from '../audit/audit.tables.ts';
export * from '../notify/push.tables.ts';
export * from '../outbox/outbox.tables.ts';
