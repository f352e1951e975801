/**
 * The directory as HSDS 3.1 publishes it (https://docs.openreferral.org/en/3.1/hsds/api_reference.html):
 * full objects for `/{type}/{id}` and the export, one-to-one "list" objects for the pages of
 * `/{type}`, the filters a 211 aggregator sends, and the page object. Pure: stored rows in, HSDS
 * out. Every object carries what the 3.1 schemas require, so an aggregator that validates takes it.
 */
import { type Doc, isDoc, isUuid } from './hsds.rules.ts';

export type StoredDirectory = {
  organizations: {
    id: string;
    hsdsId: string | null;
    name: string;
    description: string | null;
    website: string | null;
    email: string | null;
    document: Doc | null;
  }[];
  services: {
    id: string;
    hsdsId: string;
    organizationId: string;
    name: string;
    status: string;
    description: string | null;
    capacityAvailable: number | null;
    capacityUpdatedAt: Date | null;
    document: Doc;
  }[];
  locations: { id: string; hsdsId: string; document: Doc }[];
  serviceAtLocations: { id: string; hsdsId: string; serviceId: string; locationId: string; document: Doc }[];
};

/** One published object: its full and list forms, and what the filters look at. */
export type Published = {
  id: string;
  full: Doc;
  list: Doc;
  /** Lower-cased, accents removed: what `search` matches. */
  text: string;
  organizationId: string | null;
  /** Taxonomy terms on the object itself (and, for a service_at_location, its service's). */
  termIds: Set<string>;
  /** Latest change HSDS records (last_modified, metadata) or Haven does (capacity); null when none is known. */
  modifiedAt: number | null;
};

export type PublishedDirectory = {
  services: Published[];
  organizations: Published[];
  serviceAtLocations: Published[];
  taxonomyTerms: Published[];
  taxonomies: Published[];
};

/**
 * The id an object is published under: its HSDS id when it came from HSDS, else Haven's own row id
 * (records made in Haven carry ids like `demo-1a2b`, and HSDS 3.1 ids must be UUIDs). The import
 * matches on the same id, so an export re-imported changes nothing.
 */
export const publishedId = (row: { id: string; hsdsId: string | null }) => (isUuid(row.hsdsId) ? row.hsdsId : row.id);

/** The fields with one value (no lists, no nested objects): HSDS list endpoints show these. */
export function oneToOne(doc: Doc): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object'));
}

/** Text as `search` compares it: lower case, accents removed, so "psicologo" finds "Psicólogo". */
export const fold = (...parts: unknown[]) =>
  parts
    .filter((p) => typeof p === 'string')
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();

const time = (v: unknown) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : null);
const latest = (...times: (number | null)[]) => times.reduce<number | null>((a, b) => (b === null ? a : a === null ? b : Math.max(a, b)), null);
const metadataTime = (doc: Doc) => latest(...(Array.isArray(doc.metadata) ? doc.metadata.filter(isDoc).map((m) => time(m.last_action_date)) : []));
const termsOf = (doc: Doc) =>
  new Set(
    (Array.isArray(doc.attributes) ? doc.attributes.filter(isDoc) : []).flatMap((a) =>
      [a.taxonomy_term_id, isDoc(a.taxonomy_term) ? a.taxonomy_term.id : undefined].filter((t): t is string => typeof t === 'string'),
    ),
  );

/** A website as HSDS requires it (an absolute URI): "example.org" becomes "https://example.org"; anything else is left out. */
export function websiteUri(value: string | null): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  for (const candidate of [text, `https://${text}`])
    try {
      const url = new URL(candidate);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.')) return candidate;
    } catch {}
  return undefined;
}
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A location's `location_type` is required in 3.1; a document without one is published as
 * `virtual` when it has only a web address, else `physical`.
 */
function locationFull(row: { id: string; hsdsId: string; document: Doc }): Doc {
  const doc = row.document;
  const placeless = doc.latitude === undefined && doc.longitude === undefined && !Array.isArray(doc.addresses) && typeof doc.url === 'string';
  return { ...doc, id: publishedId(row), location_type: doc.location_type ?? (placeless ? 'virtual' : 'physical') };
}

const byName = (a: Published, b: Published) => String(a.full.name ?? '').localeCompare(String(b.full.name ?? '')) || a.id.localeCompare(b.id);

