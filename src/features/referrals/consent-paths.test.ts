import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { referralScene } from './referrals.test-kit.ts';

let s: Awaited<ReturnType<typeof referralScene>>;
beforeAll(async () => {
  s = await referralScene(['counseling', 'psychiatry']);
});
afterAll(() => s.haven.close());

const slot = { status: 'scheduled', appointmentAt: '2026-12-02T16:30:00-07:00', appointmentPlace: 'Front Range office, 12 Main St' };

describe("a student-initiated connection (the student's own consent, C.R.S. 12-245-203.5 / 27-65-104)", () => {
  it("a 15-year-old's own referral reaches Dr. Cho with only what she chose, no guardian, and no mail to her mother", async () => {
    const { rivera, cho, whitfield } = await s.sessions();
    const lucia = await s.student({ firstName: 'Lucía', grade: '9', dateOfBirth: '2011-05-10' });
    const id = await s.draft(rivera, lucia.id, { serviceType: 'psychiatry' });
    s.mail.length = 0;
    const sent = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {
      studentConsent: true,
      studentChoices: {
        name: 'Lu',
        share: ['age'],
        note: 'I have not been sleeping and want to talk to someone.',
        contactRoute: 'own_email',
        contact: 'lu.student@example.org',
        guardianMayBeTold: false,
      },
    });
    expect(sent.json()).toEqual({ id, status: 'requested', consentBasis: 'student_consent' });
    expect(s.mail.map((m) => m.to)).toEqual([s.d.people.cho.email]);

    const seen = (await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(seen.student).toEqual({ name: 'Lu', age: 15, grade: null, language: null, interpreterNeeded: false });
    expect(seen.guardian).toBeNull();
    expect(seen.preferences).toBeNull();
    expect(seen.familySharedNote).toBe('I have not been sleeping and want to talk to someone.');
    expect(seen.connection).toEqual({
      kind: 'student_initiated',
      contactRoute: 'own_email',
      contact: 'lu.student@example.org',
      counselor: null,
      guardianMayBeTold: false,
      guardianTold: null,
    });
    expect(JSON.stringify(seen)).not.toMatch(/Rosa|Torres|anxious about grades/);
    expect((await s.call(cho, 'GET', '/api/v1/referrals')).json().find((r: { id: string }) => r.id === id).student).toEqual({ name: 'Lu', grade: null });
    const bundle = (await s.call(cho, 'GET', `/api/v1/referrals/${id}/fhir`)).body;
    expect(bundle).toContain('"display":"Lu"');
    expect(bundle).not.toMatch(/Torres|anxious about grades/);

    await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' });
    s.mail.length = 0;
    const scheduled = await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, slot);
    expect(scheduled.json()).toMatchObject({ familyInvited: false, invited: ['student'] });
    expect(s.mail.map((m) => m.to)).toEqual(['lu.student@example.org']);
    expect(s.mail[0]?.text).toMatch(/^Tienes una cita con Front Range Family Counseling/);
    expect(s.mail.some((m) => m.to === lucia.guardianEmail)).toBe(false);

    // The school keeps its own full record, and the access log says no education records went out.
    const school = (await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(school.studentConnection).toMatchObject({ name: 'Lu', share: ['age'], contactRoute: 'own_email', guardianMayBeTold: false });
    const log = await s.accessLog(whitfield, lucia.id);
    expect(log.find((e) => e.action === 'referral.disclosed')?.reason).toBe(
      "connected with Front Range Family Counseling on the student's own consent: no education records, only what the student chose",
    );
  });

  it('Dr. Cho records that telling the guardian is necessary, with the reason: then she sees the guardian and the guardian is invited', async () => {
    const { rivera, cho, whitfield } = await s.sessions();
    const maya = await s.student({ dateOfBirth: '2013-04-02' });
    const id = await s.draft(rivera, maya.id);
    expect((await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true })).json().consentBasis).toBe('student_consent');
    const seen = (await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(seen.guardian).toBeNull();
    // Reached through Ms. Rivera, the route the student gets when none is chosen.
    expect(seen.connection.counselor).toEqual({ name: 'rivera', email: s.d.people.rivera.email });
    await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' });
    s.mail.length = 0;
    expect((await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, slot)).json().invited).toEqual(['counselor']);
    expect(s.mail.map((m) => m.to)).toEqual([s.d.people.rivera.email]);

    const url = `/api/v1/referrals/${id}/guardian-may-be-told`;
    const byCounselor = await s.call(rivera, 'POST', url, { because: 'clinician_necessity', reason: 'I think so' });
    expect(byCounselor.json().detail).toBe('Only the treating clinician at the partner can record that telling the guardian is necessary.');
    const noReason = await s.call(cho, 'POST', url, { because: 'clinician_necessity' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().detail).toMatch(/^Say why telling the guardian is necessary \(C\.R\.S\. 12-245-203\.5\)/);
    expect((await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json().guardian).toBeNull();

    const reason = 'Maya described a clear and imminent risk to her safety; her mother must be involved in the safety plan.';
    expect((await s.call(cho, 'POST', url, { because: 'clinician_necessity', reason })).json()).toEqual({ id, guardianMayBeTold: true });
    const after = (await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(after.guardian).toMatchObject({ name: 'Rosa Torres', email: maya.guardianEmail, language: 'es' });
    expect(after.connection.guardianTold).toMatchObject({ because: 'clinician_necessity', reason });
    s.mail.length = 0;
    const moved = await s.call(cho, 'POST', `/api/v1/referrals/${id}/status`, { ...slot, appointmentAt: '2026-12-03T16:30:00-07:00' });
    expect(moved.json()).toMatchObject({ familyInvited: true, invited: ['guardian', 'counselor'] });
    expect(s.mail.find((m) => m.to === maya.guardianEmail)?.subject).toBe('Cita con Front Range Family Counseling');
    const log = await s.accessLog(whitfield, maya.id);
    expect(log.find((e) => e.action === 'referral.guardian_may_be_told')?.reason).toBe(
      `the treating clinician found telling the guardian necessary: ${reason}`,
    );
  });

  it('a referral on guardian consent has nothing to hold back', async () => {
    const { rivera, cho } = await s.sessions();
    const maya = await s.student();
    await s.call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: ['any_partner'] });
    const id = await s.draft(rivera, maya.id);
    await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
    const refused = await s.call(cho, 'POST', `/api/v1/referrals/${id}/guardian-may-be-told`, { because: 'student_agreed' });
    expect(refused.json().detail).toBe("This referral was not sent on the student's own consent; nothing about the guardian is held back.");
  });
});

