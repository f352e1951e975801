import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';
import { findDistrictBySlug } from '../districts/index.ts';
import {
  hsdsListed,
  hsdsOrganization,
  hsdsPage,
  hsdsRootAnswer,
  hsdsSerializer,
  hsdsService,
  hsdsServiceAtLocation,
  hsdsTaxonomy,
  hsdsTaxonomyTerm,
} from './hsds.schema.ts';
import { directoryDistrict, publishedDirectory } from './hsds.service.ts';
import { filterPublished, type ListFilter, type Published, type PublishedDirectory, pageOf } from './hsds-publish.rules.ts';

const tags = ['Partner directory (HSDS)'];
/** Shown in the OpenAPI document: these routes need no sign-in. */
const security: [] = [];
/** The HSDS this API speaks, and the profile it conforms to (plain HSDS 3.1, no local profile). */
export const hsdsRoot = {
  version: '3.1',
  profile: 'https://docs.openreferral.org/en/3.1/hsds/overview.html',
  openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.1/schema/openapi.json',
} as const;
/** Pages hold up to 100 objects (the bound HSDA 1.x set, which aggregators expect); 50 when not asked. */
export const perPageLimit = 100;
const perPageDefault = 50;

const wholeNumber = (name: string, max: number) => {
  const message = `${name} must be a whole number from 1 to ${max.toLocaleString('en-US')}.`;
  return z
    .string()
    .regex(/^\d{1,7}$/, message)
    .transform(Number)
    .pipe(z.number().min(1, message).max(max, message))
    .optional();
};
/** JavaScript reads 2026-02-30 as March 2; a date that is not on the calendar is refused instead. */
function isRealDate(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day && !Number.isNaN(Date.parse(value));
}
/** An RFC 3339 date or date-time; a time without a zone is read as UTC, so the answer is the same on every server. */
const dateTime = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/i,
    'modified_after must be a date, or a date and time, such as 2026-01-31T00:00:00Z.',
  )
  .transform((s) => (/[T ]\d{2}:\d{2}(:[\d.]+)?$/i.test(s) ? `${s}Z` : s))
  .refine(isRealDate, 'modified_after is not a real date.')
  .transform((s) => new Date(s));
const text = (name: string) => z.string().max(200, `${name} is limited to 200 characters.`).optional();

const paging = {
  page: wholeNumber('page', 100_000),
  per_page: wholeNumber('per_page', perPageLimit),
  format: z.enum(['json'], 'format may only be json: this API does not stream ndjson.').optional(),
};
const listQuery = z.object({ ...paging, search: text('search') });
const filteredQuery = z.object({ ...paging, search: text('search'), taxonomy_term_id: text('taxonomy_term_id'), organization_id: text('organization_id') });
const timedQuery = filteredQuery.extend({ modified_after: dateTime.optional() });
const districtParams = z.object({ district: z.string().max(60) });
const objectParams = districtParams.extend({ id: z.string().max(200) });

type Query = { page?: number | undefined; per_page?: number | undefined; search?: string | undefined } & Partial<
  Record<'taxonomy_term_id' | 'organization_id', string | undefined>
> & { modified_after?: Date | undefined };

/**
 * The partner directory as the HSDS 3.1 API at `/api/hsds/<district-slug>/`, for 211 aggregators
 * and other directories (decision 33). Public and read-only, like the report form: it holds partner
 * organizations, services and locations, never anything about a student or a referral, so there
 * is nothing to audit. Every route keeps the app's per-address rate limit. The older
 * `/api/v1/hsds/...?district=` routes stay for the consumers that use them, answering the same
 * objects as arrays, as they always have.
 */
