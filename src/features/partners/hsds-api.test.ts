import fs from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict } from '../../../test/support/factories.ts';
import { fixture } from '../../../test/support/fixtures.ts';
import { component, expectApiAnswer, formString, fuzzRuns, nextAddress } from '../../../test/support/fuzz.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { partnerServices } from '../../data/directory.ts';
import { readNested } from './hsds.rules.ts';
import { exportDirectory, importDirectory, publishedDirectory, readHsds } from './hsds.service.ts';
import { pageOf } from './hsds-publish.rules.ts';

/**
 * A 211 aggregator reads Lakeside's partner directory through the HSDS 3.1 API, and every answer
 * is checked against Open Referral's compiled JSON schemas (test/fixtures/hsds-3.1/schema).
 */
let haven: TestHaven;
let lakeside: Awaited<ReturnType<typeof createDistrict>>;
let havenMade: { service: string; organization: string };
const schema = (name: string) => JSON.parse(fs.readFileSync(fixture(`hsds-3.1/schema/${name}.json`), 'utf8'));
const validators = {} as Record<'root' | 'service' | 'organization' | 'serviceAtLocation' | 'taxonomy' | 'taxonomyTerm', ValidateFunction> &
  Record<'services' | 'organizations' | 'serviceAtLocations' | 'taxonomies' | 'taxonomyTerms', ValidateFunction>;

const TEEN = '35e2e693-36ea-4f5c-a617-109fab809574';
const FAMILY = '2967d75d-9295-48e9-b167-d8388dded623';
const FRYC = '778a7491-16fd-4be9-9b6c-891ff9922035';
const COUNSELING_TERM = '7a38acb3-e8d8-4a7f-9d38-13ead335e3a7';

beforeAll(async () => {
  haven = await startTestHaven();
  lakeside = await createDistrict(haven.deps);
  for (const source of ['service_full.json', 'haven/organization-with-services.json', 'haven/datapackage'])
    await importDirectory(haven.deps, lakeside.district.id, await readHsds(fixture(`hsds-3.1/${source}`)), 'test');
  // A service and partner made in Haven itself: no HSDS document, no description, an id like "svc-...".
  havenMade = { service: (await addCounselingService(haven.deps, lakeside.district.id, lakeside.partnerId)).id, organization: lakeside.partnerId };
  const other = await createDistrict(haven.deps);
  await importDirectory(haven.deps, other.district.id, await readHsds(fixture('hsds-3.1/haven/service-at-location.json')), 'test');

  // The schemas are large (every nested object inlined); unoptimized code compiles several times faster.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false, code: { optimize: false } });
  addFormats(ajv);
  const openapi = schema('openapi');
  const service = schema('service');
  const term = service.properties.attributes.items.properties.taxonomy_term;
  const page = (items: object) => ({
    allOf: [openapi.components.schemas.Page],
    required: ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'],
    properties: { contents: { type: 'array', items } },
  });
  Object.assign(validators, {
    root: ajv.compile({ ...openapi.paths['/'].get.responses['200'].content['application/json'].schema, required: ['version', 'profile'] }),
    service: ajv.compile(service),
    organization: ajv.compile(schema('organization')),
    serviceAtLocation: ajv.compile(schema('service_at_location')),
    taxonomyTerm: ajv.compile(term),
    taxonomy: ajv.compile(term.properties.taxonomy_detail),
    services: ajv.compile(page(schema('service_list'))),
    organizations: ajv.compile(page(schema('organization_list'))),
    serviceAtLocations: ajv.compile(page(schema('service_at_location_list'))),
    taxonomies: ajv.compile(page(term.properties.taxonomy_detail)),
    taxonomyTerms: ajv.compile(page(term)),
  });
}, 240_000);
afterAll(() => haven.close());

const get = (path: string) => haven.app.inject({ method: 'GET', url: `/api/hsds/${lakeside.district.slug}${path}` });
const valid = (validate: ValidateFunction, value: unknown, what: string) => {
  expect(validate(value) ? [] : validate.errors?.slice(0, 5), `${what} is valid HSDS 3.1`).toEqual([]);
};

