import fs from 'node:fs';
import path from 'node:path';
import { and, eq, ilike, inArray, or } from 'drizzle-orm';
import { type CsvRecord, readCsv } from '../../platform/csv-reader.ts';
import { withTenant } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { badRequest } from '../../platform/errors.ts';
import { partnerLocations, partnerServices, serviceAtLocations } from './directory.tables.ts';
import { type DirectoryIn, readNested, readTables, serviceColumns } from './hsds.rules.ts';
import { partnerOrganizations } from './partners.tables.ts';

type Counts = { created: number; updated: number; unchanged: number };
export type HsdsSummary = {
  organizations: Counts;
  services: Counts;
  locations: Counts;
  serviceAtLocations: Counts;
  rejected: { record: string; reason: string }[];
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

/** Reads HSDS from a .json file (one service or an array) or a folder of CSVs (a datapackage). */
export async function readHsds(source: string): Promise<DirectoryIn> {
  if (fs.statSync(source).isDirectory()) {
    const tables: Record<string, Record<string, string>[]> = {};
    for (const name of fs.readdirSync(source).filter((f) => f.endsWith('.csv'))) {
      const records: CsvRecord[] = [];
      for await (const r of readCsv([fs.readFileSync(path.join(source, name), 'utf8')])) records.push(r);
      const [header, ...rows] = records;
      if (!header) continue;
      tables[name] = rows.map((r) => Object.fromEntries(header.cells.map((h, i) => [h.trim(), (r.cells[i] ?? '').trim()])));
    }
    return readTables(tables);
  }
  try {
    return readNested(JSON.parse(fs.readFileSync(source, 'utf8')));
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest(`${source} is not valid JSON: ${error.message}`);
    throw error;
  }
}

/**
 * Imports a directory into a district, idempotently: records are matched on their HSDS ids; a
 * record whose document changed is updated, an identical one left alone, nothing duplicated.
 * Runs in one transaction on the app connection, acting for the district (decision 22).
 */
export async function importDirectory(deps: Deps, districtId: string, input: DirectoryIn, by: string): Promise<HsdsSummary> {
  const summary: HsdsSummary = { organizations: zero(), services: zero(), locations: zero(), serviceAtLocations: zero(), rejected: input.rejected };
  await withTenant(deps.db.app, { districtId }, async (tx) => {
    const orgIds = new Map<string, string>();
    const existingOrgs = new Map(
      (await tx.select().from(partnerOrganizations).where(eq(partnerOrganizations.districtId, districtId)))
        .filter((o) => o.hsdsId)
        .map((o) => [o.hsdsId as string, o]),
    );
    for (const [hsdsId, doc] of input.organizations) {
      const values = {
        name: String(doc.name ?? 'Unnamed organization'),
        description: (doc.description as string) ?? null,
        website: (doc.website as string) ?? null,
        email: (doc.email as string) ?? null,
        document: doc,
      };
      const found = existingOrgs.get(hsdsId);
      if (!found) {
        const id = deps.ids.uuid();
        await tx.insert(partnerOrganizations).values({ id, districtId, hsdsId, ...values });
        orgIds.set(hsdsId, id);
        summary.organizations.created += 1;
      } else {
        orgIds.set(hsdsId, found.id);
        if (same(found.document, doc) && found.name === values.name) summary.organizations.unchanged += 1;
        else {
          await tx.update(partnerOrganizations).set(values).where(eq(partnerOrganizations.id, found.id));
          summary.organizations.updated += 1;
        }
      }
    }
    const serviceIds = new Map<string, string>();
    const existingServices = new Map((await tx.select().from(partnerServices).where(eq(partnerServices.districtId, districtId))).map((s) => [s.hsdsId, s]));
    for (const { document, organizationId } of input.services) {
      const hsdsId = String(document.id);
      const values = { ...serviceColumns(document), organizationId: orgIds.get(organizationId) as string, document };
      const found = existingServices.get(hsdsId);
      if (!found) {
        const id = deps.ids.uuid();
        await tx.insert(partnerServices).values({ id, districtId, hsdsId, ...values });
        serviceIds.set(hsdsId, id);
        summary.services.created += 1;
      } else {
        serviceIds.set(hsdsId, found.id);
        if (same(found.document, document)) summary.services.unchanged += 1;
        else {
          await tx.update(partnerServices).set(values).where(eq(partnerServices.id, found.id));
          summary.services.updated += 1;
        }
      }
    }
    const locationIds = new Map<string, string>();
    const existingLocations = new Map((await tx.select().from(partnerLocations).where(eq(partnerLocations.districtId, districtId))).map((l) => [l.hsdsId, l]));
    for (const [hsdsId, doc] of input.locations) {
      const values = {
        name: (doc.name as string) ?? null,
        latitude: typeof doc.latitude === 'number' ? doc.latitude : null,
        longitude: typeof doc.longitude === 'number' ? doc.longitude : null,
        document: doc,
      };
      const found = existingLocations.get(hsdsId);
      if (!found) {
        const id = deps.ids.uuid();
        await tx.insert(partnerLocations).values({ id, districtId, hsdsId, ...values });
        locationIds.set(hsdsId, id);
        summary.locations.created += 1;
      } else {
        locationIds.set(hsdsId, found.id);
        if (same(found.document, doc)) summary.locations.unchanged += 1;
        else {
          await tx.update(partnerLocations).set(values).where(eq(partnerLocations.id, found.id));
          summary.locations.updated += 1;
        }
      }
    }
    const existingSals = new Map((await tx.select().from(serviceAtLocations).where(eq(serviceAtLocations.districtId, districtId))).map((s) => [s.hsdsId, s]));
    for (const sal of input.serviceAtLocations) {
      const hsdsId = String(sal.document.id);
      const values = { serviceId: serviceIds.get(sal.serviceId) as string, locationId: locationIds.get(sal.locationId) as string, document: sal.document };
      if (!values.locationId) {
        summary.rejected.push({ record: `service_at_location ${hsdsId}`, reason: `location ${sal.locationId} is not in the import` });
        continue;
      }
      const found = existingSals.get(hsdsId);
      if (!found) {
        await tx.insert(serviceAtLocations).values({ id: deps.ids.uuid(), districtId, hsdsId, ...values });
        summary.serviceAtLocations.created += 1;
      } else if (same(found.document, sal.document)) summary.serviceAtLocations.unchanged += 1;
      else {
        await tx.update(serviceAtLocations).set(values).where(eq(serviceAtLocations.id, found.id));
        summary.serviceAtLocations.updated += 1;
      }
    }
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

/**
 * The directory as HSDS: services nested with their organization and service_at_locations. Read
 * acting for the district (the public endpoints and the CLI alike), so nothing of another
 * district can appear in it.
 */
export async function exportDirectory(deps: Pick<Deps, 'db'>, districtId: string, filter: { q?: string | undefined } = {}) {
  const q = filter.q?.trim();
  const { services, orgs, sals, locations } = await withTenant(deps.db.app, { districtId }, async (tx) => {
    const services = await tx
      .select()
      .from(partnerServices)
      .where(
        and(
          eq(partnerServices.districtId, districtId),
          q ? or(ilike(partnerServices.name, `%${q}%`), ilike(partnerServices.description, `%${q}%`)) : undefined,
        ),
      )
      .orderBy(partnerServices.name);
    const orgs = new Map((await tx.select().from(partnerOrganizations).where(eq(partnerOrganizations.districtId, districtId))).map((o) => [o.id, o]));
    const sals = services.length
      ? await tx
          .select()
          .from(serviceAtLocations)
          .where(
            inArray(
              serviceAtLocations.serviceId,
              services.map((s) => s.id),
            ),
          )
      : [];
    const locations = new Map((await tx.select().from(partnerLocations).where(eq(partnerLocations.districtId, districtId))).map((l) => [l.id, l]));
    return { services, orgs, sals, locations };
  });
  return services.map((s) => {
    const org = orgs.get(s.organizationId);
    return {
      ...s.document,
      organization: org?.document ?? { id: org?.hsdsId ?? org?.id, name: org?.name },
      service_at_locations: sals.filter((l) => l.serviceId === s.id).map((l) => ({ ...l.document, location: locations.get(l.locationId)?.document })),
    };
  });
}
