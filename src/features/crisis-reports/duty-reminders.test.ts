import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCrisisTeams } from '../../../test/support/crisis.ts';
import { createDistrict, type Session, signIn } from '../../../test/support/factories.ts';
import { startTestHaven, type TestHaven } from '../../../test/support/harness.ts';
import type { Mail } from '../../platform/mail/mailer.ts';
import { sendOutbox } from '../../platform/outbox/outbox.test-kit.ts';
import { remindReportingDuty } from './duty-reminders.service.ts';

let haven: TestHaven;
let d: Awaited<ReturnType<typeof createDistrict>>;
const mail: Mail[] = [];
beforeAll(async () => {
  haven = await startTestHaven({ mailer: { send: async (m) => void mail.push(m) } });
  d = await createDistrict(haven.deps);
  await createCrisisTeams(haven.deps, d);
});
afterAll(() => haven.close());

const post = (session: Session, url: string, payload: unknown) =>
  haven.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });

describe('the person who filed a concern of abuse is reminded until the duty is met', () => {
  it('Ms. Shah is reminded every four hours, with the hotline and no student named, until a finding is recorded', async () => {
    const shah = await signIn(haven.app, d.people.shah.email);
    const filed = await post(shah, '/api/v1/reports/staff', {
      channel: 'staff_concern',
      school: 'lincoln-ms',
      category: 'abuse_neglect',
      description: 'Maya Torres came in with bruises and said her uncle did it',
    });
    expect(filed.statusCode).toBe(201);
    const toShah = () => mail.filter((m) => m.to === d.people.shah.email);

    expect(await remindReportingDuty(haven.deps)).toBe(0);
    haven.clock.advance(4 * 3_600_000 + 60_000);
    expect(await remindReportingDuty(haven.deps)).toBe(1);
    // Queued, and counted as given once it has gone.
    expect(await remindReportingDuty(haven.deps)).toBe(0);
    await sendOutbox(haven.deps);
    expect(toShah()[0]?.text).toContain('1-844-CO-4-KIDS (1-844-264-5437)');
    expect(toShah()[0]?.text).toContain('cannot be handed to a principal');
    expect(toShah()[0]?.text).not.toContain('Maya');
    // Not twice for the same four hours, even if two workers sweep.
    expect(await remindReportingDuty(haven.deps)).toBe(0);
    haven.clock.advance(4 * 3_600_000);
    expect(await remindReportingDuty(haven.deps)).toBe(1);
    await sendOutbox(haven.deps);

    // The principal records a finding of no reasonable cause: the reminders stop.
    const bell = await signIn(haven.app, d.people.bell.email);
    const finding = await post(bell, `/api/v1/reports/${filed.json().id}/no-cause-finding`, {
      reasoning: 'The bruises are from a soccer game her coach saw; her uncle was not there.',
    });
    expect(finding.statusCode).toBe(201);
    haven.clock.advance(4 * 3_600_000);
    expect(await remindReportingDuty(haven.deps)).toBe(0);
    expect(toShah()).toHaveLength(2);
  });
});
