import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/support/fixtures.ts';
import { HsdsUnreadable, isUuid, readNested, shapeOf } from './hsds.rules.ts';
import { filterPublished, fold, type Published, pageOf, websiteUri } from './hsds-publish.rules.ts';
import { readTables } from './hsds-tables.rules.ts';

const haven = (name: string) => JSON.parse(fs.readFileSync(fixture(`hsds-3.1/haven/${name}`), 'utf8'));
const FRYC = '778a7491-16fd-4be9-9b6c-891ff9922035';

describe('every shape HSDS 3.1 is published in', () => {
  it.each([
    [{ id: 'x', name: 'Counseling', status: 'active' }, 'service'],
    [{ id: 'x', name: 'Counseling', description: 'Talk' }, 'service'],
    [{ id: 'x', name: 'Agency', services: [] }, 'organization'],
    [{ id: 'x', name: 'Agency', website: 'https://a.example' }, 'organization'],
    [{ id: 'x', service_id: 'y', location_id: 'z' }, 'service_at_location'],
    [{ id: 'x', service: {}, location: {} }, 'service_at_location'],
    [{ total_items: 1, page_number: 1, contents: [] }, 'page'],
  ])('%j is read as a %s', (doc, shape) => {
    expect(shapeOf(doc)).toBe(shape);
  });

  it('an organization is the parent of the services nested in it; a refused service is named by its path and field', () => {
    const read = readNested(haven('organization-with-services.json'));
    expect([...read.organizations.keys()]).toEqual([FRYC]);
    expect([...read.services.values()].map((s) => [s.document.name, s.organizationId])).toEqual([
      ['Bilingual teen counseling', FRYC],
      ['Family therapy', FRYC],
    ]);
    // The organization's own location is where its service_at_location (given by location_id) is.
    expect([...read.locations.keys()]).toEqual(['87e321a2-69ab-4090-941c-8fa7d1e8a0ea']);
    expect([...read.serviceAtLocations.values()][0]).toMatchObject({
      serviceId: '35e2e693-36ea-4f5c-a617-109fab809574',
      locationId: '87e321a2-69ab-4090-941c-8fa7d1e8a0ea',
    });
    expect(read.rejected).toEqual([
      { record: '$.services[2]', field: 'id', reason: 'is not a UUID ("FRYC-003")' },
      {
        record: '$.services[3]',
        field: 'organization_id',
        reason: `is "d1709121-8654-495e-8e1f-6c73732c4f97", but the service is nested in organization ${FRYC}`,
      },
    ]);
  });

  it('a list of services, a service_at_location and an API page each give their services', () => {
    const list = readNested(haven('services-list.json'));
    expect([...list.services.keys()]).toEqual(['0c0582b5-2997-45b9-9761-1d0d2cc533e3', '96fe4a44-92ff-4e0e-be4d-ef5057608f0d']);
    expect(list.rejected).toEqual([{ record: '$[1]', field: 'minimum_age', reason: 'is "twelve": it must be an age in years' }]);

    const sal = readNested(haven('service-at-location.json'));
    expect([...sal.services.values()].map((s) => s.organizationId)).toEqual(['9c124dff-a50a-474d-9b95-7f0da6a53763']);
    expect([...sal.serviceAtLocations.values()][0]).toMatchObject({
      serviceId: 'c26000e3-cfb6-46ff-987b-4af287075d75',
      locationId: '688efdd6-f261-479f-bf0c-d747214b3fe3',
    });

    const page = readNested({ total_items: 1, total_pages: 1, page_number: 1, contents: [haven('service-at-location.json').service] });
    expect([...page.services.keys()]).toEqual(['c26000e3-cfb6-46ff-987b-4af287075d75']);
  });

  it('names what is wrong in plain words: a missing name, an unknown status, a value that is not an object', () => {
    const id = '0b5f8a8e-1111-4111-8111-111111111111';
    const read = readNested([{ id, organization_id: FRYC, status: 'active' }, { id, organization_id: FRYC, name: 'Open', status: 'open' }, 'text']);
    expect(read.rejected).toEqual([
      { record: '$[0]', field: 'name', reason: 'is missing: a name is required' },
      { record: '$[1]', field: 'status', reason: 'is "open": it must be one of active, inactive, defunct, temporarily closed' },
      { record: '$[2]', field: '', reason: 'is "text", not an HSDS object' },
    ]);
  });
});

describe('the tabular datapackage', () => {
  const rows = (file: string, ...cells: Record<string, string>[]) => [file, cells.map((c, i) => ({ line: i + 2, cells: c }))] as const;
  it('nests rows by their keys, names a row it cannot type by file, line and column, and a row that links to nothing', () => {
    const service = '7ce72dfc-1d29-4af1-901d-ea1739d4d66f';
    const read = readTables(
      new Map([
        rows('organizations.csv', { id: FRYC, name: 'Front Range Youth Counseling' }),
        rows(
          'services.csv',
          { id: service, organization_id: FRYC, name: 'Parenting classes', minimum_age: '10' },
          { id: 'x', name: 'Homework', maximum_age: 'ten' },
        ),
        rows('phones.csv', { id: 'p1', service_id: service, number: '303-555-0142' }),
        // An attribute may not attach to an attribute (it would end up inside itself).
        rows('attributes.csv', { id: 'a1', link_id: 'a1', link_entity: 'attribute' }),
      ]),
    );
    expect(read.services.get(service)?.document).toMatchObject({ minimum_age: 10, phones: [{ number: '303-555-0142' }], organization_id: FRYC });
    expect(read.rejected).toEqual([
      { record: 'services.csv line 3', field: 'maximum_age', reason: 'is "ten": it must be a number' },
      { record: 'attributes.csv line 2', field: 'link_id, link_entity', reason: 'links to nothing in the package, so it was not imported' },
    ]);
  });
});

