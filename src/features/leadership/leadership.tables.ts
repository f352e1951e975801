import { doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../../platform/db/tenancy.ts';
import { districts, schools } from '../districts/districts.tables.ts';

export const staffRoles = ['counselor', 'psychologist', 'social_worker', 'nurse'] as const;

/**
 * The district's internal mental-health staffing, per school: positions in FTE with the caseload
 * one full-time person can carry. Capacity against need is computed from these and from the
 * partner directory's open places.
 */
export const staffPositions = pgTable(
  'staff_positions',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id),
    role: text('role', { enum: staffRoles }).notNull(),
    fte: doublePrecision('fte').notNull(),
    /** Students with a plan or case one full-time person can carry. */
    caseloadPerFte: integer('caseload_per_fte').notNull(),
    title: text('title'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('staff_positions_school').on(t.districtId, t.schoolId), tenantIsolation()],
);