/** Builds every published object of a district's directory, ordered by name for stable pages. */
export function publishDirectory(stored: StoredDirectory): PublishedDirectory {
  const organizationRows = new Map(stored.organizations.map((o) => [o.id, o]));
  const locationRows = new Map(stored.locations.map((l) => [l.id, l]));
  const serviceRows = new Map(stored.services.map((s) => [s.id, s]));

  const organizationFull = (row: StoredDirectory['organizations'][number]): Doc => {
    const { services: _s, ...doc } = row.document ?? {};
    const website = websiteUri(row.website);
    return {
      ...(row.document ? {} : { ...(website ? { website } : {}), ...(row.email && emailPattern.test(row.email) ? { email: row.email } : {}) }),
      ...doc,
      id: publishedId(row),
      name: row.name,
      // Required in 3.1; an organization made in Haven may have none yet.
      description: typeof doc.description === 'string' ? doc.description : (row.description ?? ''),
    };
  };
  const organizations = new Map(stored.organizations.map((row) => [row.id, organizationFull(row)]));

  /** The service without its service_at_locations: what a service_at_location and an organization nest. */
  const serviceCore = (row: StoredDirectory['services'][number]): Doc => {
    const { service_at_locations: _l, organization: _o, ...doc } = row.document;
    const capacities = Array.isArray(doc.capacities) ? doc.capacities : undefined;
    const first = capacities?.[0];
    // Partners keep their open places current in Haven; the first capacity says so once it differs.
    const current =
      isDoc(first) && row.capacityAvailable !== null && first.available !== row.capacityAvailable
        ? [{ ...first, available: row.capacityAvailable, updated: row.capacityUpdatedAt?.toISOString() ?? first.updated }, ...(capacities ?? []).slice(1)]
        : capacities;
    const organizationRow = organizationRows.get(row.organizationId);
    return {
      ...doc,
      id: publishedId(row),
      name: row.name,
      status: row.status,
      ...(doc.description === undefined && row.description ? { description: row.description } : {}),
      ...(organizationRow ? { organization_id: publishedId(organizationRow) } : {}),
      ...(current ? { capacities: current } : {}),
      ...(organizationRow ? { organization: organizations.get(organizationRow.id) } : {}),
    };
  };
  const serviceList = (core: Doc): Doc => ({
    ...oneToOne(core),
    ...(isDoc(core.organization) ? { organization: oneToOne(core.organization) } : {}),
    ...(isDoc(core.program) ? { program: oneToOne(core.program) } : {}),
  });

  const salsByService = new Map<string, StoredDirectory['serviceAtLocations']>();
  for (const sal of stored.serviceAtLocations) salsByService.set(sal.serviceId, [...(salsByService.get(sal.serviceId) ?? []), sal]);
  const salFull = (sal: StoredDirectory['serviceAtLocations'][number]): Doc => {
    const location = locationRows.get(sal.locationId);
    const service = serviceRows.get(sal.serviceId);
    const { location: _l, service: _s, ...doc } = sal.document;
    return {
      ...doc,
      id: publishedId(sal),
      ...(service ? { service_id: publishedId(service) } : {}),
      ...(location ? { location_id: publishedId(location), location: locationFull(location) } : {}),
    };
  };

  const services: Published[] = stored.services.map((row) => {
    const core = serviceCore(row);
    return {
      id: core.id as string,
      full: { ...core, service_at_locations: (salsByService.get(row.id) ?? []).map(salFull) },
      list: serviceList(core),
      text: fold(core.name, core.alternate_name, core.description),
      organizationId: (core.organization_id as string | undefined) ?? null,
      termIds: termsOf(core),
      modifiedAt: latest(time(core.last_modified), metadataTime(core), row.capacityUpdatedAt?.getTime() ?? null),
    };
  });
  const servicesByRow = new Map(stored.services.map((row, i) => [row.id, services[i] as Published]));

  const serviceAtLocations: Published[] = stored.serviceAtLocations.flatMap((sal) => {
    const service = servicesByRow.get(sal.serviceId);
    const row = serviceRows.get(sal.serviceId);
    if (!service || !row) return [];
    const full = salFull(sal);
    const core = serviceCore(row);
    const location = isDoc(full.location) ? full.location : undefined;
    return [
      {
        id: full.id as string,
        full: { ...full, service: core },
        list: { ...oneToOne(full), ...(location ? { location: oneToOne(location) } : {}), service: serviceList(core) },
        text: fold(service.text, location?.name, full.description),
        organizationId: service.organizationId,
        termIds: new Set([...termsOf(full), ...service.termIds]),
        modifiedAt: latest(service.modifiedAt, metadataTime(full), location ? metadataTime(location) : null),
      },
    ];
  });

  const servicesByOrganization = new Map<string, Published[]>();
  for (const row of stored.services)
    servicesByOrganization.set(row.organizationId, [...(servicesByOrganization.get(row.organizationId) ?? []), servicesByRow.get(row.id) as Published]);
  const organizationsOut: Published[] = stored.organizations.map((row) => {
    const full = organizations.get(row.id) as Doc;
    const own = [...(servicesByOrganization.get(row.id) ?? [])].sort(byName);
    return {
      id: full.id as string,
      full: { ...full, services: own.map((s) => s.list) },
      list: oneToOne(full),
      text: fold(full.name, full.alternate_name, full.description),
      organizationId: full.id as string,
      termIds: new Set([...termsOf(full), ...own.flatMap((s) => [...s.termIds])]),
      modifiedAt: latest(metadataTime(full), ...own.map((s) => s.modifiedAt)),
    };
  });

  // Taxonomy terms and taxonomies are those the directory's attributes use.
  const terms = new Map<string, Doc>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (isDoc(value)) {
      if (isDoc(value.taxonomy_term) && isUuid(value.taxonomy_term.id) && !terms.has(value.taxonomy_term.id))
        terms.set(value.taxonomy_term.id, value.taxonomy_term);
      for (const [key, inner] of Object.entries(value)) if (key !== 'taxonomy_term') collect(inner);
    }
  };
  for (const s of services) collect(s.full);
  for (const o of organizationsOut) collect(o.full);
  const taxonomies = new Map<string, Doc>();
  const taxonomyOut = (t: Doc): Doc => ({ ...t, name: t.name ?? '', description: t.description ?? '' });
  const termsOut: Published[] = [...terms.values()].map((term) => {
    if (isDoc(term.taxonomy_detail) && isUuid(term.taxonomy_detail.id) && !taxonomies.has(term.taxonomy_detail.id))
      taxonomies.set(term.taxonomy_detail.id, term.taxonomy_detail);
    const full: Doc = {
      ...term,
      name: term.name ?? term.code ?? '',
      description: term.description ?? '',
      ...(isDoc(term.taxonomy_detail) ? { taxonomy_detail: taxonomyOut(term.taxonomy_detail) } : {}),
    };
    return {
      id: term.id as string,
      full,
      list: full,
      text: fold(full.name, full.code, full.description),
      organizationId: null,
      termIds: new Set(),
      modifiedAt: null,
    };
  });
  const taxonomiesOut: Published[] = [...taxonomies.values()].map((t) => {
    const full = taxonomyOut(t);
    return { id: t.id as string, full, list: full, text: fold(full.name, full.description), organizationId: null, termIds: new Set(), modifiedAt: null };
  });

  const bySal = (a: Published, b: Published) =>
    String((a.full.service as Doc).name).localeCompare(String((b.full.service as Doc).name)) || a.id.localeCompare(b.id);
  return {
    services: services.sort(byName),
    organizations: organizationsOut.sort(byName),
    serviceAtLocations: serviceAtLocations.sort(bySal),
    taxonomyTerms: termsOut.sort(byName),
    taxonomies: taxonomiesOut.sort(byName),
  };
}

