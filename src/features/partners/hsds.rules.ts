/**
 * Reading Open Referral HSDS 3.x: nested JSON (one service, or an array of services, each with its
 * organization and service_at_locations) or the CSV datapackage (organizations.csv, services.csv,
 * locations.csv, service_at_location.csv, by header name). Pure: documents in, a directory out,
 * with every rejected record and its reason.
 */

type Doc = Record<string, unknown>;

export type DirectoryIn = {
  organizations: Map<string, Doc>;
  services: { document: Doc; organizationId: string }[];
  locations: Map<string, Doc>;
  serviceAtLocations: { document: Doc; serviceId: string; locationId: string }[];
  rejected: { record: string; reason: string }[];
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isDoc = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The organization without nested services or locations (they are stored as their own rows). */
function organizationDocument(org: Doc): Doc {
  const { services: _s, ...rest } = org;
  return rest;
}

export function readNested(input: unknown): DirectoryIn {
  const out: DirectoryIn = { organizations: new Map(), services: [], locations: new Map(), serviceAtLocations: [], rejected: [] };
  const services = Array.isArray(input) ? input : [input];
  for (const [index, raw] of services.entries()) {
    const label = `service ${index + 1}`;
    if (!isDoc(raw)) {
      out.rejected.push({ record: label, reason: 'is not a JSON object' });
      continue;
    }
    const id = String(raw.id ?? '');
    const org = isDoc(raw.organization) ? raw.organization : null;
    const orgId = String(org?.id ?? raw.organization_id ?? '');
    const problem = !uuidPattern.test(id)
      ? `id "${id}" is not a UUID`
      : typeof raw.name !== 'string' || !raw.name.trim()
        ? 'has no name'
        : !uuidPattern.test(orgId)
          ? 'has no organization (organization or organization_id)'
          : null;
    if (problem) {
      out.rejected.push({ record: uuidPattern.test(id) ? `service ${id}` : label, reason: problem });
      continue;
    }
    if (org) out.organizations.set(orgId, organizationDocument(org));
    else if (!out.organizations.has(orgId)) out.organizations.set(orgId, { id: orgId, name: String(raw.organization_name ?? 'Unnamed organization') });
    const { service_at_locations: sals, organization: _o, ...service } = raw;
    out.services.push({ document: { ...service, organization_id: orgId }, organizationId: orgId });
    for (const sal of Array.isArray(sals) ? sals : []) {
      if (!isDoc(sal) || !uuidPattern.test(String(sal.id ?? ''))) {
        out.rejected.push({ record: `service ${id}`, reason: 'a service_at_location has no UUID id' });
        continue;
      }
      const location = isDoc(sal.location) ? sal.location : null;
      const locationId = String(location?.id ?? sal.location_id ?? '');
      if (!uuidPattern.test(locationId)) {
        out.rejected.push({ record: `service_at_location ${sal.id}`, reason: 'has no location' });
        continue;
      }
      if (location) out.locations.set(locationId, location);
      const { location: _l, ...rest } = sal;
      out.serviceAtLocations.push({ document: { ...rest, service_id: id, location_id: locationId }, serviceId: id, locationId });
    }
  }
  return out;
}

/** The CSV datapackage: rows by header name become the same documents, then the same checks. */
export function readTables(tables: Record<string, Record<string, string>[]>): DirectoryIn {
  const orgs = new Map((tables['organizations.csv'] ?? []).map((o) => [o.id ?? '', clean(o)]));
  const locations = new Map((tables['locations.csv'] ?? []).map((l) => [l.id ?? '', clean(l)]));
  const sals = tables['service_at_location.csv'] ?? tables['service_at_locations.csv'] ?? [];
  const nested = (tables['services.csv'] ?? []).map((s) => ({
    ...clean(s),
    ...(s.minimum_age ? { minimum_age: Number(s.minimum_age) } : {}),
    ...(s.maximum_age ? { maximum_age: Number(s.maximum_age) } : {}),
    organization: orgs.get(s.organization_id ?? '') ?? undefined,
    service_at_locations: sals.filter((l) => l.service_id === s.id).map((l) => ({ ...clean(l), location: locations.get(l.location_id ?? '') })),
  }));
  return readNested(nested);
}

/** Empty CSV cells are absent values, not empty strings. */
function clean(row: Record<string, string>): Doc {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== ''));
}

/** What Haven searches and matches on, read from a service document. */
export function serviceColumns(doc: Doc) {
  const languages = (Array.isArray(doc.languages) ? doc.languages : [])
    .filter(isDoc)
    .map((l) => String(l.code ?? '').toLowerCase())
    .filter(Boolean);
  const capacity = (Array.isArray(doc.capacities) ? doc.capacities : []).filter(isDoc)[0];
  const number = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : null);
  return {
    name: String(doc.name),
    status: typeof doc.status === 'string' ? doc.status : 'active',
    description: typeof doc.description === 'string' ? doc.description : null,
    minimumAge: number(doc.minimum_age),
    maximumAge: number(doc.maximum_age),
    languages,
    capacityAvailable: number(capacity?.available),
    capacityMaximum: number(capacity?.maximum),
    capacityUpdatedAt: typeof capacity?.updated === 'string' && !Number.isNaN(Date.parse(capacity.updated)) ? new Date(capacity.updated) : null,
  };
}
