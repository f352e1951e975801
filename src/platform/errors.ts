import type { FastifyContextConfig, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFoundWords, validationWordsOf } from './errors.text.ts';
import { escapeHtml } from './html.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A public HTML page renders its own errors (a body too large, a rate limit, a body that cannot
     * be parsed) as a page, so a person never sees a bare JSON error.
     */
    errorPage?: (request: FastifyRequest, problem: { status: number; detail: string; retryAfterSeconds?: number }) => string;
  }
}

/**
 * An error a person can act on, answered as RFC 9457 problem+json. Services throw these; the
 * error handler below turns them into responses, so routes never build error bodies by hand.
 * `extra.code` is a stable name the web app can translate; `extra.es` is the detail in Spanish,
 * answered instead when the request asks for Spanish (the web app sends its language).
 */
export class HttpProblem extends Error {
  constructor(
    public readonly status: number,
    public readonly title: string,
    public readonly detail: string,
    public readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** The request's language for messages: Spanish when its Accept-Language puts Spanish first. */
export function requestLanguage(request: FastifyRequest): 'en' | 'es' {
  return /^\s*es\b/i.test(request.headers['accept-language'] ?? '') ? 'es' : 'en';
}

/** Field names as a person reads them: `afterHoursMemberIds` -> "after hours member ids". */
function fieldWords(path: string): string {
  const last =
    path
      .split('.')
      .filter((p) => p && !/^\d+$/.test(p))
      .pop() ?? path;
  return last
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replaceAll('_', ' ')
    .toLowerCase();
}

/**
 * Haven's own validation messages are whole sentences and stand alone; zod's defaults ("Invalid
 * input: expected string") need the field they are about.
 */
function validationSentence(field: string, message: string): string {
  return /^(invalid|too (small|big)|expected|required|unrecognized|entrada inválida|opción inválida|demasiado|cadena inválida|inválido|número inválido|llaves? (desconocida|inválida)|valor inválido)/i.test(
    message,
  )
    ? `${fieldWords(field)}: ${message}`
    : message;
}

/**
 * Missing and forbidden look the same, so a probe learns nothing about other records. The code and
 * the Spanish come from errors.text.ts, so "That student" is said alike by every service; a subject
 * built at run time (an instrument's id) passes its own.
 */
export const notFound = (what = 'That record', extra?: { code: string; es: string }) =>
  new HttpProblem(404, 'Not found', `${what} does not exist, or you do not have access to it.`, { ...notFoundWords(what), ...extra });
export const badRequest = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(400, 'Bad request', detail, extra);
/** Without a detail: the plain "please sign in", which has its Spanish and code already. */
export const unauthorized = (detail?: string, extra?: Record<string, unknown>) =>
  detail === undefined
    ? new HttpProblem(401, 'Not signed in', 'Please sign in to continue.', { code: 'sign_in_required', es: 'Inicie sesión para continuar.', ...extra })
    : new HttpProblem(401, 'Not signed in', detail, extra);
export const forbidden = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(403, 'Not allowed', detail, extra);
export const conflict = (detail: string, extra?: Record<string, unknown>) => new HttpProblem(409, 'Conflict', detail, extra);
export const tooManyRequests = (detail: string, retryAfterSeconds: number, words?: { code: string; es: string }) =>
  new HttpProblem(429, 'Too many attempts', detail, { retryAfterSeconds, ...words });

const sampleOf: Record<string, unknown> = { number: 0, string: '', boolean: false, null: null, array: [], object: {}, undefined };
const zodEnglish = z.locales.en().localeError;
const zodSpanish = z.locales.es().localeError;
/** What a zod locale says for an issue; nothing when the issue lacks what the locale reads. */
const localeText = (map: typeof zodEnglish, issue: Record<string, unknown>) => {
  try {
    const said = map(issue as never);
    return typeof said === 'string' ? said : said?.message;
  } catch {
    return undefined;
  }
};

/**
 * One validation message in the request's language: a schema's own sentence from `inSpanish`, or
 * zod's default said by zod's Spanish locale (only when the message is zod's English default).
 */
function validationInSpanish(issue: { keyword: string; message?: string; params?: Record<string, unknown> }): string | undefined {
  const message = issue.message ?? '';
  const own = validationWordsOf(message);
  if (own) return own.es;
  // zod's message says what it received ("received number"); the same kind of value makes its locale say it too.
  const received = /received (\w+)$/.exec(message)?.[1] ?? 'undefined';
  const raw = { ...issue.params, code: issue.keyword, path: [], input: sampleOf[received] };
  return localeText(zodEnglish, raw) === message ? localeText(zodSpanish, raw) : undefined;
}

const friendlyByCode: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty but JSON was declared.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'This content type is not accepted here; send JSON.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length header does not match the body.',
  FST_ERR_BAD_URL: 'The address is malformed.',
};

/**
 * What may be logged about an error. Drizzle puts a failed query's SQL *and its parameters* in the
 * error message (and so in the stack's first line), and PostgreSQL quotes bad input back in its
 * messages: either can be a student's name or a report's words. So for database errors only
 * structural facts are kept: the SQLSTATE code, table, column and constraint, and the stack frames.
 */
export function loggableError(error: unknown): { message: string; code?: string; stack?: string } {
  const frames = (e: Error) =>
    e.stack
      ?.split('\n')
      .filter((line) => line.trimStart().startsWith('at '))
      .join('\n');
  if (!(error instanceof Error)) return { message: 'a non-Error value was thrown' };
  const database = findDatabaseError(error);
  if (database) {
    const where = [
      database.table && `table ${database.table}`,
      database.column && `column ${database.column}`,
      database.constraint && `constraint ${database.constraint}`,
    ]
      .filter(Boolean)
      .join(', ');
    return { message: `a database statement failed (SQLSTATE ${database.code}${where ? `; ${where}` : ''})`, code: database.code, stack: frames(error) };
  }
  if (error.message.startsWith('Failed query: ')) return { message: 'a database statement failed', stack: frames(error) };
  const code = (error as { code?: unknown }).code;
  return { message: error.message, ...(typeof code === 'string' ? { code } : {}), stack: frames(error) };
}

type DatabaseError = { code: string; table?: string; column?: string; constraint?: string };
function findDatabaseError(error: Error): DatabaseError | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const candidate = e as Partial<DatabaseError> & { severity?: unknown };
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code) && candidate.severity !== undefined) return candidate as DatabaseError;
  }
  return undefined;
}

