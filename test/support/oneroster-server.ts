import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { readCsv } from '../../src/platform/csv-reader.ts';

/**
 * A OneRoster REST server (1.1 or 1.2 rostering service) on 127.0.0.1, for tests and the roster
 * benchmark: an OAuth 2 client-credentials token endpoint (a wrong secret gets 401
 * `invalid_client`), bearer tokens on every collection, `limit`/`offset` paging with
 * `X-Total-Count`, the `dateLastModified>'…'` filter, and `GET /users/{id}`. It keeps every request
 * it answered so a test can see how Haven paged.
 */

export type Collection = 'orgs' | 'users' | 'classes' | 'enrollments' | 'demographics';
type Json = Record<string, unknown>;
export type OneRosterData = Partial<Record<Collection, Json[]>>;

const servicePath = { '1.1': '/ims/oneroster/v1p1', '1.2': '/ims/oneroster/rostering/v1p2' } as const;

export type OneRosterServerOptions = {
  version: '1.1' | '1.2';
  data: OneRosterData;
  clientId?: string;
  clientSecret?: string;
  /** The most a page holds, whatever Haven asks (real servers cap it). */
  maxPageSize?: number;
  /** Send X-Total-Count (default true); without it a client must stop on a short page. */
  totalCount?: boolean;
  /** Collections this server does not offer (answered 404). */
  without?: Collection[];
};

