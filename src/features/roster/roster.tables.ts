import { boolean, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { roles } from '../../access/roles.ts';
import { tenantIsolation } from '../../platform/db/tenancy.ts';
import { districts, schools } from '../districts/districts.tables.ts';

/**
 * Staff from the roster (teachers, counselors, principals). A roster never grants access: a
 * counselor here is *offered* the counselor role, which an administrator grants in Haven.
 */
export const rosterStaff = pgTable(
  'roster_staff',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    sourcedId: text('sourced_id').notNull(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    email: text('email'),
    rosterRole: text('roster_role').notNull(),
    schoolId: uuid('school_id').references(() => schools.id),
    /** The Haven role this person would usually hold; never granted by the import. */
    offeredRole: text('offered_role', { enum: roles }),
    active: boolean('active').notNull().default(true),
  },
  (t) => [uniqueIndex('roster_staff_sourced').on(t.districtId, t.sourcedId), tenantIsolation()],
);

/** Every roster import and its summary (created, updated, deactivated, rejected with file and line). */
export const rosterImports = pgTable(
  'roster_imports',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    at: timestamp('at', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    format: text('format').notNull(),
    dryRun: boolean('dry_run').notNull(),
    summary: jsonb('summary').notNull(),
    byLabel: text('by_label').notNull(),
  },
  (t) => [index('roster_imports_district').on(t.districtId, t.at), tenantIsolation()],
);
