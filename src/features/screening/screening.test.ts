import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { reportAlerts, reports } from '../../data/reports.ts';
import { guardians } from '../../data/students.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

async function openWindow(instrumentIds = ['phq-a', 'asq']) {
  const created = await post(rivera, '/api/v1/screening/windows', {
    name: 'Fall wellness check',
    schoolIds: [d.schools.lincoln.id],
    grades: ['7'],
    instrumentIds,
    opensOn: '2026-11-01',
    closesOn: '2026-12-18',
  });
  expect(created.statusCode).toBe(201);
  return created.json().id as string;
}

/** A student goes through /screen like a browser without JavaScript: form posts and redirects. */
async function takeScreen(code: string, answer: (linkId: string, instrument: string) => string | null) {
  const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code, lang: 'en' } });
  expect(start.statusCode).toBe(303);
  const cookie = String(start.headers['set-cookie']).split(';')[0] as string;
  const pages: string[] = [];
  let location = start.headers.location as string;
  for (let step = 0; step < 40 && location.startsWith('/screen/question'); step++) {
    const page = await haven.app.inject({ method: 'GET', url: location, headers: { cookie } });
    pages.push(page.body);
    const instrument = /name="instrument" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const item = /name="item" value="([^"]+)"/.exec(page.body)?.[1] as string;
    const value = answer(item, instrument);
    const posted = await haven.app.inject({
      method: 'POST',
      url: '/screen/answer',
      headers: { cookie },
      payload: value === null ? { instrument, item, skip: '1', lang: 'en' } : { instrument, item, value, lang: 'en' },
    });
    location = posted.headers.location as string;
  }
  const last = await haven.app.inject({ method: 'GET', url: location, headers: { cookie } });
  pages.push(last.body);
  return { pages, cookie, finalLocation: location };
}

