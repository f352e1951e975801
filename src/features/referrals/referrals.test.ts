import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { addCounselingService } from '../../../test/support/partners.ts';
import { partnerOrganizations } from '../../data/partners.ts';
import { guardians, studentGuardians } from '../../data/students.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { addUser } from '../accounts/users.service.ts';
import { followThroughReferrals } from './follow-through.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let service: { id: string };
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  service = await addCounselingService(haven.deps, d.district.id, d.partnerId);
});
afterAll(() => haven.close());

/** A request, then the outbox's pass the worker would make, so `mail` holds what went out. */
const call = async (session: Session, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const response = await haven.app.inject({ method, url, headers: session.headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
  await sendOutbox(haven.deps);
  return response;
};

/** A Lincoln student whose mother reads Spanish and has an e-mail address. */
async function mayaWithGuardianEmail(district = d) {
  const maya = await createStudent(haven.deps, district.district.id, district.schools.lincoln.id);
  const [link] = await haven.deps.db.system.select().from(studentGuardians).where(eq(studentGuardians.studentId, maya.id));
  await haven.deps.db.system
    .update(guardians)
    .set({ email: `rosa.${maya.id.slice(0, 6)}@family.test` })
    .where(eq(guardians.id, link?.guardianId as string));
  return maya;
}

const draftFor = (studentId: string, serviceId = service.id) => ({
  studentId,
  serviceId,
  serviceType: 'counseling',
  urgency: 'urgent',
  preferences: { language: 'es', languageRequired: true, insurance: 'medicaid', modality: 'telehealth', times: 'after school' },
  familySharedNote: 'Maya prefers a woman counselor.',
});

/** Signs in again: moving the clock ends sessions. */
async function sessions(district = d) {
  const d = district;
  return {
    rivera: await signIn(haven.app, d.people.rivera.email),
    cho: await signIn(haven.app, d.people.cho.email),
    whitfield: await signIn(haven.app, d.people.whitfield.email),
  };
}

describe('a closed-loop referral', () => {
  it('goes from draft through consent to the partner, who accepts, schedules (the family gets an .ics), sees the student and completes', async () => {
    const { rivera, cho } = await sessions();
    const maya = await mayaWithGuardianEmail();
    const created = await call(rivera, 'POST', '/api/v1/referrals', draftFor(maya.id));
    expect(created.statusCode).toBe(201);
    const { id, warnings } = created.json();
    expect(warnings).toEqual([]);

    // A draft has gone nowhere: the partner cannot see it.
    expect((await call(cho, 'GET', `/api/v1/referrals/${id}`)).statusCode).toBe(404);
    expect((await call(cho, 'GET', '/api/v1/referrals')).json()).toEqual([]);

    const refused = await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(/Record a guardian's written consent/);
    // Maya is 13: she may consent to psychotherapy herself (C.R.S. 12-245-203.5), but the counselor records her mother's consent.
    const consent = await call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, {
      givenBy: 'Rosa Torres (mother)',
      scope: [d.partnerId],
      expiresOn: '2027-06-30',
    });
    expect(consent.statusCode).toBe(201);
    mail.length = 0;
    const sent = await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
    expect(sent.json()).toEqual({ id, status: 'requested', consentBasis: 'guardian_consent' });
    expect(mail.map((m) => m.to)).toEqual([d.people.cho.email]);
    expect(mail[0]?.text).not.toContain('Maya');

    // The partner sees the minimum, and nothing of the school's own.
    const seen = (await call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(Object.keys(seen).sort()).toEqual(
      [
        'appointment',
        'connection',
        'events',
        'familySharedNote',
        'firstSeenAt',
        'guardian',
        'guardianOnAccepting',
        'id',
        'moves',
        'organization',
        'preferences',
        'requestedAt',
        'service',
        'serviceType',
        'side',
        'status',
        'statusReason',
        'student',
        'urgency',
      ].sort(),
    );
    expect(seen.student).toEqual({ name: 'Maya Torres', age: 13, grade: '7', language: 'es', interpreterNeeded: false });
    // Before accepting, the partner decides from the need; the family's contact is not theirs yet.
    expect(seen.guardian).toBeNull();
    expect(seen.guardianOnAccepting).toBe(true);

    expect(seen.moves).toEqual(['accepted', 'rejected']);
    expect((await call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'rejected' })).json().detail).toBe('Give the reason for "Declined".');
    const schoolAccepting = await call(rivera, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' });
    expect(schoolAccepting.statusCode).toBe(403);
    expect(schoolAccepting.json().detail).toBe('Only the partner can mark a referral "Accepted".');
    // Only the school cancels: the partner declines, or closes the referral after care; in Spanish too.
    const partnerCancelling = await call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'cancelled', reason: 'No openings' });
    expect(partnerCancelling.statusCode).toBe(403);
    expect(partnerCancelling.json().detail).toBe(
      'Only the school can cancel a referral. If you cannot take it, decline it; once care has ended, mark it completed or "Did not work out".',
    );
    const choInSpanish = { headers: { ...cho.headers, 'accept-language': 'es' } };
    const inSpanish = await call(choInSpanish, 'POST', `/api/v1/referrals/${id}/status`, { status: 'cancelled', reason: 'No openings' });
    expect(inSpanish.statusCode).toBe(403);
    expect(inSpanish.json().detail).toMatch(/^Solo la escuela puede cancelar una derivación\. Si no puede aceptarla, recházela/);
    expect((await call(rivera, 'GET', `/api/v1/referrals/${id}`)).json()).toMatchObject({ status: 'requested', moves: ['cancelled'] });
    expect((await call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' })).statusCode).toBe(200);
    const accepted = (await call(cho, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(accepted.guardian).toMatchObject({ name: 'Rosa Torres', phone: '303-555-0100', language: 'es' });
    expect(accepted.guardianOnAccepting).toBe(false);
    const badLink = await call(cho, 'POST', `/api/v1/referrals/${id}/status`, {
      status: 'scheduled',
      appointmentAt: '2026-12-02T16:30:00-07:00',
      telehealthUrl: 'http://meet.example.org/x',
    });
    expect(badLink.statusCode).toBe(400);
    expect(badLink.json().detail).toMatch(/https/);
    mail.length = 0;
    const scheduled = await call(cho, 'POST', `/api/v1/referrals/${id}/status`, {
      status: 'scheduled',
      appointmentAt: '2026-12-02T16:30:00-07:00',
      telehealthUrl: 'https://meet.example.org/frfc-42',
    });
    expect(scheduled.json()).toEqual({ id, status: 'scheduled', familyInvited: true, invited: ['guardian'] });
    const invitation = mail.find((m) => m.to.startsWith('rosa.'));
    expect(invitation?.subject).toBe('Cita con Front Range Family Counseling');
    expect(invitation?.text).toContain('miércoles, 2 de diciembre de 2026');
    expect(invitation?.attachments?.[0]?.content).toContain('DTSTART:20261202T233000Z');
    expect(invitation?.attachments?.[0]?.content).toContain('URL:https://meet.example.org/frfc-42');

    // Not "attended" before the appointment's day, and the page does not offer it.
    const early = await call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'in-progress' });
    expect(early.statusCode).toBe(400);
    expect(early.json().detail).toBe('The appointment has not happened yet: mark it attended on the day of the appointment or after.');
    expect((await call(cho, 'GET', `/api/v1/referrals/${id}`)).json().moves).toEqual(['scheduled', 'on-hold', 'failed']);
    haven.clock.set(new Date('2026-12-03T00:30:00Z'));
    const after = await sessions();
    expect((await call(after.cho, 'GET', `/api/v1/referrals/${id}`)).json().moves).toEqual(['scheduled', 'in-progress', 'on-hold', 'failed']);
    expect((await call(after.cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'in-progress' })).statusCode).toBe(200);
    const school = (await call(after.rivera, 'GET', `/api/v1/referrals/${id}`)).json();
    expect(school.firstSeenAt).toBe('2026-12-02T23:30:00.000Z');
    expect(school.followUps).toEqual([expect.objectContaining({ kind: 'family_checkin', dueOn: '2026-12-04', done: false })]);
    expect((await call(after.cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'completed' })).statusCode).toBe(200);
    const closed = (await call(after.rivera, 'GET', `/api/v1/referrals?studentId=${maya.id}`)).json();
    expect(closed).toEqual([expect.objectContaining({ id, status: 'completed', organization: 'Front Range Family Counseling' })]);

    const bundle = (await call(after.cho, 'GET', `/api/v1/referrals/${id}/fhir`)).json();
    expect(bundle.entry.map((e: { resource: { resourceType: string; status: string } }) => [e.resource.resourceType, e.resource.status])).toEqual([
      ['ServiceRequest', 'completed'],
      ['Task', 'completed'],
    ]);
    expect(bundle.entry[1].resource.focus).toEqual({ reference: `ServiceRequest/${id}` });

    // Every disclosure and every look by the partner is in the student's access log.
    const log = (await call(after.whitfield, 'GET', `/api/v1/students/${maya.id}/access-log`)).json();
    const actions = log.entries.map((e: { action: string; actor: string }) => `${e.action} ${e.actor}`);
    expect(actions).toEqual(expect.arrayContaining([expect.stringMatching(/^referral\.disclosed rivera/), expect.stringMatching(/^referral\.read cho/)]));
    expect(log.entries.find((e: { action: string }) => e.action === 'referral.disclosed').reason).toBe(
      'disclosed to Front Range Family Counseling on guardian consent',
    );
    haven.clock.set(new Date('2026-11-28T15:00:00Z'));
  });

  it('the partner declines with a reason (in Spanish when asked); a declined referral offers nothing more, not even the guardian "once you accept"', async () => {
    const { rivera, cho } = await sessions();
    const maya = await mayaWithGuardianEmail();
    await call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: [d.partnerId] });
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', draftFor(maya.id))).json();
    await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
    expect((await call(cho, 'GET', `/api/v1/referrals/${id}`)).json()).toMatchObject({ guardianOnAccepting: true, moves: ['accepted', 'rejected'] });
    const choInSpanish = { headers: { ...cho.headers, 'accept-language': 'es' } };
    const noReason = await call(choInSpanish, 'POST', `/api/v1/referrals/${id}/status`, { status: 'rejected' });
    expect(noReason.json().detail).toBe('Indique el motivo de «Rechazada».');
    expect((await call(cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'rejected', reason: 'No Spanish-speaking clinician free' })).statusCode).toBe(
      200,
    );
    expect((await call(cho, 'GET', `/api/v1/referrals/${id}`)).json()).toMatchObject({
      status: 'rejected',
      guardian: null,
      guardianOnAccepting: false,
      moves: [],
    });
  });

  it('other partners, other schools and teachers get 404, by id and by search', async () => {
    const { rivera, cho } = await sessions();
    const maya = await mayaWithGuardianEmail();
    const otherOrg = haven.deps.ids.uuid();
    await haven.deps.db.system.insert(partnerOrganizations).values({ id: otherOrg, districtId: d.district.id, name: 'Another Agency' });
    const email = `vance.${d.district.slug}@haven.test`;
    await addUser(haven.deps, {
      districtId: d.district.id,
      email,
      role: 'partner',
      displayName: 'vance',
      partnerOrganizationId: otherOrg,
      password: 'correct horse battery staple',
    });
    const vance = await signIn(haven.app, email);
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', draftFor(maya.id))).json();
    await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true });
    expect((await call(cho, 'GET', `/api/v1/referrals/${id}`)).statusCode).toBe(200);

    const park = await signIn(haven.app, d.people.park.email);
    const shah = await signIn(haven.app, d.people.shah.email);
    for (const outsider of [vance, park, shah]) {
      expect((await call(outsider, 'GET', `/api/v1/referrals/${id}`)).statusCode).toBe(404);
      expect((await call(outsider, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' })).statusCode).toBe(404);
      expect((await call(outsider, 'GET', `/api/v1/referrals/${id}/fhir`)).statusCode).toBe(404);
    }
    expect((await call(vance, 'GET', '/api/v1/referrals')).json()).toEqual([]);
    expect((await call(park, 'GET', '/api/v1/referrals')).json()).toEqual([]);
    // Partners never reach students directly, not even the one referred to them.
    expect((await call(cho, 'GET', `/api/v1/students/${maya.id}`)).statusCode).toBe(404);
    expect((await call(cho, 'GET', '/api/v1/students?q=Torres')).statusCode).toBe(404);
    for (const url of [`/api/v1/students/${maya.id}/plans`, `/api/v1/students/${maya.id}/screenings`, `/api/v1/students/${maya.id}/timeline`, '/api/v1/cases'])
      expect((await call(cho, 'GET', url)).statusCode, url).toBe(404);
  });

  it('refuses bad input with a reason and stores nothing', async () => {
    const { rivera } = await sessions();
    const maya = await mayaWithGuardianEmail();
    const wrongType = await call(rivera, 'POST', '/api/v1/referrals', { ...draftFor(maya.id), serviceType: 'psychiatry' });
    expect(wrongType.json().detail).toBe('That service does not offer psychiatry; choose one from the matches.');
    const noSource = await call(rivera, 'POST', '/api/v1/referrals', { ...draftFor(maya.id), source: 'case' });
    expect(noSource.json().detail).toBe('Say which case the referral comes from (sourceId).');
    const unknown = await call(rivera, 'POST', '/api/v1/referrals', { ...draftFor(maya.id), serviceId: haven.deps.ids.uuid() });
    expect(unknown.statusCode).toBe(404);
    const young = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { grade: '5', dateOfBirth: '2015-09-01' });
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', draftFor(young.id))).json();
    const alone = await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true });
    expect(alone.json().detail).toMatch(/A student of 11 cannot consent alone/);
    expect((await call(rivera, 'GET', `/api/v1/referrals?studentId=${maya.id}`)).json()).toEqual([]);
  });
});

