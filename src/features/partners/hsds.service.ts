import { eq } from 'drizzle-orm';
import { partnerLocations, partnerServices, serviceAtLocations } from '../../data/directory.ts';
import { districts } from '../../data/districts.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { type Transaction, withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { type DirectoryIn, type Doc, type Rejection, serviceColumns } from './hsds.rules.ts';
import { publishDirectory, publishedId, type StoredDirectory } from './hsds-publish.rules.ts';

export { readHsds, readHsdsBytes } from './hsds-read.service.ts';

type Counts = { created: number; updated: number; unchanged: number };
export type HsdsSummary = {
  organizations: Counts;
  services: Counts;
  locations: Counts;
  serviceAtLocations: Counts;
  rejected: Rejection[];
};

const zero = (): Counts => ({ created: 0, updated: 0, unchanged: 0 });
/** PostgreSQL's jsonb keeps its own key order, so documents are compared with keys sorted. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  return value;
}
const same = (a: unknown, b: unknown) => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
const text = (v: unknown) => (typeof v === 'string' ? v : null);

/**
 * Creates, updates or leaves alone each record by its published id (`publishedId`: the HSDS id, or
 * Haven's own id for a record made in Haven), so an export re-imported changes nothing.
 */
async function upsert<Row extends { id: string; hsdsId: string | null; document: unknown }>(
  newId: () => string,
  existing: Row[],
  incoming: Iterable<[string, Doc]>,
  counts: Counts,
  write: {
    insert: (id: string, hsdsId: string, doc: Doc) => Promise<void>;
    update: (row: Row, doc: Doc, hsdsId: string) => Promise<void>;
    /** Columns that may differ while the document is the same (a service moved to another organization). */
    unchanged?: (row: Row, doc: Doc, hsdsId: string) => boolean;
  },
): Promise<Map<string, string>> {
  const byId = new Map(existing.map((row) => [publishedId(row), row]));
  const rowIds = new Map([...byId].map(([id, row]) => [id, row.id]));
  for (const [hsdsId, doc] of incoming) {
    const found = byId.get(hsdsId);
    if (!found) {
      const id = newId();
      await write.insert(id, hsdsId, doc);
      rowIds.set(hsdsId, id);
      counts.created += 1;
    } else if (same(found.document, doc) && (write.unchanged?.(found, doc, hsdsId) ?? true)) counts.unchanged += 1;
    else {
      await write.update(found, doc, hsdsId);
      counts.updated += 1;
    }
  }
  return rowIds;
}

/**
 * Imports a directory into a district, idempotently: records are matched on their HSDS ids; a
 * record whose document changed is updated, an identical one left alone, nothing duplicated. A
 * service or service_at_location may name an organization, service or location already in the
 * directory rather than in the file. Runs in one transaction acting for the district (decision
 * 22): a refused record is named and skipped, and an error stores nothing.
 */
