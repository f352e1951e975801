import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { referrals } from '../../data/referrals.ts';
import { screeningResults } from '../../data/screening.ts';
import { students } from '../../data/students.ts';
import { insertMany } from '../../platform/db/bulk.ts';

/**
 * Mx. Lee, an analyst, sees the screening window dashboard, the referral measures and the equity
 * step totals with every count under the district's threshold (10) hidden on the server, with
 * the cells that would give it back by subtraction; Ms. Rivera (Lincoln's counselor) and Ms.
 * Whitfield (district administrator) see the numbers. Lincoln has 26 seventh graders (12 speak
 * Spanish at home, 11 English, 3 Somali), Aspen 11 third graders (Spanish); each was referred to
 * Dr. Cho's organization, and Lincoln's were screened: 11 minimal, 12 mild, 3 severe.
 */
let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let windowId: string;
const as = {} as Record<'lee' | 'rivera' | 'whitfield', Session>;

beforeAll(async () => {
  haven = await startTestHaven();
  d = await createDistrict(haven.deps);
  const service = await addCounselingService(haven.deps, d.district.id, d.partnerId);
  for (const who of ['lee', 'rivera', 'whitfield'] as const) as[who] = await signIn(haven.app, d.people[who].email);
  const created = await haven.app.inject({
    method: 'POST',
    url: '/api/v1/screening/windows',
    headers: as.rivera.headers,
    payload: { name: 'Fall check', schoolIds: [d.schools.lincoln.id], grades: ['7'], instrumentIds: ['phq-a'], opensOn: '2026-11-01', closesOn: '2026-12-18' },
  });
  windowId = created.json().id;
  const now = haven.clock.now();
  const group = (schoolId: string, grade: '7' | '3', homeLanguage: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: haven.deps.ids.uuid(),
      districtId: d.district.id,
      schoolId,
      localId: `${homeLanguage}${grade}-${i}-${Math.random().toString(36).slice(2, 8)}`,
      firstName: `S${i}`,
      lastName: homeLanguage,
      grade,
      homeLanguage,
    }));
  const lincoln = [...group(d.schools.lincoln.id, '7', 'es', 12), ...group(d.schools.lincoln.id, '7', 'en', 11), ...group(d.schools.lincoln.id, '7', 'so', 3)];
  const everyone = [...lincoln, ...group(d.schools.aspen.id, '3', 'es', 11)];
  const bands = [...Array(11).fill('minimal'), ...Array(12).fill('mild'), ...Array(3).fill('severe')] as string[];
  await haven.deps.db.system.transaction(async (tx) => {
    await insertMany(tx, students, everyone);
    await insertMany(
      tx,
      referrals,
      everyone.map((s) => ({
        id: haven.deps.ids.uuid(),
        districtId: d.district.id,
        studentId: s.id,
        schoolId: s.schoolId,
        organizationId: d.partnerId,
        serviceId: service.id,
        source: 'direct' as const,
        serviceType: 'counseling',
        urgency: 'routine' as const,
        preferences: { language: 'en', languageRequired: false, insurance: 'medicaid' },
        status: 'requested' as const,
        referredBy: d.people.rivera.id,
        createdAt: now,
        requestedAt: now,
      })),
    );
    await insertMany(
      tx,
      screeningResults,
      lincoln.map((s, i) => ({
        id: haven.deps.ids.uuid(),
        districtId: d.district.id,
        studentId: s.id,
        schoolId: s.schoolId,
        windowId,
        instrumentId: 'phq-a',
        instrumentVersion: '1.0.0',
        source: 'staff' as const,
        answers: {},
        band: bands[i] as string,
        flags: [],
        actions: [],
        prorated: false,
        valid: true,
        administeredAt: now,
        followUpDueOn: bands[i] === 'severe' ? '2026-12-04' : null,
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

/** Rates, ratios, days and the threshold itself are not counts of students. */
const notCounts = new Set(['participation', 'followUpRate', 'rate', 'rr', 'low', 'high', 'loopsClosedShare', 'threshold', 'days', 'moreThan', 'overallDays']);
const notCountKey = (key: string) => notCounts.has(key) || /days|weeks|fte|capacity|per/i.test(key);

/** Every count of students anywhere in a JSON answer, with where it was. */
function counts(value: unknown, path = ''): [string, number][] {
  if (typeof value === 'number') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => counts(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => (notCountKey(key) ? [] : counts(v, path ? `${path}.${key}` : key)));
  return [];
}
const small = (found: [string, number][]) => found.filter(([, n]) => n > 0 && n < 10);

describe('the screening window dashboard', () => {
  it('an analyst gets no count under 10: small bands and their complement, the positives and their follow-up rate are null and named', async () => {
    const view = (await get('lee', `/api/v1/screening/windows/${windowId}/dashboard`)).json();
    expect(small(counts(view.schools))).toEqual([]);
    const [lincoln] = view.schools;
    expect(view.threshold).toBe(10);
    expect(lincoln).toMatchObject({
      enrolled: 26,
      positives: null,
      // The three follow-ups are due on 4 December: none is due yet, and a 0 names no one.
      followedUpInTime: 0,
      followUpRate: null,
      bands: { 'phq-a': { severe: null, minimal: null, mild: 12 } },
    });
    expect(lincoln.suppressed).toEqual(expect.arrayContaining(['positives', 'bands.phq-a.severe', 'bands.phq-a.minimal']));
  });

  it("Lincoln's counselor sees the numbers", async () => {
    const [lincoln] = (await get('rivera', `/api/v1/screening/windows/${windowId}/dashboard`)).json().schools;
    expect(lincoln).toMatchObject({
      enrolled: 26,
      positives: 3,
      followUpsDue: 0,
      followUpRate: null,
      bands: { 'phq-a': { severe: 3, minimal: 11, mild: 12 } },
      suppressed: [],
    });
  });
});

describe('referral measures', () => {
  it('an analyst gets no count under 10, and no hidden row can be worked out from the totals', async () => {
    for (const by of ['school', 'partner', 'language']) expect(small(counts((await get('lee', `/api/v1/referrals/measures?by=${by}`)).json())), by).toEqual([]);
    const bySchool = (await get('lee', '/api/v1/referrals/measures?by=school')).json();
    const lincoln = bySchool.groups.find((g: { name: string }) => g.name === 'Lincoln Middle School');
    expect(lincoln).toMatchObject({ sent: 26 });
    // Somali (3) is small; English (11) goes with it, or 26 − 12 would give Somali back.
    expect(lincoln.byLanguage).toEqual([
      { language: 'en', suppressed: true },
      expect.objectContaining({ language: 'es', sent: 12 }),
      { language: 'so', suppressed: true },
    ]);
    const byLanguage = (await get('lee', '/api/v1/referrals/measures?by=language')).json();
    expect(byLanguage.groups.map((g: { name: string; suppressed?: true }) => [g.name, g.suppressed ?? false])).toEqual([
      ['en', true],
      ['es', false],
      ['so', true],
    ]);
  });

  it('the counselor sees every number for her school', async () => {
    const lincoln = (await get('rivera', '/api/v1/referrals/measures?by=school')).json().groups[0];
    expect(lincoln.byLanguage.map((l: { language: string; sent: number }) => [l.language, l.sent])).toEqual([
      ['en', 11],
      ['es', 12],
      ['so', 3],
    ]);
  });
});

describe('equity step totals', () => {
  it('an analyst gets no step total under 10, in JSON or CSV; the district administrator sees them', async () => {
    const view = (await get('lee', '/api/v1/leadership/equity')).json();
    expect(small(counts(view.steps))).toEqual([]);
    const positive = view.steps.find((s: { step: string }) => s.step === 'positive');
    expect(positive).toMatchObject({ reached: null, eligible: null, rate: null, suppressed: true });
    const csv = (await get('lee', '/api/v1/leadership/equity?format=csv')).body;
    const cells = csv
      .trimEnd()
      .split('\r\n')
      .slice(1)
      .flatMap((line) => line.split(',').slice(4, 6));
    expect(cells.filter((c) => /^\d+$/.test(c) && Number(c) > 0 && Number(c) < 10)).toEqual([]);
    expect(csv).toContain('\r\npositive,screened,all,all,suppressed,suppressed,');
    const admin = (await get('whitfield', '/api/v1/leadership/equity')).json();
    expect(admin.steps.find((s: { step: string }) => s.step === 'positive')).toMatchObject({ reached: 3, eligible: 26, suppressed: false });
  });
});

describe('capacity against need', () => {
  it('an analyst gets no count under 10, and the total cannot give a hidden count back', async () => {
    const view = (await get('lee', '/api/v1/leadership/capacity')).json();
    expect(small(counts(view.schools.map((s: { need: unknown }) => s.need)))).toEqual([]);
    const lincoln = view.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School');
    // Three positive screens waiting: hidden, and the waiting referrals with them (the total is shown).
    expect(lincoln.need).toMatchObject({ openPositives: null, waitingReferrals: null, total: 29 });
    const csv = (await get('lee', '/api/v1/leadership/capacity?format=csv')).body;
    expect(csv).toContain('Lincoln Middle School,26,0,0,suppressed,0,0,suppressed,29,');
    const admin = (await get('whitfield', '/api/v1/leadership/capacity')).json();
    expect(admin.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School').need).toMatchObject({ openPositives: 3, waitingReferrals: 26 });
  });
});
