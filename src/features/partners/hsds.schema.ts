import { ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serviceStatuses } from './hsds.rules.ts';

// The answers of the HSDS 3.1 API (`/api/hsds/<district>/...`) and of the older `/api/v1/hsds/...`
// routes, field by field as Open Referral's compiled schemas name them (test/fixtures/hsds-3.1/schema).
// A field HSDS does not define is not sent. Publishers' documents are published as they wrote them,
// so every field is optional and may be null, except what Haven itself guarantees (ids, a service's
// name and status, an organization's name and description); a value of the wrong type (an
// `extension` written as text) is left out rather than failing the whole page, so an aggregator
// that validates still takes the object.

const text = z.string().nullish().catch(undefined);
const number = z.number().nullish().catch(undefined);
const choice = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).nullish().catch(undefined);
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().catch(undefined);
const one = <T extends z.ZodType>(item: T) => item.nullish().catch(undefined);
/** Text fields by name: most HSDS fields are free text. */
const texts = <K extends string>(...keys: K[]) => Object.fromEntries(keys.map((key) => [key, text])) as Record<K, typeof text>;

const metadata = z.object(
  texts('id', 'resource_id', 'resource_type', 'last_action_date', 'last_action_type', 'field_name', 'previous_value', 'replacement_value', 'updated_by'),
);
const taxonomyFields = { ...texts('id', 'name', 'description', 'uri', 'version'), metadata: list(metadata) };
const taxonomyTermFields = {
  ...texts('id', 'code', 'name', 'description', 'parent_id', 'taxonomy', 'language', 'taxonomy_id', 'term_uri'),
  taxonomy_detail: one(z.object(taxonomyFields)),
  metadata: list(metadata),
};
const attribute = z.object({
  ...texts('id', 'link_id', 'taxonomy_term_id', 'link_type', 'link_entity', 'value', 'label'),
  taxonomy_term: one(z.object(taxonomyTermFields)),
  metadata: list(metadata),
});
/** Every HSDS object may carry its attributes (taxonomy terms) and its change history. */
const described = <T extends z.ZodRawShape>(shape: T) => z.object({ ...shape, attributes: list(attribute), metadata: list(metadata) });

