import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pickLanguage } from '../crisis-reports/index.ts';
import { instrumentIndexPage, instrumentPage } from './instrument.page.ts';
import { shippedInstruments } from './library.ts';

function send(reply: FastifyReply, status: number, html: string) {
  // Public and the same for everyone: no student data, so it may be cached for an hour.
  return reply.code(status).header('cache-control', 'public, max-age=3600').type('text/html; charset=utf-8').send(html);
}

function languageOf(request: FastifyRequest) {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  return pickLanguage(typeof lang === 'string' ? lang : undefined, request.headers['accept-language']);
}

/**
 * `/screening/instruments/:id?lang=es`: the questions of a shipped instrument, for families to read
 * before the screening (the notice letter links here). `/screening/instruments` lists them all.
 */
export function registerInstrumentPages(app: FastifyInstance): void {
  const all = () => [...shippedInstruments().values()].map((i) => i.definition);
  app.get('/screening/instruments', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) =>
    send(reply, 200, instrumentIndexPage(languageOf(request), all(), false)),
  );
  app.get('/screening/instruments/:id', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
    const id = String((request.params as { id?: string }).id ?? '').slice(0, 100);
    const instrument = shippedInstruments().get(id);
    const lang = languageOf(request);
    if (!instrument) return send(reply, 404, instrumentIndexPage(lang, all(), true));
    return send(reply, 200, instrumentPage(lang, instrument.definition));
  });
}