describe('whatever a file holds', () => {
  const id = fc.oneof(fc.uuid(), fc.constantFrom('x', '', FRYC), fc.string({ maxLength: 8 }));
  const hsdsLike = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.jsonValue({ maxDepth: 2 }),
      fc.record(
        {
          id,
          name: fc.oneof(fc.string(), fc.integer()),
          status: fc.constantFrom('active', 'closed', 3),
          organization_id: id,
          service_id: id,
          location_id: id,
          minimum_age: fc.oneof(fc.integer(), fc.string(), fc.double()),
          services: fc.array(tie('value'), { maxLength: 3 }),
          service_at_locations: fc.array(tie('value'), { maxLength: 3 }),
          organization: tie('value'),
          location: tie('value'),
          service: tie('value'),
          contents: fc.array(tie('value'), { maxLength: 3 }),
        },
        { requiredKeys: [] },
      ),
      fc.array(tie('value'), { maxLength: 4 }),
    ),
  })).value;

  it('JSON of any shape is read into records with UUIDs, or refusals that say where and why; never a crash', () => {
    fc.assert(
      fc.property(hsdsLike, (input) => {
        const read = readNested(input);
        for (const r of read.rejected) expect(typeof r.record === 'string' && typeof r.field === 'string' && r.reason.length > 5).toBe(true);
        for (const [key, service] of read.services) expect(isUuid(key) && isUuid(service.organizationId)).toBe(true);
        for (const [key, sal] of read.serviceAtLocations) expect(isUuid(key) && isUuid(sal.serviceId) && isUuid(sal.locationId)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV rows with any cells are read or refused row by row; only a table without ids stops the package', () => {
    const cells = fc.dictionary(
      fc.constantFrom('id', 'name', 'organization_id', 'service_id', 'location_id', 'link_id', 'link_entity', 'minimum_age', 'latitude', 'taxonomy_term_id'),
      fc.oneof(id, fc.string({ maxLength: 6 })),
    );
    const file = fc.constantFrom(
      'organizations.csv',
      'services.csv',
      'locations.csv',
      'service_at_location.csv',
      'phones.csv',
      'attributes.csv',
      'taxonomy_terms.csv',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(file, fc.array(cells, { maxLength: 4 })), { maxLength: 5 }), (tables) => {
        const input = new Map(tables.map(([name, rows]) => [name, rows.map((c, i) => ({ line: i + 2, cells: c }))]));
        try {
          const read = readTables(input);
          JSON.stringify([...read.services.values()]); // nothing ends up inside itself
        } catch (error) {
          expect(error).toBeInstanceOf(HsdsUnreadable);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('publishing', () => {
  const item = (name: string, modifiedAt: number | null): Published => ({
    id: name,
    full: { name },
    list: { name },
    text: fold(name),
    organizationId: null,
    termIds: new Set(),
    modifiedAt,
  });

  it.each([
    [5, 1, 2, { total_items: 5, total_pages: 3, page_number: 1, size: 2, first_page: true, last_page: false, empty: false }],
    [5, 3, 2, { total_items: 5, total_pages: 3, page_number: 3, size: 1, first_page: false, last_page: true, empty: false }],
    [5, 4, 2, { total_items: 5, total_pages: 3, page_number: 4, size: 0, first_page: false, last_page: true, empty: true }],
    [0, 1, 50, { total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true }],
  ])('%i items, page %i of %i a page', (count, page, perPage, expected) => {
    expect(
      pageOf(
        Array.from({ length: count }, (_, i) => ({ i })),
        page,
        perPage,
      ),
    ).toMatchObject(expected);
  });

  it('search ignores case and accents; modified_after keeps what changed since and what has no known time', () => {
    const items = [item('Psicólogo escolar', Date.parse('2026-02-01')), item('Family therapy', Date.parse('2025-01-01')), item('Mentoring', null)];
    expect(filterPublished(items, { search: 'PSICOLOGO' }).map((i) => i.id)).toEqual(['Psicólogo escolar']);
    expect(filterPublished(items, { modifiedAfter: new Date('2026-01-01') }).map((i) => i.id)).toEqual(['Psicólogo escolar', 'Mentoring']);
  });

  it.each([
    ['https://fryc.example.org', 'https://fryc.example.org'],
    ['fryc.example.org', 'https://fryc.example.org'],
    ['call us', undefined],
    [null, undefined],
  ])('website %j is published as %j', (website, uri) => {
    expect(websiteUri(website)).toBe(uri);
  });
});
