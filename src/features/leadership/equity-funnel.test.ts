import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { referrals } from '../../data/referrals.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { insertMany } from '../../platform/db/bulk.ts';

/**
 * A small district whose equity figures were worked out by hand (threshold 10). Ms. Rivera opened
 * the fall screening for Lincoln's seventh grade (58 students); Aspen's third grade (12, all
 * English-speaking) was never offered it. Spanish speakers (30): 20 screened, 10 positive, all
 * followed up late. English speakers at Lincoln (25): all screened, 12 positive, all followed up
 * in time and referred to Dr. Cho's organization, none seen yet. Somali speakers (3): all
 * screened, 2 positive, followed up late. Ms. Whitfield (district administrator) and Mx. Lee
 * (analyst) download the CSV.
 */
let haven: TestHaven;
const as = {} as Record<'lee' | 'whitfield', Session>;

beforeAll(async () => {
  haven = await startTestHaven();
  const d = await createDistrict(haven.deps);
  for (const who of ['lee', 'whitfield'] as const) as[who] = await signIn(haven.app, d.people[who].email);
  const rivera = await signIn(haven.app, d.people.rivera.email);
  const window = await haven.app.inject({
    method: 'POST',
    url: '/api/v1/screening/windows',
    headers: rivera.headers,
    payload: { name: 'Fall check', schoolIds: [d.schools.lincoln.id], grades: ['7'], instrumentIds: ['phq-a'], opensOn: '2026-11-01', closesOn: '2026-12-18' },
  });
  expect(window.statusCode, window.body).toBe(201);
  const service = await addCounselingService(haven.deps, d.district.id, d.partnerId);
  type Path = { screened: boolean; positive: boolean; inTime: boolean };
  const people: { school: string; grade: '7' | '3'; language: string; path: Path }[] = [];
  const add = (n: number, school: string, grade: '7' | '3', language: string, path: Path) => {
    for (let i = 0; i < n; i++) people.push({ school, grade, language, path });
  };
  const [none, screened] = [
    { screened: false, positive: false, inTime: false },
    { screened: true, positive: false, inTime: false },
  ];
  add(10, d.schools.lincoln.id, '7', 'es', none);
  add(10, d.schools.lincoln.id, '7', 'es', screened);
  add(10, d.schools.lincoln.id, '7', 'es', { screened: true, positive: true, inTime: false });
  add(13, d.schools.lincoln.id, '7', 'en', screened);
  add(12, d.schools.lincoln.id, '7', 'en', { screened: true, positive: true, inTime: true });
  add(1, d.schools.lincoln.id, '7', 'so', screened);
  add(2, d.schools.lincoln.id, '7', 'so', { screened: true, positive: true, inTime: false });
  add(12, d.schools.aspen.id, '3', 'en', none);
  const rows = people.map((p, i) => ({ ...p, id: haven.deps.ids.uuid(), localId: `F${i}-${Math.random().toString(36).slice(2, 8)}` }));
  const administeredAt = new Date('2026-11-09T16:00:00Z');
  await haven.deps.db.system.transaction(async (tx) => {
    await insertMany(
      tx,
      students,
      rows.map((s) => ({
        id: s.id,
        districtId: d.district.id,
        schoolId: s.school,
        localId: s.localId,
        firstName: 'Student',
        lastName: s.language,
        grade: s.grade,
        homeLanguage: s.language,
      })),
    );
    await insertMany(
      tx,
      screeningResults,
      rows
        .filter((s) => s.path.screened)
        .map((s) => ({
          id: haven.deps.ids.uuid(),
          districtId: d.district.id,
          studentId: s.id,
          schoolId: s.school,
          windowId: window.json().id,
          instrumentId: 'phq-a',
          instrumentVersion: '1.0.0',
          source: 'staff' as const,
          answers: {},
          band: s.path.positive ? 'moderate' : 'minimal',
          flags: s.path.positive ? ['positive'] : [],
          actions: [],
          prorated: false,
          valid: true,
          administeredAt,
          followUpDueOn: s.path.positive ? '2026-11-13' : null,
          // Two days after the screen, or fourteen (late: due the fourth school day).
          followedUpAt: s.path.positive ? new Date(s.path.inTime ? '2026-11-11T16:00:00Z' : '2026-11-23T16:00:00Z') : null,
        })),
    );
    await insertMany(
      tx,
      referrals,
      rows
        .filter((s) => s.path.inTime)
        .map((s) => ({
          id: haven.deps.ids.uuid(),
          districtId: d.district.id,
          studentId: s.id,
          schoolId: s.school,
          organizationId: d.partnerId,
          serviceId: service.id,
          source: 'direct' as const,
          serviceType: 'counseling',
          urgency: 'routine' as const,
          preferences: { language: 'en', languageRequired: false, insurance: 'medicaid' },
          status: 'requested' as const,
          referredBy: d.people.rivera.id,
          createdAt: new Date('2026-11-12T16:00:00Z'),
          requestedAt: new Date('2026-11-12T16:00:00Z'),
        })),
    );
  });
});
afterAll(() => haven.close());

