/**
 * The HSDS 3.1 tabular datapackage (datapackage.json and one CSV per table) turned into the nested
 * documents `readRecords` reads: each child row is put inside its parent by its foreign key, as
 * the compiled schemas nest them. Pure: rows in, a directory out; a row Haven cannot take is
 * refused alone, named by file, line and column.
 */
import { type DirectoryIn, type Doc, HsdsUnreadable, isDoc, readRecords, type Shape } from './hsds.rules.ts';

/** A CSV table by its HSDS file name: each row's cells by column name, and the line it starts on. */
export type Tables = Map<string, { line: number; cells: Record<string, string> }[]>;
/** Column types a datapackage.json declares (Frictionless Table Schema), by file and column. */
export type DeclaredTypes = Map<string, Map<string, string>>;

/** Other names publishers give the same tables. */
const aliases: Record<string, string> = {
  'service_at_locations.csv': 'service_at_location.csv',
  'service_capacities.csv': 'service_capacity.csv',
  'urls.csv': 'url.csv',
  'fundings.csv': 'funding.csv',
  'taxonomy_term.csv': 'taxonomy_terms.csv',
};
/** The table a file holds, by its base name in any letter case. */
export const tableName = (fileName: string) => {
  const base = (fileName.split(/[\\/]/).pop() ?? '').toLowerCase();
  return aliases[base] ?? base;
};

/** Tables an HSDS directory cannot be read without an `id` column. */
const coreTables = ['organizations.csv', 'services.csv', 'locations.csv', 'service_at_location.csv'];

/** Number columns of HSDS 3.1 (compiled schemas), used when no datapackage.json declares types. */
const numberColumns: Record<string, string[]> = {
  'organizations.csv': ['year_incorporated'],
  'services.csv': ['minimum_age', 'maximum_age'],
  'locations.csv': ['latitude', 'longitude'],
  'phones.csv': ['extension'],
  'schedules.csv': ['count', 'interval', 'timezone'],
  'cost_options.csv': ['amount'],
  'service_capacity.csv': ['available', 'maximum'],
};

/** Child table -> the foreign key that places each row in a list of its parent (HSDS 3.1 compiled schemas). */
const lists: [child: string, key: string, parent: string, property: string][] = [
  ['services.csv', 'organization_id', 'organizations.csv', 'services'],
  ['service_at_location.csv', 'service_id', 'services.csv', 'service_at_locations'],
  ['locations.csv', 'organization_id', 'organizations.csv', 'locations'],
  ['phones.csv', 'service_id', 'services.csv', 'phones'],
  ['phones.csv', 'organization_id', 'organizations.csv', 'phones'],
  ['phones.csv', 'location_id', 'locations.csv', 'phones'],
  ['phones.csv', 'contact_id', 'contacts.csv', 'phones'],
  ['phones.csv', 'service_at_location_id', 'service_at_location.csv', 'phones'],
  ['languages.csv', 'service_id', 'services.csv', 'languages'],
  ['languages.csv', 'location_id', 'locations.csv', 'languages'],
  ['languages.csv', 'phone_id', 'phones.csv', 'languages'],
  ['schedules.csv', 'service_id', 'services.csv', 'schedules'],
  ['schedules.csv', 'location_id', 'locations.csv', 'schedules'],
  ['schedules.csv', 'service_at_location_id', 'service_at_location.csv', 'schedules'],
  ['service_areas.csv', 'service_id', 'services.csv', 'service_areas'],
  ['service_areas.csv', 'service_at_location_id', 'service_at_location.csv', 'service_areas'],
  ['contacts.csv', 'organization_id', 'organizations.csv', 'contacts'],
  ['contacts.csv', 'service_id', 'services.csv', 'contacts'],
  ['contacts.csv', 'location_id', 'locations.csv', 'contacts'],
  ['contacts.csv', 'service_at_location_id', 'service_at_location.csv', 'contacts'],
  ['addresses.csv', 'location_id', 'locations.csv', 'addresses'],
  ['accessibility.csv', 'location_id', 'locations.csv', 'accessibility'],
  ['cost_options.csv', 'service_id', 'services.csv', 'cost_options'],
  ['funding.csv', 'organization_id', 'organizations.csv', 'funding'],
  ['funding.csv', 'service_id', 'services.csv', 'funding'],
  ['required_documents.csv', 'service_id', 'services.csv', 'required_documents'],
  ['service_capacity.csv', 'service_id', 'services.csv', 'capacities'],
  ['url.csv', 'organization_id', 'organizations.csv', 'additional_websites'],
  ['url.csv', 'service_id', 'services.csv', 'additional_urls'],
  ['organization_identifiers.csv', 'organization_id', 'organizations.csv', 'organization_identifiers'],
  ['programs.csv', 'organization_id', 'organizations.csv', 'programs'],
];

