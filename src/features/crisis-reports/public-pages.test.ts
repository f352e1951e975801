import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { sha256 } from '../../platform/secrets.ts';

/**
 * Issue 16, "Public pages": what a frightened student on a shared school computer or a phone
 * meets after pressing Send. A reload never files twice, Back brings nothing typed back, the code
 * is never in the address bar, and times read as the school tells them.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
/** Ms. Whitfield, district administrator, signed in now (these tests move the clock). */
const whitfield = (): Promise<Session> => signIn(haven.app, d.people.whitfield.email);
afterAll(() => haven.close());

const query = async (sql: string, params: unknown[] = []) => (await haven.deps.db.system.$client.query(sql, params)).rows;
const codeIn = (html: string) => /class="code"[^>]*>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</.exec(html)?.[1];
const post = (fields: Record<string, string>) =>
  haven.app.inject({
    method: 'POST',
    url: '/report',
    payload: new URLSearchParams({ school: 'lincoln-ms', district: d.district.slug, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
const thanksPage = (url: string, cookie?: string) =>
  haven.app.inject({ method: 'GET', url, cookies: cookie === undefined ? {} : { haven_report_thanks: cookie } });

describe('sending the form', () => {
  it('answers with a redirect to the thanks page; the code travels in a short-lived private cookie, never in the URL', async () => {
    const before = (await query('select count(*)::int as n from reports where district_id = $1', [d.district.id]))[0].n;
    const sent = await post({ description: 'Someone wrote something scary about me online', language: 'en' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe('/report/thanks?lang=en');
    expect(sent.headers['cache-control']).toBe('no-store');
    const cookie = sent.cookies.find((c) => c.name === 'haven_report_thanks');
    expect(cookie).toMatchObject({ path: '/report', httpOnly: true, sameSite: 'Strict', maxAge: 600 });

    const thanks = await thanksPage(String(sent.headers.location), cookie?.value);
    expect(thanks.statusCode).toBe(200);
    expect(thanks.headers['cache-control']).toBe('no-store');
    const code = codeIn(thanks.body) as string;
    expect(code).toBeDefined();
    expect(thanks.body).toContain('988');
    expect(cookie?.value).not.toContain(code);
    expect(cookie?.value).not.toContain(code.replaceAll('-', ''));
    expect((await query('select count(*)::int as n from reports where follow_up_code_hash = $1', [sha256(code)]))[0].n).toBe(1);

    // A reload shows the same page and files nothing again.
    expect(codeIn((await thanksPage(String(sent.headers.location), cookie?.value)).body)).toBe(code);
    expect((await query('select count(*)::int as n from reports where district_id = $1', [d.district.id]))[0].n).toBe(before + 1);
  });

  it('the thanks page shows no code without its cookie, with an altered one, or after 10 minutes', async () => {
    const sent = await post({ description: 'A fight is planned behind the gym', language: 'es' });
    const cookie = sent.cookies.find((c) => c.name === 'haven_report_thanks')?.value as string;
    const gone = await thanksPage('/report/thanks?lang=es');
    expect(gone.statusCode).toBe(200);
    expect(gone.body).toContain('Esta página ya no está disponible');
    expect(gone.body).toContain('988');
    expect(codeIn(gone.body)).toBeUndefined();
    expect(codeIn((await thanksPage('/report/thanks?lang=es', `${cookie.slice(0, -2)}xx`)).body)).toBeUndefined();
    expect(codeIn((await thanksPage('/report/thanks?lang=es', cookie)).body)).toBeDefined();
    haven.clock.advance(11 * 60_000);
    expect(codeIn((await thanksPage('/report/thanks?lang=es', cookie)).body)).toBeUndefined();
  });

  it('a form with a problem is shown again, still never kept by the browser', async () => {
    const refused = await post({ description: '', about: 'Jonah', language: 'en' });
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['cache-control']).toBe('no-store');
  });
});

describe('the pages themselves', () => {
  it('the form asks the browser not to remember what was typed, and is never cached', async () => {
    const form = await haven.app.inject({ method: 'GET', url: '/report/lincoln-ms' });
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.body).toMatch(/<form method="post" action="\/report"[^>]* autocomplete="off">/);
    const followUp = await haven.app.inject({ method: 'GET', url: '/report/follow-up' });
    expect(followUp.body).toMatch(/<form method="post" action="\/report\/follow-up" autocomplete="off">/);
  });

  it('say each crisis number once, as the link that calls or texts it, in English and in Spanish', async () => {
    for (const lang of ['en', 'es']) {
      const body = (await haven.app.inject({ method: 'GET', url: `/report?lang=${lang}` })).body;
      const banner = /<header class="crisis"[\s\S]*?<\/header>/.exec(body)?.[0] ?? '';
      expect(banner.match(/>911</g)).toHaveLength(1);
      expect(banner).toContain('<a href="tel:911" class="number">911</a>');
      expect(banner).toContain('<a href="tel:988" class="number">988</a>');
      expect(banner).toContain('<a href="tel:18444938255" class="number">1-844-493-8255</a>');
      expect(banner).not.toMatch(/911\.?<\/strong> <a/);
    }
  });

  it('make every choice a target of at least 24 by 24 pixels, its whole label clickable (WCAG 2.5.8), in English and Spanish', async () => {
    for (const lang of ['en', 'es']) {
      const body = (await haven.app.inject({ method: 'GET', url: `/report?lang=${lang}` })).body;
      const choices = body.match(/<input type="(radio|checkbox)"/g) ?? [];
      expect(choices.length).toBeGreaterThan(5);
      // Each one inside its own label, so a tap anywhere on the words chooses it.
      expect(body.match(/<label class="choice"><input type="(radio|checkbox)"[^>]*><span>[^<]+<\/span><\/label>/g)).toHaveLength(choices.length);
      expect(body).toMatch(/\.choice input\{[^}]*min-width:24px;min-height:24px/);
    }
  });

  it('have an icon, served whether or not the staff app is built', async () => {
    const form = await haven.app.inject({ method: 'GET', url: '/report?lang=es' });
    expect(form.body).toContain('<link rel="icon" href="/report/favicon.svg" type="image/svg+xml">');
    const icon = await haven.app.inject({ method: 'GET', url: '/report/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.body).toMatch(/^<svg /);
  });
});

describe('the follow-up page', () => {
  it('names the code it is about and gives times in the district’s time zone, in English and Spanish', async () => {
    haven.clock.set(new Date('2026-11-30T15:00:00Z')); // 8:00 in Denver
    const created = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'Worried about my friend', district: d.district.slug },
    });
    const { id, followUpCode } = created.json();
    haven.clock.set(new Date('2026-11-30T21:30:00Z')); // 14:30 in Denver
    const answered = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/reports/${id}/messages`,
      headers: (await whitfield()).headers,
      payload: { body: 'Thank you. Is your friend safe right now?', direction: 'to_reporter' },
    });
    expect(answered.statusCode).toBe(201);
    const look = (lang: string) =>
      haven.app.inject({
        method: 'POST',
        url: '/report/follow-up',
        payload: `code=${followUpCode.toLowerCase().replaceAll('-', ' ')}&lang=${lang}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    // (ICU versions differ in the words between date and time, and in the space before AM.)
    const english = (await look('en')).body;
    expect(english).toContain(`Report with code <strong class="code">${followUpCode}</strong>`);
    expect(english).toMatch(/Received: November 30, 2026(,| at) 8:00\s?AM MST/u);
    expect(english).toMatch(/From the school team<\/strong> · November 30, 2026(,| at) 2:30\s?PM MST/u);
    expect(english).not.toContain('UTC');
    const spanish = (await look('es')).body;
    expect(spanish).toContain(`Reporte con el código <strong class="code">${followUpCode}</strong>`);
    expect(spanish).toMatch(/Recibido: 30 de noviembre de 2026(,| a las)+ 8:00\s?a\.\s?m\.\s?MST/u);

    // Another district's zone is its own: the same report read as a district in Hawaii would.
    await query('update districts set time_zone = $1 where id = $2', ['Pacific/Honolulu', d.district.id]);
    expect((await look('en')).body).toMatch(/Received: November 30, 2026(,| at) 5:00\s?AM HST/u);
    await query('update districts set time_zone = $1 where id = $2', ['America/Denver', d.district.id]);
  });
});

describe('switching language on the follow-up page', () => {
  const lookUp = (fields: Record<string, string>) =>
    haven.app.inject({
      method: 'POST',
      url: '/report/follow-up',
      payload: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  /** The fields of the page's language switch, as the browser would send them. */
  const switchFields = (html: string) => {
    const form = /<form class="switch" method="post" action="\/report\/follow-up"[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
    return Object.fromEntries([...form.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
  };

  it('keeps the code the reporter typed, carried in the form and never in a URL', async () => {
    const created = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: { description: 'Kids are vaping in the bathroom', district: d.district.slug },
    });
    const { followUpCode } = created.json();
    const english = await lookUp({ code: followUpCode, lang: 'en' });
    expect(english.body).toContain('Received. Waiting for a person to pick it up.');
    expect(switchFields(english.body)).toEqual({ lang: 'es', code: followUpCode });
    // No link or address on the page carries the code.
    expect([...english.body.matchAll(/(href|action)="([^"]*)"/g)].map((m) => m[2]).join(' ')).not.toContain(followUpCode);

    const spanish = await lookUp(switchFields(english.body));
    expect(spanish.statusCode).toBe(200);
    expect(spanish.body).toContain(`Reporte con el código <strong class="code">${followUpCode}</strong>`);
    expect(spanish.body).toContain('Recibido. Esperando a que una persona lo atienda.');
    expect(switchFields(spanish.body)).toEqual({ lang: 'en', code: followUpCode });
  });

  it('keeps a code that was not found too, so it can be corrected in the other language', async () => {
    const missing = await lookUp({ code: 'ZZZZ-ZZZZ-ZZZZ', lang: 'es' });
    expect(missing.statusCode).toBe(404);
    expect(switchFields(missing.body)).toEqual({ lang: 'en', code: 'ZZZZ-ZZZZ-ZZZZ' });
    expect((await lookUp(switchFields(missing.body))).body).toContain('We could not find a report with that code.');
  });

  it('is a plain link before any code is typed', async () => {
    const empty = await haven.app.inject({ method: 'GET', url: '/report/follow-up?lang=en' });
    expect(empty.body).toContain('<a href="/report/follow-up?lang=es" hreflang="es" lang="es">Español</a>');
    expect(empty.body).not.toContain('class="switch"');
  });
});

describe('a message sent on the follow-up page', () => {
  it('redirects to the conversation: a reload never sends it twice, and the code stays out of the URL', async () => {
    const sent = await post({ description: 'Mi amiga dice que se quiere lastimar', language: 'es' });
    const code = codeIn((await thanksPage(String(sent.headers.location), sent.cookies.find((c) => c.name === 'haven_report_thanks')?.value)).body) as string;
    const message = await haven.app.inject({
      method: 'POST',
      url: '/report/follow-up/message',
      payload: new URLSearchParams({ code, message: 'Sí, estoy en la biblioteca con mi amiga.', lang: 'es' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(message.statusCode).toBe(303);
    expect(message.headers.location).toBe('/report/follow-up/sent?lang=es');
    const cookie = message.cookies.find((c) => c.name === 'haven_report_follow_up');
    expect(cookie).toMatchObject({ path: '/report', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.value).not.toContain(code);
    // The page it lands on, loaded twice (a reload): the message is there once, with "sent".
    for (let i = 0; i < 2; i++) {
      const shown = await haven.app.inject({
        method: 'GET',
        url: String(message.headers.location),
        cookies: { haven_report_follow_up: cookie?.value as string },
      });
      expect(shown.statusCode).toBe(200);
      expect(shown.headers['cache-control']).toBe('no-store');
      expect(codeIn(shown.body)).toBe(code);
      expect(shown.body.match(/Sí, estoy en la biblioteca con mi amiga\./g)).toHaveLength(1);
    }
    const stored = await query(
      `select count(*)::int as n from report_messages m join reports r on r.id = m.report_id where r.follow_up_code_hash = $1 and m.direction = 'from_reporter'`,
      [sha256(code)],
    );
    expect(stored[0].n).toBe(1);
    // Without the cookie the page asks for the code instead of showing a conversation.
    expect(codeIn((await haven.app.inject({ method: 'GET', url: '/report/follow-up/sent?lang=es' })).body)).toBeUndefined();
  });
});

describe('the report figures', () => {
  it('name reports with no school by a key the web app translates, not by English words', async () => {
    await haven.app.inject({ method: 'POST', url: '/api/v1/reports', payload: { description: 'Something at a district event', district: d.district.slug } });
    const figures = (await haven.app.inject({ method: 'GET', url: '/api/v1/reports/metrics?days=30', headers: (await whitfield()).headers })).json();
    const schools = figures.groups.filter((g: { dimension: string }) => g.dimension === 'school').map((g: { value: string }) => g.value);
    expect(schools).toContain('district_level');
    expect(schools).not.toContain('district level');
  });
});