const get = async (who: keyof typeof as, url: string) => {
  const response = await haven.app.inject({ method: 'GET', url, headers: as[who].headers });
  expect(response.statusCode, response.body).toBe(200);
  return response;
};

const header = 'step,of,dimension,group,reached,eligible,rate,risk_ratio,ci_low,ci_high,disparity';
const hidden = 'suppressed,suppressed,,,,,';

/**
 * The district's figures per step, by hand: offered 58 of 70, screened 48 of 58, positive 24 of
 * 48, in time 12 of 24, referred 12 of 12, seen 0 of 12; nobody reported about, on a plan or
 * rescreened.
 */
const district: [step: string, of: string, reached: number, eligible: number, rate: string][] = [
  ['offered_screening', 'enrolled', 58, 70, '0.829'],
  ['screened', 'offered_screening', 48, 58, '0.828'],
  ['positive', 'screened', 24, 48, '0.5'],
  ['followed_up_in_time', 'follow_up_due', 12, 24, '0.5'],
  ['referred', 'followed_up_in_time', 12, 12, '1'],
  ['first_appointment', 'referred', 0, 12, '0'],
  ['reported', 'enrolled', 0, 70, '0'],
  ['plan_in_place', 'positive', 0, 24, '0'],
  ['improved', 'positive', 0, 24, '0'],
];

/**
 * Home language, by hand. Somali (3) is hidden everywhere. Then, column by column, the count
 * that leaves Somali a range of at least 10: enrolled, English (37; Spanish's 30 offered would
 * pin Spanish, and Somali to 0–3); offered, Spanish (30); screened, Spanish (20, the smaller);
 * positive, Spanish (10; English's 12 in time would pin English, and Somali to 0–2); in time,
 * English (12 − 12 − 0 says Somali's 0 of 2), with English's referrals, since 12 positive and 12
 * referred would pin it. The 0s no one in the district reached are left.
 * English, screened: 25 of 25 against the rest's 23 of 33: RR 1.435 (1.146–1.797), clearly more.
 * English, positive: 12 of 25 against 12 of 23: RR 0.92 (0.523–1.619).
 */
const homeLanguage: Record<string, [string, string, string]> = {
  offered_screening: [hidden, hidden, hidden],
  screened: ['25,25,1,1.435,1.146,1.797,more', hidden, hidden],
  positive: ['12,25,0.48,0.92,0.523,1.619,', hidden, hidden],
  followed_up_in_time: [hidden, hidden, hidden],
  referred: [hidden, '0,0,,,,,', hidden],
  first_appointment: [hidden, '0,0,,,,,', hidden],
  reported: [hidden, '0,30,0,,,,', hidden],
  plan_in_place: ['0,12,0,,,,', hidden, hidden],
  improved: ['0,12,0,,,,', hidden, hidden],
};

/**
 * Grade band: nothing small. Offered: 58 of 58 and 0 of 12, the district's plan, so no ratio (a
 * corrected one would say 25.78 and flag it; decision 40). From
 * "screened" on, K-5 had no one eligible: no rate and no ratio, where the old path compared 48 of
 * 58 screened with 0 of 12.
 */
