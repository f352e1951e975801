import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { students } from '../../data/students.ts';
import type { EligibilityWords } from './eligibility.rules.ts';
import { eligibilityWordsEs } from './eligibility.text.ts';

/**
 * Staff who read Haven in Spanish get the server's refusals in Spanish: the web app sends its
 * language as Accept-Language, and a message that stayed English would be the only English on
 * the screen. Ms. Rivera, counselor at Lincoln Middle, works in Spanish here.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let whitfield: Session;
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async () => undefined } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
  whitfield = await signIn(haven.app, d.people.whitfield.email);
});
afterAll(() => haven.close());

const spanish = { 'accept-language': 'es-US,es;q=0.9,en;q=0.5' };
const post = (session: Session, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  haven.app.inject({ method: 'POST', url, headers: { ...session.headers, ...headers }, payload: payload as Record<string, unknown> });
const localIdOf = async (id: string) =>
  (await haven.deps.db.system.select({ localId: students.localId }).from(students).where(eq(students.id, id)))[0]?.localId as string;

async function fallWindow() {
  const created = await post(rivera, '/api/v1/screening/windows', {
    name: 'Evaluación de otoño',
    schoolIds: [d.schools.lincoln.id],
    grades: ['7'],
    instrumentIds: ['phq-a'],
    opensOn: '2026-11-01',
    closesOn: '2026-12-18',
  });
  expect(created.statusCode).toBe(201);
  return created.json().id as string;
}

describe('a student who cannot be screened yet', () => {
  it('is explained in Spanish when the proctor reads Spanish, and in English otherwise', async () => {
    const fall = await fallWindow();
    const maya = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
    const inSpanish = await post(rivera, `/api/v1/screening/windows/${fall}/codes`, { studentId: maya.id }, spanish);
    expect(inSpanish.statusCode).toBe(400);
    expect(inSpanish.json()).toMatchObject({
      code: 'not_eligible',
      detail:
        'Este estudiante todavía no puede ser evaluado: Hace falta el consentimiento por escrito del padre, madre o tutor para esta ventana (o el del propio estudiante desde los 12 años).',
    });
    const inEnglish = await post(rivera, `/api/v1/screening/windows/${fall}/codes`, { studentId: maya.id });
    expect(inEnglish.json().detail).toMatch(/^This student cannot be screened yet: Written consent from a guardian/);
  });

  it('every reason has its Spanish sentence', () => {
    const all: EligibilityWords[] = [
      { code: 'opted_out_year', values: { instrument: 'phq-a', schoolYear: '2026-27', leftOut: [] } },
      { code: 'withdrawn_window', values: { instrument: null, schoolYear: '2026-27', leftOut: ['asq'] } },
      { code: 'no_consent_for', values: { instruments: ['asq', 'phq-a'] } },
      { code: 'no_instrument', values: { age: 6, estimated: true, ranges: [{ instrument: 'asq', min: 8, max: null }] } },
      { code: 'no_notice', values: {} },
      { code: 'notice_period', values: { waitedDays: 3, noticeDays: 10, startsOn: '2026-12-08' } },
    ];
    expect(all.map(eligibilityWordsEs)).toEqual([
      'La familia pidió que no haga el PHQ-A en todo el año escolar 2026-27.',
      'Sin ASQ: La familia retiró su consentimiento para esta ventana.',
      'Sin ASQ, PHQ-A: no hay consentimiento para esos instrumentos.',
      'Ningún instrumento de esta ventana está validado para los 6 años, edad estimada según el grado (ASQ: desde los 8 años).',
      'Todavía no se ha enviado ningún aviso a la familia para esta ventana.',
      'La familia recibió el primer aviso hace 3 días y tiene 10 días para pedir que no participe; la evaluación puede empezar el 2026-12-08.',
    ]);
  });
});

describe('recording consent', () => {
  it('for screening, refuses in Spanish a consent for a whole school year', async () => {
    const leo = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo' });
    const refused = await post(rivera, `/api/v1/students/${leo.id}/screening-consents`, { kind: 'consent', source: 'paper', scope: 'school_year' }, spanish);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(/^El consentimiento se da para un período de evaluación a la vez/);
  });

  it('for a referral, refuses in Spanish a guardian consent that has already expired', async () => {
    const ana = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    const refused = await post(
      rivera,
      `/api/v1/students/${ana.id}/referral-consents`,
      { givenBy: 'Rosa Martínez', scope: ['any_partner'], expiresOn: '2025-06-30' },
      spanish,
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'consent_expired', detail: 'Ese consentimiento ya venció; revise la fecha.' });
  });
});

describe('the results import report', () => {
  it('names each line’s problem in Spanish, consent refusals included', async () => {
    const [one, two] = [
      await createStudent(haven.deps, d.district.id, d.schools.lincoln.id),
      await createStudent(haven.deps, d.district.id, d.schools.lincoln.id),
    ];
    const optedOut = await post(rivera, `/api/v1/students/${two.id}/screening-consents`, {
      kind: 'opt_out',
      source: 'phone',
      scope: 'school_year',
    });
    expect(optedOut.statusCode).toBe(201);
    const csv = [
      'student_id,administered_at,instrument,q1,q2,q3,q4,q5,q6,q7,q8,q9,past_month_thoughts',
      `${await localIdOf(one.id)},2026-10-14,phq-a,4,1,1,1,1,1,1,1,0,no`,
      'S-desconocido,2026-10-14,phq-a,0,0,0,0,0,0,0,0,0,no',
      `${await localIdOf(two.id)},2026-10-14,phq-a,0,0,0,0,0,0,0,0,0,no`,
    ].join('\n');
    const response = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/screening/imports?skipInvalid=true',
      headers: { ...whitfield.headers, ...spanish, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(response.json().errors).toEqual([
      { line: 2, message: 'q1: 4 está fuera del rango (0–3)' },
      { line: 3, message: 'no hay ningún estudiante con el número "S-desconocido" en este distrito' },
      {
        line: 4,
        message: 'no se importó, no hay consentimiento para este estudiante: La familia pidió que no participe en ninguna evaluación del año escolar 2026-27.',
      },
    ]);
  });
});