describe('the health-or-safety emergency (34 CFR 99.36)', () => {
  it('is refused for a routine referral, with what to do instead; nothing is sent', async () => {
    const { rivera } = await s.sessions();
    const maya = await s.student();
    const id = await s.draft(rivera, maya.id);
    s.mail.length = 0;
    const refused = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { emergencyReason: 'She seemed down today.' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(
      /^The health-or-safety emergency \(34 CFR 99\.36\) is only for urgent or life-safety referrals, and this one is routine\./,
    );
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json()).toMatchObject({
      status: 'draft',
      consentPaths: { emergency: { available: false, reasonEs: expect.stringMatching(/^La emergencia de salud o seguridad \(34 CFR 99\.36\) es solo para/) } },
    });
    // Ms. Rivera reading Haven in Spanish gets the same refusal in Spanish.
    const enEspañol = await s.haven.app.inject({
      method: 'POST',
      url: `/api/v1/referrals/${id}/send`,
      headers: { ...rivera.headers, 'accept-language': 'es-US,es;q=0.9' },
      payload: { emergencyReason: 'Se veía decaída hoy.' },
    });
    expect(enEspañol.statusCode).toBe(400);
    expect(enEspañol.json().detail).toMatch(/^La emergencia de salud o seguridad \(34 CFR 99\.36\) es solo para derivaciones urgentes/);
    expect(s.mail).toEqual([]);
  });

  it('after an urgent referral, each guardian is told in their language: the partner, the basis and the reason, no clinical detail', async () => {
    const { rivera, whitfield } = await s.sessions();
    const maya = await s.student({ firstName: 'Maya' }, 'es');
    const id = await s.draft(rivera, maya.id, { urgency: 'urgent' });
    s.mail.length = 0;
    const reason = 'Maya told us she does not feel safe at home tonight; the crisis clinician must reach her today.';
    const sent = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { emergencyReason: reason });
    expect(sent.json()).toEqual({ id, status: 'requested', consentBasis: 'emergency_99_36', guardianNotice: { emailed: 1 } });
    const notice = s.mail.find((m) => m.to === maya.guardianEmail);
    expect(notice?.subject).toBe('Lincoln Middle School: compartimos información sobre Maya con Front Range Family Counseling');
    expect(notice?.text).toContain('34 CFR 99.36');
    expect(notice?.text).toContain(reason);
    expect(notice?.text).toContain('28 de noviembre de 2026');
    // The kind of service is not named (only the partner is), nor anything the counselor wrote for the partner.
    expect(notice?.text.replaceAll('Front Range Family Counseling', '')).not.toMatch(/counsel|psiquiatr|anxious about grades/i);
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json().emergencyNotice).toMatchObject({ emailed: 1 });
    const log = await s.accessLog(whitfield, maya.id);
    expect(log.map((e) => e.action)).toEqual(expect.arrayContaining(['referral.disclosed', 'referral.guardian_notified']));

    const ben = await s.student({ firstName: 'Ben' }, 'en');
    const other = await s.draft(rivera, ben.id, { urgency: 'asap' });
    await s.call(rivera, 'POST', `/api/v1/referrals/${other}/send`, { emergencyReason: 'Threat to others reported this morning.' });
    expect(s.mail.find((m) => m.to === ben.guardianEmail)?.subject).toBe(
      'Lincoln Middle School: we shared information about Ben with Front Range Family Counseling',
    );
  });
});