export function registerHsdsRoutes(app: FastifyInstance, deps: Deps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const config = { access: 'public' as const };
  // Each answer goes through its schema (hsds.schema.ts), keeping the publisher's key order.
  const serializerCompiler = hsdsSerializer;
  const directory = async (slug: string) => publishedDirectory(deps, (await directoryDistrict(deps, slug)).id);

  const root = '/api/hsds/:district';
  for (const url of [root, `${root}/`])
    api.get(
      url,
      {
        config,
        serializerCompiler,
        schema: {
          tags,
          security,
          summary: 'The HSDS version and profile of this directory',
          params: districtParams,
          hide: url === root,
          response: { 200: hsdsRootAnswer },
        },
      },
      async (request) => {
        await directoryDistrict(deps, request.params.district);
        return hsdsRoot;
      },
    );

  // Each list: its objects, its query, and the schemas of a page's objects and of one object, fully nested.
  const lists: [path: string, pick: (d: PublishedDirectory) => Published[], query: z.ZodType<Query>, noun: string, page: z.ZodType, full: z.ZodType][] = [
    ['services', (d) => d.services, timedQuery, 'service', hsdsListed.services, hsdsService],
    ['organizations', (d) => d.organizations, filteredQuery.omit({ organization_id: true }), 'organization', hsdsListed.organizations, hsdsOrganization],
    ['service_at_locations', (d) => d.serviceAtLocations, timedQuery, 'service_at_location', hsdsListed.serviceAtLocations, hsdsServiceAtLocation],
    ['taxonomies', (d) => d.taxonomies, listQuery, 'taxonomy', hsdsTaxonomy, hsdsTaxonomy],
    ['taxonomy_terms', (d) => d.taxonomyTerms, listQuery, 'taxonomy term', hsdsTaxonomyTerm, hsdsTaxonomyTerm],
  ];
  for (const [path, pick, query, noun, item, full] of lists) {
    api.get(
      `${root}/${path}`,
      {
        config,
        serializerCompiler,
        schema: {
          tags,
          security,
          summary: `A page of ${path} (HSDS 3.1 page object)`,
          params: districtParams,
          querystring: query,
          response: { 200: hsdsPage(item) },
        },
      },
      async (request) => {
        const q = request.query as Query;
        const filter: ListFilter = { search: q.search, taxonomyTermId: q.taxonomy_term_id, organizationId: q.organization_id, modifiedAfter: q.modified_after };
        const items = filterPublished(pick(await directory(request.params.district)), filter);
        return pageOf(
          items.map((item) => item.list),
          q.page ?? 1,
          q.per_page ?? perPageDefault,
        );
      },
    );
    api.get(
      `${root}/${path}/:id`,
      { config, serializerCompiler, schema: { tags, security, summary: `One ${noun}, fully nested`, params: objectParams, response: { 200: full } } },
      async (request) => {
        const found = pick(await directory(request.params.district)).find((item) => item.id === request.params.id);
        if (!found) throw notFound(`The ${noun} ${request.params.id}`);
        return found.full;
      },
    );
  }

  // The first public endpoints, kept for their consumers: arrays, `?district=` and `q`.
  // Typed as any schema: the stored documents are publishers' own, checked by the serializer as they are sent.
  const arrayOf = (item: z.ZodType): z.ZodType => z.array(item);
  const legacy = z.object({ district: z.string().max(40), q: z.string().max(100).optional() });
  const legacyDirectory = async (slug: string, q?: string) => {
    const published = await publishedDirectory(deps, (await findDistrictBySlug(deps, slug)).id);
    return (pick: (d: PublishedDirectory) => Published[]) => filterPublished(pick(published), { search: q });
  };
  api.get(
    '/api/v1/hsds/services',
    {
      config,
      serializerCompiler,
      schema: {
        tags,
        summary: 'Services, nested (search with q); the HSDS API is at /api/hsds/<district>/',
        querystring: legacy,
        response: { 200: arrayOf(hsdsService) },
      },
    },
    async (request) => (await legacyDirectory(request.query.district, request.query.q))((d) => d.services).map((s) => s.full),
  );
  api.get(
    '/api/v1/hsds/organizations',
    { config, serializerCompiler, schema: { tags, summary: 'Organizations', querystring: legacy, response: { 200: arrayOf(hsdsOrganization) } } },
    async (request) => (await legacyDirectory(request.query.district, request.query.q))((d) => d.organizations).map((o) => o.full),
  );
  api.get(
    '/api/v1/hsds/service_at_locations',
    {
      config,
      serializerCompiler,
      schema: { tags, summary: 'Where each service is offered', querystring: legacy, response: { 200: arrayOf(hsdsListed.serviceAtLocations) } },
    },
    async (request) => (await legacyDirectory(request.query.district, request.query.q))((d) => d.serviceAtLocations).map((l) => l.list),
  );
}