describe('the HSDS 3.1 API a 211 aggregator reads', () => {
  it('every endpoint answers valid HSDS 3.1, every page and every object by id; organizations carry their description', async () => {
    const root = await get('/');
    expect(root.json()).toEqual({ version: '3.1', profile: expect.stringMatching(/^https:\/\//), openapi_url: expect.stringMatching(/openapi\.json$/) });
    valid(validators.root, root.json(), '/');
    // The schemas do check: an organization without its description is not HSDS 3.1.
    expect(validators.organization({ id: FRYC, name: 'Front Range Youth Counseling' })).toBe(false);
    const lists = [
      ['services', validators.services, validators.service, 6],
      ['organizations', validators.organizations, validators.organization, 5],
      ['service_at_locations', validators.serviceAtLocations, validators.serviceAtLocation, 3],
      ['taxonomies', validators.taxonomies, validators.taxonomy, 2],
      ['taxonomy_terms', validators.taxonomyTerms, validators.taxonomyTerm, 3],
    ] as const;
    for (const [path, pageSchema, objectSchema, total] of lists) {
      const ids: string[] = [];
      for (let page = 1; ; page++) {
        const response = await get(`/${path}?per_page=2&page=${page}`);
        expect(response.statusCode, path).toBe(200);
        valid(pageSchema, response.json(), `/${path} page ${page}`);
        ids.push(...response.json().contents.map((c: { id: string }) => c.id));
        if (response.json().last_page) break;
      }
      expect(ids, path).toHaveLength(total);
      for (const id of ids) {
        const response = await get(`/${path}/${id}`);
        expect(response.statusCode, `/${path}/${id}`).toBe(200);
        valid(objectSchema, response.json(), `/${path}/${id}`);
        if (path === 'organizations') expect(typeof response.json().description).toBe('string');
      }
    }
    for (const service of await exportDirectory(haven.deps, lakeside.district.id)) valid(validators.service, service, `exported ${service.name}`);
  });

  it('records made in Haven are published under their own UUIDs, with the description HSDS requires', async () => {
    const organization = await get(`/organizations/${havenMade.organization}`);
    expect(organization.json()).toMatchObject({ id: havenMade.organization, name: 'Front Range Family Counseling', description: '' });
    expect(organization.json().services.map((s: { id: string }) => s.id)).toEqual([havenMade.service]);
    expect((await get(`/services/${havenMade.service}`)).json()).toMatchObject({
      name: 'Bilingual family counseling',
      organization_id: havenMade.organization,
    });
  });

  it('a partner’s open places, kept current in Haven, are what the directory says', async () => {
    const updated = new Date('2026-11-27T16:00:00Z');
    const capacity = (set: Partial<typeof partnerServices.$inferInsert>) =>
      haven.deps.db.system.update(partnerServices).set(set).where(eq(partnerServices.hsdsId, 'ac148810-d857-441c-9679-408f346de14b'));
    await capacity({ capacityAvailable: 3, capacityUpdatedAt: updated });
    try {
      const service = (await get('/services/ac148810-d857-441c-9679-408f346de14b')).json();
      expect(service.capacities[0]).toMatchObject({ available: 3, maximum: 10, updated: updated.toISOString() });
      valid(validators.service, service, 'the service with its current capacity');
      expect((await get('/services?modified_after=2026-11-01')).json().contents.map((s: { name: string }) => s.name)).toContain('Community Counselling');
    } finally {
      // As imported from the sample, for the other tests.
      await capacity({ capacityAvailable: 12, capacityUpdatedAt: new Date('2024-09-25T14:23:06.5+01:00') });
    }
  });

  it('answers are the published documents byte for byte, key order included, now that each goes through its schema', async () => {
    const published = await publishedDirectory(haven.deps, lakeside.district.id);
    const lists = [
      ['services', published.services],
      ['organizations', published.organizations],
      ['service_at_locations', published.serviceAtLocations],
      ['taxonomies', published.taxonomies],
      ['taxonomy_terms', published.taxonomyTerms],
    ] as const;
    for (const [path, items] of lists) {
      expect((await get(`/${path}`)).body, path).toBe(
        JSON.stringify(
          pageOf(
            items.map((item) => item.list),
            1,
            50,
          ),
        ),
      );
      for (const item of items) expect((await get(`/${path}/${item.id}`)).body, `/${path}/${item.id}`).toBe(JSON.stringify(item.full));
    }
    const legacy = await haven.app.inject({ method: 'GET', url: `/api/v1/hsds/services?district=${lakeside.district.slug}` });
    expect(legacy.body).toBe(JSON.stringify(published.services.map((s) => s.full)));
  });

  it('a field HSDS does not define, or a value of the wrong type, is not published; the rest of the object is', async () => {
    const sample = JSON.parse(fs.readFileSync(fixture('hsds-3.1/service_full.json'), 'utf8'));
    const phone = { ...sample.phones[0], extension: 'ext. 12' };
    const district = await createDistrict(haven.deps);
    const withExtras = { ...sample, caseworker_notes: 'Family asked about a sliding scale', phones: [phone, ...sample.phones.slice(1)] };
    await importDirectory(haven.deps, district.district.id, readNested(withExtras), 'test');
    for (const url of [`/api/hsds/${district.district.slug}/services/${sample.id}`, `/api/v1/hsds/services?district=${district.district.slug}`]) {
      const response = await haven.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      const service = [response.json()].flat()[0];
      expect(service, url).not.toHaveProperty('caseworker_notes');
      expect(service.phones[0], url).not.toHaveProperty('extension');
      expect(service.phones[0], url).toMatchObject({ id: phone.id, number: phone.number, type: 'voice' });
      valid(validators.service, service, url);
    }
  });

  it('the API is described in Haven’s OpenAPI document', async () => {
    const paths = Object.keys((await haven.app.inject({ method: 'GET', url: '/api/openapi.json' })).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/hsds/{district}/', '/api/hsds/{district}/services', '/api/hsds/{district}/services/{id}']));
  });

  it('pages: page and per_page move through the list; a page after the last is empty; bad values are a clear 400', async () => {
    const second = (await get('/services?per_page=2&page=2')).json();
    expect(second).toMatchObject({ total_items: 6, total_pages: 3, page_number: 2, size: 2, first_page: false, last_page: false, empty: false });
    const first = (await get('/services?per_page=2')).json();
    expect(first).toMatchObject({ page_number: 1, size: 2, first_page: true });
    expect(new Set([...first.contents, ...second.contents].map((s: { id: string }) => s.id)).size).toBe(4);
    expect((await get('/services')).json()).toMatchObject({ total_pages: 1, size: 6, first_page: true, last_page: true });
    expect((await get('/services?page=9')).json()).toMatchObject({ page_number: 9, size: 0, last_page: true, empty: true, contents: [] });
    for (const [query, detail] of [
      ['per_page=0', 'per_page must be a whole number from 1 to 100.'],
      ['per_page=101', 'per_page must be a whole number from 1 to 100.'],
      ['page=two', 'page must be a whole number from 1 to 100,000.'],
      ['modified_after=yesterday', 'modified_after must be a date, or a date and time, such as 2026-01-31T00:00:00Z.'],
      ['modified_after=2026-02-30', 'modified_after is not a real date.'],
      ['format=ndjson', 'format may only be json: this API does not stream ndjson.'],
    ]) {
      const response = await get(`/services?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().detail, query).toBe(detail);
    }
  });

  it('filters: search (any case, with or without accents), taxonomy_term_id, organization_id and modified_after, together', async () => {
    const names = async (query: string, path = 'services') =>
      (await get(`/${path}?${query}`)).json().contents.map((s: { name?: string; id: string }) => s.name ?? s.id);
    expect(await names('search=CONSEJERIA')).toEqual(['Bilingual teen counseling']);
    expect(await names(`taxonomy_term_id=${COUNSELING_TERM}`)).toEqual(['Bilingual teen counseling']);
    expect(await names(`organization_id=${FRYC}`)).toEqual(['Bilingual teen counseling', 'Family therapy']);
    // Changed since 2026 (last_modified), or with no known change time, so a sync never misses one.
    expect(await names('modified_after=2026-01-01')).toEqual([
      'After-school mentoring',
      'Bilingual family counseling',
      'Bilingual teen counseling',
      'Parenting classes',
    ]);
    expect(await names(`modified_after=2026-01-01T00:00:00Z&organization_id=${FRYC}&search=teen`)).toEqual(['Bilingual teen counseling']);
    expect(await names(`taxonomy_term_id=${COUNSELING_TERM}`, 'organizations')).toEqual(['Front Range Youth Counseling']);
    expect((await get(`/service_at_locations?organization_id=${FRYC}`)).json().contents.map((l: { service: { id: string } }) => l.service.id)).toEqual([TEEN]);
    expect(await names('search=parenting', 'taxonomy_terms')).toEqual(['Parenting education']);
  });

  it('an unknown id, another district’s object or an unknown directory is a 404 problem; the routes are public and rate-limited', async () => {
    for (const path of [`/services/${FAMILY.replace('2967', '0000')}`, '/services/not-an-id', '/service_at_locations/6814d2b0-0e08-4aad-8c8e-74582188e232']) {
      const response = await get(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const unknown = await haven.app.inject({ method: 'GET', url: '/api/hsds/no-such-district/services' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toBe('The directory "no-such-district" does not exist, or you do not have access to it.');
    const response = await get('/services');
    expect(response.headers['x-ratelimit-limit']).toBe('600');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('any query string or id answers a page, an object, or a clear 4xx problem; never a 5xx', async () => {
    const values = fc.oneof(
      fc.constantFrom('0', '1', '2', '100', '101', '-1', '1e3', ' 1', '2026-01-01', '2026-13-45T99:99Z', 'json', 'ndjson', COUNSELING_TERM, FRYC),
      fc.string({ maxLength: 30 }),
    );
    const keys = ['page', 'per_page', 'search', 'taxonomy_term_id', 'organization_id', 'modified_after', 'format'];
    const path = fc.constantFrom('services', 'organizations', 'service_at_locations', 'taxonomies', 'taxonomy_terms');
    await fc.assert(
      fc.asyncProperty(path, fc.option(component(), { nil: undefined }), formString(keys, values), async (list, id, query) => {
        const url = `/api/hsds/${lakeside.district.slug}/${list}${id === undefined ? '' : `/${id}`}?${query}`;
        const response = await haven.app.inject({ method: 'GET', url, remoteAddress: nextAddress() });
        expectApiAnswer(response, [200]);
        if (response.statusCode === 200 && id === undefined) expect(Array.isArray(response.json().contents)).toBe(true);
      }),
      fuzzRuns(150),
    );
  });
});