describe('age from the birth date only', () => {
  it('a student with no birth date cannot use their own consent, and the API says why; nobody guesses an age from the grade', async () => {
    const { rivera, cho } = await s.sessions();
    const noDob = await s.student({ grade: '10', dateOfBirth: null });
    const id = await s.draft(rivera, noDob.id);
    const reason =
      "No birth date on record: the student's own consent cannot be used; add the birth date from the student information system or ask the guardian.";
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json().consentPaths.studentConsent).toEqual({
      available: false,
      reason,
      reasonEs: expect.stringMatching(/^No hay fecha de nacimiento registrada/),
    });
    const refused = await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toBe(reason);

    await s.call(rivera, 'POST', `/api/v1/students/${noDob.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: [s.d.partnerId] });
    expect((await s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {})).json().consentBasis).toBe('guardian_consent');
    expect((await s.call(cho, 'GET', `/api/v1/referrals/${id}`)).json().student).toMatchObject({ age: null, grade: '10' });
  });

  it('refuses a contact route without the contact, and never answers bad input with a 5xx', async () => {
    const { rivera } = await s.sessions();
    const maya = await s.student();
    const id = await s.draft(rivera, maya.id);
    const send = (body: unknown) => s.call(rivera, 'POST', `/api/v1/referrals/${id}/send`, body);
    expect((await send({ studentConsent: true, studentChoices: { contactRoute: 'own_phone' } })).json().detail).toMatch(/^Give the student's own phone number/);
    for (const body of [
      { studentConsent: true, studentChoices: { contactRoute: 'pigeon' } },
      { studentConsent: true, studentChoices: { share: ['everything'] } },
      { studentConsent: 'yes' },
      { part2Scope: 'all' },
    ])
      expect((await send(body)).statusCode, JSON.stringify(body)).toBe(400);
    expect((await s.call(rivera, 'POST', `/api/v1/referrals/${id}/guardian-may-be-told`, { because: 'whim' })).statusCode).toBe(400);
    expect((await s.call(rivera, 'POST', '/api/v1/referrals/not-an-id/guardian-may-be-told', { because: 'student_agreed' })).statusCode).toBe(404);
    expect((await s.call(rivera, 'GET', `/api/v1/referrals/${id}`)).json().status).toBe('draft');
  });
});
