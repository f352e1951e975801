import fs from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { actorOf, registerAuthentication } from './access/authenticate.ts';
import { registerAccountRoutes } from './features/accounts/accounts.routes.ts';
import { credentialsOf } from './features/accounts/credentials.ts';
import { registerPasskeyRoutes } from './features/accounts/passkeys.routes.ts';
import { registerPushRoutes } from './features/accounts/push.routes.ts';
import { registerSsoRoutes } from './features/accounts/sso.routes.ts';
import { registerCaseRoutes } from './features/cases/cases.routes.ts';
import { registerCrisisReportRoutes } from './features/crisis-reports/crisis-reports.routes.ts';
import { registerInboundChannelRoutes } from './features/crisis-reports/inbound-channels.routes.ts';
import { registerPublicReportRoutes } from './features/crisis-reports/public.routes.ts';
import { registerSmsRoutes } from './features/crisis-reports/sms.routes.ts';
import { registerCrisisTeamRoutes } from './features/crisis-teams/crisis-teams.routes.ts';
import { registerDistrictRoutes } from './features/districts/districts.routes.ts';
import { registerFamilyContactRoutes } from './features/family-contact/family-contact.routes.ts';
import { registerLeadershipRoutes } from './features/leadership/leadership.routes.ts';
import { registerHsdsRoutes } from './features/partners/hsds.routes.ts';
import { registerPartnerRoutes } from './features/partners/partners.routes.ts';
import { registerPlanRoutes } from './features/plans/plans.routes.ts';
import { registerReferralRoutes } from './features/referrals/referrals.routes.ts';
import { registerRosterRoutes } from './features/roster/roster.routes.ts';
import { registerScreenRoutes } from './features/screening/screen.routes.ts';
import { registerScreeningRoutes } from './features/screening/screening.routes.ts';
import { registerStudentRoutes } from './features/students/students.routes.ts';
import type { Deps } from './platform/deps.ts';
import { frameworkErrorHandler, HttpProblem, registerProblemHandlers } from './platform/errors.ts';
import { registerOutboxRoutes } from './platform/outbox/outbox.routes.ts';
import { registerSecurityHeaders } from './platform/security-headers.ts';

export type AppOptions = {
  /** Pino options, or false for none (tests). Bodies, addresses and credentials are never logged. */
  logger: false | { level: string; stream?: NodeJS.WritableStream };
  /** Proxy addresses or CIDR ranges whose X-Forwarded-For is believed (see config.ts). */
  trustProxy?: string[];
  /** Folder of the built web app; when missing, `/` explains how to build it. */
  webDist?: string;
  /** Per-address limit on sign-in and reset requests (tests raise it; one machine signs in as many). */
  signInPerMinute?: number;
  /** Per-address limit on public report intake. */
  intakePerMinute?: number;
};

/**
 * Builds the HTTP application from its dependencies. It never listens: `server.ts` does, and
 * tests call `app.inject` on it directly.
 */