const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes text storable, in place in a parsed body or query: removes U+0000, which PostgreSQL cannot
 * store in text, and replaces a lone surrogate (half of an emoji; JSON may carry one as "\ud800")
 * with U+FFFD, as UTF-8 does; PostgreSQL refuses it inside JSON and would refuse the whole record.
 */
export function dropNul(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') {
    const text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value;
    return /[\ud800-\udfff]/.test(text) ? text.replace(loneSurrogate, '\ufffd') : text;
  }
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const clean = dropNul(item, depth + 1);
    if (clean !== item) record[key] = clean;
  }
  return value;
}

/** Installs the problem+json error and not-found handlers. Student data never reaches the log. */
export function registerProblemHandlers(app: FastifyInstance): void {
  // A NUL character or a lone surrogate (a pasted binary, a fuzzer) would make PostgreSQL refuse
  // the whole record: it is cleaned at the edge so the rest of what the person wrote is kept.
  app.addHook('preValidation', async (request) => {
    request.body = dropNul(request.body);
    dropNul(request.query);
    dropNul(request.params);
  });
  app.setErrorHandler((error: FastifyError | HttpProblem, request, reply) => {
    const page = pageFor(request);
    if (error instanceof HttpProblem) {
      const retryAfterSeconds = error.status === 429 && typeof error.extra.retryAfterSeconds === 'number' ? error.extra.retryAfterSeconds : undefined;
      if (retryAfterSeconds !== undefined) reply.header('retry-after', String(retryAfterSeconds));
      const { es, ...extra } = error.extra;
      const detail = requestLanguage(request) === 'es' && typeof es === 'string' ? es : error.detail;
      if (page) return sendPage(reply, error.status, page(request, { status: error.status, detail, retryAfterSeconds }));
      return reply
        .code(error.status)
        .type('application/problem+json')
        .send({ type: 'about:blank', title: error.title, status: error.status, detail, ...extra });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'request';
      const spanish = requestLanguage(request) === 'es';
      const errors = error.validation.map((issue) => {
        const code = validationWordsOf(issue.message ?? '')?.code;
        const message = (spanish ? validationInSpanish(issue) : undefined) ?? issue.message ?? 'is invalid';
        return { field: `${where}${issue.instancePath.replaceAll('/', '.')}`, message, ...(code ? { code } : {}) };
      });
      // The detail is for a person (no "body." paths); `errors` keeps the exact fields for programs.
      const sentence = errors.map((e) => validationSentence(e.field, e.message)).join('; ');
      if (page) return sendPage(reply, 400, page(request, { status: 400, detail: sentence }));
      return reply.code(400).type('application/problem+json').send({
        type: 'about:blank',
        title: 'Some fields need attention',
        status: 400,
        code: 'invalid_fields',
        detail: sentence,
        errors,
      });
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) {
      request.log.error({ err: loggableError(error) }, 'unhandled error');
    }
    const detail =
      status === 500
        ? 'Something went wrong on our side. Nothing was saved by this request; please try again. The error has been logged.'
        : (friendlyByCode[error.code] ?? error.message);
    if (page) return sendPage(reply, status, page(request, { status, detail }));
    return reply
      .code(status)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: status === 500 ? 'Server error' : 'Bad request', status, detail });
  });
}

/**
 * Errors the router raises before any route runs (a malformed %-escape, a path segment over the
 * length limit): problem+json on the API, a plain page elsewhere unless JSON is asked for. Without
 * this, Fastify answers its own bare JSON, which a browser shows as code.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const detail = status === 414 ? 'That address is too long.' : 'That address is not valid: part of it is not properly encoded.';
  const wantsJson = request.url.startsWith('/api/') || /\bjson\b/.test(request.headers.accept ?? '');
  if (!wantsJson) return sendPage(reply, status, plainErrorPage(request, { status, detail }));
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title: 'Bad request', status, detail });
}

/**
 * How an error is shown as a page: the route's own error page, or, for a browser asking for a page
 * outside the API (its Accept names text/html and no JSON), a plain one. APIs always get problem+json.
 */
function pageFor(request: FastifyRequest): FastifyContextConfig['errorPage'] {
  const own = request.routeOptions?.config?.errorPage;
  if (own) return own;
  const accept = request.headers.accept ?? '';
  if (request.url.startsWith('/api/') || !/\btext\/html\b/.test(accept) || /\bjson\b/.test(accept)) return undefined;
  return plainErrorPage;
}

function plainErrorPage(request: FastifyRequest, problem: { status: number; detail: string }): string {
  const title = problem.status >= 500 ? 'Something went wrong' : problem.status === 429 ? 'Please wait a moment' : 'This did not work';
  const start = `/${encodeURIComponent(request.url.split(/[/?#]/)[1] ?? '')}`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} · Haven</title></head><body><main><h1>${title}</h1><p role="alert">${escapeHtml(problem.detail)}</p><p><a href="${escapeHtml(start)}">Start again</a></p></main></body></html>`;
}

function sendPage(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}