describe('a guardian withdraws consent', () => {
  it('nothing more is sent on it; the withdrawal is in the access log; partners cannot touch it', async () => {
    const { rivera, cho } = await sessions();
    const maya = await mayaWithGuardianEmail();
    const consent = await call(rivera, 'POST', `/api/v1/students/${maya.id}/referral-consents`, { givenBy: 'Rosa Torres (mother)', scope: ['any_partner'] });
    const consentId = consent.json().id as string;
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', draftFor(maya.id))).json();
    expect((await call(rivera, 'GET', `/api/v1/referrals/${id}`)).json().consents.map((c: { id: string }) => c.id)).toEqual([consentId]);

    const url = `/api/v1/students/${maya.id}/referral-consents/${consentId}/withdraw`;
    expect((await call(cho, 'POST', url, {})).statusCode).toBe(404);
    const withdrawn = await call(rivera, 'POST', url, { reason: 'Mother called the office' });
    expect(withdrawn.json()).toEqual({ id: consentId, withdrawn: true, referralsWithdrawn: 0 });
    expect((await call(rivera, 'POST', url, {})).json().detail).toBe('That consent was already withdrawn.');
    expect((await call(rivera, 'GET', `/api/v1/referrals/${id}`)).json().consents).toEqual([]);

    const refused = await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, {});
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(/Record a guardian's written consent/);
    const logged = await haven.deps.db.system.$client.query(`select reason from audit_events where student_id = $1 and action = 'referral.consent_withdrawn'`, [
      maya.id,
    ]);
    expect(logged.rows).toEqual([{ reason: 'Mother called the office' }]);
  });
});