const gradeBand: Record<string, [string, string]> = {
  offered_screening: ['58,58,1,,,,', '0,12,0,,,,'],
  screened: ['48,58,0.828,,,,', '0,0,,,,,'],
  positive: ['24,48,0.5,,,,', '0,0,,,,,'],
  followed_up_in_time: ['12,24,0.5,,,,', '0,0,,,,,'],
  referred: ['12,12,1,,,,', '0,0,,,,,'],
  first_appointment: ['0,12,0,,,,', '0,0,,,,,'],
  reported: ['0,58,0,,,,', '0,12,0,,,,'],
  plan_in_place: ['0,24,0,,,,', '0,0,,,,,'],
  improved: ['0,24,0,,,,', '0,0,,,,,'],
};

/** Dimensions where everyone is in one group: that group's row is the district's, without a ratio (no one to compare with). */
const oneGroup: [string, string][] = [
  ['race_ethnicity', 'not_recorded'],
  ['english_learner', 'no'],
  ['iep', 'no'],
  ['section_504', 'no'],
  ['free_reduced_lunch', 'no'],
  ['homeless', 'no'],
  ['foster_care', 'no'],
  ['gender', 'unspecified'],
];

function expectedCsv(): string {
  const lines = [header];
  for (const [step, of, reached, eligible, rate] of district) {
    const whole = `${reached},${eligible},${rate},,,,`;
    const same = (dimension: string, group: string) => `${step},${of},${dimension},${group},${whole}`;
    lines.push(`${step},${of},all,all,${whole}`);
    lines.push(same('race_ethnicity', 'not_recorded'));
    ['en', 'es', 'so'].forEach((group, i) => {
      lines.push(`${step},${of},home_language,${group},${homeLanguage[step]?.[i]}`);
    });
    for (const [dimension, group] of oneGroup.slice(1)) lines.push(same(dimension, group));
    ['6-8', 'K-5'].forEach((group, i) => {
      lines.push(`${step},${of},grade_band,${group},${gradeBand[step]?.[i]}`);
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}

describe('the equity funnel in a district worked out by hand', () => {
  it('gives the district administrator exactly the hand-computed CSV, cell by cell', async () => {
    const csv = (await get('whitfield', '/api/v1/leadership/equity?format=csv')).body;
    const got = csv.split('\r\n');
    const want = expectedCsv().split('\r\n');
    expect(got.length).toBe(want.length);
    want.forEach((line, i) => {
      expect(got[i]?.split(','), `line ${i + 1}`).toEqual(line.split(','));
    });
  });

  it('gives the analyst the same cells: no district figure here is small', async () => {
    expect((await get('lee', '/api/v1/leadership/equity?format=csv')).body).toBe(expectedCsv());
  });

  it('shows on screen what the CSV says, with the clear gaps named and the waits hidden with their counts', async () => {
    const view = (await get('whitfield', '/api/v1/leadership/equity')).json();
    expect(view.steps.filter((s: { inPath: boolean }) => s.inPath).map((s: { step: string }) => s.step)).toEqual([
      'offered_screening',
      'screened',
      'positive',
      'followed_up_in_time',
      'referred',
      'first_appointment',
    ]);
    expect(view.highlights.map((h: { step: string; dimension: string; group: string; flag: string }) => [h.step, h.dimension, h.group, h.flag])).toEqual([
      ['screened', 'home_language', 'en', 'more'],
    ]);
    const waits = view.steps.find((s: { step: string }) => s.step === 'followed_up_in_time').waits;
    // 12 followed up after 2 days, 12 after 14: the median is 2 days, the 90th percentile 14.
    expect(waits.overall).toEqual({ suppressed: false, students: 24, median: { days: 2 }, p90: { days: 14 } });
    expect(waits.dimensions.find((x: { dimension: string }) => x.dimension === 'home_language').groups).toEqual([
      { group: 'en', suppressed: false, students: 12, median: { days: 2 }, p90: { days: 2 } },
      { group: 'es', suppressed: true, reason: 'complementary' },
      { group: 'so', suppressed: true, reason: 'small' },
    ]);
  });
});