/** The filters HSDS documents for list endpoints; they are cumulative (all must hold). */
export type ListFilter = {
  search?: string | undefined;
  taxonomyTermId?: string | undefined;
  organizationId?: string | undefined;
  modifiedAfter?: Date | undefined;
};

/**
 * Keeps what every filter allows. `search` matches words in any case and with or without accents
 * ("psicologo" finds "Psicólogo"). `modified_after` keeps objects changed on or after that time and
 * those whose change time is unknown, so an aggregator syncing by time never misses a change.
 */
export function filterPublished(items: Published[], filter: ListFilter): Published[] {
  const words = fold(filter.search ?? '')
    .split(/\s+/)
    .filter(Boolean);
  const after = filter.modifiedAfter?.getTime();
  return items.filter(
    (item) =>
      words.every((w) => item.text.includes(w)) &&
      (filter.taxonomyTermId === undefined || item.termIds.has(filter.taxonomyTermId)) &&
      (filter.organizationId === undefined || item.organizationId === filter.organizationId) &&
      (after === undefined || item.modifiedAt === null || item.modifiedAt >= after),
  );
}

/** The HSDS 3.1 page object (API reference, "Lists"). */
export type HsdsPage = {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: Doc[];
};

/** One page of `items`; a page after the last is empty, not an error, as aggregators page until `last_page`. */
export function pageOf(items: Doc[], page: number, perPage: number): HsdsPage {
  const totalPages = Math.ceil(items.length / perPage);
  const contents = items.slice((page - 1) * perPage, page * perPage);
  return {
    total_items: items.length,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}
