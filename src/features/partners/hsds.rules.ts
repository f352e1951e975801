/**
 * Reading Open Referral HSDS 3.1 JSON in every shape a publisher writes it: one service, a list of
 * services, an organization with its services nested inside (the organization is their parent), a
 * service_at_location with its service and location, or an API page (`contents`) of any of these.
 * Pure: documents in, a directory out, with every refused record, the field at fault and why. The
 * tabular datapackage is turned into the same documents by `hsds-tables.rules.ts`.
 */

export type Doc = Record<string, unknown>;

/** A record Haven could not take: where it is in the file, the field at fault (from the record), and why. */
export type Rejection = { record: string; field: string; reason: string };

export type DirectoryIn = {
  organizations: Map<string, Doc>;
  services: Map<string, { document: Doc; organizationId: string; record: string }>;
  locations: Map<string, Doc>;
  serviceAtLocations: Map<string, { document: Doc; serviceId: string; locationId: string; record: string }>;
  rejected: Rejection[];
};

/** The file cannot be read at all (not JSON, broken CSV, a table without ids): nothing is imported. */
export class HsdsUnreadable extends Error {}

/** The HSDS object a JSON object is (HSDS documents carry no type tag). */
export type Shape = 'page' | 'organization' | 'service' | 'service_at_location';

/** Where a document came from when it was not a JSON path (a CSV row: "services.csv line 3"). */
export type Origin = (doc: Doc) => string | undefined;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: unknown): v is string => typeof v === 'string' && uuidPattern.test(v);
export const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** HSDS 3.1 service.status. */
export const serviceStatuses = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

// Fields only a service has, and fields only an organization has (HSDS 3.1 compiled schemas).
const serviceOnly = [
  'status',
  'organization_id',
  'organization',
  'service_at_locations',
  'program_id',
  'program',
  'eligibility_description',
  'minimum_age',
  'maximum_age',
  'application_process',
  'interpretation_services',
  'fees_description',
  'capacities',
  'cost_options',
  'service_areas',
];
const organizationOnly = [
  'website',
  'tax_status',
  'tax_id',
  'year_incorporated',
  'legal_status',
  'logo',
  'parent_organization_id',
  'organization_identifiers',
  'programs',
  'locations',
  'additional_websites',
];

/**
 * Tells the shape by the fields only each object has. A service_at_location has no name but a
 * service or location; an organization nests `services` or has organization-only fields; anything
 * else is read as a service, the object HSDS publishers most often write.
 */
export function shapeOf(doc: Doc): Shape {
  if (Array.isArray(doc.contents) && ('total_items' in doc || 'page_number' in doc)) return 'page';
  if (Array.isArray(doc.services)) return 'organization';
  if (!('name' in doc) && (isDoc(doc.service) || 'service_id' in doc || isDoc(doc.location) || 'location_id' in doc)) return 'service_at_location';
  if (serviceOnly.some((k) => k in doc)) return 'service';
  if (organizationOnly.some((k) => k in doc)) return 'organization';
  return 'service';
}

const clip = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};
/** Why an id cannot be taken, or null. HSDS 3.1 ids are UUIDs. */
const idProblem = (value: unknown) =>
  value === undefined || value === null || value === '' ? 'is missing' : isUuid(value) ? null : `is not a UUID (${clip(value)})`;
const nameProblem = (value: unknown) => (typeof value === 'string' && value.trim() ? null : 'is missing: a name is required');
const number = (v: unknown) => typeof v === 'number' && Number.isFinite(v);

/**
 * Reads HSDS JSON of any published shape. `origin` names records that came from CSV rows, so a
 * refusal points at the file and line rather than a JSON path.
 */
export function readNested(input: unknown, origin: Origin = () => undefined): DirectoryIn {
  return readRecords([{ value: input, path: '$' }], origin);
}

