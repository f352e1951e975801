import { type RestVersion, scopes } from './rest-sync.rules.ts';

/**
 * The HTTP side of a OneRoster REST sync: an OAuth 2 client-credentials token (RFC 6749 §4.4)
 * and collections read page by page with `limit`/`offset`. Every failure is a RosterSyncError
 * whose message a district administrator can act on; none carries a response body (it could hold
 * student data) beyond the OAuth error code.
 */

/** A sync that could not be done: the source refused, broke or could not be reached. Nothing was changed. */
export class RosterSyncError extends Error {}

/** A collection the source does not offer to this client (404, or 403 for a scope it was not given). */
export class CollectionUnavailable extends Error {
  constructor(
    public readonly path: string,
    public readonly status: number,
  ) {
    super(`${path} answered HTTP ${status}`);
  }
}

const timeoutMs = 60_000;
/** No roster is larger than this many objects in one collection; a server that never stops paging is refused. */
const maxObjects = 5_000_000;

export type Source = { baseUrl: string; tokenUrl: string; clientId: string; clientSecret: string; version: RestVersion };

function unreachable(what: string, url: string, error: unknown): RosterSyncError {
  const { cause, name } = (error ?? {}) as { cause?: { code?: string; message?: string }; name?: string };
  const reason = name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (cause?.code ?? cause?.message ?? name ?? 'no answer');
  return new RosterSyncError(`Could not reach the OneRoster ${what} at ${new URL(url).host} (${reason}). Nothing was changed.`);
}

/** Asks the token endpoint for an access token with the client's ID and secret (HTTP Basic, as OneRoster 1.2 §2 requires). */
export async function requestToken(source: Source): Promise<string> {
  const basic = Buffer.from(`${encodeURIComponent(source.clientId)}:${encodeURIComponent(source.clientSecret)}`).toString('base64');
  let response: Response;
  try {
    response = await fetch(source.tokenUrl, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope: scopes[source.version] }).toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw unreachable('token endpoint', source.tokenUrl, error);
  }
  const body = await response.json().catch(() => null);
  const oauthError = typeof body?.error === 'string' ? `, "${body.error.slice(0, 40)}"` : '';
  if (response.status === 400 || response.status === 401 || response.status === 403)
    throw new RosterSyncError(
      `The OneRoster token endpoint refused the client ID and secret (HTTP ${response.status}${oauthError}). Check them under District settings → Roster sync. Nothing was changed.`,
    );
  if (!response.ok) throw new RosterSyncError(`The OneRoster token endpoint answered HTTP ${response.status}. Nothing was changed.`);
  if (typeof body?.access_token !== 'string' || !body.access_token)
    throw new RosterSyncError('The OneRoster token endpoint did not answer with an access token. Nothing was changed.');
  return body.access_token;
}

/** A signed-in connection to the source: it asks for a new token once if the one it has expires mid-sync. */
export async function connect(source: Source) {
  let token = await requestToken(source);
  const get = async (url: string): Promise<Response> => {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw unreachable('service', url, error);
      }
      if (response.status !== 401 || attempt > 0) return response;
      await response.body?.cancel();
      token = await requestToken(source);
    }
  };

  /**
   * Every object of a collection, page by page: `limit`/`offset`, reading `X-Total-Count` when the
   * server sends it (a server may answer fewer than asked) and otherwise stopping on a short page.
   */
  async function readAll(url: string, key: string, options: { pageSize: number; filter?: string }): Promise<unknown[]> {
    const path = new URL(url).pathname;
    const objects: unknown[] = [];
    for (let offset = 0; ; ) {
      const query = new URLSearchParams({ limit: String(options.pageSize), offset: String(offset), sort: 'sourcedId', orderBy: 'asc' });
      if (options.filter) query.set('filter', options.filter);
      const response = await get(`${url}?${query}`);
      if (response.status === 404 || response.status === 403) {
        await response.body?.cancel();
        throw new CollectionUnavailable(path, response.status);
      }
      if (response.status === 401) throw new RosterSyncError(`GET ${path} refused Haven's access token (HTTP 401). Nothing was changed.`);
      if (!response.ok) throw new RosterSyncError(`GET ${path} answered HTTP ${response.status}. Nothing was changed.`);
      const body = await response.json().catch(() => null);
      const page = body && typeof body === 'object' ? (body as Record<string, unknown>)[key] : undefined;
      if (!Array.isArray(page)) throw new RosterSyncError(`GET ${path} did not answer with a OneRoster "${key}" list. Nothing was changed.`);
      for (const item of page) objects.push(item);
      offset += page.length;
      const total = Number(response.headers.get('x-total-count'));
      const more = Number.isFinite(total) && response.headers.has('x-total-count') ? offset < total : page.length >= options.pageSize;
      if (!more || page.length === 0) return objects;
      if (offset > maxObjects) throw new RosterSyncError(`GET ${path} kept paging past ${maxObjects.toLocaleString('en-US')} records. Nothing was changed.`);
    }
  }

  /** One object by its sourcedId (`GET /users/{id}`); null when the source does not have it. `label` names it in errors without the id. */
  async function readOne(url: string, key: string, label: string): Promise<unknown | null> {
    const response = await get(url);
    if (response.status === 404) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) throw new RosterSyncError(`GET ${label} answered HTTP ${response.status}. Nothing was changed.`);
    const body = await response.json().catch(() => null);
    return body && typeof body === 'object' ? ((body as Record<string, unknown>)[key] ?? null) : null;
  }

  return { readAll, readOne };
}