export async function startOneRosterServer(options: OneRosterServerOptions) {
  const clientId = options.clientId ?? 'haven-test-client';
  const clientSecret = options.clientSecret ?? randomBytes(12).toString('hex');
  const tokens = new Set<string>();
  const requests: { method: string; path: string; limit?: number; offset?: number; filter?: string; status: number }[] = [];
  const data: Record<Collection, Json[]> = {
    orgs: [...(options.data.orgs ?? [])],
    users: [...(options.data.users ?? [])],
    classes: [...(options.data.classes ?? [])],
    enrollments: [...(options.data.enrollments ?? [])],
    demographics: [...(options.data.demographics ?? [])],
  };
  const prefix = servicePath[options.version];
  /** Each query's sorted answer, until the data changes. */
  const answers = new Map<string, Json[]>();

  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const answer = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        requests.push({
          method: request.method ?? 'GET',
          path: url.pathname,
          status,
          ...(url.searchParams.has('limit') ? { limit: Number(url.searchParams.get('limit')) } : {}),
          ...(url.searchParams.has('offset') ? { offset: Number(url.searchParams.get('offset')) } : {}),
          ...(url.searchParams.has('filter') ? { filter: url.searchParams.get('filter') as string } : {}),
        });
        response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      };
      if (request.method === 'POST' && url.pathname === '/oauth/token') {
        const form = new URLSearchParams(body);
        const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
        const [id, secret] = basic
          ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
          : [form.get('client_id'), form.get('client_secret')];
        if (form.get('grant_type') !== 'client_credentials') return answer(400, { error: 'unsupported_grant_type' });
        if (id !== clientId || secret !== clientSecret) return answer(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="oneroster"' });
        const token = randomBytes(16).toString('hex');
        tokens.add(token);
        return answer(200, { access_token: token, token_type: 'bearer', expires_in: 3600, scope: form.get('scope') ?? '' });
      }
      const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) return answer(401, { imsx_codeMajor: 'failure', imsx_description: 'Unauthorized' });
      if (request.method !== 'GET' || !url.pathname.startsWith(`${prefix}/`)) return answer(404, { imsx_codeMajor: 'failure' });
      const [name, id] = url.pathname.slice(prefix.length + 1).split('/') as [Collection, string | undefined];
      if (!(name in data) || options.without?.includes(name)) return answer(404, { imsx_codeMajor: 'failure' });
      if (id !== undefined) {
        const found = data[name].find((o) => o.sourcedId === decodeURIComponent(id));
        return found ? answer(200, { [name.replace(/s$/, '')]: found }) : answer(404, { imsx_codeMajor: 'failure' });
      }
      const filter = url.searchParams.get('filter');
      const after = filter ? /^dateLastModified(>=?)'([^']+)'$/.exec(filter) : null;
      if (filter && !after) return answer(400, { imsx_codeMajor: 'failure', imsx_description: 'unsupported filter' });
      const since = after ? new Date(after[2] as string).getTime() : null;
      // Sorted and filtered once per query, not once per page: the benchmark pages through 250,000 users.
      const key = `${name}|${filter ?? ''}`;
      let matching = answers.get(key);
      if (!matching) {
        matching = data[name]
          .filter((o) => {
            if (since === null) return true;
            const modified = new Date(String(o.dateLastModified)).getTime();
            return after?.[1] === '>=' ? modified >= since : modified > since;
          })
          .sort((a, b) => (String(a.sourcedId) < String(b.sourcedId) ? -1 : String(a.sourcedId) > String(b.sourcedId) ? 1 : 0));
        answers.set(key, matching);
      }
      const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), options.maxPageSize ?? Number.POSITIVE_INFINITY);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      const headers: Record<string, string> = options.totalCount === false ? {} : { 'x-total-count': String(matching.length) };
      return answer(200, { [name]: matching.slice(offset, offset + limit) }, headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const root = `http://127.0.0.1:${port}`;
  return {
    /** The bare host: Haven adds the version's standard path. */
    baseUrl: root,
    tokenUrl: `${root}/oauth/token`,
    clientId,
    clientSecret,
    requests,
    data,
    /** Adds or replaces an object (by sourcedId), as the SIS would when a record changes. */
    put(collection: Collection, object: Json) {
      answers.clear();
      const list = data[collection];
      const at = list.findIndex((o) => o.sourcedId === object.sourcedId);
      if (at >= 0) list[at] = object;
      else list.push(object);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A CSV export's rows as objects by header name. */
async function csvObjects(text: string | undefined): Promise<Record<string, string>[]> {
  if (text === undefined) return [];
  const out: Record<string, string>[] = [];
  let header: string[] | null = null;
  for await (const record of readCsv([text])) {
    if (!header) header = record.cells.map((c) => c.trim());
    else if (record.cells.some((c) => c.trim() !== '')) out.push(Object.fromEntries(header.map((h, i) => [h, (record.cells[i] ?? '').trim()])));
  }
  return out;
}

const refOf = (sourcedId: string, type: string) => ({ sourcedId, type, href: `/${type}s/${sourcedId}` });
const refsOf = (list: string, type: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => refOf(s, type));
const extOf = (row: Record<string, string>) => {
  const ext = Object.entries(row).filter(([k, v]) => k.toLowerCase().startsWith('ext_') && v !== '');
  return ext.length ? { metadata: Object.fromEntries(ext) } : {};
};

/**
 * The same roster a CSV export carries, as the REST service serves it (1.1: `role` and `orgs` on
 * the user; 1.2: `roles` with their orgs and a `primaryOrg`), so a test can import one by CSV and
 * sync the other over REST and expect the same result. `ext_*` columns travel in `metadata`.
 */
export async function restDataFromCsv(files: Map<string, string>, version: '1.1' | '1.2', dateLastModified: string): Promise<OneRosterData> {
  const byName = new Map([...files].map(([name, text]) => [path.basename(name).toLowerCase(), text]));
  const base = (r: Record<string, string>) => ({ sourcedId: r.sourcedId, status: r.status || 'active', dateLastModified });
  const roles = new Map<string, Record<string, string>[]>();
  for (const r of await csvObjects(byName.get('roles.csv'))) roles.set(r.userSourcedId as string, [...(roles.get(r.userSourcedId as string) ?? []), r]);
  return {
    orgs: (await csvObjects(byName.get('orgs.csv'))).map((r) => ({
      ...base(r),
      name: r.name,
      type: r.type,
      identifier: r.identifier ?? '',
      parent: r.parentSourcedId ? refOf(r.parentSourcedId, 'org') : null,
      ...extOf(r),
    })),
    users: (await csvObjects(byName.get('users.csv'))).map((r) => ({
      ...base(r),
      enabledUser: version === '1.2' ? /^(true|1)$/i.test(r.enabledUser ?? '') : (r.enabledUser ?? 'true').toLowerCase(),
      username: r.username ?? '',
      givenName: r.givenName,
      familyName: r.familyName,
      middleName: r.middleName ?? '',
      identifier: r.identifier ?? '',
      email: r.email ?? '',
      sms: r.sms ?? '',
      phone: r.phone ?? '',
      agents: refsOf(r.agentSourcedIds ?? '', 'user'),
      grades: (r.grades ?? '').split(',').filter(Boolean),
      ...(r.preferredGivenName || r.preferredFirstName ? { preferredFirstName: r.preferredGivenName || r.preferredFirstName } : {}),
      ...(version === '1.1'
        ? { role: r.role, orgs: refsOf(r.orgSourcedIds ?? '', 'org') }
        : {
            roles: (roles.get(r.sourcedId as string) ?? []).map((x) => ({ roleType: x.roleType, role: x.role, org: refOf(x.orgSourcedId as string, 'org') })),
            ...(r.primaryOrgSourcedId ? { primaryOrg: refOf(r.primaryOrgSourcedId, 'org') } : {}),
          }),
      ...extOf(r),
    })),
    classes: (await csvObjects(byName.get('classes.csv'))).map((r) => ({
      ...base(r),
      title: r.title,
      classCode: r.classCode ?? '',
      grades: (r.grades ?? '').split(',').filter(Boolean),
      school: refOf(r.schoolSourcedId ?? '', 'org'),
      course: r.courseSourcedId ? refOf(r.courseSourcedId, 'course') : null,
    })),
    enrollments: (await csvObjects(byName.get('enrollments.csv'))).map((r) => ({
      ...base(r),
      role: r.role,
      primary: r.primary ?? 'false',
      user: refOf(r.userSourcedId as string, 'user'),
      class: refOf(r.classSourcedId as string, 'class'),
      school: refOf(r.schoolSourcedId ?? '', 'org'),
    })),
    demographics: (await csvObjects(byName.get('demographics.csv'))).map((r) => {
      const { status: _status, dateLastModified: _date, sourcedId: _id, ...rest } = r;
      return { ...base(r), ...rest };
    }),
  };
}