export async function buildApp(deps: Deps, options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger && {
      level: options.logger.level,
      ...(options.logger.stream ? { stream: options.logger.stream } : {}),
      // Requests are logged by method and route pattern only: no IP address, user agent, query
      // string (follow-up codes) or body, so nothing identifies an anonymous reporter.
      serializers: {
        req: (request: { method: string; routeOptions?: { url?: string } }) => ({ method: request.method, route: request.routeOptions?.url ?? 'unmatched' }),
      },
    },
    // A list, never `true`: with `true` the left-most X-Forwarded-For entry, which anyone can
    // write, would become the client address (and the key of every per-address limit).
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? options.trustProxy.join(',') : false,
    // Live alert streams stay open; on shutdown they are closed rather than waited for.
    forceCloseConnections: true,
    bodyLimit: 256 * 1024,
    // Query strings like ?school=&q= must not become arrays or objects by accident.
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerProblemHandlers(app);

  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine writes its theme variables into a <style> element at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'no-referrer' },
  });
  // Every response the browser can take compressed goes brotli, else gzip (issue 16: a school
  // laptop on a shared connection). Registered before any route, as it attaches to routes as they
  // are added. Server-sent events are never compressed, so live alerts are not held in a buffer:
  // the alert stream writes to the raw socket, and `text/event-stream` is not a compressible type.
  // Request bodies are never inflated: no Haven client compresses them, and inflating them on
  // public intake would let a small request cost the server a large one.
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false });
  await app.register(cookie, { secret: deps.secrets.cookieSecret });
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(rateLimit, {
    max: 600,
    timeWindow: '1 minute',
    errorResponseBuilder: (_request, context) =>
      new HttpProblem(429, 'Too many requests', `Too many requests from this address; try again in ${Math.ceil(context.ttl / 1000)} seconds.`, {
        retryAfterSeconds: Math.ceil(context.ttl / 1000),
      }),
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Haven API', version: '1', description: 'School and community partnerships for student mental health.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'haven_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  registerAuthentication(app, credentialsOf(deps));

  app.get('/healthz', { schema: { hide: true }, config: { rateLimit: false } }, async (_request, reply) => {
    try {
      await deps.db.app.execute(sql`select 1`);
      return { status: 'ok' };
    } catch {
      return reply.code(503).send({ status: 'unavailable', detail: 'The database is not answering.' });
    }
  });

  registerAccountRoutes(app, deps, { signInPerMinute: options.signInPerMinute ?? 20 });
  registerSsoRoutes(app, deps, { signInPerMinute: options.signInPerMinute ?? 20 });
  registerPasskeyRoutes(app, deps, { signInPerMinute: options.signInPerMinute ?? 20 });
  registerPushRoutes(app, deps);
  registerDistrictRoutes(app, deps);
  registerOutboxRoutes(app, deps, actorOf);
  registerStudentRoutes(app, deps);
  registerPublicReportRoutes(app, deps, { intakePerMinute: options.intakePerMinute ?? 120 });
  registerCrisisReportRoutes(app, deps);
  registerSmsRoutes(app, deps);
  registerInboundChannelRoutes(app, deps);
  registerCrisisTeamRoutes(app, deps);
  registerScreeningRoutes(app, deps);
  registerCaseRoutes(app, deps);
  registerRosterRoutes(app, deps);
  registerPlanRoutes(app, deps);
  registerHsdsRoutes(app, deps);
  registerPartnerRoutes(app, deps);
  registerReferralRoutes(app, deps);
  registerFamilyContactRoutes(app, deps);
  registerLeadershipRoutes(app, deps);
  registerScreenRoutes(app, deps);

  await registerWebApp(app, options.webDist);
  return app;
}

/** Vite names each file in assets/ after a hash of its content: a new version is a new name. */
const fingerprinted = /^assets\/[^/]+-[\w-]{8}\.[a-z0-9]+(?:\.map)?(?:\.(?:br|gz))?$/i;

/**
 * How long a browser may keep a file of the web app. Fingerprinted assets never change under
 * their name, so they are kept a year without asking again; everything else (index.html, which
 * names the current assets, the favicon, a service worker) is checked with the server on each
 * use, so a new version reaches people on their next load.
 */
export function webCacheControl(relativePath: string): string {
  return fingerprinted.test(relativePath.split(path.sep).join('/')) ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * Serves the single-page web app; unknown non-API paths get its index so deep links work. The
 * build writes .br and .gz copies beside each asset (web/precompress.ts), sent as the browser
 * accepts them; files without a copy are compressed on the fly.
 */
async function registerWebApp(app: FastifyInstance, webDist: string | undefined): Promise<void> {
  const index = webDist ? path.join(webDist, 'index.html') : undefined;
  const hasWeb = index !== undefined && fs.existsSync(index);
  if (hasWeb && webDist) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, file) => void reply.header('cache-control', webCacheControl(path.relative(webDist, file))),
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && !path.extname(request.url.split('?')[0] ?? '');
    if (wantsPage && hasWeb && webDist) {
      return reply.sendFile('index.html', webDist);
    }
    if (wantsPage) {
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="en"><title>Haven</title><main><h1>Haven</h1><p>The web app is not built yet. Run <code>npm run build</code>, then reload.</p></main></html>',
        );
    }
    return reply
      .code(404)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Not found', status: 404, detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}.` });
  });
}
