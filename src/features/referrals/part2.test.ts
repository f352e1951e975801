import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralScene } from './referrals.test-kit.ts';

let s: Awaited<ReturnType<typeof referralScene>>;
beforeAll(async () => {
  s = await referralScene(['substance_use']);
});
afterAll(() => s.haven.close());

const noticeStart = 'This record which has been disclosed to you is protected by Federal confidentiality rules (42 CFR part 2).';
const slot = { status: 'scheduled', appointmentAt: '2026-12-02T16:30:00-07:00', appointmentPlace: 'Front Range recovery program' };

/** A 16-year-old's substance-use referral, sent on her mother's consent, with the given Part 2 scope. */
async function sentWith(part2Scope: string) {
  const { rivera } = await s.sessions();
  const ana = await s.student({ firstName: 'Ana', grade: '10', dateOfBirth: '2010-03-14' });
  await s.call(rivera, 'POST', `/api/v1/students/${ana.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: [s.d.partnerId] });
  const id = await s.draft(rivera, ana.id);
  const sent = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { part2Scope });
  expect(sent.statusCode).toBe(200);
  return { id, student: ana };
}

describe('substance-use programs (42 CFR Part 2)', () => {
  it("a substance-use referral is not sent until the student's Part 2 consent scope is recorded", async () => {
    const { rivera } = await s.sessions();
    const ana = await s.student({ dateOfBirth: '2010-03-14' });
    const id = await s.draft(rivera, ana.id);
    const refused = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(
      /^This is a substance-use program \(42 CFR Part 2\): record what the student's written consent lets the program tell the school/,
    );
    const draft = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(draft.part2).toMatchObject({ scope: null });
    expect(draft.part2.notice.startsWith(noticeStart)).toBe(true);
  });

  it("with attendance only, the school sees statuses and the appointment but not the program's notes, always under the federal notice", async () => {
    const { rivera, cho } = await s.sessions();
    const { id, student } = await sentWith('attendance');
    await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' });
    await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, slot);
    const note = 'Missed two sessions; discussed relapse.';
    await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'on-hold', reason: note });

    // Dr. Cho keeps her own note; the school does not receive it.
    const own = (await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(own.statusReason).toBe(note);
    expect(own).not.toHaveProperty('part2');
    const school = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(school).toMatchObject({ status: 'on-hold', statusReason: null, appointment: { place: 'Front Range recovery program' } });
    expect(school.part2).toMatchObject({ scope: 'attendance', withheld: true, meaning: expect.stringMatching(/attendance only/) });
    expect(school.part2.notice.startsWith(noticeStart)).toBe(true);
    expect(school.part2.notice).toContain('(see 42 CFR 2.31)');
    expect(JSON.stringify(school)).not.toContain('relapse');

    const listed = (await s.call(rivera, 'GET', `/api/v1/referrals?studentId=${student.id}`)).json();
    expect(listed).toEqual([
      expect.objectContaining({ id, status: 'on-hold', redisclosureNotice: expect.stringMatching(/^This record which has been disclosed/) }),
    ]);
    const bundle = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}/fhir`)).json();
    expect(bundle.meta.security.map((c: { code: string }) => c.code)).toEqual(['42CFRPart2', 'NORDSCLCD']);
    expect(bundle.entry[1].resource.note[0].text.startsWith(noticeStart)).toBe(true);
    expect(JSON.stringify(bundle)).not.toContain('relapse');
    const ics = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}/appointment.ics`)).body;
    expect(ics).toContain('42 CFR part 2');
  });

  it('with attendance and progress, the school also reads the notes; with nothing, it sees only what it did itself', async () => {
    const { rivera, cho } = await s.sessions();
    const full = await sentWith('attendance_and_progress');
    await s.call(cho, 'POST', `/api/v1/referrals/${full.id}/status`, { status: 'rejected', reason: 'Needs a higher level of care.' });
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${full.id}`)).json()).toMatchObject({
      status: 'rejected',
      statusReason: 'Needs a higher level of care.',
      part2: { scope: 'attendance_and_progress', withheld: false },
    });

    const silent = await sentWith('none');
    await s.call(cho, 'POST', `/api/v1/referrals/${silent.id}/status`, { status: 'accepted' });
    await s.call(cho, 'POST', `/api/v1/referrals/${silent.id}/status`, slot);
    // The evening of the appointment: the program marks it attended.
    s.haven.clock.set(new Date('2026-12-03T00:30:00Z'));
    const after = await s.sessions();
    expect((await s.call(after.cho, 'POST', `/api/v1/referrals/${silent.id}/status`, { status: 'in-progress' })).statusCode).toBe(200);
    s.haven.clock.set(new Date('2026-11-28T15:00:00Z'));
    const school = (await s.call((await s.sessions()).rivera, 'GET', `/api/v1/referrals/${silent.id}`)).json();
    expect(school).toMatchObject({ status: 'requested', appointment: null, firstSeenAt: null, followUps: [] });
    expect(school.events.map((e: { to: string }) => e.to)).toEqual(['draft', 'requested']);
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${silent.id}/appointment.ics`)).statusCode).toBe(400);
    expect((await s.call(rivera, 'GET', `/api/v1/referrals?studentId=${silent.student.id}&open=true`)).json()).toEqual([
      expect.objectContaining({ id: silent.id, status: 'requested', appointmentAt: null }),
    ]);
    const task = (await s.call(rivera, 'GET', `/api/v1/referrals/${silent.id}/fhir`)).json().entry[1].resource;
    expect(task).toMatchObject({ status: 'requested' });
    expect(task.output).toBeUndefined();
  });
});
