import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from './support/factories.ts';
import { startTestHaven, type TestHaven } from './support/harness.ts';

/**
 * Staff who read Haven in Spanish get the server's refusals in Spanish, each with a stable code the
 * web app can translate: the app sends its language as Accept-Language, and a refusal left in
 * English would be the only English on the screen. Ms. Rivera (counselor), Mr. Okafor (crisis
 * team) and Ms. Whitfield (district administrator) work in Spanish here.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let okafor: Session;
let whitfield: Session;
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async () => undefined } });
  d = await createDistrict(haven.deps);
  [rivera, okafor, whitfield] = await Promise.all([
    signIn(haven.app, d.people.rivera.email),
    signIn(haven.app, d.people.okafor.email),
    signIn(haven.app, d.people.whitfield.email),
  ]);
});
afterAll(() => haven.close());

const spanish = { 'accept-language': 'es-US,es;q=0.9,en;q=0.5' };
const missingId = '00000000-0000-4000-8000-000000000001';
const send = (method: 'GET' | 'POST', session: Session | null, url: string, payload?: unknown, headers: Record<string, string> = spanish) =>
  haven.app.inject({
    method,
    url,
    headers: { ...session?.headers, ...headers },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

describe('a refusal in Spanish, with its code', () => {
  it('names an instrument the district does not have when a screening window is opened', async () => {
    const refused = await send('POST', rivera, '/api/v1/screening/windows', {
      name: 'Evaluación de otoño',
      schoolIds: [d.schools.lincoln.id],
      grades: ['7'],
      instrumentIds: ['phq-a', 'bdi-x'],
      opensOn: '2026-11-01',
      closesOn: '2026-12-18',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'instrument_unknown',
      detail: expect.stringMatching(/^"bdi-x" no es un instrumento de este distrito\. Elija entre: .*phq-a/),
    });
  });

  it('says an instrument is missing, and why answers cannot be scored', async () => {
    const missing = await send('GET', null, '/api/v1/instruments/bdi-x');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'instrument_not_found', detail: 'El instrumento "bdi-x" no existe o usted no tiene acceso a él.' });

    const unscorable = await send('POST', null, '/api/v1/instruments/phq-a/score', { answers: { q99: 1 } });
    expect(unscorable.statusCode).toBe(422);
    expect(unscorable.json().errors).toContain('pregunta desconocida "q99"');
    const inEnglish = await send('POST', null, '/api/v1/instruments/phq-a/score', { answers: { q99: 1 } }, {});
    expect(inEnglish.json().errors).toContain('unknown item "q99"');
  });

  it('refuses to import an instrument under the id of one Haven ships', async () => {
    const shipped = (await send('GET', null, '/api/v1/instruments/phq-a')).json();
    const refused = await send('POST', whitfield, '/api/v1/instruments', shipped);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'instrument_id_shipped',
      detail: '"phq-a" viene incluido en Haven; dé a su definición un id propio (por ejemplo, "phq-a-local").',
    });
  });

  it('says a student is not there the same way whether missing or out of reach', async () => {
    const refused = await send('GET', rivera, `/api/v1/students/${missingId}`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json()).toMatchObject({ code: 'student_not_found', detail: 'Ese estudiante no existe o usted no tiene acceso a él.' });
  });

  it('tells the crisis team why a case cannot move yet', async () => {
    const opened = await send('POST', okafor, '/api/v1/cases', {
      type: 'suicide_risk',
      summary: 'Un amigo escuchó frases suicidas',
      schoolId: d.schools.lincoln.id,
    });
    expect(opened.statusCode).toBe(201);
    const refused = await send('POST', okafor, `/api/v1/cases/${opened.json().id}/transitions`, { action: 'start_safety_planning' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'case_transition_refused', detail: 'Un caso abierto no puede pasar a plan de seguridad.' });

    const noReason = await send('POST', okafor, `/api/v1/cases/${opened.json().id}/transitions`, { action: 'reopen' });
    expect(noReason.json()).toMatchObject({ code: 'reopen_reason_required', detail: 'Indique por qué se reabre el caso.' });
  });

  it('checks the dates of a funding source, and says a missing field in Spanish', async () => {
    const reversed = await send('POST', whitfield, '/api/v1/leadership/funding', {
      kind: 'state_grant',
      name: 'Subvención estatal',
      awardCents: 1_000_000,
      periodStart: '2026-07-01',
      periodEnd: '2026-06-30',
      obligationDeadline: '2026-12-31',
    });
    expect(reversed.json()).toMatchObject({ code: 'funding_period_reversed', detail: 'El período termina antes de empezar; revise las fechas.' });

    const unnamed = await send('POST', whitfield, '/api/v1/leadership/funding', {
      kind: 'state_grant',
      awardCents: 1_000_000,
      periodStart: '2026-07-01',
      periodEnd: '2027-06-30',
      obligationDeadline: '2026-12-31',
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toMatchObject({ code: 'invalid_fields', detail: 'name: Entrada inválida: se esperaba texto, recibido indefinido' });
  });

  it("answers a schema's own message in Spanish with its code, and in English without the header", async () => {
    const payload = { status: 'scheduled', appointmentAt: '2026-12-02T16:30', telehealthUrl: 'http://video.example.test/room' };
    const refused = await send('POST', rivera, `/api/v1/referrals/${missingId}/status`, payload);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      detail: 'el enlace de telesalud debe empezar con https://',
      errors: [{ field: 'body.telehealthUrl', code: 'telehealth_link_https' }],
    });
    const inEnglish = await send('POST', rivera, `/api/v1/referrals/${missingId}/status`, payload, {});
    expect(inEnglish.json()).toMatchObject({ detail: 'the telehealth link must start with https://', errors: [{ code: 'telehealth_link_https' }] });
  });
});