const language = described(texts('id', 'service_id', 'location_id', 'phone_id', 'name', 'code', 'note'));
const phone = described({
  ...texts('id', 'location_id', 'service_id', 'organization_id', 'contact_id', 'service_at_location_id', 'number', 'type', 'description'),
  extension: number,
  languages: list(language),
});
const contact = described({
  ...texts('id', 'organization_id', 'service_id', 'service_at_location_id', 'location_id', 'name', 'title', 'department', 'email'),
  phones: list(phone),
});
const schedule = described({
  ...texts('id', 'service_id', 'location_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'until', 'byday', 'byweekno'),
  ...texts('bymonthday', 'byyearday', 'description', 'opens_at', 'closes_at', 'schedule_link', 'attending_type', 'notes'),
  timezone: number,
  count: number,
  interval: number,
  wkst: choice(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']),
  freq: choice(['WEEKLY', 'MONTHLY']),
});
const serviceArea = described(texts('id', 'service_id', 'service_at_location_id', 'name', 'description', 'extent', 'extent_type', 'uri'));
const address = described({
  ...texts('id', 'location_id', 'attention', 'address_1', 'address_2', 'city', 'region', 'state_province', 'postal_code', 'country'),
  address_type: choice(['physical', 'postal', 'virtual']),
});
const accessibility = described(texts('id', 'location_id', 'description', 'details', 'url'));
const locationScalars = {
  ...texts('id', 'url', 'organization_id', 'name', 'alternate_name', 'description', 'transportation', 'external_identifier', 'external_identifier_type'),
  location_type: choice(['physical', 'postal', 'virtual']),
  latitude: number,
  longitude: number,
};
const location = described({
  ...locationScalars,
  languages: list(language),
  addresses: list(address),
  contacts: list(contact),
  accessibility: list(accessibility),
  phones: list(phone),
  schedules: list(schedule),
});
const url = described(texts('id', 'label', 'url', 'organization_id', 'service_id'));
const funding = described(texts('id', 'organization_id', 'service_id', 'source'));
const programScalars = texts('id', 'organization_id', 'name', 'alternate_name', 'description');
const program = described(programScalars);
const organizationIdentifier = described(texts('id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier'));
const costOption = described({ ...texts('id', 'service_id', 'valid_from', 'valid_to', 'option', 'currency', 'amount_description'), amount: number });
const requiredDocument = described(texts('id', 'service_id', 'document', 'uri'));
const unit = described(texts('id', 'name', 'scheme', 'identifier', 'uri'));
const capacity = described({
  ...texts('id', 'service_id', 'unit_id', 'description', 'updated'),
  unit: one(unit),
  available: number,
  maximum: number,
});

// The one-to-one fields of each object (no lists, no nested objects): what the pages of `/{type}` show.
/** An organization's name and description are always there (Haven fills a missing description with ""). */
const organizationScalars = {
  ...texts('alternate_name', 'email', 'website', 'tax_status', 'tax_id', 'legal_status', 'logo', 'uri', 'parent_organization_id'),
  id: z.string(),
  name: z.string(),
  description: z.string(),
  year_incorporated: number,
};
const serviceScalars = {
  ...texts('organization_id', 'program_id', 'alternate_name', 'description', 'url', 'email', 'interpretation_services', 'application_process'),
  ...texts('fees_description', 'wait_time', 'fees', 'accreditations', 'eligibility_description', 'assured_date', 'assurer_email', 'licenses'),
  ...texts('alert', 'last_modified'),
  id: z.string(),
  name: z.string(),
  status: z.enum(serviceStatuses),
  minimum_age: number,
  maximum_age: number,
};
const serviceAtLocationScalars = { ...texts('service_id', 'location_id', 'description'), id: z.string() };

/** An HSDS 3.1 organization, fully nested. */
const organization = described({
  ...organizationScalars,
  additional_websites: list(url),
  funding: list(funding),
  contacts: list(contact),
  phones: list(phone),
  locations: list(location),
  programs: list(program),
  organization_identifiers: list(organizationIdentifier),
});
/** A service in a list (a page of services, an organization's services): its organization and program one-to-one. */
const serviceListed = z.object({ ...serviceScalars, organization: one(z.object(organizationScalars)), program: one(z.object(programScalars)) });
/** A service as a service_at_location nests it: its organization, without its own service_at_locations. */
const serviceCore = described({
  ...serviceScalars,
  additional_urls: list(url),
  phones: list(phone),
  schedules: list(schedule),
  service_areas: list(serviceArea),
  languages: list(language),
  organization: one(organization),
  funding: list(funding),
  cost_options: list(costOption),
  program: one(program),
  required_documents: list(requiredDocument),
  contacts: list(contact),
  capacities: list(capacity),
});
const serviceAtLocation = described({
  ...serviceAtLocationScalars,
  service_areas: list(serviceArea),
  contacts: list(contact),
  phones: list(phone),
  schedules: list(schedule),
  location: one(location),
});

/** GET /services/{id}: a service, fully nested, with every service_at_location and its location. */
export const hsdsService = serviceCore.extend({ service_at_locations: list(serviceAtLocation) });
/** GET /organizations/{id}: an organization, fully nested, with its services as a list shows them. */
export const hsdsOrganization = organization.extend({ services: list(serviceListed) });
/** GET /service_at_locations/{id}: where a service is offered, with its location and its service. */
export const hsdsServiceAtLocation = serviceAtLocation.extend({ service: one(serviceCore) });
export const hsdsTaxonomy = z.object({ ...taxonomyFields, id: z.string() });
export const hsdsTaxonomyTerm = z.object({ ...taxonomyTermFields, id: z.string() });

/** The objects of the pages of `/{type}`: one-to-one fields, with a few one-to-one objects nested. */
export const hsdsListed = {
  services: serviceListed,
  organizations: z.object(organizationScalars),
  serviceAtLocations: z.object({ ...serviceAtLocationScalars, location: one(z.object(locationScalars)), service: one(serviceListed) }),
};

/** The HSDS 3.1 page object (openapi.json, components.schemas.Page) holding `item`s. */
export const hsdsPage = <T extends z.ZodType>(item: T) =>
  z.object({
    total_items: z.number().int(),
    total_pages: z.number().int(),
    page_number: z.number().int(),
    size: z.number().int(),
    first_page: z.boolean(),
    last_page: z.boolean(),
    empty: z.boolean(),
    contents: z.array(item),
  });

/** GET / : the HSDS version and profile of the directory. */
export const hsdsRootAnswer = z.object({ version: z.string(), profile: z.string(), openapi_url: z.string() });

/**
 * `shaped` (what the schema kept) with its keys in the order `original` has them. Zod writes an
 * object's keys in the schema's order; publishers' documents keep theirs, so an aggregator that
 * compares answers byte for byte sees no change beyond the fields left out.
 */
export function inOrderOf(original: unknown, shaped: unknown): unknown {
  if (Array.isArray(shaped)) return Array.isArray(original) ? shaped.map((value, i) => inOrderOf(original[i], value)) : shaped;
  if (!isObject(shaped) || !isObject(original)) return shaped;
  const keys = [...Object.keys(original).filter((key) => key in shaped), ...Object.keys(shaped).filter((key) => !(key in original))];
  return Object.fromEntries(keys.map((key) => [key, inOrderOf(original[key], shaped[key])]));
}
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Serializes an HSDS answer through its schema, like the app's serializer, but reading (not
 * encoding) so a wrongly typed field is left out, and keeping the document's key order.
 */
export function hsdsSerializer({ schema, method, url }: { schema: unknown; method: string; url: string }): (data: unknown) => string {
  if (!(schema instanceof z.ZodType)) throw new Error(`${method} ${url}: an HSDS answer is described by a zod schema`);
  return (data) => {
    const result = schema.safeParse(data);
    if (!result.success) throw new ResponseSerializationError(method, url, { cause: result.error });
    return JSON.stringify(inOrderOf(data, result.data));
  };
}
