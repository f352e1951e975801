import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { pickLanguage } from '../crisis-reports/index.ts';
import { declineScreen } from './decline.service.ts';
import { heldScreen, holdForProctor } from './hold.service.ts';
import { codeForm, declinedPage, donePage, holdPage, questionPage, screenPage } from './screen.pages.ts';
import { answerScreen, closeAbandonedScreens, currentScreen, startScreen } from './screen.service.ts';
import { type ScreenLanguage, screenText } from './screen.text.ts';

const cookie = 'haven_screen';
const codeGuesses = { rateLimit: { max: 30, timeWindow: '1 minute' } };

function send(reply: FastifyReply, status: number, html: string) {
  // no-store: the back button on a shared computer must never show the previous student's page.
  return reply.code(status).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(html);
}

function languageOf(request: FastifyRequest, fromBody?: unknown): ScreenLanguage {
  const query = (request.query as { lang?: string } | undefined)?.lang ?? (typeof fromBody === 'string' ? fromBody : undefined);
  return pickLanguage(query, request.headers['accept-language']);
}

const page = (lang: ScreenLanguage, path: string, body: string) =>
  screenPage(lang, screenText[lang].title, body, `${path}?lang=${screenText[lang].other.code}`);

/**
 * The student's screen: /screen (enter the code), /screen/question (one question per page; the
 * first one says taking part is voluntary and offers /screen/decline), /screen/done or
 * /screen/declined. The screen cookie is HttpOnly, SameSite=Strict, limited to /screen and ends with
 * the browser session or the last answer, whichever comes first (kiosk mode).
 */
export function registerScreenRoutes(app: FastifyInstance, deps: Deps): void {
  // A device held for an imminent-risk screen shows only the hold page until a proctor releases it.
  const held = (request: FastifyRequest) => heldScreen(deps, request.cookies[cookie]);

  app.get('/screen', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await held(request)) return reply.redirect('/screen/hold', 303);
    reply.clearCookie(cookie, { path: '/screen' });
    return send(reply, 200, page(languageOf(request), '/screen', codeForm(languageOf(request))));
  });

  app.post('/screen/start', { config: { access: 'public', ...codeGuesses }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = languageOf(request, body.lang);
    const outcome = await startScreen(deps, typeof body.code === 'string' ? body.code.slice(0, 20) : '', lang);
    if ('error' in outcome) return send(reply, 400, page(lang, '/screen', codeForm(lang, screenText[lang].unknownCode)));
    reply.setCookie(cookie, outcome.token, { path: '/screen', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https' });
    return reply.redirect(`/screen/question?lang=${lang}`, 303);
  });

  app.get('/screen/question', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await held(request)) return reply.redirect('/screen/hold', 303);
    const view = await currentScreen(deps, request.cookies[cookie]);
    const query = request.query as { care?: string; lang?: string };
    if (view.state === 'none') return reply.redirect(`/screen?lang=${languageOf(request)}`, 303);
    const lang = query.lang === 'en' || query.lang === 'es' ? query.lang : view.language;
    return send(reply, 200, page(lang, '/screen/question', questionPage(lang, { ...view, care: query.care === '1' })));
  });

  app.post('/screen/answer', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const lang = languageOf(request, body.lang);
    const outcome = await answerScreen(deps, request.cookies[cookie], {
      instrumentId: String(body.instrument ?? ''),
      linkId: String(body.item ?? ''),
      value: body.skip === '1' ? null : typeof body.value === 'string' ? body.value : '',
    });
    if (outcome.hold) {
      await holdForProctor(deps, { ...outcome.hold, token: request.cookies[cookie] as string });
      // The screen ends here: what is left unanswered is scored as unknown; the student stays with the adult.
      await closeAbandonedScreens(deps, { sessionIds: [outcome.hold.sessionId] });
      return reply.redirect(`/screen/hold?lang=${lang}`, 303);
    }
    if (outcome.next === 'none') return reply.redirect(`/screen?lang=${lang}`, 303);
    if (outcome.next === 'done') {
      reply.clearCookie(cookie, { path: '/screen' });
      return reply.redirect(`/screen/done?lang=${lang}${outcome.alerted ? '&care=1' : ''}`, 303);
    }
    return reply.redirect(`/screen/question?lang=${lang}${outcome.newAlert ? '&care=1' : ''}`, 303);
  });

  // "I'd rather not" on the first page: the student's choice for this window, then a kind page.
  app.post('/screen/decline', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await held(request)) return reply.redirect('/screen/hold', 303);
    const lang = languageOf(request, ((request.body ?? {}) as Record<string, unknown>).lang);
    const outcome = await declineScreen(deps, request.cookies[cookie]);
    if (outcome === 'answered') return reply.redirect(`/screen/question?lang=${lang}`, 303);
    reply.clearCookie(cookie, { path: '/screen' });
    return reply.redirect(outcome === 'declined' ? `/screen/declined?lang=${lang}` : `/screen?lang=${lang}`, 303);
  });

  app.get('/screen/declined', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await held(request)) return reply.redirect('/screen/hold', 303);
    reply.clearCookie(cookie, { path: '/screen' });
    const lang = languageOf(request);
    return send(reply, 200, page(lang, '/screen/declined', declinedPage(lang)));
  });

  app.get('/screen/hold', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const hold = await held(request);
    if (!hold) return reply.redirect(`/screen?lang=${languageOf(request)}`, 303);
    const query = (request.query as { lang?: string }).lang;
    const lang = query === 'en' || query === 'es' ? query : hold.language;
    return send(reply, 200, page(lang, '/screen/hold', holdPage(lang)));
  });

  app.get('/screen/done', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    if (await held(request)) return reply.redirect('/screen/hold', 303);
    reply.clearCookie(cookie, { path: '/screen' });
    const lang = languageOf(request);
    return send(reply, 200, page(lang, '/screen/done', donePage(lang, (request.query as { care?: string }).care === '1')));
  });
}
