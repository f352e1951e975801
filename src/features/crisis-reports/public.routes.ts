import fs from 'node:fs';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { districts, schools } from '../../data/districts.ts';
import { reports } from '../../data/reports.ts';
import type { Deps } from '../../platform/deps.ts';
import { HttpProblem } from '../../platform/errors.ts';
import { escapeHtml } from '../../platform/html.ts';
import { sha256 } from '../../platform/secrets.ts';
import { addReporterMessage, followUp } from './conversation.service.ts';
import { codeParams, messageSent, publicReportCreated, reporterMessage, reporterView, reportInput } from './crisis-reports.schema.ts';
import { receiveReport } from './intake.service.ts';
import { createIntakeCounter } from './intake-counter.ts';
import { faviconPath, followUpPage, page, reportForm, type SchoolOption, thanks, thanksGone } from './public.pages.ts';
import { type PublicLanguage, pickLanguage, publicText } from './public.text.ts';
import { followUpCookie, readFollowUpCode, readThanks, thanksCookie, writeFollowUpCode, writeThanks } from './public.thanks.ts';
import { normalizeFollowUpCode } from './reports.rules.ts';

const guessLimit = { rateLimit: { max: 30, timeWindow: '1 minute' } };

/** The public pages' icon: the staff app's own, from its sources. */
function readFavicon(): string | undefined {
  try {
    return fs.readFileSync(new URL('../../../web/src/public/favicon.svg', import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}
const tags = ['Crisis reports (public)'];

function languageOf(request: FastifyRequest, fromBody?: unknown): PublicLanguage {
  const query = (request.query as { lang?: string } | undefined)?.lang ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return pickLanguage(query, request.headers['accept-language']);
}

function send(reply: FastifyReply, status: number, html: string) {
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

async function schoolOptions(deps: Deps, districtSlug?: string): Promise<SchoolOption[]> {
  const rows = await deps.db.system
    .select({ code: schools.code, name: schools.name, district: districts.name, slug: districts.slug })
    .from(schools)
    .innerJoin(districts, eq(districts.id, schools.districtId))
    .orderBy(districts.name, schools.name);
  const chosen = districtSlug ? rows.filter((r) => r.slug === districtSlug) : rows;
  const several = new Set(chosen.map((r) => r.slug)).size > 1;
  return chosen.map((r) => ({ code: r.code, name: several ? `${r.name} (${r.district})` : r.name }));
}

/**
 * The time zone of the district a follow-up code's report belongs to, so the reporter reads times
 * as their school tells them. Called once the code was found (the report is stored by then).
 */
export async function districtTimeZoneOf(deps: Deps, code: string): Promise<string | undefined> {
  const normalized = normalizeFollowUpCode(code);
  if (!normalized) return undefined;
  const [row] = await deps.db.system
    .select({ timeZone: districts.timeZone })
    .from(reports)
    .innerJoin(districts, eq(districts.id, reports.districtId))
    .where(eq(reports.followUpCodeHash, sha256(normalized)));
  return row?.timeZone;
}

/** Localized, person-readable messages for the public form's field problems. */
function formErrors(lang: PublicLanguage, issues: z.core.$ZodIssue[]): string[] {
  const t = publicText[lang];
  const label: Record<string, string> = {
    description: t.description,
    about: t.about,
    school: t.school,
    category: t.category,
    urgency: t.urgency,
    contact: t.contact,
  };
  return [...new Set(issues.map((issue) => String(issue.path[0] ?? '')))].map((field) => {
    if (field === 'description')
      return lang === 'es' ? 'Escriba qué está pasando (hasta 5,000 caracteres).' : 'Tell us what is happening (up to 5,000 characters).';
    return lang === 'es' ? `Revise: ${label[field] ?? field}` : `Please check: ${label[field] ?? field}`;
  });
}

/**
 * A request the form could not take (too large, a body that cannot be read) still gets a page with the crisis lines, in the person's language, never a JSON error.
 */
function errorPage(request: FastifyRequest, problem: { status: number; detail: string; retryAfterSeconds?: number }): string {
  const lang = languageOf(request);
  const es = lang === 'es';
  const wait = problem.retryAfterSeconds ?? 60;
  const message =
    problem.status === 413
      ? es
        ? 'Lo que escribió es demasiado largo para enviarlo. Acórtelo (hasta 5,000 caracteres) e inténtelo de nuevo.'
        : 'What you wrote is too long to send. Shorten it (up to 5,000 characters) and try again.'
      : problem.status === 429
        ? es
          ? `Se enviaron demasiadas solicitudes desde esta conexión. Espere ${wait} segundos e inténtelo de nuevo.`
          : `Too many requests came from this connection. Wait ${wait} seconds and try again.`
        : problem.status >= 500
          ? es
            ? 'Algo falló de nuestro lado y no se guardó nada. Inténtelo de nuevo.'
            : 'Something went wrong on our side and nothing was saved. Please try again.'
          : problem.detail;
  const t = publicText[lang];
  const body = `<h1>${escapeHtml(t.title)}</h1><div class="error" role="alert" tabindex="-1"><h2>${escapeHtml(t.errorTitle)}</h2><p>${escapeHtml(message)}</p></div><p><a href="/report?lang=${lang}">${escapeHtml(t.title)}</a> · <a href="/report/follow-up?lang=${lang}">${escapeHtml(t.followUpLink)}</a></p>`;
  return page(lang, t.title, body, `/report?lang=${t.other.code}`);
}

/**
 * The public ways to ask for help: a web form that works without JavaScript (also at
 * /report/<school-code> for a school's QR code), the same as JSON for apps, and follow-up by code.
 * Nothing about the sender (address, browser, device) is stored or logged.
 */
export function registerPublicReportRoutes(app: FastifyInstance, deps: Deps, limits: { intakePerMinute: number }): void {
  // Intake is never refused for volume (no rate limit here): over the per-address limit a report
  // is stored marked throttled and answered like any other (decision 26).
  const intakeLimit = { rateLimit: false } as const;
  const intakeCounter = createIntakeCounter({
    perMinute: limits.intakePerMinute,
    keyOf: (address) => deps.secrets.derive(`intake-address:${address}`),
    now: () => deps.clock.now().getTime(),
  });
  const pageConfig = { access: 'public', errorPage } as const;
  const api = app.withTypeProvider<ZodTypeProvider>();

  const renderForm = async (request: FastifyRequest, reply: FastifyReply, schoolCode?: string) => {
    const lang = languageOf(request);
    // ?district=a&district=b arrives as a list; only a single value names a district.
    const requested = (request.query as { district?: unknown }).district;
    const district = typeof requested === 'string' ? requested : undefined;
    const all = await schoolOptions(deps, district);
    const one = schoolCode ? all.filter((s) => s.code === schoolCode.toLowerCase()) : [];
    const path = schoolCode ? `/report/${encodeURIComponent(schoolCode)}` : '/report';
    const switchHref = `${path}?lang=${publicText[lang].other.code}${district ? `&district=${encodeURIComponent(district)}` : ''}`;
    return send(
      reply,
      200,
      page(lang, publicText[lang].title, reportForm(lang, { schools: one.length === 1 ? one : all, action: '/report', district }), switchHref),
    );
  };

  app.get('/report', { config: pageConfig, schema: { hide: true } }, (request, reply) => renderForm(request, reply));
  app.get('/report/:school', { config: pageConfig, schema: { hide: true } }, (request, reply) =>
    renderForm(request, reply, (request.params as { school: string }).school.slice(0, 64)),
  );

  app.post('/report', { config: { ...pageConfig, ...intakeLimit }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = languageOf(request, body.language);
    const fields = Object.fromEntries(Object.entries(body).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>;
    const parsed = reportInput.safeParse({ ...fields, language: lang });
    const switchHref = `/report?lang=${publicText[lang].other.code}`;
    const formAgain = async (status: number, errors: string[]) =>
      send(
        reply,
        status,
        page(
          lang,
          publicText[lang].title,
          reportForm(lang, { schools: await schoolOptions(deps, fields.district), values: fields, errors, action: '/report', district: fields.district }),
          switchHref,
        ),
      );
    if (!parsed.success) return formAgain(400, formErrors(lang, parsed.error.issues));
    try {
      const received = await receiveReport(deps, 'web', parsed.data, { throttled: intakeCounter.overLimit(request.ip) });
      // Post/redirect/get: a reload of the thanks page never files the report twice, and the code
      // travels in a short-lived encrypted cookie, never in the address bar or the history.
      writeThanks(deps, request, reply, { code: received.followUpCode, spooled: received.spooled });
      return reply.code(303).header('cache-control', 'no-store').header('location', `/report/thanks?lang=${lang}`).send();
    } catch (error) {
      if (error instanceof HttpProblem && error.status === 400) return formAgain(400, [error.detail]);
      throw error;
    }
  });

  app.get('/report/thanks', { config: pageConfig, schema: { hide: true } }, (request, reply) => {
    const lang = languageOf(request);
    const switchHref = `/report/thanks?lang=${publicText[lang].other.code}`;
    const shown = readThanks(deps, request.cookies[thanksCookie]);
    if (!shown) return send(reply, 200, page(lang, publicText[lang].thanksGoneTitle, thanksGone(lang), switchHref));
    return send(reply, 200, page(lang, publicText[lang].thanksTitle, thanks(lang, shown.code, shown.spooled), switchHref));
  });

  // Read once at start: a public page's icon, without the staff app having to be built.
  const favicon = readFavicon();
  app.get(faviconPath, { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) => {
    if (!favicon) return reply.code(404).type('text/plain; charset=utf-8').send('No icon.');
    return reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(favicon);
  });

  const followUpView = async (reply: FastifyReply, lang: PublicLanguage, rawCode: unknown, notice?: string) => {
    const code = typeof rawCode === 'string' ? rawCode.slice(0, 40) : '';
    const switchHref = `/report/follow-up?lang=${publicText[lang].other.code}`;
    if (!code) return send(reply, 200, page(lang, publicText[lang].followUpTitle, followUpPage(lang, {}), switchHref));
    try {
      const found = await followUp(deps, code);
      const shown = { ...found, code: normalizeFollowUpCode(code) ?? code, timeZone: await districtTimeZoneOf(deps, code), notice };
      return send(reply, 200, page(lang, publicText[lang].followUpTitle, followUpPage(lang, shown), switchHref, shown.code));
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      const unknown = followUpPage(lang, { code, error: publicText[lang].unknownCode });
      return send(reply, 404, page(lang, publicText[lang].followUpTitle, unknown, switchHref, code));
    }
  };
  app.get('/report/follow-up', { config: { ...pageConfig, ...guessLimit }, schema: { hide: true } }, (request, reply) =>
    followUpView(reply, languageOf(request), (request.query as { code?: unknown }).code),
  );
  app.post('/report/follow-up', { config: { ...pageConfig, ...guessLimit }, schema: { hide: true } }, (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    return followUpView(reply, languageOf(request, body.lang), body.code);
  });

  app.post('/report/follow-up/message', { config: { ...pageConfig, ...guessLimit }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = languageOf(request, body.lang);
    const code = typeof body.code === 'string' ? body.code.slice(0, 40) : '';
    const message = reporterMessage.safeParse({ message: body.message });
    const switchHref = `/report/follow-up?lang=${publicText[lang].other.code}`;
    try {
      if (message.success) {
        await addReporterMessage(deps, code, message.data.message);
        writeFollowUpCode(deps, request, reply, code);
        return reply.code(303).header('cache-control', 'no-store').header('location', `/report/follow-up/sent?lang=${lang}`).send();
      }
      const found = await followUp(deps, code);
      const notice = message.success ? publicText[lang].sent : undefined;
      const error = message.success ? undefined : lang === 'es' ? 'Escriba un mensaje.' : 'Write a message.';
      const shown = { ...found, code: normalizeFollowUpCode(code) ?? code, timeZone: await districtTimeZoneOf(deps, code), notice, error };
      return send(reply, message.success ? 200 : 400, page(lang, publicText[lang].followUpTitle, followUpPage(lang, shown), switchHref, shown.code));
    } catch (error) {
      if (!(error instanceof HttpProblem)) throw error;
      const spanish = lang === 'es' && typeof error.extra.es === 'string' ? error.extra.es : undefined;
      const text = error.status === 404 ? publicText[lang].unknownCode : (spanish ?? error.detail);
      return send(reply, error.status, page(lang, publicText[lang].followUpTitle, followUpPage(lang, { code, error: text }), switchHref, code || undefined));
    }
  });

  // Where a sent message lands (POST, then redirect): the conversation, with "sent", for the code in the cookie.
  app.get('/report/follow-up/sent', { config: { ...pageConfig, ...guessLimit }, schema: { hide: true } }, (request, reply) => {
    const lang = languageOf(request);
    const code = readFollowUpCode(deps, request.cookies[followUpCookie]);
    return followUpView(reply, lang, code ?? '', code ? publicText[lang].sent : undefined);
  });

  api.post(
    '/api/v1/reports',
    {
      schema: { tags, summary: 'Ask for help (anonymous unless contact is given)', body: reportInput, response: { 201: publicReportCreated } },
      config: { access: 'public', ...intakeLimit },
    },
    async (request, reply) => {
      const received = await receiveReport(deps, 'api', request.body, { throttled: intakeCounter.overLimit(request.ip) });
      return reply.code(201).send({ id: received.id, followUpCode: received.followUpCode, throttled: received.throttled });
    },
  );

  api.get(
    '/api/v1/reports/follow-up/:code',
    {
      schema: {
        tags,
        summary: "A reporter's view of their report: status and messages",
        params: codeParams,
        response: { 200: reporterView },
      },
      config: { access: 'public', ...guessLimit },
    },
    async (request) => followUp(deps, request.params.code),
  );

  api.post(
    '/api/v1/reports/follow-up/:code/messages',
    {
      schema: { tags, summary: 'The reporter adds information or answers the team', params: codeParams, body: reporterMessage, response: { 201: messageSent } },
      config: { access: 'public', ...guessLimit },
    },
    async (request, reply) => {
      await addReporterMessage(deps, request.params.code, request.body.message);
      return reply.code(201).send({ status: 'sent' });
    },
  );
}