/** Row -> the one object its key names, placed inside the row (`service.program`, `attribute.taxonomy_term`). */
const references: [table: string, key: string, target: string, property: string][] = [
  ['service_at_location.csv', 'location_id', 'locations.csv', 'location'],
  ['services.csv', 'program_id', 'programs.csv', 'program'],
  ['service_capacity.csv', 'unit_id', 'units.csv', 'unit'],
  ['attributes.csv', 'taxonomy_term_id', 'taxonomy_terms.csv', 'taxonomy_term'],
  ['taxonomy_terms.csv', 'taxonomy_id', 'taxonomies.csv', 'taxonomy_detail'],
];

/**
 * What an attribute's `link_entity` or a metadata row's `resource_type` may name. Attributes never
 * attach to attributes or taxonomy terms, so no row can end up inside itself.
 */
const linkable: Record<string, string> = {
  organization: 'organizations.csv',
  service: 'services.csv',
  location: 'locations.csv',
  service_at_location: 'service_at_location.csv',
  phone: 'phones.csv',
  contact: 'contacts.csv',
  schedule: 'schedules.csv',
  service_area: 'service_areas.csv',
  language: 'languages.csv',
  address: 'addresses.csv',
  accessibility: 'accessibility.csv',
  cost_option: 'cost_options.csv',
  funding: 'funding.csv',
  required_document: 'required_documents.csv',
  program: 'programs.csv',
  organization_identifier: 'organization_identifiers.csv',
  service_capacity: 'service_capacity.csv',
  unit: 'units.csv',
  url: 'url.csv',
};
/** Every table of the HSDS 3.1 datapackage; other CSV files beside them are not read. */
export const hsdsTables = new Set([
  ...lists.flatMap(([child, , parent]) => [child, parent]),
  ...references.flatMap(([table, , target]) => [table, target]),
  ...Object.values(linkable),
  'attributes.csv',
  'metadata.csv',
]);

const linkTarget = (entity: unknown) => {
  const name = String(entity ?? '')
    .toLowerCase()
    .replace(/\.csv$/, '');
  return linkable[name] ?? linkable[name.replace(/s$/, '')] ?? Object.values(linkable).find((file) => file === `${name}.csv`);
};

/** A Frictionless typed value from a CSV cell, or why it is not one. */
function typed(value: string, type: string): { value: unknown } | { problem: string } {
  if (type === 'integer')
    return /^[+-]?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? { value: Number(value) } : { problem: `is "${value}": it must be a whole number` };
  if (type === 'number') {
    const n = Number(value);
    return value.trim() !== '' && Number.isFinite(n) ? { value: n } : { problem: `is "${value}": it must be a number` };
  }
  if (type === 'boolean') {
    if (/^(true|1|yes)$/i.test(value)) return { value: true };
    if (/^(false|0|no)$/i.test(value)) return { value: false };
    return { problem: `is "${value}": it must be true or false` };
  }
  return { value };
}

/** The column types a datapackage.json declares, by table; what it does not declare is a string. */
export function declaredTypes(descriptor: unknown): DeclaredTypes {
  const types: DeclaredTypes = new Map();
  const resources = isDoc(descriptor) && Array.isArray(descriptor.resources) ? descriptor.resources : [];
  for (const resource of resources.filter(isDoc)) {
    const file = tableName(String(resource.path ?? `${resource.name ?? ''}.csv`));
    const fields = isDoc(resource.schema) && Array.isArray(resource.schema.fields) ? resource.schema.fields.filter(isDoc) : [];
    types.set(file, new Map(fields.map((f) => [String(f.name ?? '').toLowerCase(), String(f.type ?? 'string')])));
  }
  return types;
}