describe('scoring over HTTP', () => {
  it('scores without signing in and stores nothing; invalid answers are a 422 with the same object', async () => {
    const ok = await haven.app.inject({
      method: 'POST',
      url: '/api/v1/instruments/gad-7/score',
      payload: { answers: { q1: 3, q2: 3, q3: 2, q4: 2, q5: 0, q6: 0, q7: 0 } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ instrument: 'gad-7', score: 10, band: 'moderate', flags: ['refer_for_evaluation', 'positive'], errors: [] });
    const bad = await haven.app.inject({ method: 'POST', url: '/api/v1/instruments/gad-7/score', payload: { answers: { q1: 9 } } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({ valid: false, errors: ['q1: 9 is out of range (0–3)'] });
    expect((await haven.app.inject({ method: 'POST', url: '/api/v1/instruments/sdq/score', payload: { answers: {} } })).statusCode).toBe(404);
  });
});

describe('a screening window from notice to follow-up', () => {
  it('a student cannot be screened before the notice period ends, then can; an opt-out stops it', async () => {
    // New districts start on active consent (decision 20); this district chooses passive consent.
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const patch = (screeningConsent: string) =>
      haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: whitfield.headers, payload: { screeningConsent } });
    expect((await patch('passive')).statusCode).toBe(200);
    const windowId = await openWindow();
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const early = await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id });
    expect(early.statusCode).toBe(400);
    expect(early.json().detail).toMatch(/No notice has been sent/);

    const print = await get(rivera, `/api/v1/screening/windows/${windowId}/notices/print`);
    expect(print.body).toContain('lang="es"');
    expect(print.body).toContain('Evaluación de bienestar en Lincoln Middle School');
    // The printed letter names the student: it is in that student's access log.
    const logged = await haven.deps.db.system.$client.query(
      `select reason, detail->>'where' as "where" from audit_events where student_id = $1 and action = 'student.listed'`,
      [student.id],
    );
    expect(logged.rows.map((r: { where: string }) => r.where)).toContain('screening_notices');
    haven.clock.advance(14 * 86_400_000);
    rivera = await signIn(haven.app, d.people.rivera.email); // two weeks later: a new sign-in
    const roster = (await get(rivera, `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(roster.students.find((s: { id: string }) => s.id === student.id)).toMatchObject({
      status: 'not_started',
      eligible: true,
      instruments: ['phq-a', 'asq'],
    });

    const optedOut = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Leo' });
    expect((await post(rivera, `/api/v1/students/${optedOut.id}/screening-consents`, { kind: 'opt_out', source: 'phone', windowId })).statusCode).toBe(201);
    const refused = await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: optedOut.id });
    expect(refused.json().detail).toMatch(/opted out/);
    haven.clock.advance(-14 * 86_400_000);
    rivera = await signIn(haven.app, d.people.rivera.email);
    await patch('active');
  });

  it('a PHQ-A item 9 answer alerts the on-call counselor before the screen is over; the student sees care, not a score', async () => {
    const windowId = await openWindow();
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    const issued = await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id });
    expect(issued.statusCode).toBe(201);
    const { code } = issued.json();

    let alertSeenBeforeEnd = false;
    const { pages, finalLocation } = await takeScreen(code, (linkId, instrument) => {
      if (instrument === 'asq') return 'no';
      if (linkId === 'q9') return '1';
      if (linkId === 'difficulty') {
        alertSeenBeforeEnd = true;
        return '1';
      }
      if (['past_year', 'past_month_thoughts', 'lifetime_attempt'].includes(linkId)) return 'no';
      return '0';
    });
    expect(alertSeenBeforeEnd).toBe(true);
    const afterItem9 = pages.find((p) => p.includes('Thank you for telling us.'));
    expect(afterItem9).toContain('An adult from your school will check in with you today.');
    expect(afterItem9).toContain('href="tel:988"');
    expect(finalLocation).toBe('/screen/done?lang=en&care=1');
    for (const page of pages) expect(page).not.toMatch(/score|minimal|band/i);

    const [alert] = await haven.deps.db.system.select().from(reports).where(eq(reports.studentId, student.id));
    expect(alert).toMatchObject({ channel: 'screening', category: 'suicide_self_harm', urgency: 'urgent', aboutPerson: expect.stringContaining('Ana Torres') });
    const sent = await haven.deps.db.system
      .select()
      .from(reportAlerts)
      .where(eq(reportAlerts.reportId, alert?.id as string));
    expect(sent.some((a) => a.userId === d.people.rivera.id && a.channel === 'in_app')).toBe(true);

    const history = (await get(rivera, `/api/v1/students/${student.id}/screenings`)).json();
    expect(history.results.map((r: { instrumentId: string }) => r.instrumentId).sort()).toEqual(['asq', 'phq-a']);
    const phqa = history.results.find((r: { instrumentId: string }) => r.instrumentId === 'phq-a');
    expect(phqa).toMatchObject({ score: 1, band: 'minimal', flags: ['suicide_risk'], alertReportId: alert?.id, followUpDueOn: '2026-11-28' });

    const again = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code, lang: 'en' } });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('That code does not work.');
  });

  it('a moderate PHQ-A waits in the follow-up queue with a due date five school days out, and leaves it when followed up', async () => {
    const windowId = await openWindow(['phq-a']);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Noor' });
    await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    const { code } = (await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).json();
    await takeScreen(code, (linkId) =>
      ['q1', 'q2', 'q3', 'q4'].includes(linkId)
        ? '3'
        : linkId === 'q9'
          ? '0'
          : ['past_year', 'past_month_thoughts', 'lifetime_attempt'].includes(linkId)
            ? 'no'
            : '0',
    );
    const queue = (await get(rivera, '/api/v1/screening/follow-ups')).json();
    const entry = queue.find((q: { studentId: string }) => q.studentId === student.id);
    expect(entry).toMatchObject({ band: 'moderate', score: 12, followUpDueOn: '2026-12-04', overdue: false });
    // Due on the 4th, not yet done: not late, so the window's "in time" rate has nothing to count yet (not 0 of 1).
    const before = (await get(rivera, `/api/v1/screening/windows/${windowId}/dashboard`)).json();
    expect(before.schools[0]).toMatchObject({ positives: 1, followUpsDue: 0, followedUpInTime: 0, overdue: 0, followUpRate: null });
    expect((await post(rivera, `/api/v1/screening/results/${entry.id}/follow-up`, { note: 'Met with Noor; check-in weekly' })).statusCode).toBe(200);
    const after = (await get(rivera, '/api/v1/screening/follow-ups')).json();
    expect(after.find((q: { studentId: string }) => q.studentId === student.id)).toBeUndefined();

    const dashboard = (await get(rivera, `/api/v1/screening/windows/${windowId}/dashboard`)).json();
    expect(dashboard.schools[0]).toMatchObject({
      screened: 1,
      positives: 1,
      followUpsDue: 1,
      followedUpInTime: 1,
      followUpRate: 1,
      bands: { 'phq-a': { moderate: 1 } },
    });
  });

  it("a screen left part-way is scored on what was answered: a code re-issued, or two hours gone, puts unknown risk in today's queue", async () => {
    const windowId = await openWindow(['phq-a']);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Rowan' });
    await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    const first = (await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).json();
    // The student answers four questions, then the laptop is closed.
    const start = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: first.code, lang: 'en' } });
    const cookie = String(start.headers['set-cookie']).split(';')[0] as string;
    for (const item of ['q1', 'q2', 'q3', 'q4']) {
      await haven.app.inject({ method: 'POST', url: '/screen/answer', headers: { cookie }, payload: { instrument: 'phq-a', item, value: '2', lang: 'en' } });
    }
    // The proctor gives a new code: the first screen is over and scored on its four answers.
    expect((await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).statusCode).toBe(201);
    const queue = (await get(rivera, '/api/v1/screening/follow-ups')).json();
    const entry = queue.find((q: { studentId: string }) => q.studentId === student.id);
    expect(entry).toMatchObject({ instrumentId: 'phq-a', score: null, flags: ['risk_unknown'], followUpDueOn: expect.any(String), overdue: false });
    const history = (await get(rivera, `/api/v1/students/${student.id}/screenings`)).json();
    expect(history.results[0]).toMatchObject({ instrumentId: 'phq-a', valid: false, score: null, flags: ['risk_unknown'] });
    // The old screen no longer takes answers.
    const stale = await haven.app.inject({ method: 'GET', url: '/screen/question', headers: { cookie } });
    expect(stale.body).not.toContain('name="item"');

    // Another student answers item 9 "several days" and walks away; two hours later the worker's sweep scores it.
    const other = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Sage' });
    await post(rivera, `/api/v1/students/${other.id}/screening-consents`, { kind: 'consent', source: 'paper', windowId });
    const second = (await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: other.id })).json();
    const secondStart = await haven.app.inject({ method: 'POST', url: '/screen/start', payload: { code: second.code, lang: 'en' } });
    const secondCookie = String(secondStart.headers['set-cookie']).split(';')[0] as string;
    for (const item of ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9']) {
      const value = item === 'q9' ? '1' : '0';
      await haven.app.inject({
        method: 'POST',
        url: '/screen/answer',
        headers: { cookie: secondCookie },
        payload: { instrument: 'phq-a', item, value, lang: 'en' },
      });
    }
    const { closeAbandonedScreens } = await import('./screen.service.ts');
    expect(await closeAbandonedScreens(haven.deps)).toBe(0);
    // (No signed-in request while the clock is moved: the counselor's session would time out.)
    haven.clock.advance(121 * 60_000);
    try {
      expect(await closeAbandonedScreens(haven.deps)).toBe(1);
    } finally {
      haven.clock.advance(-121 * 60_000);
    }
    const results = (await get(rivera, `/api/v1/students/${other.id}/screenings`)).json();
    expect(results.results[0]).toMatchObject({ instrumentId: 'phq-a', flags: expect.arrayContaining(['suicide_risk']), alertReportId: expect.any(String) });
  });

  it('refuses an instrument for grades outside the ages it was validated for, and says why', async () => {
    const base = { name: 'x', schoolIds: [d.schools.lincoln.id], grades: ['2', '3'], instrumentIds: ['phq-a'], opensOn: '2026-12-01', closesOn: '2026-12-10' };
    const refused = await post(rivera, '/api/v1/screening/windows', base);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(
      /^PHQ-A is validated for ages 13–18 \(Validated at ages 13–18 \(Johnson JG et al\., J Adolesc Health 2002\)\.\); none of the chosen grades \(2, 3\)/,
    );
    expect((await post(rivera, '/api/v1/screening/windows', { ...base, grades: ['3', '8'] })).statusCode).toBe(201);
  });

  it('a teacher sees no results, an analyst sees counts only, an Aspen counselor sees nothing of Lincoln', async () => {
    const windowId = await openWindow();
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const shah = await signIn(haven.app, d.people.shah.email);
    const lee = await signIn(haven.app, d.people.lee.email);
    const park = await signIn(haven.app, d.people.park.email);
    expect((await get(shah, `/api/v1/students/${student.id}/screenings`)).statusCode).toBe(404);
    expect((await get(shah, '/api/v1/screening/follow-ups')).statusCode).toBe(404);
    expect((await get(lee, `/api/v1/students/${student.id}/screenings`)).statusCode).toBe(404);
    expect((await get(lee, `/api/v1/screening/windows/${windowId}/dashboard`)).statusCode).toBe(200);
    expect((await get(lee, `/api/v1/screening/windows/${windowId}/roster`)).statusCode).toBe(404);
    expect((await get(park, `/api/v1/students/${student.id}/screenings`)).statusCode).toBe(404);
    expect((await post(park, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).statusCode).toBe(404);
  });

  it('refuses a window that closes before it opens, or names an instrument the district does not have', async () => {
    const base = { name: 'x', schoolIds: [d.schools.lincoln.id], grades: ['7'], instrumentIds: ['phq-a'], opensOn: '2026-12-01', closesOn: '2026-12-10' };
    expect((await post(rivera, '/api/v1/screening/windows', { ...base, closesOn: '2026-11-01' })).json().detail).toMatch(/closes before it opens/);
    expect((await post(rivera, '/api/v1/screening/windows', { ...base, instrumentIds: ['sdq'] })).json().detail).toMatch(/"sdq" is not an instrument/);
    expect((await post(rivera, '/api/v1/screening/windows', { ...base, instrumentIds: ['srss-ie'] })).json().detail).toMatch(/rated by staff/);
  });
});

describe('the emergency path and staff-entered screens', () => {
  it('an ASQ after a disclosure needs no consent, raises a life-safety alert and tells the guardian afterwards, in Spanish', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Eli' });
    await haven.deps.db.system
      .update(guardians)
      .set({ email: `rosa.${d.district.slug}@family.test` })
      .where(eq(guardians.districtId, d.district.id));
    const okafor = await signIn(haven.app, d.people.okafor.email);
    const result = await post(okafor, `/api/v1/students/${student.id}/screenings`, {
      instrumentId: 'asq',
      emergency: true,
      answers: { q1: 'yes', q2: 'no', q3: 'yes', q4: 'no', q5: 'yes' },
    });
    expect(result.statusCode).toBe(201);
    expect(result.json()).toMatchObject({
      band: 'acute_positive',
      flags: expect.arrayContaining(['imminent_risk']),
      actions: expect.arrayContaining(['stat_safety_evaluation']),
    });
    const [alert] = await haven.deps.db.system.select().from(reports).where(eq(reports.id, result.json().alertReportId));
    expect(alert?.urgency).toBe('life_safety');
    await sendOutbox(haven.deps);
    expect(mail.find((m) => m.to === `rosa.${d.district.slug}@family.test`)?.subject).toMatch(/hablamos hoy con Eli/);
  });

  it('a teacher rates the SRSS-IE; the grade comes from the roster', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { grade: '5' });
    const shah = await signIn(haven.app, d.people.shah.email);
    const items = { e1: 0, e2: 0, e3: 1, e4: 1, e5: 1, e6: 1, e7: 0, i1: 1, i2: 1, i3: 0, i4: 0, i5: 0 };
    const rated = await post(shah, `/api/v1/students/${student.id}/screenings`, { instrumentId: 'srss-ie', answers: items });
    expect(rated.statusCode).toBe(201);
    expect(rated.json().subscales).toEqual({ externalizing: { score: 4, band: 'moderate' }, internalizing: { score: 2, band: 'moderate' } });
    const invalid = await post(shah, `/api/v1/students/${student.id}/screenings`, { instrumentId: 'srss-ie', answers: { ...items, i6: 2 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().detail).toMatch(/unknown item "i6"/);
    // In grade 8 the peer-rejection rating (e4) counts in both scales: twelve ratings, not thirteen.
    const older = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { grade: '8' });
    const secondary = await post(shah, `/api/v1/students/${older.id}/screenings`, { instrumentId: 'srss-ie', answers: items });
    expect(secondary.json().subscales.internalizing).toEqual({ score: 3, band: 'low' });
  });
});

describe("a district's own instrument", () => {
  const cssrs = JSON.parse(readFileSync('test/fixtures/instruments/c-ssrs-screener.test-only.json', 'utf8'));

  it('is imported by a district administrator, once per version, and scores in that district only', async () => {
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    expect((await post(rivera, '/api/v1/instruments', cssrs)).statusCode).toBe(404);
    expect((await post(whitfield, '/api/v1/instruments', cssrs)).statusCode).toBe(201);
    expect((await post(whitfield, '/api/v1/instruments', cssrs)).json()).toMatchObject({ status: 'unchanged' });
    const changed = await post(whitfield, '/api/v1/instruments', { ...cssrs, name: 'renamed' });
    expect(changed.statusCode).toBe(409);
    const scored = await post(rivera, '/api/v1/instruments/c-ssrs-screener/score', { answers: { q1: 'yes', q2: 'no', q6: 'no' } });
    expect(scored.json()).toMatchObject({ band: 'low', valid: true });
    const anonymous = await haven.app.inject({ method: 'POST', url: '/api/v1/instruments/c-ssrs-screener/score', payload: { answers: {} } });
    expect(anonymous.statusCode).toBe(404);
  });

  it('a broken definition stores nothing and says where', async () => {
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const broken = { ...cssrs, id: 'broken-one', scoring: { ...cssrs.scoring, flags: [{ code: 'x', when: { item: 'q99', op: '=', value: 'yes' } }] } };
    const response = await post(whitfield, '/api/v1/instruments', broken);
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ path: 'scoring.flags.0.when.item', message: '"q99" is not a question of this instrument', line: expect.any(Number) }),
    ]);
    expect((await get(whitfield, '/api/v1/instruments/broken-one')).statusCode).toBe(404);
  });
});

describe('export', () => {
  it("a student's results leave as FHIR QuestionnaireResponses with LOINC answer codes and the total", async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Iris' });
    const answers = { q1: 1, q2: 2, q3: 0, q4: 0, q5: 0, q6: 0, q7: 0, q8: null, q9: 0 };
    expect((await post(rivera, `/api/v1/students/${student.id}/screenings`, { instrumentId: 'phq-9', answers })).statusCode).toBe(201);
    const response = await get(rivera, `/api/v1/students/${student.id}/screenings/fhir`);
    expect(response.headers['content-type']).toMatch(/application\/fhir\+json/);
    const bundle = response.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection', total: 1 });
    const qr = bundle.entry[0].resource;
    expect(qr).toMatchObject({ resourceType: 'QuestionnaireResponse', status: 'completed', questionnaire: 'http://haven.test/api/v1/instruments/phq-9|1.1.0' });
    expect(qr.item.find((i: { linkId: string }) => i.linkId === 'q2').answer[0].valueCoding).toEqual({
      system: 'http://loinc.org',
      code: 'LA6570-1',
      display: 'More than half the days',
    });
    expect(qr.item.find((i: { linkId: string }) => i.linkId === 'q8').answer).toBeUndefined();
    expect(qr.item.find((i: { linkId: string }) => i.linkId === 'total')).toMatchObject({ answer: [{ valueDecimal: 3.375 }], code: [{ code: '44261-6' }] });
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await get(shah, `/api/v1/students/${student.id}/screenings/fhir`)).statusCode).toBe(404);
  });
});

describe('the district consent policy', () => {
  it('under active consent a student needs a guardian’s written consent; the policy is a district setting', async () => {
    const whitfield = await signIn(haven.app, d.people.whitfield.email);
    const tooYoung = await haven.app.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      headers: whitfield.headers,
      payload: { screeningSelfConsentAge: 9 },
    });
    expect(tooYoung.statusCode).toBe(400);
    const changed = await haven.app.inject({
      method: 'PATCH',
      url: '/api/v1/district/settings',
      headers: whitfield.headers,
      payload: { screeningConsent: 'active' },
    });
    expect(changed.json()).toMatchObject({ screeningConsent: 'active', screeningSelfConsentAge: 12, screeningNoticeDays: 14 });
    const windowId = await openWindow(['phq-a']);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Zoe' });
    const roster = (await get(rivera, `/api/v1/screening/windows/${windowId}/roster`)).json();
    expect(roster.students.find((s: { id: string }) => s.id === student.id)).toMatchObject({ status: 'needs_consent', eligible: false });
    await post(rivera, `/api/v1/students/${student.id}/screening-consents`, { kind: 'student_consent', source: 'student', windowId });
    expect((await post(rivera, `/api/v1/screening/windows/${windowId}/codes`, { studentId: student.id })).statusCode).toBe(201);
    await haven.app.inject({ method: 'PATCH', url: '/api/v1/district/settings', headers: whitfield.headers, payload: { screeningConsent: 'passive' } });
  });
});
