import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import { auditEvents } from '../../data/audit.ts';
import { guardians } from '../../data/students.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
let rivera: Session;
let okafor: Session;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
  rivera = await signIn(haven.app, d.people.rivera.email);
  okafor = await signIn(haven.app, d.people.okafor.email);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const get = (session: Session, url: string) => haven.app.inject({ method: 'GET', url, headers: session.headers });

describe('while a concern of abuse names the household, the family is not told without a person deciding', () => {
  it("Ms. Shah's concern about Eli's home holds the emergency screen's notice to the guardian until Ms. Rivera decides", async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Eli' });
    const family = `rosa.${d.district.slug}@family.test`;
    await haven.deps.db.system.update(guardians).set({ email: family }).where(eq(guardians.districtId, d.district.id));
    const screenAndCount = async () => {
      const before = mail.filter((m) => m.to === family).length;
      const screened = await post(okafor, `/api/v1/students/${student.id}/screenings`, {
        instrumentId: 'asq',
        emergency: true,
        answers: { q1: 'yes', q2: 'no', q3: 'no', q4: 'no', q5: 'no' },
      });
      expect(screened.statusCode).toBe(201);
      await sendOutbox(haven.deps);
      return mail.filter((m) => m.to === family).length - before;
    };

    // With no concern, the guardian is told after an emergency screen, as before.
    expect(await screenAndCount()).toBe(1);

    // A teacher files an abuse concern that names the household; a case links it to Eli.
    const shah = await signIn(haven.app, d.people.shah.email);
    const concern = await post(shah, '/api/v1/reports/staff', {
      channel: 'staff_concern',
      school: 'lincoln-ms',
      category: 'abuse_neglect',
      description: 'Eli said his stepfather hits him when he gets home late',
      householdConcern: true,
    });
    expect(concern.statusCode).toBe(201);
    const opened = await post(rivera, '/api/v1/cases', {
      type: 'abuse_neglect',
      summary: 'Marks on his arm',
      reportIds: [concern.json().id],
      studentIds: [student.id],
    });
    expect(opened.statusCode).toBe(201);

    // Now the notice is held, not sent.
    expect(await screenAndCount()).toBe(0);
    const held = (await get(rivera, `/api/v1/students/${student.id}/held-family-messages`)).json();
    expect(held.stillHeld).toBe(true);
    expect(held.items).toHaveLength(1);
    expect(held.items[0]).toMatchObject({ kind: 'emergency_screen_notice', to: family, decision: null });

    // A teacher cannot see or decide it; a reason is required; Ms. Rivera keeps it back, with her reason audited.
    expect((await get(shah, `/api/v1/students/${student.id}/held-family-messages`)).statusCode).toBe(404);
    const id = held.items[0].id as string;
    expect((await post(rivera, `/api/v1/held-family-messages/${id}/decision`, { send: false, reason: 'no' })).statusCode).toBe(400);
    const decided = await post(rivera, `/api/v1/held-family-messages/${id}/decision`, {
      send: false,
      reason: 'Social services are visiting tonight; they will tell the mother.',
    });
    expect(decided.json()).toEqual({ id, decision: 'withheld' });
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.to === family)).toHaveLength(1);
    expect((await post(rivera, `/api/v1/held-family-messages/${id}/decision`, { send: true, reason: 'Changed my mind, send it' })).statusCode).toBe(400);
    const events = await haven.deps.db.system.select().from(auditEvents).where(eq(auditEvents.subjectId, id));
    expect(events.map((e) => e.action)).toEqual(['family_message.held', 'family_message.withheld']);
    expect(events[1]).toMatchObject({ studentId: student.id, reason: 'Social services are visiting tonight; they will tell the mother.' });

    // A second held message is released and goes out.
    expect(await screenAndCount()).toBe(0);
    const next = (await get(rivera, `/api/v1/students/${student.id}/held-family-messages`)).json().items.find((m: { decision: string | null }) => !m.decision);
    await post(rivera, `/api/v1/held-family-messages/${next.id}/decision`, { send: true, reason: 'The caseworker asked us to let the mother know.' });
    await sendOutbox(haven.deps);
    expect(mail.filter((m) => m.to === family)).toHaveLength(2);
  });

  it('an abuse concern about someone outside the home holds nothing', async () => {
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id, { firstName: 'Noa' });
    const shah = await signIn(haven.app, d.people.shah.email);
    const concern = await post(shah, '/api/v1/reports/staff', {
      channel: 'staff_concern',
      school: 'lincoln-ms',
      category: 'abuse_neglect',
      description: 'Noa said a coach grabbed her',
    });
    await post(rivera, '/api/v1/cases', { type: 'abuse_neglect', summary: 'Coach', reportIds: [concern.json().id], studentIds: [student.id] });
    const held = (await get(rivera, `/api/v1/students/${student.id}/held-family-messages`)).json();
    expect(held).toEqual({ stillHeld: false, items: [] });
  });
});
