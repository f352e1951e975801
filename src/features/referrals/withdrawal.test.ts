import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { followThroughReferrals } from './follow-through.service.ts';
import { referralScene } from './referrals.test-kit.ts';

let s: Awaited<ReturnType<typeof referralScene>>;
beforeAll(async () => {
  s = await referralScene();
});
afterAll(() => s.haven.close());

describe('a guardian withdraws the consent referrals were sent on', () => {
  it('Dr. Cho loses an accepted and a scheduled referral at once, on every endpoint; open steps are cancelled; she is told without student data; nothing more is sent', async () => {
    let { rivera, cho } = await s.sessions();
    const maya = await s.student();
    // Sent first, on 34 CFR 99.36 (nothing else was on file): it does not rest on the consent and stays.
    const emergency = await s.draft(rivera, maya.id, { urgency: 'urgent' });
    expect(
      (await s.call(rivera, 'POST', `/api/v1/referrals/${emergency}/send`, { emergencyReason: 'Said she has a plan; needs to be seen today.' })).json()
        .consentBasis,
    ).toBe('emergency_99_36');
    const consentId = (
      await s.call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: [s.d.partnerId] })
    ).json().id as string;
    const accepted = await s.draft(rivera, maya.id);
    const scheduled = await s.draft(rivera, maya.id);
    for (const id of [accepted, scheduled]) {
      expect((await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {})).json().consentBasis).toBe('guardian_consent');
      expect((await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' })).statusCode).toBe(200);
    }
    await s.call(cho, 'POST', `/api/v1/referrals/${scheduled}/status`, {
      status: 'scheduled',
      appointmentAt: '2026-12-02T16:30:00-07:00',
      appointmentPlace: 'Front Range office',
    });

    // Twelve days on, both have open follow-ups (no appointment; a missed one).
    s.haven.clock.set(new Date('2026-12-10T16:00:00Z'));
    await followThroughReferrals(s.haven.deps);
    ({ rivera, cho } = await s.sessions());
    const open = async (id: string) =>
      (await s.call(rivera, 'GET', `/api/v1/referrals/${id}`))
        .json()
        .followUps.filter((f: { done: boolean }) => !f.done)
        .map((f: { kind: string }) => f.kind);
    expect(await open(accepted)).toEqual(['no_appointment']);
    expect(await open(scheduled)).toEqual(['missed_appointment']);

    s.mail.length = 0;
    const withdrawn = await s.call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents/${consentId}/withdraw`, { reason: 'Mother called' });
    expect(withdrawn.json()).toEqual({ id: consentId, withdrawn: true, referralsWithdrawn: 2 });

    for (const id of [accepted, scheduled]) {
      for (const [method, url, body] of [
        ['GET', `/api/v1/referrals/${id}`],
        ['GET', `/api/v1/referrals/${id}/fhir`],
        ['GET', `/api/v1/referrals/${id}/appointment.ics`],
        ['POST', `/api/v1/referrals/${id}/status`, { status: 'in-progress' }],
        ['POST', `/api/v1/referrals/${id}/status`, { status: 'scheduled', appointmentAt: '2026-12-15T16:00', appointmentPlace: 'Office' }],
        ['POST', `/api/v1/referrals/${id}/status`, { status: 'cancelled', reason: 'x' }],
        ['POST', `/api/v1/referrals/${id}/guardian-may-be-told`, { because: 'student_agreed' }],
      ] as const)
        expect((await s.call(cho, method, url, body)).statusCode, `${method} ${url}`).toBe(404);
      const school = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json();
      expect(school).toMatchObject({ status: 'cancelled', statusReason: 'The guardian withdrew the consent this referral was sent on.' });
      expect(school.followUps.every((f: { done: boolean; note: string }) => f.done && f.note === 'Cancelled: the guardian withdrew consent.')).toBe(true);
    }
    expect((await s.call(cho, 'GET', '/api/v1/referrals')).json().map((r: { id: string }) => r.id)).toEqual([emergency]);
    expect((await s.call(cho, 'GET', `/api/v1/referrals/${emergency}`)).statusCode).toBe(200);

    expect(s.mail.map((m) => [m.to, m.subject])).toEqual([[s.d.people.cho.email, 'Haven: referrals sent to you were withdrawn']]);
    expect(s.mail[0]?.text).toContain(accepted);
    expect(s.mail[0]?.text).toContain(scheduled);
    expect(s.mail[0]?.text).not.toMatch(/Maya|Torres|Lincoln|Rosa/);

    // Later sweeps send nothing more about them, to anyone.
    s.mail.length = 0;
    for (const day of ['2026-12-11T16:00:00Z', '2026-12-21T16:00:00Z']) {
      s.haven.clock.set(new Date(day));
      await followThroughReferrals(s.haven.deps);
      await sendOutbox(s.haven.deps);
    }
    expect(s.mail.filter((m) => m.text.includes(accepted) || m.text.includes(scheduled))).toEqual([]);
    expect(s.mail.some((m) => m.to === maya.guardianEmail)).toBe(false);
    s.haven.clock.set(new Date('2026-11-28T15:00:00Z'));
  });
});
