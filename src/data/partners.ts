import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { districts } from './districts.ts';
import { tenantIsolation } from './tenancy.ts';

/**
 * A community partner organization. The foundation needs only its identity, because a
 * `partner` role grant is bound to one; the directory (services, capacity) extends it.
 */
export const partnerOrganizations = pgTable(
  'partner_organizations',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    name: text('name').notNull(),
    /** The organization's HSDS id when it came from a directory import. */
    hsdsId: text('hsds_id'),
    description: text('description'),
    website: text('website'),
    email: text('email'),
    /** The HSDS organization document (without its nested services), for export. */
    document: jsonb('document').$type<Record<string, unknown>>(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('partner_organizations_district').on(t.districtId), uniqueIndex('partner_organizations_hsds').on(t.districtId, t.hsdsId), tenantIsolation()],
);