describe('referrals from a screen', () => {
  it('a referral sent from a severe screen takes the student off "Needs support now"; a draft does not', async () => {
    const { rivera } = await sessions();
    const ana = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Ana' });
    const severe = { q1: 3, q2: 3, q3: 3, q4: 3, q5: 3, q6: 3, q7: 2, q8: 1, q9: 0 };
    const screen = (await call(rivera, 'POST', `/api/v1/students/${ana.id}/screenings`, { instrumentId: 'phq-9', answers: severe })).json();
    const onQueue = async () =>
      (await call(rivera, 'GET', '/api/v1/support/queue')).json().entries.some((e: { student: { id: string } }) => e.student.id === ana.id);
    expect(await onQueue()).toBe(true);
    const other = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const wrongSource = await call(rivera, 'POST', '/api/v1/referrals', { ...draftFor(other.id), source: 'screening', sourceId: screen.id });
    expect(wrongSource.json().detail).toBe('That screening result is not about this student.');
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', { ...draftFor(ana.id), source: 'screening', sourceId: screen.id })).json();
    expect(await onQueue()).toBe(true);
    await call(rivera, 'POST', `/api/v1/referrals/${id}/send`, { studentConsent: true });
    expect(await onQueue()).toBe(false);
  });
});

describe('follow-through', () => {
  it('reminds a silent partner, then alerts the counselor once; flags no appointment and a missed one; the visit settles it', async () => {
    // A district of its own, so the sweep's counts are this referral's.
    const f = await createDistrict(haven.deps);
    const svc = await addCounselingService(haven.deps, f.district.id, f.partnerId);
    const { rivera } = await sessions(f);
    const maya = await mayaWithGuardianEmail(f);
    const { id } = (await call(rivera, 'POST', '/api/v1/referrals', draftFor(maya.id, svc.id))).json();
    // Monday 2026-11-30, 9:00 in Denver.
    haven.clock.set(new Date('2026-11-30T16:00:00Z'));
    await call((await sessions(f)).rivera, 'POST', `/api/v1/referrals/${id}/send`, { emergencyReason: 'Plan and means disclosed; needs to be seen this week' });
    const followUps = async () => (await call((await sessions(f)).rivera, 'GET', `/api/v1/referrals/${id}`)).json().followUps;
    const mine = () => mail.filter((m) => m.to === f.people.cho.email || m.to === f.people.rivera.email).map((m) => [m.to, m.subject]);
    mail.length = 0;
    haven.clock.set(new Date('2026-12-02T16:00:00Z'));
    await followThroughReferrals(haven.deps);
    await sendOutbox(haven.deps);
    expect(mine()).toEqual([[f.people.cho.email, 'Haven: a referral is still waiting for your answer']]);
    expect(await followUps()).toEqual([]);
    haven.clock.set(new Date('2026-12-03T16:00:00Z'));
    await followThroughReferrals(haven.deps);
    await sendOutbox(haven.deps);
    await followThroughReferrals(haven.deps);
    await sendOutbox(haven.deps);
    expect(mine().slice(1)).toEqual([[f.people.rivera.email, 'Haven: a referral needs your follow-up']]);
    expect(await followUps()).toEqual([expect.objectContaining({ kind: 'partner_no_answer', dueOn: '2026-12-03', done: false })]);

    let s = await sessions(f);
    await call(s.cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted' });
    expect((await call(s.rivera, 'GET', `/api/v1/referrals/${id}`)).json().followUps).toEqual([
      expect.objectContaining({ kind: 'partner_no_answer', done: true, note: 'Settled: the referral became accepted.' }),
    ]);
    haven.clock.set(new Date('2026-12-13T16:00:00Z'));
    await followThroughReferrals(haven.deps);
    await sendOutbox(haven.deps);
    expect((await followUps()).map((x: { kind: string }) => x.kind)).toEqual(['partner_no_answer', 'no_appointment']);
    s = await sessions(f);
    await call(s.cho, 'POST', `/api/v1/referrals/${id}/status`, {
      status: 'scheduled',
      appointmentAt: '2026-12-14T15:00:00-07:00',
      appointmentPlace: 'Front Range office, 12 Main St',
    });
    haven.clock.set(new Date('2026-12-15T16:00:00Z'));
    await followThroughReferrals(haven.deps);
    await sendOutbox(haven.deps);
    s = await sessions(f);
    const open = (await call(s.rivera, 'GET', `/api/v1/referrals/${id}`)).json().followUps.filter((f: { done: boolean }) => !f.done);
    expect(open).toEqual([expect.objectContaining({ kind: 'missed_appointment', dueOn: '2026-12-15', overdue: false })]);
    await call(s.cho, 'POST', `/api/v1/referrals/${id}/status`, { status: 'in-progress' });
    const after = (await call(s.rivera, 'GET', `/api/v1/referrals/${id}`)).json().followUps;
    expect(after.filter((f: { done: boolean }) => !f.done).map((f: { kind: string }) => f.kind)).toEqual(['family_checkin']);
    const checkin = after.find((f: { kind: string }) => f.kind === 'family_checkin');
    expect((await call(s.rivera, 'POST', `/api/v1/referral-follow-ups/${checkin.id}/done`, { note: 'Mother says it went well' })).statusCode).toBe(200);
    haven.clock.set(new Date('2026-11-28T15:00:00Z'));
  });
});

describe('measures', () => {
  it('counts sent, accepted, days to first appointment and loops closed per partner and by home language', async () => {
    const { rivera } = await sessions();
    const measures = (await call(rivera, 'GET', '/api/v1/referrals/measures?by=partner')).json();
    const frfc = measures.groups.find((g: { name: string }) => g.name === 'Front Range Family Counseling');
    expect(frfc).toMatchObject({ sent: 4, accepted: 1, seen: 1, loopsClosedShare: 0.25 });
    expect(frfc.byLanguage).toEqual([expect.objectContaining({ language: 'es', sent: 4 })]);
    expect(frfc.medianDaysToFirstAppointment).toBeGreaterThan(0);
    const lee = await signIn(haven.app, d.people.lee.email);
    const analyst = (await call(lee, 'GET', '/api/v1/referrals/measures?by=school')).json();
    // Four referrals: too few for an analyst to see, in total or by language.
    expect(analyst.groups[0]).toEqual({ name: 'Lincoln Middle School', suppressed: true, byLanguage: [{ language: 'es', suppressed: true }] });
    const shah = await signIn(haven.app, d.people.shah.email);
    expect((await call(shah, 'GET', '/api/v1/referrals/measures')).statusCode).toBe(404);
  });
});