/**
 * Reads the datapackage's tables into a directory. Organizations nest their services, services
 * their service_at_locations, and so on; a service or service_at_location whose parent is not in
 * the package stands alone (its parent may already be in Haven's directory).
 */
export function readTables(tables: Tables, declared: DeclaredTypes = new Map()): DirectoryIn {
  for (const file of coreTables) {
    const rows = tables.get(file);
    if (rows?.length && !rows.some((r) => 'id' in r.cells)) throw new HsdsUnreadable(`${file} has no "id" column, so none of its rows can be read.`);
  }
  const origins = new WeakMap<Doc, string>();
  const rejected: DirectoryIn['rejected'] = [];
  const docs = new Map<string, Doc[]>();
  const byId = new Map<string, Map<string, Doc>>();
  for (const [file, rows] of tables) {
    const list: Doc[] = [];
    const index = new Map<string, Doc>();
    for (const { line, cells } of rows) {
      const record = `${file} line ${line}`;
      const doc: Doc = {};
      let refused = false;
      for (const [column, cell] of Object.entries(cells)) {
        if (cell === '') continue; // an empty cell is an absent value
        const type = declared.get(file)?.get(column) ?? (numberColumns[file]?.includes(column) ? 'number' : 'string');
        const result = typed(cell, type);
        if ('problem' in result) {
          rejected.push({ record, field: column, reason: result.problem });
          refused = true;
          break;
        }
        doc[column] = result.value;
      }
      if (refused) continue;
      origins.set(doc, record);
      list.push(doc);
      if (typeof doc.id === 'string' && !index.has(doc.id)) index.set(doc.id, doc);
    }
    docs.set(file, list);
    byId.set(file, index);
  }
  const placed = new Set<Doc>();
  const used = new Set<Doc>();
  const place = (child: Doc, parent: Doc | undefined, property: string) => {
    if (!parent) return;
    used.add(child);
    const list = Array.isArray(parent[property]) ? (parent[property] as unknown[]) : [];
    list.push(child);
    parent[property] = list;
    placed.add(child);
  };
  for (const [child, key, parent, property] of lists)
    for (const doc of docs.get(child) ?? []) if (typeof doc[key] === 'string') place(doc, byId.get(parent)?.get(doc[key] as string), property);
  for (const [table, key, target, property] of references)
    for (const doc of docs.get(table) ?? []) {
      const found = typeof doc[key] === 'string' ? byId.get(target)?.get(doc[key] as string) : undefined;
      if (found) {
        doc[property] = found;
        used.add(found);
      }
    }
  const polymorphic: [table: string, key: string, entity: string, property: string][] = [
    ['attributes.csv', 'link_id', 'link_entity', 'attributes'],
    ['metadata.csv', 'resource_id', 'resource_type', 'metadata'],
  ];
  for (const [table, key, entity, property] of polymorphic)
    for (const doc of docs.get(table) ?? []) {
      const target = linkTarget(doc[entity]);
      const candidates = target ? [target] : ['services.csv', 'organizations.csv', 'locations.csv', 'service_at_location.csv'];
      const parent = candidates.map((file) => byId.get(file)?.get(String(doc[key]))).find(Boolean);
      place(doc, parent, property);
    }
  // A row that lands nowhere would vanish silently: it is named instead.
  for (const [file, list] of docs)
    if (!['organizations.csv', 'services.csv', 'service_at_location.csv'].includes(file))
      for (const doc of list.filter((d) => !used.has(d)))
        rejected.push({
          record: origins.get(doc) ?? file,
          field:
            Object.keys(doc)
              .filter((k) => k.endsWith('_id') || k === 'resource_type' || k === 'link_entity')
              .join(', ') || 'id',
          reason: 'links to nothing in the package, so it was not imported',
        });
  const records: { value: unknown; path: string; shape: Shape }[] = [
    ...(docs.get('organizations.csv') ?? []).map((value) => ({ value, path: '', shape: 'organization' as const })),
    ...(docs.get('services.csv') ?? []).filter((d) => !placed.has(d)).map((value) => ({ value, path: '', shape: 'service' as const })),
    ...(docs.get('service_at_location.csv') ?? []).filter((d) => !placed.has(d)).map((value) => ({ value, path: '', shape: 'service_at_location' as const })),
  ];
  const read = readRecords(records, (doc) => origins.get(doc));
  read.rejected.unshift(...rejected);
  return read;
}
