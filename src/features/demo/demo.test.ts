import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { followThroughReferrals } from '../referrals/follow-through.service.ts';
import { seedDemoDistrict } from './demo.seed.ts';

let haven: TestHaven;
const password = 'demo password for tests';
beforeAll(async () => {
  haven = await startTestHaven();
  await seedDemoDistrict(haven.deps, password);
}, 60_000);
afterAll(() => haven.close());

const get = async (email: string, url: string) => {
  const session = await signIn(haven.app, email, password);
  return (await haven.app.inject({ method: 'GET', url, headers: session.headers })).json();
};

describe('the demo district', () => {
  it('shows leaders capacity against need with staff in every school, and the equity path', async () => {
    const capacity = await get('admin@demo.haven.test', '/api/v1/leadership/capacity');
    expect(capacity.schools.map((s: { school: string; capacity: { counselorFte: number } }) => [s.school, s.capacity.counselorFte])).toEqual([
      ['Aspen Elementary', 1],
      ['Lincoln Middle School', 1.5],
      ['Sierra Vista High School', 2],
    ]);
    expect(capacity.partners.find((p: { type: string }) => p.type === 'counseling')).toMatchObject({ openPlaces: 10 });
    const funding = await get('admin@demo.haven.test', '/api/v1/leadership/funding');
    expect(funding.sources.find((s: { kind: string }) => s.kind === 'state_grant').alerts).toEqual([
      '$45,000 is not yet obligated and the obligation deadline is in 40 days',
    ]);
    expect(funding.losingFunding[0]).toMatchObject({ funds: 'Bilingual family counseling (Front Range)', losingShare: 0.75 });
    const training = await get('admin@demo.haven.test', '/api/v1/leadership/training');
    expect(training.schools.find((s: { school: string }) => s.school === 'Lincoln Middle School')).toMatchObject({ studentsReached: 180 });
    const assessment = await get('admin@demo.haven.test', '/api/v1/leadership/self-assessment');
    expect(assessment.history).toHaveLength(1);
    expect(assessment.indicators.find((i: { id: string }) => i.id === 'funding.streams').measured).toBe(0.75);
    const policyList = await get('teacher@demo.haven.test', '/api/v1/policies');
    expect(policyList.map((p: { title: string }) => p.title)).toEqual(['Crisis response plan', 'Re-entry after a mental-health crisis']);
    const equity = await get('analyst@demo.haven.test', '/api/v1/leadership/equity');
    expect(equity.steps.find((s: { step: string }) => s.step === 'screened').reached).toBeGreaterThan(50);
  });

  it('receives texts and e-mail at its own demo number and address', async () => {
    const channels = await get('admin@demo.haven.test', '/api/v1/district/channels');
    expect(channels.map((c: { kind: string; address: string }) => [c.kind, c.address])).toEqual([
      ['email', 'help@demo.haven.test'],
      ['sms', '+17205550123'],
    ]);
  });

  it('has a partner directory with capacity and agreements, one ending soon and one partner without any', async () => {
    const partners = await get('counselor@demo.haven.test', '/api/v1/partners');
    expect(partners.flatMap((p: { services: unknown[] }) => p.services)).toHaveLength(6);
    const agreements = partners.map((p: { name: string; agreement: { endsOn: string } | null }) => [p.name, p.agreement !== null]);
    expect(agreements).toContainEqual(['Saigon Family Center', false]);
    expect(agreements).toContainEqual(['Front Range Family Counseling', true]);
  });

  it('has referrals in every state, loop measures, and a partner who sees only their own', async () => {
    const all = await get('counselor@demo.haven.test', '/api/v1/referrals?open=true');
    const closed = await get('counselor@demo.haven.test', '/api/v1/referrals?open=false');
    const statuses = new Set([...all, ...closed].map((r: { status: string }) => r.status));
    expect([...statuses].sort()).toEqual(['accepted', 'cancelled', 'completed', 'draft', 'in-progress', 'on-hold', 'rejected', 'requested', 'scheduled']);
    const measures = await get('counselor@demo.haven.test', '/api/v1/referrals/measures?by=partner');
    const frfc = measures.groups.find((g: { name: string }) => g.name === 'Front Range Family Counseling');
    expect(frfc.sent).toBeGreaterThan(15);
    expect(frfc.medianDaysToFirstAppointment).toBeGreaterThan(3);
    expect(frfc.loopsClosedShare).toBeGreaterThan(0.4);
    const partnerView = await get('partner@demo.haven.test', '/api/v1/referrals?open=true');
    expect(partnerView.length).toBeGreaterThan(0);
    expect(partnerView.every((r: { organization: string; status: string }) => r.organization === 'Front Range Family Counseling' && r.status !== 'draft')).toBe(
      true,
    );
    // The follow-through sweep finds the waiting referrals and gives the counselor work, once.
    const first = await followThroughReferrals(haven.deps);
    expect(first.partnersReminded + first.followUps).toBeGreaterThan(0);
    expect(await followThroughReferrals(haven.deps)).toEqual({ partnersReminded: 0, followUps: 0 });
  });
});