export async function importDirectory(deps: Deps, districtId: string, input: DirectoryIn, by: string): Promise<HsdsSummary> {
  const summary: HsdsSummary = { organizations: zero(), services: zero(), locations: zero(), serviceAtLocations: zero(), rejected: [...input.rejected] };
  const newId = () => deps.ids.uuid();
  await withTenant(deps.db.app, { districtId }, async (tx) => {
    const organizationIds = await upsert(
      newId,
      await tx.select().from(partnerOrganizations).where(eq(partnerOrganizations.districtId, districtId)),
      input.organizations,
      summary.organizations,
      {
        insert: async (id, hsdsId, doc) => void (await tx.insert(partnerOrganizations).values({ id, districtId, hsdsId, ...organizationValues(doc) })),
        update: async (row, doc) => void (await tx.update(partnerOrganizations).set(organizationValues(doc)).where(eq(partnerOrganizations.id, row.id))),
        unchanged: (row, doc) => row.name === organizationValues(doc).name,
      },
    );
    const services = [...input.services].filter(([, s]) => {
      if (organizationIds.has(s.organizationId)) return true;
      summary.rejected.push({
        record: s.record,
        field: 'organization_id',
        reason: `names organization ${s.organizationId}, which is neither in the file nor in the directory`,
      });
      return false;
    });
    const organizationOf = new Map(services.map(([id, s]) => [id, organizationIds.get(s.organizationId) as string]));
    const serviceValues = (hsdsId: string, doc: Doc) => ({ ...serviceColumns(doc), organizationId: organizationOf.get(hsdsId) as string, document: doc });
    const serviceIds = await upsert(
      newId,
      await tx.select().from(partnerServices).where(eq(partnerServices.districtId, districtId)),
      services.map(([id, s]) => [id, s.document] as [string, Doc]),
      summary.services,
      {
        insert: async (id, hsdsId, doc) => void (await tx.insert(partnerServices).values({ id, districtId, hsdsId, ...serviceValues(hsdsId, doc) })),
        update: async (row, doc, hsdsId) => void (await tx.update(partnerServices).set(serviceValues(hsdsId, doc)).where(eq(partnerServices.id, row.id))),
        unchanged: (row, _doc, hsdsId) => row.organizationId === organizationOf.get(hsdsId),
      },
    );
    const locationValues = (doc: Doc) => ({
      name: text(doc.name),
      latitude: typeof doc.latitude === 'number' ? doc.latitude : null,
      longitude: typeof doc.longitude === 'number' ? doc.longitude : null,
      document: doc,
    });
    const locationIds = await upsert(
      newId,
      await tx.select().from(partnerLocations).where(eq(partnerLocations.districtId, districtId)),
      input.locations,
      summary.locations,
      {
        insert: async (id, hsdsId, doc) => void (await tx.insert(partnerLocations).values({ id, districtId, hsdsId, ...locationValues(doc) })),
        update: async (row, doc) => void (await tx.update(partnerLocations).set(locationValues(doc)).where(eq(partnerLocations.id, row.id))),
      },
    );
    const sals = [...input.serviceAtLocations].filter(([, sal]) => {
      const missing = !serviceIds.has(sal.serviceId)
        ? ['service_id', 'service', sal.serviceId]
        : !locationIds.has(sal.locationId)
          ? ['location_id', 'location', sal.locationId]
          : null;
      if (missing)
        summary.rejected.push({
          record: sal.record,
          field: missing[0] as string,
          reason: `names ${missing[1]} ${missing[2]}, which is neither in the file nor in the directory`,
        });
      return !missing;
    });
    const salValues = (doc: Doc) => ({
      serviceId: serviceIds.get(String(doc.service_id)) as string,
      locationId: locationIds.get(String(doc.location_id)) as string,
      document: doc,
    });
    await upsert(
      newId,
      await tx.select().from(serviceAtLocations).where(eq(serviceAtLocations.districtId, districtId)),
      sals.map(([id, sal]) => [id, sal.document] as [string, Doc]),
      summary.serviceAtLocations,
      {
        insert: async (id, hsdsId, doc) => void (await tx.insert(serviceAtLocations).values({ id, districtId, hsdsId, ...salValues(doc) })),
        update: async (row, doc) => void (await tx.update(serviceAtLocations).set(salValues(doc)).where(eq(serviceAtLocations.id, row.id))),
      },
    );
    await deps.audit.append(
      tx,
      districtId,
      { userId: null, label: by },
      {
        action: 'directory.imported',
        subjectType: 'district',
        subjectId: districtId,
        detail: { services: summary.services, rejected: summary.rejected.length },
      },
    );
  });
  return summary;
}

function organizationValues(doc: Doc) {
  return { name: String(doc.name), description: text(doc.description), website: text(doc.website), email: text(doc.email), document: doc };
}

/** The rows of a district's directory, read acting for the district, so no other district's can appear. */
async function loadDirectory(tx: Transaction, districtId: string): Promise<StoredDirectory> {
  const [organizations, services, locations, sals] = [
    await tx.select().from(partnerOrganizations).where(eq(partnerOrganizations.districtId, districtId)),
    await tx.select().from(partnerServices).where(eq(partnerServices.districtId, districtId)),
    await tx.select().from(partnerLocations).where(eq(partnerLocations.districtId, districtId)),
    await tx.select().from(serviceAtLocations).where(eq(serviceAtLocations.districtId, districtId)),
  ];
  return { organizations, services, locations, serviceAtLocations: sals };
}

/**
 * A district's directory as published HSDS 3.1 (see `hsds-publish.rules.ts`). It holds partner
 * organizations, services and locations only: nothing about a student or a referral is read.
 */
export async function publishedDirectory(deps: Pick<Deps, 'db'>, districtId: string) {
  return publishDirectory(await withTenant(deps.db.app, { districtId }, (tx) => loadDirectory(tx, districtId)));
}

/** The district whose directory `/api/hsds/<slug>/` serves; an unknown slug is a 404. */
export async function directoryDistrict(deps: Pick<Deps, 'db'>, slug: string) {
  const [district] = await deps.db.system.select({ id: districts.id, name: districts.name }).from(districts).where(eq(districts.slug, slug));
  if (!district) throw notFound(`The directory "${slug}"`);
  return district;
}

/**
 * The directory as HSDS 3.1 services, each with its organization and service_at_locations (what
 * `haven export hsds` writes and the import reads back).
 */
export async function exportDirectory(deps: Pick<Deps, 'db'>, districtId: string): Promise<Doc[]> {
  return (await publishedDirectory(deps, districtId)).services.map((s) => s.full);
}
