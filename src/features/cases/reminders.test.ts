import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, createStudent, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { retryDelaysMs } from '../../platform/outbox/outbox.rules.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindDueTasks } from './reminders.service.ts';

/**
 * A task's reminder counts as given only once its e-mail has gone: while the mail server refuses
 * it, the task is not marked reminded (nor reminded twice); when the retry goes, it is.
 */

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
const mail: Mail[] = [];
const mailServer = { refusing: false };
beforeAll(async () => {
  haven = await startTestHaven({
    mailer: {
      async send(m) {
        if (mailServer.refusing) throw new Error('Connection refused');
        mail.push(m);
      },
    },
  });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown = {}) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
const highRisk = {
  riskFactors: ['prior_attempt', 'access_to_lethal_means'],
  protectiveFactors: [],
  inquiry: { ideation: 'active', plan: true, behaviour: 'none', intent: true },
  level: 'high',
  interventions: 'Kept in sight; pills removed',
};

describe('a case task reminder', () => {
  it('is marked sent only after the e-mail really went', async () => {
    haven.clock.set(new Date('2026-12-01T17:00:00Z')); // Tuesday 10:00 in Denver
    const rivera = await signIn(haven.app, d.people.rivera.email);
    const student = await createStudent(haven.deps, d.district.id, d.schools.lincoln.id);
    const caseId = (
      await post(rivera, '/api/v1/cases', { type: 'suicide_risk', summary: 'A crisis', schoolId: d.schools.lincoln.id, studentIds: [student.id] })
    ).json().id as string;
    await post(rivera, `/api/v1/cases/${caseId}/suicide-assessments`, highRisk);
    const task = async () =>
      (await haven.deps.db.system.$client.query(`select reminded_at from case_tasks where case_id = $1 and kind = 'guardian_notice'`, [caseId])).rows[0] as {
        reminded_at: Date | null;
      };
    const reminders = () => mail.filter((m) => m.to === d.people.rivera.email && m.text.includes(`/cases/${caseId}`));

    mailServer.refusing = true;
    expect(await remindDueTasks(haven.deps)).toBe(1);
    await sendOutbox(haven.deps);
    expect(reminders()).toHaveLength(0);
    expect((await task()).reminded_at).toBeNull();
    // Its e-mail is still waiting to be retried: the next sweep does not queue a second one.
    expect(await remindDueTasks(haven.deps)).toBe(0);

    mailServer.refusing = false;
    haven.clock.advance(retryDelaysMs[0]);
    await sendOutbox(haven.deps);
    expect(reminders().map((m) => m.subject)).toEqual(["Haven: a student's guardian must be told by the end of the school day (high suicide risk)"]);
    expect((await task()).reminded_at?.toISOString()).toBe(haven.clock.now().toISOString());
    expect(await remindDueTasks(haven.deps)).toBe(0);
  });
});