/** Reads records whose shape is already known (the datapackage), or told by `shapeOf` when not. */
export function readRecords(records: { value: unknown; path: string; shape?: Shape }[], origin: Origin = () => undefined): DirectoryIn {
  const out: DirectoryIn = { organizations: new Map(), services: new Map(), locations: new Map(), serviceAtLocations: new Map(), rejected: [] };
  const label = (doc: Doc, path: string) => origin(doc) ?? path;
  const refuse = (record: string, field: string, reason: string) => {
    out.rejected.push({ record, field, reason });
    return null;
  };

  /** An organization nested in a service may be partial; the fuller document of the same id is kept. */
  const keepOrganization = (org: Doc) => {
    const { services: _s, ...document } = org;
    const id = org.id as string;
    const known = out.organizations.get(id);
    if (!known || Object.keys(document).length > Object.keys(known).length) out.organizations.set(id, document);
    for (const location of Array.isArray(org.locations) ? org.locations : [])
      if (isDoc(location) && isUuid(location.id) && !out.locations.has(location.id)) out.locations.set(location.id, location);
  };

  const readOrganization = (org: Doc, path: string) => {
    const record = label(org, path);
    const services = Array.isArray(org.services) ? org.services : [];
    const also = services.length ? `; its ${services.length} nested service(s) were not imported either` : '';
    const problem = idProblem(org.id);
    if (problem) return refuse(record, 'id', problem + also);
    const name = nameProblem(org.name);
    if (name) return refuse(record, 'name', name + also);
    keepOrganization(org);
    for (const [i, service] of services.entries()) visit(service, `${path}.services[${i}]`, 'service', org.id as string);
    return org.id as string;
  };

  const readService = (service: Doc, path: string, parentOrganization?: string): string | null => {
    const record = label(service, path);
    const problem = idProblem(service.id);
    if (problem) return refuse(record, 'id', problem);
    const name = nameProblem(service.name);
    if (name) return refuse(record, 'name', name);
    if (service.status !== undefined && !serviceStatuses.includes(service.status as (typeof serviceStatuses)[number]))
      return refuse(record, 'status', `is ${clip(service.status)}: it must be one of ${serviceStatuses.join(', ')}`);
    for (const field of ['minimum_age', 'maximum_age'])
      if (service[field] !== undefined && !(number(service[field]) && (service[field] as number) >= 0 && (service[field] as number) <= 150))
        return refuse(record, field, `is ${clip(service[field])}: it must be an age in years`);
    const nested = service.organization;
    let organizationId: string;
    if (parentOrganization) {
      if (service.organization_id !== undefined && service.organization_id !== parentOrganization)
        return refuse(record, 'organization_id', `is ${clip(service.organization_id)}, but the service is nested in organization ${parentOrganization}`);
      organizationId = parentOrganization;
    } else if (isDoc(nested)) {
      const orgProblem = idProblem(nested.id) ?? nameProblem(nested.name);
      if (orgProblem) return refuse(record, idProblem(nested.id) ? 'organization.id' : 'organization.name', orgProblem);
      keepOrganization(nested);
      organizationId = nested.id as string;
    } else {
      const orgProblem = idProblem(service.organization_id);
      if (orgProblem)
        return refuse(record, 'organization_id', orgProblem === 'is missing' ? 'is missing: give organization_id or a nested organization' : orgProblem);
      organizationId = service.organization_id as string;
    }
    const { service_at_locations: sals, organization: _o, ...document } = service;
    const id = service.id as string;
    out.services.set(id, { document: { ...document, organization_id: organizationId }, organizationId, record });
    for (const [i, sal] of (Array.isArray(sals) ? sals : []).entries()) visit(sal, `${path}.service_at_locations[${i}]`, 'service_at_location', id);
    return id;
  };

  const readServiceAtLocation = (sal: Doc, path: string, parentService?: string) => {
    const record = label(sal, path);
    const problem = idProblem(sal.id);
    if (problem) return refuse(record, 'id', problem);
    let serviceId: string | null;
    if (parentService) {
      if (sal.service_id !== undefined && sal.service_id !== parentService)
        return refuse(record, 'service_id', `is ${clip(sal.service_id)}, but it is nested in service ${parentService}`);
      serviceId = parentService;
    } else if (isDoc(sal.service)) {
      serviceId = readService(sal.service, `${path}.service`);
      if (!serviceId) return refuse(record, 'service', 'was refused (see the line above), so this service_at_location was not imported');
    } else {
      const serviceProblem = idProblem(sal.service_id);
      if (serviceProblem)
        return refuse(record, 'service_id', serviceProblem === 'is missing' ? 'is missing: give service_id or a nested service' : serviceProblem);
      serviceId = sal.service_id as string;
    }
    let locationId: string;
    if (isDoc(sal.location)) {
      const locationProblem = idProblem(sal.location.id);
      if (locationProblem) return refuse(record, 'location.id', locationProblem);
      for (const field of ['latitude', 'longitude'])
        if (sal.location[field] !== undefined && !number(sal.location[field]))
          return refuse(record, `location.${field}`, `is ${clip(sal.location[field])}: it must be a number`);
      locationId = sal.location.id as string;
      out.locations.set(locationId, sal.location);
    } else {
      const locationProblem = idProblem(sal.location_id);
      if (locationProblem)
        return refuse(record, 'location_id', locationProblem === 'is missing' ? 'is missing: give location_id or a nested location' : locationProblem);
      locationId = sal.location_id as string;
    }
    const { location: _l, service: _s, ...document } = sal;
    out.serviceAtLocations.set(sal.id as string, { document: { ...document, service_id: serviceId, location_id: locationId }, serviceId, locationId, record });
    return sal.id as string;
  };

  function visit(value: unknown, path: string, shape?: Shape, parent?: string): void {
    if (Array.isArray(value) && !shape) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`);
      return;
    }
    if (!isDoc(value)) {
      refuse(path, '', `is ${Array.isArray(value) ? 'a list' : clip(value)}, not an HSDS object`);
      return;
    }
    const kind = shape ?? shapeOf(value);
    if (kind === 'page') visit(value.contents, `${path}.contents`);
    else if (kind === 'organization') readOrganization(value, path);
    else if (kind === 'service') readService(value, path, parent);
    else readServiceAtLocation(value, path, parent);
  }

  for (const { value, path, shape } of records) visit(value, path, shape);
  return out;
}

/** Makes text storable: PostgreSQL refuses U+0000 and lone surrogates in text and jsonb alike. */
export function storable(value: unknown): unknown {
  if (typeof value === 'string')
    return value.replaceAll('\u0000', '').replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  if (Array.isArray(value)) return value.map(storable);
  if (isDoc(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k) as string, storable(v)]));
  return value;
}

const int4 = (v: unknown) => (number(v) && Math.abs(v as number) < 2 ** 31 ? Math.trunc(v as number) : null);

/** What Haven searches and matches on, read from a service document. */
export function serviceColumns(doc: Doc) {
  const languages = (Array.isArray(doc.languages) ? doc.languages : [])
    .filter(isDoc)
    .map((l) => String(l.code ?? '').toLowerCase())
    .filter(Boolean);
  const capacity = (Array.isArray(doc.capacities) ? doc.capacities : []).filter(isDoc)[0];
  return {
    name: String(doc.name),
    status: typeof doc.status === 'string' ? doc.status : 'active',
    description: typeof doc.description === 'string' ? doc.description : null,
    minimumAge: int4(doc.minimum_age),
    maximumAge: int4(doc.maximum_age),
    languages,
    capacityAvailable: int4(capacity?.available),
    capacityMaximum: int4(capacity?.maximum),
    capacityUpdatedAt: typeof capacity?.updated === 'string' && !Number.isNaN(Date.parse(capacity.updated)) ? new Date(capacity.updated) : null,
  };
}
