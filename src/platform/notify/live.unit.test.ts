import { describe, expect, it } from 'vitest';
import { type LiveEvent, packEvents, shapeLiveEvent } from './live.ts';

const event = (i: number): LiveEvent => ({
  userIds: [`user-${i}`, 'district-admin'],
  type: 'report.alert',
  data: {
    reportId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    urgency: 'urgent',
    category: 'bullying_harassment',
    school: 'Lincoln Middle School',
    step: 'primary',
    receivedAt: '2026-11-30T15:04:05.000Z',
    afterHours: false,
  },
});

describe('packing live events for NOTIFY', () => {
  it('a burst of alerts fits under PostgreSQL’s 8,000-byte payload limit, none lost, in order', () => {
    const events = Array.from({ length: 500 }, (_, i) => event(i));
    const payloads = packEvents(events);
    expect(payloads.length).toBeGreaterThan(1);
    for (const payload of payloads) expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    expect(payloads.flatMap((p) => JSON.parse(p) as LiveEvent[])).toEqual(events);
  });

  it('nothing to send, nothing packed', () => {
    expect(packEvents([])).toEqual([]);
  });
});

describe('a live event goes out only as its schema describes it', () => {
  it('an alert that matches is sent as it is', () => {
    expect(shapeLiveEvent(event(1))).toEqual({ event: event(1) });
  });

  it('an alert without its urgency, or with one the app does not know, is refused, naming the field', () => {
    const { urgency: _u, ...withoutUrgency } = event(1).data as Record<string, unknown>;
    expect(shapeLiveEvent({ ...event(1), data: withoutUrgency })).toEqual({
      refused: expect.stringMatching(/^live alerts: a report\.alert event does not match its schema and was not sent \(data\.urgency: /),
    });
    expect(shapeLiveEvent({ ...event(1), data: { ...event(1).data, urgency: 'whenever' } })).toHaveProperty('refused');
  });

  it('an event of a type the web app does not know, or without the people to alert, is refused', () => {
    expect(shapeLiveEvent({ userIds: ['user-1'], type: 'report.deleted', data: { reportId: 'r-1' } })).toHaveProperty('refused');
    expect(shapeLiveEvent({ type: 'report.message', data: { reportId: 'r-1', at: '2026-11-30T15:04:05.000Z' } })).toEqual({
      refused: expect.stringContaining('userIds must be a list of user ids'),
    });
  });

  it("a field the schema does not name is not sent: a proctor's hold carries the student's name, never their answers", () => {
    const hold = { windowId: 'w-1', sessionId: 's-1', student: 'Maya Torres', school: 'Lincoln Middle School' };
    expect(shapeLiveEvent({ userIds: ['proctor-1'], type: 'screening.hold', data: { ...hold, answers: [3, 3, 2] } })).toEqual({
      event: { userIds: ['proctor-1'], type: 'screening.hold', data: hold },
    });
  });
});
