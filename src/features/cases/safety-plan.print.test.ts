import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';

/**
 * Issue 16: a Spanish print is Spanish throughout. Ms. Rivera made Maya's safety plan in English;
 * her mother reads Spanish, so the plan is printed in Spanish, step 5 (the crisis lines) included.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
afterAll(() => haven.close());

/** Step 5 of the printed page, as its list items. */
const stepFive = (html: string) => {
  const section = /<section><h2>(?:Step|Paso) 5\.[^<]*<\/h2>(.*?)<\/section>/.exec(html)?.[1] ?? '';
  return [...section.matchAll(/<li>(.*?)<\/li>/g)].map((m) => m[1]);
};

describe('the printed safety plan', () => {
  it('made in English and printed in Spanish, gives the crisis lines in Spanish and keeps the student’s own words', async () => {
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Maya' });
    const opened = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/cases',
      headers: rivera.headers,
      payload: { type: 'suicide_risk', summary: 'A crisis', schoolId: d.schools.lincoln.id, studentIds: [student.id] },
    });
    const caseId = opened.json().id as string;
    const saved = await haven.app.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/safety-plans`,
      headers: rivera.headers,
      payload: {
        language: 'en',
        madeWithStudent: true,
        warningSigns: ['I stay in my room'],
        copingStrategies: ['Music'],
        peopleToAsk: ['Aunt Carmen 303-555-0111'],
        professionals: ['Dr. Alvarez, Front Range Family Counseling'],
        environmentSafety: ['Medicines locked away'],
      },
    });
    expect(saved.statusCode).toBe(201);
    const print = (lang: string) =>
      haven.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/safety-plans/1/print?lang=${lang}`, headers: rivera.headers });

    const spanish = (await print('es')).body;
    expect(stepFive(spanish)).toEqual([
      'Dr. Alvarez, Front Range Family Counseling',
      'Línea 988 de Prevención del Suicidio y Crisis: llame o envíe un texto al 988',
      'Colorado Crisis Services: 1-844-493-8255, o envíe TALK al 38255',
      'Emergencia: 911 o la sala de emergencias más cercana',
    ]);
    expect(spanish).not.toMatch(/Lifeline|call or text|nearest emergency/);
    expect(spanish).toContain('I stay in my room'); // the student's words stay as written

    const english = (await print('en')).body;
    expect(stepFive(english)).toEqual([
      'Dr. Alvarez, Front Range Family Counseling',
      '988 Suicide &amp; Crisis Lifeline: call or text 988',
      'Colorado Crisis Services: 1-844-493-8255, or text TALK to 38255',
      'Emergency: 911 or the nearest emergency department',
    ]);
  });
});
