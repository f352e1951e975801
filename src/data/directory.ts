import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { districts } from './districts.ts';
import { partnerOrganizations } from './partners.ts';
import { agreementTypes, ferpaBases } from './partners.values.ts';
import { tenantIsolation } from './tenancy.ts';

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
    /** What schools need to match on, kept by Haven (HSDS files rarely carry them). */
    serviceTypes: text('service_types').array().notNull().default([]),
    modalities: text('modalities').array().notNull().default([]),
    insurance: text('insurance').array().notNull().default([]),
    competencies: text('competencies').array().notNull().default([]),
    interpretation: boolean('interpretation').notNull().default(false),
    waitlistWeeks: integer('waitlist_weeks'),
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

export { agreementTypes, ferpaBases } from './partners.values.ts';

/** A formal agreement with a partner: what it covers, which schools, on which FERPA basis, until when. */
export const partnerAgreements = pgTable(
  'partner_agreements',
  {
    id: uuid('id').primaryKey(),
    districtId: uuid('district_id')
      .notNull()
      .references(() => districts.id),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => partnerOrganizations.id),
    type: text('type', { enum: agreementTypes }).notNull(),
    scope: text('scope').notNull(),
    schoolIds: uuid('school_ids').array().notNull().default([]),
    ferpaBasis: text('ferpa_basis', { enum: ferpaBases }).notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    documentName: text('document_name'),
    /** The signed document, as uploaded (base64 in the API). */
    documentBase64: text('document_base64'),
    renewalRemindedAt: timestamp('renewal_reminded_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('partner_agreements_org').on(t.organizationId, t.endsOn), tenantIsolation()],
);
