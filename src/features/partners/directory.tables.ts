import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenantIsolation } from '../../platform/db/tenancy.ts';
import { districts } from '../districts/districts.tables.ts';
import { partnerOrganizations } from './partners.tables.ts';

/**
 * The partner directory, modelled on Open Referral HSDS 3.x. Each row keeps the HSDS document it
 * came from, so the directory exports as valid HSDS and a re-import of the export changes nothing;
 * the columns beside it are what Haven searches and matches on.
 */
export const partnerServices = pgTable(
  'partner_services',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => partnerOrganizations.id),
    hsdsId: text('hsds_id').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    description: text('description'),
    minimumAge: integer('minimum_age'),
    maximumAge: integer('maximum_age'),
    /** ISO 639 codes. */
    languages: text('languages').array().notNull().default([]),
    capacityAvailable: integer('capacity_available'),
    capacityMaximum: integer('capacity_maximum'),
    capacityUpdatedAt: timestamp('capacity_updated_at', { withTimezone: true }),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('partner_services_hsds').on(t.districtId, t.hsdsId), index('partner_services_org').on(t.organizationId), tenantIsolation()],
);

export const partnerLocations = pgTable(
  'partner_locations',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    hsdsId: text('hsds_id').notNull(),
    name: text('name'),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('partner_locations_hsds').on(t.districtId, t.hsdsId), tenantIsolation()],
);

export const serviceAtLocations = pgTable(
  'service_at_locations',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    hsdsId: text('hsds_id').notNull(),
    serviceId: uuid('service_id')
      .notNull()
      .references(() => partnerServices.id),
    locationId: uuid('location_id')
      .notNull()
      .references(() => partnerLocations.id),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [uniqueIndex('service_at_locations_hsds').on(t.districtId, t.hsdsId), tenantIsolation()],
);
